#include "registry/testing/scripted_http_client.h"

#include <stdexcept>

namespace berth::registry::testing {

net::HttpResponse response(int status, std::string body,
                           std::vector<std::pair<std::string, std::string>> headers) {
  net::HttpResponse r;
  r.status = status;
  r.body = std::move(body);
  for (auto& [name, value] : headers)
    r.headers.add(std::move(name), std::move(value));
  return r;
}

void ScriptedHttpClient::enqueue(net::HttpResponse response) {
  std::lock_guard lock(mutex_);
  queue_.push_back(Answer{std::move(response), {}, {}});
}

void ScriptedHttpClient::enqueueError(net::HttpError::Kind kind, std::string message) {
  std::lock_guard lock(mutex_);
  queue_.push_back(Answer{std::nullopt, kind, std::move(message)});
}

void ScriptedHttpClient::route(std::string method, std::string url, net::HttpResponse response) {
  std::lock_guard lock(mutex_);
  routes_.insert_or_assign({std::move(method), std::move(url)}, std::move(response));
}

net::HttpResponse ScriptedHttpClient::send(const net::HttpRequest& request,
                                           const net::CancelFlag* cancel) {
  std::lock_guard lock(mutex_);
  requests_.push_back(request);
  if (cancel != nullptr && cancel->load())
    throw net::HttpError(net::HttpError::Kind::cancelled, request.method + " " + request.url);
  if (!queue_.empty()) {
    Answer answer = std::move(queue_.front());
    queue_.pop_front();
    if (!answer.response) throw net::HttpError(answer.error_kind, answer.error_message);
    return std::move(*answer.response);
  }
  const auto route = routes_.find({request.method, request.url});
  if (route != routes_.end()) return route->second;
  throw std::logic_error("unscripted request: " + request.method + " " + request.url);
}

net::HttpResponse ScriptedHttpClient::stream(const net::HttpRequest& request, const OnHeaders&,
                                             const OnData&, const net::CancelFlag*) {
  throw std::logic_error("the registry client does not stream: " + request.url);
}

std::vector<net::HttpRequest> ScriptedHttpClient::requests() const {
  std::lock_guard lock(mutex_);
  return requests_;
}

std::vector<std::string> ScriptedHttpClient::requestLines() const {
  std::lock_guard lock(mutex_);
  std::vector<std::string> out;
  for (const auto& r : requests_)
    out.push_back(r.method + " " + r.url);
  return out;
}

size_t ScriptedHttpClient::pending() const {
  std::lock_guard lock(mutex_);
  return queue_.size();
}

void ScriptedHttpClient::clearRequests() {
  std::lock_guard lock(mutex_);
  requests_.clear();
}

net::HttpResponse CountingHttpClient::send(const net::HttpRequest& request,
                                           const net::CancelFlag* cancel) {
  {
    std::lock_guard lock(mutex_);
    ++counts_[request.method];
  }
  return target_.send(request, cancel);
}

net::HttpResponse CountingHttpClient::stream(const net::HttpRequest& request,
                                             const OnHeaders& on_headers, const OnData& on_data,
                                             const net::CancelFlag* cancel) {
  {
    std::lock_guard lock(mutex_);
    ++counts_[request.method];
  }
  return target_.stream(request, on_headers, on_data, cancel);
}

int CountingHttpClient::count(const std::string& method) const {
  std::lock_guard lock(mutex_);
  const auto it = counts_.find(method);
  return it == counts_.end() ? 0 : it->second;
}

int CountingHttpClient::total() const {
  std::lock_guard lock(mutex_);
  int sum = 0;
  for (const auto& [method, n] : counts_)
    sum += n;
  return sum;
}

void CountingHttpClient::reset() {
  std::lock_guard lock(mutex_);
  counts_.clear();
}

}  // namespace berth::registry::testing
