// Test helpers for the HTTP server tests: a server on a free loopback port with a captured log,
// and a raw socket client for the cases that need byte-level control (oversized headers,
// half-sent requests, keep-alive, disconnects). Test-only.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <functional>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>

#include "http/server.h"

namespace berth::http::testing {

using namespace std::chrono_literals;

// A router and a server on 127.0.0.1:0; the log is readable once the server has stopped.
class ServerHarness {
 public:
  explicit ServerHarness(std::function<void(Router&)> routes, ServerOptions options = {}) {
    routes(router_);
    options.listen = "127.0.0.1:0";
    options.io_threads = 1;
    options.handler_threads = 2;
    server_ =
        std::make_unique<Server>(router_, options, Logger(log_, LogLevel::info, LogFormat::json));
  }
  Server& server() { return *server_; }
  std::uint16_t port() const { return server_->port(); }
  std::string url(const std::string& target) const {
    return "http://127.0.0.1:" + std::to_string(port()) + target;
  }
  // Stops the server (idempotent) and returns everything it logged.
  std::string stopAndReadLog() {
    server_->stop();
    return log_.str();
  }

 private:
  std::ostringstream log_;
  Router router_;
  std::unique_ptr<Server> server_;
};

// Blocking loopback TCP client with bounded waits.
class RawClient {
 public:
  explicit RawClient(std::uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0)
      throw std::runtime_error("connect failed");
  }
  ~RawClient() { close(); }
  RawClient(const RawClient&) = delete;
  RawClient& operator=(const RawClient&) = delete;

  void send(const std::string& bytes) {
    std::size_t sent = 0;
    while (sent < bytes.size()) {
      auto n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) return;  // the server may close early (that is what some tests check)
      sent += static_cast<std::size_t>(n);
    }
  }
  void close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

  // Reads until `done(received)` or the peer closes or `timeout` passes; returns what arrived
  // (and keeps it: later calls see it again until consume()).
  const std::string& readUntil(const std::function<bool(const std::string&)>& done,
                               std::chrono::milliseconds timeout = 3s) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!done(received_) && !closed_) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left <= 0ms) break;
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) continue;
      char buffer[4096];
      auto n = ::recv(fd_, buffer, sizeof buffer, 0);
      if (n <= 0) {
        closed_ = true;
        break;
      }
      received_.append(buffer, static_cast<std::size_t>(n));
    }
    return received_;
  }
  const std::string& readUntilContains(const std::string& text,
                                       std::chrono::milliseconds timeout = 3s) {
    return readUntil([&](const std::string& r) { return r.find(text) != std::string::npos; },
                     timeout);
  }
  // True if the server closed the connection within `timeout`.
  bool closedWithin(std::chrono::milliseconds timeout) {
    readUntil([](const std::string&) { return false; }, timeout);
    return closed_;
  }
  // One whole response with a Content-Length body (or none, for HEAD); removes it from what
  // was received, so the next call reads the next response on the same connection.
  std::string readResponse(bool head = false) {
    const auto& r = readUntilContains("\r\n\r\n");
    auto header_end = r.find("\r\n\r\n");
    if (header_end == std::string::npos) return "";
    std::size_t length = 0;
    auto at = r.find("Content-Length: ");
    if (at != std::string::npos && at < header_end && !head) length = std::stoul(r.substr(at + 16));
    auto total = header_end + 4 + length;
    readUntil([&](const std::string& got) { return got.size() >= total; });
    auto response = received_.substr(0, total);
    received_.erase(0, std::min(total, received_.size()));
    return response;
  }
  const std::string& received() const { return received_; }

 private:
  int fd_ = -1;
  std::string received_;
  bool closed_ = false;
};

// "HTTP/1.1 431 ..." -> 431; 0 if there is no status line.
inline int statusOf(const std::string& response) {
  if (!response.starts_with("HTTP/1.")) return 0;
  return std::stoi(response.substr(9, 3));
}

inline std::string bodyOf(const std::string& response) {
  auto at = response.find("\r\n\r\n");
  return at == std::string::npos ? "" : response.substr(at + 4);
}

}  // namespace berth::http::testing
