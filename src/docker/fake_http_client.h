// Test-only: an HttpClient that answers with scripted responses and records what it was asked.
// Streams are delivered in the scripted chunks, so tests can split lines, JSON and log frames at
// awkward places; a stream can also "stall" until its cancel flag is set, as a hung daemon would.
#pragma once

#include <chrono>
#include <deque>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "net/http.h"

namespace berth::docker::testing {

struct Scripted {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers{};
  std::vector<std::string> chunks{};  // the body, in the pieces a stream delivers
  // Instead of an answer: fail as the transport would.
  std::optional<net::HttpError::Kind> transport_error{};
  // After the chunks, wait (up to 5 s) for the cancel flag, then fail as cancelled.
  bool stall_after_chunks = false;
};

inline Scripted answer(int status, std::string body = "") {
  Scripted s;
  s.status = status;
  if (!body.empty()) s.chunks.push_back(std::move(body));
  return s;
}

inline Scripted chunked(int status, std::vector<std::string> chunks) {
  Scripted s;
  s.status = status;
  s.chunks = std::move(chunks);
  return s;
}

inline Scripted failure(net::HttpError::Kind kind) {
  Scripted s;
  s.transport_error = kind;
  return s;
}

// Splits `text` into pieces of `size` bytes (the last may be shorter).
inline std::vector<std::string> pieces(const std::string& text, size_t size) {
  std::vector<std::string> out;
  for (size_t i = 0; i < text.size(); i += size)
    out.push_back(text.substr(i, size));
  return out;
}

class FakeHttpClient : public net::HttpClient {
 public:
  void script(Scripted s) {
    std::lock_guard lock(mutex_);
    queue_.push_back(std::move(s));
  }
  std::vector<net::HttpRequest> requests() const {
    std::lock_guard lock(mutex_);
    return requests_;
  }
  net::HttpRequest lastRequest() const {
    std::lock_guard lock(mutex_);
    if (requests_.empty()) throw std::logic_error("no request was sent");
    return requests_.back();
  }
  size_t pendingAnswers() const {
    std::lock_guard lock(mutex_);
    return queue_.size();
  }

  net::HttpResponse send(const net::HttpRequest& request, const net::CancelFlag* cancel) override {
    const Scripted s = next(request);
    net::HttpResponse r = head(s, request, cancel);
    for (const auto& c : s.chunks)
      r.body += c;
    return r;
  }

  net::HttpResponse stream(const net::HttpRequest& request, const OnHeaders& on_headers,
                           const OnData& on_data, const net::CancelFlag* cancel) override {
    const Scripted s = next(request);
    net::HttpResponse r = head(s, request, cancel);
    if (!on_headers(r)) return r;
    for (const auto& c : s.chunks) {
      if (cancel != nullptr && cancel->load())
        throw net::HttpError(net::HttpError::Kind::cancelled, request.url + ": cancelled");
      if (!on_data(c)) return r;
    }
    if (s.stall_after_chunks) {
      const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(5);
      while (std::chrono::steady_clock::now() < give_up) {
        if (cancel != nullptr && cancel->load())
          throw net::HttpError(net::HttpError::Kind::cancelled, request.url + ": cancelled");
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
      }
      throw net::HttpError(net::HttpError::Kind::timeout, request.url + ": stalled (test)");
    }
    return r;
  }

 private:
  Scripted next(const net::HttpRequest& request) {
    std::lock_guard lock(mutex_);
    requests_.push_back(request);
    if (queue_.empty())
      throw std::logic_error("FakeHttpClient: no scripted answer for " + request.method + " " +
                             request.url);
    Scripted s = std::move(queue_.front());
    queue_.pop_front();
    return s;
  }

  static net::HttpResponse head(const Scripted& s, const net::HttpRequest& request,
                                const net::CancelFlag* cancel) {
    if (cancel != nullptr && cancel->load())
      throw net::HttpError(net::HttpError::Kind::cancelled, request.url + ": cancelled");
    if (s.transport_error)
      throw net::HttpError(*s.transport_error, request.method + " " + request.url + ": scripted");
    net::HttpResponse r;
    r.status = s.status;
    for (const auto& [name, value] : s.headers)
      r.headers.add(name, value);
    return r;
  }

  mutable std::mutex mutex_;
  std::deque<Scripted> queue_;
  std::vector<net::HttpRequest> requests_;
};

}  // namespace berth::docker::testing
