#include "docker/docker_error.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <nlohmann/json.hpp>

namespace berth::docker {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

bool containsAny(std::string_view haystack, std::initializer_list<std::string_view> needles) {
  const std::string text = lower(haystack);
  return std::any_of(needles.begin(), needles.end(),
                     [&](std::string_view n) { return text.find(n) != std::string::npos; });
}

// Registry authentication failures as the daemon relays them: "unauthorized: authentication
// required" (htpasswd registry, wrong password), "no basic auth credentials" (none sent),
// "denied: requested access to the resource is denied" (Docker Hub, GHCR).
bool looksUnauthorized(std::string_view message) {
  return containsAny(message,
                     {"unauthorized", "authentication required", "no basic auth credentials",
                      "access to the resource is denied", "incorrect username or password"});
}

// The daemon ended a TLS connection: a TLS alert, as libcurl's OpenSSL backend words it
// ("... SSL routines::sslv3 alert bad certificate"), or, when its close wins the race with our
// request, a failed send or receive on an https:// URL (libcurl 7.88 then may report only
// "getpeername() failed with errno 107"). With TLS 1.3, dockerd --tlsverify checks the client
// certificate after the client considers the handshake done, so a refused certificate ends up
// here (HttpError kind protocol), not as a failed handshake (kind tls) as with TLS 1.2.
bool looksLikeTlsRefusal(std::string_view message) {
  if (containsAny(message, {"ssl routines"}) && containsAny(message, {" alert "})) return true;
  return containsAny(message, {" https://"}) &&
         containsAny(message,
                     {"getpeername() failed", "send failure", "recv failure", "connection reset"});
}

std::string trimmed(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front())))
    s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())))
    s.remove_suffix(1);
  return std::string(s);
}

std::string composeMessage(DockerError::Kind kind, const std::string& operation,
                           const std::string& object, const std::string& detail) {
  std::string what = "docker: " + operation;
  if (!object.empty()) what += " " + object;
  what += ": ";
  what += kindName(kind);
  if (!detail.empty()) what += ": " + detail;
  return what;
}

}  // namespace

DockerError::DockerError(Kind kind, std::string operation, std::string object, std::string detail,
                         int status)
    : std::runtime_error(composeMessage(kind, operation, object, detail)),
      kind_(kind),
      operation_(std::move(operation)),
      object_(std::move(object)),
      detail_(std::move(detail)),
      status_(status) {}

std::string_view kindName(DockerError::Kind kind) {
  switch (kind) {
    case DockerError::Kind::not_found:
      return "not found";
    case DockerError::Kind::conflict:
      return "conflict";
    case DockerError::Kind::bad_request:
      return "bad request";
    case DockerError::Kind::unauthorized:
      return "unauthorized";
    case DockerError::Kind::daemon_unreachable:
      return "daemon unreachable";
    case DockerError::Kind::timeout:
      return "timed out";
    case DockerError::Kind::cancelled:
      return "cancelled";
    case DockerError::Kind::server:
      return "daemon error";
    case DockerError::Kind::protocol:
      return "malformed response";
  }
  return "error";
}

DockerError::Kind kindForStatus(int status, std::string_view daemon_message) {
  switch (status) {
    case 400:
      return DockerError::Kind::bad_request;
    case 401:
      return DockerError::Kind::unauthorized;
    case 403:  // e.g. "endpoint with name web-1 already exists in network berth"
    case 409:
      return DockerError::Kind::conflict;
    case 404:
      return DockerError::Kind::not_found;
    default:
      break;
  }
  if (status >= 500)
    return looksUnauthorized(daemon_message) ? DockerError::Kind::unauthorized
                                             : DockerError::Kind::server;
  return DockerError::Kind::protocol;
}

DockerError::Kind kindForStreamError(std::string_view daemon_message) {
  if (looksUnauthorized(daemon_message)) return DockerError::Kind::unauthorized;
  if (containsAny(daemon_message, {"manifest unknown", "not found", "no such"}))
    return DockerError::Kind::not_found;
  return DockerError::Kind::server;
}

std::string daemonMessage(int status, std::string_view body) {
  const std::string text = trimmed(body);
  if (text.empty()) return "HTTP " + std::to_string(status);
  if (text.front() == '{') {
    const auto json = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (json.is_object()) {
      const auto it = json.find("message");
      if (it != json.end() && it->is_string()) return it->get<std::string>();
    }
  }
  // Plain text (e.g. "client version 1.11 is too old"), or JSON we do not know: say it as is,
  // bounded so that an HTML error page from a proxy does not flood the log.
  constexpr size_t kMax = 500;
  return text.size() <= kMax ? text : text.substr(0, kMax) + "...";
}

DockerError errorFromResponse(const net::HttpResponse& response, std::string operation,
                              std::string object) {
  std::string message = daemonMessage(response.status, response.body);
  const auto kind = kindForStatus(response.status, message);
  if (kind == DockerError::Kind::protocol)
    message = "unexpected HTTP " + std::to_string(response.status) + ": " + message;
  return DockerError(kind, std::move(operation), std::move(object), std::move(message),
                     response.status);
}

DockerError errorFromTransport(const net::HttpError& error, std::string operation,
                               std::string object) {
  DockerError::Kind kind = DockerError::Kind::protocol;
  switch (error.kind()) {
    case net::HttpError::Kind::connect:
    case net::HttpError::Kind::tls:
      kind = DockerError::Kind::daemon_unreachable;
      break;
    case net::HttpError::Kind::timeout:
      kind = DockerError::Kind::timeout;
      break;
    case net::HttpError::Kind::cancelled:
      kind = DockerError::Kind::cancelled;
      break;
    case net::HttpError::Kind::too_large:
      kind = DockerError::Kind::protocol;
      break;
    case net::HttpError::Kind::protocol:
      // A refused client certificate is no malformed answer: the daemon would not talk to us.
      if (looksLikeTlsRefusal(error.what())) {
        return DockerError(DockerError::Kind::daemon_unreachable, std::move(operation),
                           std::move(object),
                           std::string(error.what()) +
                               " (TLS: the daemon closed the connection; is the client "
                               "certificate signed by the CA it trusts?)");
      }
      kind = DockerError::Kind::protocol;
      break;
  }
  return DockerError(kind, std::move(operation), std::move(object), error.what());
}

}  // namespace berth::docker
