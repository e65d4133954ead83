// HttpClient doubles for tests and benchmarks of the registry client (test-only code):
//  - ScriptedHttpClient answers with canned responses (recorded from real registries), in order
//    or by route, and records every request so tests assert what was sent;
//  - CountingHttpClient wraps any HttpClient and counts requests by method.
#pragma once

#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "net/http.h"

namespace berth::registry::testing {

// A response in one expression: response(200, R"({"tags":[]})", {{"Link", "<...>; rel=next"}}).
net::HttpResponse response(int status, std::string body = "",
                           std::vector<std::pair<std::string, std::string>> headers = {});

class ScriptedHttpClient : public net::HttpClient {
 public:
  // The next request gets this response (queued answers are used first, in order).
  void enqueue(net::HttpResponse response);
  // The next request fails with this transport error.
  void enqueueError(net::HttpError::Kind kind, std::string message = "scripted failure");
  // Any request with this method and URL (when the queue is empty) gets this response.
  void route(std::string method, std::string url, net::HttpResponse response);

  // A request nobody scripted throws std::logic_error naming it, which fails the test.
  net::HttpResponse send(const net::HttpRequest& request,
                         const net::CancelFlag* cancel = nullptr) override;
  net::HttpResponse stream(const net::HttpRequest& request, const OnHeaders& on_headers,
                           const OnData& on_data, const net::CancelFlag* cancel = nullptr) override;

  std::vector<net::HttpRequest> requests() const;
  // "HEAD http://host/v2/x/manifests/v1" per request, for compact assertions.
  std::vector<std::string> requestLines() const;
  size_t pending() const;
  void clearRequests();

 private:
  struct Answer {
    std::optional<net::HttpResponse> response;
    net::HttpError::Kind error_kind = net::HttpError::Kind::connect;
    std::string error_message;
  };
  mutable std::mutex mutex_;
  std::deque<Answer> queue_;
  std::map<std::pair<std::string, std::string>, net::HttpResponse> routes_;
  std::vector<net::HttpRequest> requests_;
};

class CountingHttpClient : public net::HttpClient {
 public:
  explicit CountingHttpClient(net::HttpClient& target) : target_(target) {}
  net::HttpResponse send(const net::HttpRequest& request,
                         const net::CancelFlag* cancel = nullptr) override;
  net::HttpResponse stream(const net::HttpRequest& request, const OnHeaders& on_headers,
                           const OnData& on_data, const net::CancelFlag* cancel = nullptr) override;
  int count(const std::string& method) const;
  int total() const;
  void reset();

 private:
  net::HttpClient& target_;
  mutable std::mutex mutex_;
  std::map<std::string, int> counts_;
};

}  // namespace berth::registry::testing
