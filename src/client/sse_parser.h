// An incremental text/event-stream reader (the HTML Living Standard's "Server-sent events"
// parsing rules, minus `retry:`): bytes go in in chunks cut anywhere, whole events come out.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace berth::client {

struct SseEvent {
  std::optional<std::string> id{};  // the event's own `id:` line, if it had one
  std::string type = "message";     // `event:`, "message" when absent
  std::string data{};               // the `data:` lines joined with "\n"
};

class SseParser {
 public:
  // Called for each complete event; comments (heartbeats) and events without data are skipped,
  // as an EventSource would.
  explicit SseParser(std::function<void(const SseEvent&)> on_event);

  // Feeds the next bytes of the stream, in pieces of any size.
  void feed(std::string_view chunk);

 private:
  void line(std::string_view text);
  std::function<void(const SseEvent&)> on_event_;
  std::string partial_;   // bytes of a line not finished yet
  bool skip_lf_ = false;  // the last chunk ended with "\r": a "\n" starting the next is its pair
  SseEvent pending_{};
  bool has_data_ = false;
};

}  // namespace berth::client
