#include "docker/requests.h"

#include <algorithm>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <set>

#include "core/base64.h"

namespace berth::docker {
namespace {

using nlohmann::json;

// Docker durations are integers in nanoseconds.
std::int64_t nanoseconds(Duration d) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(d).count();
}

// "8080" -> "8080/tcp": Docker's key format for ports.
std::string portKey(std::string_view port) {
  std::string key(port);
  if (key.find('/') == std::string::npos) key += "/tcp";
  return key;
}

std::string restartPolicyName(RestartPolicy::Name name) {
  switch (name) {
    case RestartPolicy::Name::no:
      return "no";
    case RestartPolicy::Name::always:
      return "always";
    case RestartPolicy::Name::unless_stopped:
      return "unless-stopped";
    case RestartPolicy::Name::on_failure:
      return "on-failure";
  }
  return "no";
}

std::string versioned(const ApiTarget& api, std::string_view path) {
  return api.endpoint.baseUrl() + "/v" + api.api_version + std::string(path);
}

net::HttpRequest base(const ApiTarget& api, std::string method, std::string url, Duration timeout) {
  net::HttpRequest r;
  r.method = std::move(method);
  r.url = std::move(url);
  if (api.endpoint.transport == DockerEndpoint::Transport::unix_socket)
    r.unix_socket = api.endpoint.socket_path;
  if (api.endpoint.transport == DockerEndpoint::Transport::tls) r.tls = api.endpoint.tls;
  r.timeout = timeout;
  r.connect_timeout = api.timeouts.connect;
  return r;
}

void setJsonBody(net::HttpRequest& r, const json& body) {
  r.headers.add("Content-Type", "application/json");
  r.body = body.dump();
}

// Builds "?a=1&b=2" from pairs in the given order (tests compare exact URLs).
std::string query(std::initializer_list<std::pair<std::string_view, std::string>> params) {
  std::string q;
  for (const auto& [name, value] : params) {
    q += q.empty() ? "?" : "&";
    q += std::string(name) + "=" + percentEncode(value);
  }
  return q;
}

std::string filtersJson(const Filters& filters) {
  json j = json::object();
  for (const auto& [key, values] : filters)
    j[key] = values;
  return j.dump();
}

std::string segment(std::string_view name) {
  return percentEncode(name);
}

// Image references keep their '/', ':' and '@': the daemon's route takes the rest of the path.
std::string imageSegment(std::string_view image) {
  return percentEncode(image, "/:@");
}

}  // namespace

