#include "client/api_client.h"

#include "cli/exit_codes.h"

namespace berth::client {
namespace {

using namespace std::chrono_literals;

// The server's {"error":{"message"}}, if the body is one.
std::optional<std::string> apiErrorMessage(std::string_view body) {
  const auto parsed = nlohmann::json::parse(body, nullptr, false);
  if (!parsed.is_object() || !parsed.contains("error") || !parsed["error"].is_object())
    return std::nullopt;
  const auto& message = parsed["error"]["message"];
  if (!message.is_string()) return std::nullopt;
  return message.get<std::string>();
}

// HttpError messages start with "METHOD URL: "; the caller names the server already.
std::string transportDetail(const net::HttpError& e, const net::HttpRequest& request) {
  std::string_view text = e.what();
  const std::string prefix = request.method + " " + request.url + ": ";
  if (text.starts_with(prefix)) text.remove_prefix(prefix.size());
  return std::string(text);
}

}  // namespace

ClientError errorFromResponse(const ServerSettings& server, int status, std::string_view body) {
  const auto message = apiErrorMessage(body);
  if (status == 401) {
    if (!server.token)
      return ClientError(kExitUnauthorized,
                         "the server at " + server.url +
                             " needs an API token: set BERTH_TOKEN, pass --token-file FILE, or "
                             "write it to ~/.config/berth/token (create one with `berth token "
                             "create USER NAME`, or in the dashboard)");
    return ClientError(kExitUnauthorized, "the server at " + server.url +
                                              " refused the API token from " +
                                              server.token->origin +
                                              " (401): it is wrong, revoked or for another server");
  }
  // No {"error"} body: a proxy's error page (berth down behind it), or not berth at all.
  const std::string text = message.value_or(
      "the server at " + server.url + " answered HTTP " + std::to_string(status) +
      " without berth's error message: is --server the address of berth, and is it running?");
  if (status == 403) return ClientError(kExitUnauthorized, text);
  if ((status >= 400 && status < 500) || status == 503) return ClientError(kExitRefused, text);
  if (!message) return ClientError(kExitFailure, text);
  return ClientError(kExitFailure, "server error (HTTP " + std::to_string(status) + "): " + text);
}

Json memberOf(const Json& answer, const char* key, Json::value_t type, const std::string& where) {
  if (answer.is_object() && answer.contains(key) && answer[key].type() == type) return answer[key];
  const char* expected = type == Json::value_t::array ? "list" : "object";
  throw ClientError(kExitFailure, "the answer of " + where + " has no \"" + key + "\" " + expected +
                                      ": is --server the address of berth?");
}

std::string pathSegment(std::string_view name) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const char c : name) {
    const auto u = static_cast<unsigned char>(c);
    const bool unreserved = (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') ||
                            (u >= '0' && u <= '9') || c == '-' || c == '.' || c == '_' || c == '~';
    if (unreserved) {
      out += c;
    } else {
      out += '%';
      out += kHex[u >> 4];
      out += kHex[u & 15];
    }
  }
  return out;
}

ApiClient::ApiClient(net::HttpClient& http, ServerSettings server)
    : http_(http), server_(std::move(server)) {}

net::HttpRequest ApiClient::request(const std::string& method, const std::string& path) const {
  net::HttpRequest r;
  r.method = method;
  r.url = server_.url + path;
  r.timeout = 30s;
  r.connect_timeout = 10s;
  if (server_.token) r.headers.add("Authorization", "Bearer " + server_.token->secret);
  return r;
}

net::HttpResponse ApiClient::send(const net::HttpRequest& request) const {
  try {
    return http_.send(request);
  } catch (const net::HttpError& e) {
    throw ClientError(kExitUnreachable, "cannot reach the berth server at " + server_.url + ": " +
                                            transportDetail(e, request));
  }
}

Json ApiClient::parseJson(const std::string& path, const std::string& body) const {
  auto parsed = Json::parse(body, nullptr, false);
  if (parsed.is_discarded() || !parsed.is_object())
    throw ClientError(kExitFailure, "the answer of " + server_.url + path +
                                        " is not JSON: is --server the address of berth?");
  return parsed;
}

Json ApiClient::get(const std::string& path) const {
  auto r = request("GET", path);
  r.headers.add("Accept", "application/json");
  const auto response = send(r);
  if (response.status < 200 || response.status > 299)
    throw errorFromResponse(server_, response.status, response.body);
  return parseJson(path, response.body);
}

Json ApiClient::post(const std::string& path, const Json& body) const {
  auto r = request("POST", path);
  r.headers.add("Accept", "application/json");
  r.headers.add("Content-Type", "application/json");
  r.body = body.dump();
  const auto response = send(r);
  if (response.status < 200 || response.status > 299)
    throw errorFromResponse(server_, response.status, response.body);
  return parseJson(path, response.body);
}

std::string ApiClient::getText(const std::string& path) const {
  const auto response = send(request("GET", path));
  if (response.status < 200 || response.status > 299)
    throw errorFromResponse(server_, response.status, response.body);
  return response.body;
}

void ApiClient::streamEvents(const std::string& path,
                             const std::optional<std::string>& last_event_id,
                             const std::function<bool(const SseEvent&)>& on_event,
                             const std::function<void()>& on_bytes,
                             const net::CancelFlag* cancel) const {
  auto r = request("GET", path);
  r.headers.add("Accept", "text/event-stream");
  if (last_event_id) r.headers.add("Last-Event-ID", *last_event_id);
  r.timeout = 0ms;                 // a stream lasts as long as the deploy; `cancel` ends it early
  r.max_body_bytes = 1024 * 1024;  // an error answer is buffered below, a stream never

  int status = 0;
  bool not_a_stream = false;
  std::string error_body;
  bool stopped = false;
  SseParser parser([&](const SseEvent& event) {
    if (!stopped && !on_event(event)) stopped = true;
  });
  try {
    http_.stream(
        r,
        [&](const net::HttpResponse& head) {
          status = head.status;
          // A web page or a proxy's 200 would never send `end`: following it would retry forever.
          const auto type = head.headers.get("Content-Type").value_or("");
          not_a_stream = status == 200 && !type.starts_with("text/event-stream");
          return !not_a_stream;
        },
        [&](std::string_view chunk) {
          if (on_bytes) on_bytes();
          if (status != 200) {
            if (error_body.size() < r.max_body_bytes) error_body.append(chunk);
            return true;
          }
          parser.feed(chunk);
          return !stopped;
        },
        cancel);
  } catch (const net::HttpError& e) {
    throw ClientError(kExitUnreachable, "cannot reach the berth server at " + server_.url + ": " +
                                            transportDetail(e, r));
  }
  if (not_a_stream)
    throw ClientError(kExitFailure,
                      "the answer of " + server_.url + path +
                          " is not an event stream: is --server the address of berth?");
  if (status != 200) throw errorFromResponse(server_, status, error_body);
}

}  // namespace berth::client
