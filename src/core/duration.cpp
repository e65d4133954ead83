#include "core/duration.h"

#include <array>
#include <cctype>
#include <limits>

namespace berth {
namespace {

struct Unit {
  std::string_view suffix;
  long long ms;
};
// Longest suffix first so "ms" is not read as "m" followed by garbage.
constexpr std::array<Unit, 4> kUnits{{{"ms", 1}, {"h", 3'600'000}, {"m", 60'000}, {"s", 1'000}}};

}  // namespace

std::optional<Duration> parseDuration(std::string_view text) {
  if (text.empty()) return std::nullopt;
  long long total = 0;
  long long previous_unit = std::numeric_limits<long long>::max();
  size_t i = 0;
  while (i < text.size()) {
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) return std::nullopt;
    long long value = 0;
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
      if (value > (std::numeric_limits<long long>::max() - 9) / 10) return std::nullopt;
      value = value * 10 + (text[i] - '0');
      ++i;
    }
    const Unit* unit = nullptr;
    for (const auto& u : kUnits) {
      if (text.substr(i).starts_with(u.suffix)) {
        unit = &u;
        break;
      }
    }
    if (unit == nullptr || unit->ms >= previous_unit) return std::nullopt;
    previous_unit = unit->ms;
    i += unit->suffix.size();
    if (value > (std::numeric_limits<long long>::max() - total) / unit->ms) return std::nullopt;
    total += value * unit->ms;
  }
  return Duration(total);
}

std::string formatDuration(Duration d) {
  long long ms = d.count();
  if (ms == 0) return "0s";
  const long long h = ms / 3'600'000;
  const long long m = ms % 3'600'000 / 60'000;
  const long long rest_ms = ms % 60'000;
  std::string out;
  if (h) out += std::to_string(h) + "h";
  if (m) out += std::to_string(m) + "m";
  // Seconds only when they are whole: "1500ms" reads better than "1s500ms".
  if (rest_ms % 1000 != 0)
    out += std::to_string(rest_ms) + "ms";
  else if (rest_ms)
    out += std::to_string(rest_ms / 1000) + "s";
  return out;
}

}  // namespace berth
