#include "config/diagnostics.h"

#include <algorithm>
#include <tuple>

namespace berth {

std::string ConfigError::str() const {
  std::string out = file;
  if (line > 0) {
    out += ":" + std::to_string(line);
    if (column > 0) out += ":" + std::to_string(column);
  }
  out += ": ";
  if (!key.empty()) out += key + ": ";
  out += message;
  return out;
}

void Diagnostics::error(Where where, std::string key, std::string message) {
  errors_.push_back({file_, where.line, where.column, std::move(key), std::move(message)});
}

std::vector<ConfigError> Diagnostics::take() {
  // Checks run section by section and cross-references (promote_from, duplicate names) are
  // checked after a whole list is read; sorting makes "the first error" the first in the file.
  std::stable_sort(errors_.begin(), errors_.end(), [](const ConfigError& a, const ConfigError& b) {
    return std::tie(a.line, a.column) < std::tie(b.line, b.column);
  });
  return std::move(errors_);
}

std::string childPath(const std::string& parent, std::string_view key) {
  if (parent.empty()) return std::string(key);
  return parent + "." + std::string(key);
}

std::string itemPath(const std::string& parent, size_t index) {
  return parent + "[" + std::to_string(index) + "]";
}

}  // namespace berth
