#include "docker/endpoint.h"

#include <charconv>
#include <filesystem>
#include <vector>

namespace berth::docker {
namespace {

Failure fail(std::string_view host, const std::string& why) {
  return Failure{"docker host '" + std::string(host) + "': " + why};
}

std::string joinPath(std::string_view dir, std::string_view file) {
  std::string path(dir);
  if (!path.empty() && path.back() != '/') path += '/';
  return path + std::string(file);
}

}  // namespace

std::string DockerEndpoint::baseUrl() const {
  if (transport == Transport::unix_socket) return "http://docker";
  const std::string scheme = transport == Transport::tls ? "https://" : "http://";
  const bool v6 = host.find(':') != std::string::npos;
  return scheme + (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

std::string DockerEndpoint::describe() const {
  if (transport == Transport::unix_socket) return "unix://" + socket_path;
  const bool v6 = host.find(':') != std::string::npos;
  std::string text = "tcp://" + (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
  if (transport == Transport::tls) text += " (TLS)";
  return text;
}

Result<DockerEndpoint> parseDockerEndpoint(std::string_view host, std::string_view cert_path) {
  if (host.empty()) return Failure{"docker host is empty (e.g. unix:///var/run/docker.sock)"};
  const auto sep = host.find("://");
  if (sep == std::string_view::npos) {
    if (host.front() == '/') return fail(host, "write unix://" + std::string(host));
    return fail(host, "missing scheme: use unix:///path/to/docker.sock or tcp://host:port");
  }
  const std::string_view scheme = host.substr(0, sep);
  const std::string_view rest = host.substr(sep + 3);

  DockerEndpoint endpoint;
  if (scheme == "unix") {
    if (!cert_path.empty())
      return fail(host, "a certificate folder applies only to tcp:// endpoints");
    if (rest.empty()) return fail(host, "missing socket path (unix:///var/run/docker.sock)");
    if (rest.front() != '/')
      return fail(host, "socket path must be absolute (unix:///" + std::string(rest) + ")");
    endpoint.transport = DockerEndpoint::Transport::unix_socket;
    endpoint.socket_path = std::string(rest);
    return endpoint;
  }
  if (scheme == "http" || scheme == "https")
    return fail(host, "use tcp://host:port (with a certificate folder for TLS)");
  if (scheme != "tcp") {
    return fail(host,
                "unsupported scheme '" + std::string(scheme) +
                    "' (berth speaks unix:// and tcp://, with TLS from a certificate folder)");
  }

  std::string_view authority = rest;
  if (const auto slash = authority.find('/'); slash != std::string_view::npos) {
    if (authority.substr(slash) != "/")
      return fail(host, "a path after host:port is not supported");
    authority = authority.substr(0, slash);
  }
  std::string_view name;
  std::string_view port_text;
  if (!authority.empty() && authority.front() == '[') {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) return fail(host, "unclosed '[' in IPv6 address");
    name = authority.substr(1, close - 1);
    const std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return fail(host, "expected ':port' after ']'");
      port_text = after.substr(1);
      if (port_text.empty()) return fail(host, "empty port");
    }
  } else {
    const auto colon = authority.rfind(':');
    if (colon != std::string_view::npos && authority.find(':') != colon)
      return fail(host, "write an IPv6 address in brackets: tcp://[::1]:2376");
    name = authority.substr(0, colon);
    if (colon != std::string_view::npos) {
      port_text = authority.substr(colon + 1);
      if (port_text.empty()) return fail(host, "empty port");
    }
  }
  if (name.empty()) return fail(host, "missing host name");

  const bool tls = !cert_path.empty();
  int port = tls ? 2376 : 2375;
  if (!port_text.empty()) {
    const auto [end, ec] =
        std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (ec != std::errc() || end != port_text.data() + port_text.size())
      return fail(host, "port '" + std::string(port_text) + "' is not a number");
    if (port < 1 || port > 65535) return fail(host, "port must be 1-65535");
  }
  endpoint.transport = tls ? DockerEndpoint::Transport::tls : DockerEndpoint::Transport::tcp;
  endpoint.host = std::string(name);
  endpoint.port = port;
  if (tls) {
    endpoint.tls.ca_file = joinPath(cert_path, "ca.pem");
    endpoint.tls.cert_file = joinPath(cert_path, "cert.pem");
    endpoint.tls.key_file = joinPath(cert_path, "key.pem");
  }
  return endpoint;
}

std::optional<std::string> checkEndpointFiles(const DockerEndpoint& endpoint) {
  std::vector<std::string> missing;
  std::error_code ec;
  if (endpoint.transport == DockerEndpoint::Transport::unix_socket) {
    if (!std::filesystem::exists(endpoint.socket_path, ec)) missing.push_back(endpoint.socket_path);
  } else if (endpoint.transport == DockerEndpoint::Transport::tls) {
    for (const std::string* file :
         {&endpoint.tls.ca_file, &endpoint.tls.cert_file, &endpoint.tls.key_file}) {
      if (!std::filesystem::exists(*file, ec)) missing.push_back(*file);
    }
  }
  if (missing.empty()) return std::nullopt;
  std::string message = "docker host " + endpoint.describe() + ": missing ";
  for (size_t i = 0; i < missing.size(); ++i)
    message += (i ? ", " : "") + missing[i];
  return message;
}

}  // namespace berth::docker
