// berth's HTTP/1.1 server: Boost.Beast on an io_context with a few I/O threads, handlers on a
// separate worker pool (message.h), C++20 coroutines per connection. Beast stays inside
// server.cpp: nothing here includes it.
//
// Behaviour a client sees:
//  - keep-alive; a request whose header exceeds `max_header_bytes` gets 431, a body over
//    `max_body_bytes` 413, a malformed request 400, each as berth's JSON error body, and the
//    connection is closed;
//  - a connection that sends nothing for `idle_timeout` (between requests) or takes longer
//    than `read_timeout` to send one request is closed;
//  - event streams (Response::stream): `Content-Type: text/event-stream`,
//    `Cache-Control: no-cache`, `X-Accel-Buffering: no`, no Content-Length; a comment line
//    ": heartbeat" every `heartbeat` while the source has nothing to send;
//  - one access-log line per request: method, path (never the query string, which may carry a
//    webhook token), status, bytes, duration, remote address.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "http/router.h"
#include "log/logger.h"

namespace berth::http {

struct ServerOptions {
  std::string listen = "127.0.0.1:8080";  // "host:port", "[::1]:port"; port 0 picks a free one
  int io_threads = 2;
  int handler_threads = 8;
  std::size_t max_header_bytes = 16 * 1024;
  std::size_t max_body_bytes = 1024 * 1024;
  std::chrono::milliseconds read_timeout{30'000};
  std::chrono::milliseconds idle_timeout{75'000};
  std::chrono::milliseconds heartbeat{15'000};
  std::size_t max_connections = 20'000;  // above this, new connections are closed at once
};

class Server {
 public:
  // Binds and listens at once (throws std::runtime_error naming the address on failure), then
  // serves on its own threads until stop(). `router` must outlive the server.
  Server(const Router& router, ServerOptions options, Logger log);
  ~Server();  // stop()
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // The bound port (useful with port 0) and "host:port".
  std::uint16_t port() const;
  std::string address() const;

  // Graceful: stops accepting, closes event streams (their sources see close()), lets requests
  // in progress finish for up to `grace`, then closes everything and joins the threads.
  // Idempotent.
  void stop(std::chrono::milliseconds grace = std::chrono::milliseconds(5000));

  // Open connections and open event streams right now (for /metrics).
  std::size_t connections() const;
  std::size_t streams() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace berth::http
