// Collects every problem found while reading berth.yaml, so an operator fixes them all in one go
// instead of one per run. Private to config/.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"

namespace berth {

// A 1-based position in the file; {0, 0} when unknown (e.g. an unreadable file).
struct Where {
  int line = 0;
  int column = 0;
};

class Diagnostics {
 public:
  explicit Diagnostics(std::string file) : file_(std::move(file)) {}

  void error(Where where, std::string key, std::string message);
  bool empty() const { return errors_.empty(); }
  size_t count() const { return errors_.size(); }
  // The errors in file order (line, then column); errors without a position come first.
  std::vector<ConfigError> take();

 private:
  std::string file_;
  std::vector<ConfigError> errors_;
};

// `text` with control characters written as escapes (\n, \t, \r, \x1b): values quoted in a
// message must not split it over lines or send escape sequences to the operator's terminal.
std::string printable(std::string_view text);

// "projects" + "name" -> "projects.name"; "" + "server" -> "server".
std::string childPath(const std::string& parent, std::string_view key);
// "projects" + 2 -> "projects[2]".
std::string itemPath(const std::string& parent, size_t index);

}  // namespace berth
