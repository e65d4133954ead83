// A Server-Sent Events client for end-to-end tests: reads a text/event-stream over libcurl on
// its own thread and keeps every event (id, type, data) in arrival order, as a browser's
// EventSource would see them. Bounded: it stops at close() or when the server ends the stream.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace berth::testing {

struct SseEvent {
  std::string id{};
  std::string type{};  // "message" when the event has no `event:` line
  std::string data{};
  bool operator==(const SseEvent&) const = default;
};

class SseClient {
 public:
  // Connects to `url` (with a Last-Event-ID header if given, and `headers`, "Name: value")
  // and starts reading.
  explicit SseClient(std::string url, std::optional<std::string> last_event_id = std::nullopt,
                     std::vector<std::string> headers = {});
  ~SseClient();  // close()

  // Stops reading and disconnects (idempotent).
  void close();

  std::vector<SseEvent> events() const;
  // Waits until some event satisfies `pred` (true) or `timeout` passes (false).
  bool waitFor(const std::function<bool(const SseEvent&)>& pred, std::chrono::milliseconds timeout);
  // Waits until the server answered 200 with a text/event-stream (true), or `timeout`.
  bool waitConnected(std::chrono::milliseconds timeout);
  // The HTTP status and Content-Type the server answered with (0/"" until headers arrive).
  long status() const;
  std::string contentType() const;
  bool ended() const { return ended_; }  // the server closed the stream (or the transfer failed)
  int heartbeats() const { return heartbeats_; }

 private:
  void run();
  void feed(const char* data, std::size_t size);  // called by curl's write callback
  static std::size_t onData(char* p, std::size_t size, std::size_t n, void* self);
  static std::size_t onHeader(char* p, std::size_t size, std::size_t n, void* self);
  static int onProgress(void* self, long long, long long, long long, long long);

  std::string url_;
  std::optional<std::string> last_event_id_;
  std::vector<std::string> headers_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<SseEvent> events_;
  std::string buffer_;
  SseEvent pending_;
  long status_ = 0;
  std::string content_type_;
  std::atomic<bool> stop_{false};
  std::atomic<bool> ended_{false};
  std::atomic<int> heartbeats_{0};
  std::thread thread_;
};

}  // namespace berth::testing
