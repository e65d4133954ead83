#include "docker/json_lines.h"

#include <stdexcept>

namespace berth::docker {

void LineSplitter::emit(std::string_view line, const OnLine& on_line) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  if (line.find_first_not_of(" \t") == std::string_view::npos) return;
  on_line(line);
}

void LineSplitter::feed(std::string_view chunk, const OnLine& on_line) {
  while (!chunk.empty()) {
    const auto newline = chunk.find('\n');
    if (newline == std::string_view::npos) {
      if (partial_.size() + chunk.size() > max_line_)
        throw std::length_error("line longer than " + std::to_string(max_line_) + " bytes");
      partial_.append(chunk);
      return;
    }
    if (partial_.empty()) {
      emit(chunk.substr(0, newline), on_line);  // the common case: no copy
    } else {
      partial_.append(chunk.substr(0, newline));
      const std::string line = std::move(partial_);
      partial_.clear();
      emit(line, on_line);
    }
    chunk.remove_prefix(newline + 1);
  }
}

void LineSplitter::finish(const OnLine& on_line) {
  if (partial_.empty()) return;
  const std::string line = std::move(partial_);
  partial_.clear();
  emit(line, on_line);
}

}  // namespace berth::docker
