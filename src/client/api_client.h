// berth's REST API (docs/api.md) as the command-line client uses it: JSON in and out, the API
// token as a Bearer credential, and every way a request can go wrong turned into a ClientError
// whose exit code says which (cannot reach, unauthorized, refused, server fault) and whose
// message is the server's own `{"error":{"message"}}` when it sent one.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "client/client_error.h"
#include "client/sse_parser.h"
#include "client/token_source.h"
#include "net/http.h"

namespace berth::client {

// Keeps the server's key order, so --output json reads like the API reference.
using Json = nlohmann::ordered_json;

struct ServerSettings {
  std::string url{};                // base URL, "http://127.0.0.1:8080" (server_url.h)
  std::optional<ApiToken> token{};  // nullopt: send no credential
};

// The ClientError for a response that is not a success: 401 and 403 are kExitUnauthorized, the
// other 4xx and 503 kExitRefused, anything else kExitFailure. Pure, for tests.
ClientError errorFromResponse(const ServerSettings& server, int status, std::string_view body);

// `answer`'s member `key`, which must have the JSON type `type` (an array of projects, the
// deploy object, ...). Anything else means the server is not the berth this client knows:
// ClientError (kExitFailure) naming `where` (the URL asked) and what was missing.
Json memberOf(const Json& answer, const char* key, Json::value_t type, const std::string& where);

// "a b/c" -> "a%20b%2Fc": a name as one path segment.
std::string pathSegment(std::string_view name);

class ApiClient {
 public:
  // `http` must outlive the client.
  ApiClient(net::HttpClient& http, ServerSettings server);

  const std::string& serverUrl() const { return server_.url; }

  // GET or POST `path` ("/api/..."), expecting a 2xx JSON answer. Throws ClientError.
  Json get(const std::string& path) const;
  Json post(const std::string& path, const Json& body) const;
  // GET `path` whose answer is not JSON (the YAML export). Throws ClientError.
  std::string getText(const std::string& path) const;

  // GET `path` as a Server-Sent Events stream, calling `on_event` for each event until the
  // server closes the stream or `on_event` returns false. `on_bytes` is called whenever bytes
  // arrive, heartbeats included (a watchdog's sign of life). Setting `cancel` aborts the stream
  // with a ClientError (kExitUnreachable). No overall time limit: the caller decides. A 200
  // that is not text/event-stream throws ClientError (kExitFailure).
  void streamEvents(const std::string& path, const std::optional<std::string>& last_event_id,
                    const std::function<bool(const SseEvent&)>& on_event,
                    const std::function<void()>& on_bytes, const net::CancelFlag* cancel) const;

 private:
  net::HttpRequest request(const std::string& method, const std::string& path) const;
  net::HttpResponse send(const net::HttpRequest& request) const;
  Json parseJson(const std::string& path, const std::string& body) const;

  net::HttpClient& http_;
  ServerSettings server_;
};

}  // namespace berth::client
