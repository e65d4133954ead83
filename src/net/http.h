// HTTP requests and responses as plain values, and the HttpClient seam that sends them.
// The Docker Engine, registry, Nginx Proxy Manager and OIDC clients build requests as values
// (so unit tests can assert exactly what would be sent) and send them through an HttpClient
// (so unit tests can answer with recorded responses). CurlHttpClient is the real one.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace berth::net {

// Header fields in arrival order; names compare case-insensitively (RFC 9110).
class Headers {
 public:
  void add(std::string name, std::string value);
  // The first value of `name`, if present.
  std::optional<std::string> get(std::string_view name) const;
  // Every value of `name`, in order (e.g. several Link or WWW-Authenticate fields).
  std::vector<std::string> getAll(std::string_view name) const;
  const std::vector<std::pair<std::string, std::string>>& fields() const { return fields_; }

 private:
  std::vector<std::pair<std::string, std::string>> fields_{};
};

struct TlsOptions {
  std::string ca_file{};    // empty: the system's CA store
  std::string cert_file{};  // client certificate (PEM), for Docker's tcp+TLS
  std::string key_file{};
};

struct HttpRequest {
  std::string method = "GET";
  // Absolute URL. With `unix_socket` set, its host is only what the Host header says
  // (e.g. "http://docker/v1.41/_ping").
  std::string url{};
  std::string unix_socket{};
  Headers headers{};
  std::string body{};
  // Whole exchange, including a streamed body; zero means no limit (event streams), which
  // is only safe together with a cancel flag.
  std::chrono::milliseconds timeout{std::chrono::seconds(30)};
  std::chrono::milliseconds connect_timeout{std::chrono::seconds(10)};
  TlsOptions tls{};
  // Buffered responses larger than this fail instead of exhausting memory.
  size_t max_body_bytes = 32 * 1024 * 1024;
};

struct HttpResponse {
  int status = 0;
  Headers headers{};
  std::string body{};  // empty for streamed requests
};

// The exchange did not complete: no HTTP status to look at. A response with any status,
// 4xx and 5xx included, is not an HttpError.
class HttpError : public std::runtime_error {
 public:
  enum class Kind { connect, timeout, tls, cancelled, too_large, protocol };
  HttpError(Kind kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}
  Kind kind() const { return kind_; }

 private:
  Kind kind_;
};

// Set to true (from any thread) to abort a request in flight; it then throws
// HttpError(Kind::cancelled) within about a second.
using CancelFlag = std::atomic<bool>;

class HttpClient {
 public:
  virtual ~HttpClient() = default;

  // Sends `request` and returns the whole response. Thread-safe.
  virtual HttpResponse send(const HttpRequest& request, const CancelFlag* cancel = nullptr) = 0;

  // Sends `request` and hands the body to `on_data` as it arrives, in chunks of any size
  // (never assume a chunk holds a whole line or frame). `on_headers` is called once, before any
  // data, with the status and headers. Returning false from either stops the transfer early,
  // which is not an error. The returned response has status and headers but no body.
  using OnHeaders = std::function<bool(const HttpResponse&)>;
  using OnData = std::function<bool(std::string_view chunk)>;
  virtual HttpResponse stream(const HttpRequest& request, const OnHeaders& on_headers,
                              const OnData& on_data, const CancelFlag* cancel = nullptr) = 0;
};

}  // namespace berth::net
