// Splits a byte stream into lines for the daemon's newline-delimited JSON streams (pull progress,
// events). The network hands over chunks cut anywhere, so a line may arrive in several pieces
// and one chunk may hold several lines.
#pragma once

#include <functional>
#include <string>
#include <string_view>

namespace berth::docker {

class LineSplitter {
 public:
  using OnLine = std::function<void(std::string_view line)>;

  // A line longer than max_line_bytes makes feed() throw std::length_error: a daemon stream
  // without newlines is broken, and buffering it would exhaust memory.
  explicit LineSplitter(size_t max_line_bytes = 1 << 20) : max_line_(max_line_bytes) {}

  // Calls on_line for each line completed by `chunk`, without the "\n" or "\r\n"; blank lines
  // are skipped.
  void feed(std::string_view chunk, const OnLine& on_line);
  // Delivers a last line that had no newline (the stream ended); call once at the end.
  void finish(const OnLine& on_line);
  // Bytes held back waiting for their newline.
  size_t pending() const { return partial_.size(); }

 private:
  void emit(std::string_view line, const OnLine& on_line);
  std::string partial_{};
  size_t max_line_;
};

}  // namespace berth::docker
