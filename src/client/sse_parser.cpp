#include "client/sse_parser.h"

namespace berth::client {

SseParser::SseParser(std::function<void(const SseEvent&)> on_event)
    : on_event_(std::move(on_event)) {}

void SseParser::feed(std::string_view chunk) {
  for (const char c : chunk) {
    if (skip_lf_) {
      skip_lf_ = false;
      if (c == '\n') continue;
    }
    if (c == '\r' || c == '\n') {
      skip_lf_ = c == '\r';  // lines end in "\r\n", "\n" or "\r"
      line(partial_);
      partial_.clear();
    } else {
      partial_ += c;
    }
  }
}

void SseParser::line(std::string_view text) {
  if (text.empty()) {  // a blank line dispatches the event gathered so far
    if (has_data_) on_event_(pending_);
    pending_ = SseEvent{};
    has_data_ = false;
    return;
  }
  if (text.front() == ':') return;  // a comment, e.g. berth's ": heartbeat"
  const auto colon = text.find(':');
  const std::string_view field = text.substr(0, colon);
  std::string_view value = colon == std::string_view::npos ? "" : text.substr(colon + 1);
  if (value.starts_with(' ')) value.remove_prefix(1);
  if (field == "data") {
    if (has_data_) pending_.data += '\n';
    pending_.data += value;
    has_data_ = true;
  } else if (field == "event") {
    pending_.type = std::string(value);
  } else if (field == "id") {
    pending_.id = std::string(value);
  }
}

}  // namespace berth::client
