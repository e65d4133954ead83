// HTTP requests and responses as berth's handlers see them: plain values, no Boost.Beast, so
// that the REST handlers (src/api/) and event streams (src/events/) compile fast and are
// unit-tested without a socket. The server (server.h) converts to and from Beast's types.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace berth::http {

// Who sent a request, once the authentication gate (api/authentication.h) has checked their
// session cookie or API token.
struct Identity {
  std::int64_t user_id = 0;
  std::string username{};
  bool admin = false;
  bool via_token = false;  // an API token (else a session cookie)
};

struct Request {
  std::string method{};     // "GET", "POST", ... as sent
  std::string target{};     // raw request target, e.g. "/api/deploys?limit=5"
  std::string path{};       // percent-decoded path without the query, e.g. "/api/deploys"
  std::string raw_query{};  // undecoded text after '?', "" if none
  std::map<std::string, std::string> query{};  // decoded; a repeated key keeps the last value
  std::vector<std::pair<std::string, std::string>> headers{};  // names lower-cased, in order
  std::string body{};
  std::map<std::string, std::string> params{};  // path parameters filled by the router
  std::string remote_address{};                 // peer address, e.g. "127.0.0.1"
  std::optional<Identity> identity{};           // set by the router's gate, if any

  // The first header named `name` (case-insensitive), if any.
  std::optional<std::string_view> header(std::string_view name) const;
  // The decoded query parameter `name`, if present.
  std::optional<std::string_view> queryParam(std::string_view name) const;
  // The path parameter `name` ("" if the route has none of that name).
  const std::string& param(const std::string& name) const;
};

// A Server-Sent Events body. The server owns the connection; the source owns what to send.
// Threading: open(), next() and close() are called on the connection's strand, never
// concurrently; `wake` may be called from any thread at any time (also after close(), when it
// does nothing), and makes the server call next() again soon. A source must never block.
class StreamSource {
 public:
  struct Chunk {
    std::string data{};  // bytes to write now, already in text/event-stream framing; may be ""
    bool end = false;    // the stream is complete: the server closes it after writing `data`
  };
  virtual ~StreamSource() = default;
  // Once, before the first next().
  virtual void open(std::function<void()> wake) = 0;
  // Whatever is ready now.
  virtual Chunk next() = 0;
  // Once, when the stream ends for any reason (end, client gone, server stopping).
  virtual void close() = 0;
};

struct Response {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers{};  // e.g. {"Content-Type", "..."}
  std::string body{};
  // Set: the response is an event stream (the server adds the SSE headers, writes heartbeats
  // while idle and ignores `body`).
  std::shared_ptr<StreamSource> stream{};

  static Response text(int status, std::string body,
                       std::string content_type = "text/plain; charset=utf-8");
  static Response jsonText(int status, std::string json);  // body is already JSON
  // {"error":{"code":code,"message":message}}
  static Response error(int status, std::string_view code, std::string_view message);
  static Response events(std::shared_ptr<StreamSource> source);
  // The first header named `name` (case-insensitive), if any.
  std::optional<std::string_view> header(std::string_view name) const;
};

// Handlers are plain blocking functions: the server runs them on a worker pool, never on the
// I/O threads, so a handler may call the engine, the store or a registry. A handler that
// throws answers 500 with a generic message (the exception is logged, never sent).
using Handler = std::function<Response(const Request&)>;

}  // namespace berth::http