std::string percentEncode(std::string_view text, std::string_view keep) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                            (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~';
    if (unreserved || keep.find(ch) != std::string_view::npos) {
      out += ch;
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::string encodeRegistryAuth(const RegistryAuth& auth) {
  const json body = {{"username", auth.username},
                     {"password", auth.password},
                     {"serveraddress", auth.server_address}};
  return base64Encode(body.dump(), Base64Alphabet::url);
}

std::string containerCreateBody(const ContainerSpec& spec) {
  json body = {{"Image", spec.image}};
  if (!spec.cmd.empty()) body["Cmd"] = spec.cmd;
  json env = json::array();
  for (const auto& [key, value] : spec.env)
    env.push_back(key + "=" + value);
  body["Env"] = env;
  body["Labels"] = spec.labels;  // std::map: keys in order, "{}" when empty

  // A bound port must also be exposed; the union keeps the body deterministic (sorted).
  std::set<std::string> exposed;
  for (const auto& p : spec.exposed_ports)
    exposed.insert(portKey(p));
  for (const auto& b : spec.port_bindings)
    exposed.insert(portKey(b.container_port));
  body["ExposedPorts"] = json::object();
  for (const auto& p : exposed)
    body["ExposedPorts"][p] = json::object();

  body["Tty"] = spec.tty;
  if (spec.stop_timeout) body["StopTimeout"] = spec.stop_timeout->count();
  if (spec.healthcheck) {
    const HealthcheckSpec& h = *spec.healthcheck;
    body["Healthcheck"] = {{"Test", h.test},
                           {"Interval", nanoseconds(h.interval)},
                           {"Timeout", nanoseconds(h.timeout)},
                           {"StartPeriod", nanoseconds(h.start_period)},
                           {"Retries", h.retries}};
  }

  json host = json::object();
  json bindings = json::object();
  for (const auto& b : spec.port_bindings) {
    bindings[portKey(b.container_port)].push_back(
        {{"HostIp", b.host_ip}, {"HostPort", b.host_port}});
  }
  host["PortBindings"] = bindings;
  host["RestartPolicy"] = {{"Name", restartPolicyName(spec.restart.name)},
                           {"MaximumRetryCount", spec.restart.max_retries}};
  // Mounts, not Binds: a typed list cannot be misread the way "src:dst:ro" strings can, and a
  // missing bind source is an error instead of an empty directory the daemon creates silently.
  json mounts = json::array();
  for (const auto& m : spec.mounts) {
    mounts.push_back({{"Type", m.type == Mount::Type::volume ? "volume" : "bind"},
                      {"Source", m.source},
                      {"Target", m.target},
                      {"ReadOnly", m.read_only}});
  }
  host["Mounts"] = mounts;
  if (!spec.network.empty()) host["NetworkMode"] = spec.network;
  body["HostConfig"] = host;

  if (!spec.network.empty()) {
    json endpoint = json::object();
    if (!spec.network_aliases.empty()) endpoint["Aliases"] = spec.network_aliases;
    body["NetworkingConfig"] = {{"EndpointsConfig", {{spec.network, endpoint}}}};
  }
  return body.dump();
}

net::HttpRequest pingRequest(const ApiTarget& api) {
  return base(api, "GET", api.endpoint.baseUrl() + "/_ping", api.timeouts.ping);
}

net::HttpRequest versionRequest(const ApiTarget& api) {
  return base(api, "GET", api.endpoint.baseUrl() + "/version", api.timeouts.ping);
}

net::HttpRequest pullImageRequest(const ApiTarget& api, const ImageRef& image,
                                  const std::optional<RegistryAuth>& auth) {
  const std::string tag = image.digest.empty() ? image.tag : image.digest;
  auto r = base(api, "POST",
                versioned(api, "/images/create" +
                                   query({{"fromImage", image.repositoryRef()}, {"tag", tag}})),
                api.timeouts.pull);
  if (auth) {
    RegistryAuth a = *auth;
    if (a.server_address.empty()) a.server_address = image.registry;
    r.headers.add("X-Registry-Auth", encodeRegistryAuth(a));
  }
  return r;
}

net::HttpRequest inspectImageRequest(const ApiTarget& api, std::string_view image) {
  return base(api, "GET", versioned(api, "/images/" + imageSegment(image) + "/json"),
              api.timeouts.inspect);
}

net::HttpRequest createContainerRequest(const ApiTarget& api, const ContainerSpec& spec) {
  std::string path = "/containers/create";
  if (!spec.name.empty()) path += query({{"name", spec.name}});
  auto r = base(api, "POST", versioned(api, path), api.timeouts.create);
  r.headers.add("Content-Type", "application/json");
  r.body = containerCreateBody(spec);
  return r;
}

net::HttpRequest startContainerRequest(const ApiTarget& api, std::string_view container) {
  return base(api, "POST", versioned(api, "/containers/" + segment(container) + "/start"),
              api.timeouts.start);
}

net::HttpRequest inspectContainerRequest(const ApiTarget& api, std::string_view container) {
  return base(api, "GET", versioned(api, "/containers/" + segment(container) + "/json"),
              api.timeouts.inspect);
}

net::HttpRequest stopContainerRequest(const ApiTarget& api, std::string_view container,
                                      std::chrono::seconds timeout) {
  return base(api, "POST",
              versioned(api, "/containers/" + segment(container) + "/stop" +
                                 query({{"t", std::to_string(timeout.count())}})),
              timeout + api.timeouts.stop_grace);
}

net::HttpRequest removeContainerRequest(const ApiTarget& api, std::string_view container,
                                        bool force) {
  return base(api, "DELETE",
              versioned(api, "/containers/" + segment(container) +
                                 query({{"force", force ? "true" : "false"}})),
              api.timeouts.remove);
}

net::HttpRequest listContainersRequest(const ApiTarget& api, const Filters& filters) {
  std::string path = "/containers/json?all=true";
  if (!filters.empty()) path += "&filters=" + percentEncode(filtersJson(filters));
  return base(api, "GET", versioned(api, path), api.timeouts.inspect);
}

net::HttpRequest containerLogsRequest(const ApiTarget& api, std::string_view container,
                                      const LogOptions& options) {
  std::string path = "/containers/" + segment(container) + "/logs" +
                     query({{"stdout", options.stdout_stream ? "1" : "0"},
                            {"stderr", options.stderr_stream ? "1" : "0"},
                            {"tail", options.tail ? std::to_string(*options.tail) : "all"}});
  if (options.timestamps) path += "&timestamps=1";
  if (options.since > 0) path += "&since=" + std::to_string(options.since);
  auto r = base(api, "GET", versioned(api, path), api.timeouts.logs);
  return r;
}

net::HttpRequest eventsRequest(const ApiTarget& api, const EventFilter& filter) {
  std::string q;
  const auto add = [&q](std::string_view name, const std::string& value) {
    q += q.empty() ? "?" : "&";
    q += std::string(name) + "=" + percentEncode(value);
  };
  if (filter.since > 0) add("since", std::to_string(filter.since));
  if (filter.until > 0) add("until", std::to_string(filter.until));
  if (!filter.filters.empty()) add("filters", filtersJson(filter.filters));
  return base(api, "GET", versioned(api, "/events" + q), Duration{0});
}

net::HttpRequest inspectNetworkRequest(const ApiTarget& api, std::string_view network) {
  return base(api, "GET", versioned(api, "/networks/" + segment(network)), api.timeouts.inspect);
}

net::HttpRequest createNetworkRequest(const ApiTarget& api, const NetworkSpec& spec) {
  auto r = base(api, "POST", versioned(api, "/networks/create"), api.timeouts.network);
  // CheckDuplicate: without it the daemon happily creates a second network with the same name.
  setJsonBody(r, {{"Name", spec.name},
                  {"Driver", spec.driver},
                  {"CheckDuplicate", true},
                  {"Internal", spec.internal},
                  {"Attachable", spec.attachable},
                  {"Labels", spec.labels}});
  return r;
}

net::HttpRequest connectNetworkRequest(const ApiTarget& api, std::string_view network,
                                       std::string_view container,
                                       const std::vector<std::string>& aliases) {
  auto r = base(api, "POST", versioned(api, "/networks/" + segment(network) + "/connect"),
                api.timeouts.network);
  json endpoint = json::object();
  if (!aliases.empty()) endpoint["Aliases"] = aliases;
  setJsonBody(r, {{"Container", container}, {"EndpointConfig", endpoint}});
  return r;
}

net::HttpRequest disconnectNetworkRequest(const ApiTarget& api, std::string_view network,
                                          std::string_view container, bool force) {
  auto r = base(api, "POST", versioned(api, "/networks/" + segment(network) + "/disconnect"),
                api.timeouts.network);
  setJsonBody(r, {{"Container", container}, {"Force", force}});
  return r;
}

}  // namespace berth::docker
