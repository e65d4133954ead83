#include "registry/rate_limit.h"

#include <array>
#include <charconv>

namespace berth::registry {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
    s.remove_suffix(1);
  return s;
}

std::optional<std::int64_t> parseNonNegative(std::string_view s) {
  s = trim(s);
  if (s.empty()) return std::nullopt;
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc() || end != s.data() + s.size() || value < 0) return std::nullopt;
  return value;
}

struct Quota {
  std::optional<std::int64_t> value;
  std::optional<std::chrono::seconds> window;
};

// "100;w=21600" (the IETF RateLimit draft's quota policy form) or just "100".
Quota parseQuota(std::string_view text) {
  Quota q;
  const size_t semi = text.find(';');
  q.value = parseNonNegative(text.substr(0, semi));
  std::string_view rest = semi == std::string_view::npos ? "" : text.substr(semi + 1);
  while (!rest.empty()) {
    const size_t next = rest.find(';');
    const std::string_view param = trim(rest.substr(0, next));
    if (param.starts_with("w=")) {
      if (auto w = parseNonNegative(param.substr(2))) q.window = std::chrono::seconds(*w);
    }
    rest = next == std::string_view::npos ? "" : rest.substr(next + 1);
  }
  return q;
}

std::optional<int> number(std::string_view s) {
  int v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

// IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT" (RFC 9110 §5.6.7), the only form servers may send.
std::optional<std::chrono::system_clock::time_point> parseImfFixdate(std::string_view s) {
  static constexpr std::array<std::string_view, 12> kMonths = {
      "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  if (s.size() != 29 || s[3] != ',' || s[4] != ' ' || s[7] != ' ' || s[11] != ' ' || s[16] != ' ' ||
      s[19] != ':' || s[22] != ':' || s.substr(25) != " GMT")
    return std::nullopt;
  const auto day = number(s.substr(5, 2));
  const auto year = number(s.substr(12, 4));
  const auto hour = number(s.substr(17, 2));
  const auto minute = number(s.substr(20, 2));
  const auto second = number(s.substr(23, 2));
  unsigned month = 0;
  for (unsigned i = 0; i < kMonths.size(); ++i)
    if (s.substr(8, 3) == kMonths[i]) month = i + 1;
  if (!day || !year || !hour || !minute || !second || month == 0) return std::nullopt;
  const std::chrono::year_month_day ymd{std::chrono::year{*year}, std::chrono::month{month},
                                        std::chrono::day{static_cast<unsigned>(*day)}};
  if (!ymd.ok() || *hour > 23 || *minute > 59 || *second > 60) return std::nullopt;
  return std::chrono::sys_days(ymd) + std::chrono::hours(*hour) + std::chrono::minutes(*minute) +
         std::chrono::seconds(*second);
}

}  // namespace

std::optional<RateLimit> parseRateLimit(const net::Headers& headers,
                                        std::chrono::system_clock::time_point now) {
  const auto limit = headers.get("ratelimit-limit");
  const auto remaining = headers.get("ratelimit-remaining");
  if (!limit && !remaining) return std::nullopt;
  RateLimit out;
  out.observed = now;
  if (limit) {
    const Quota q = parseQuota(*limit);
    out.limit = q.value;
    out.window = q.window;
  }
  if (remaining) {
    const Quota q = parseQuota(*remaining);
    out.remaining = q.value;
    if (!out.window) out.window = q.window;
  }
  if (!out.limit && !out.remaining) return std::nullopt;
  return out;
}

std::optional<Duration> parseRetryAfter(std::string_view value,
                                        std::chrono::system_clock::time_point now) {
  value = trim(value);
  if (auto seconds = parseNonNegative(value)) {
    // An absurd value must not overflow the millisecond count; a day is more than any cap.
    constexpr std::int64_t kMaxSeconds = 24 * 3600;
    return std::chrono::duration_cast<Duration>(
        std::chrono::seconds(std::min(*seconds, kMaxSeconds)));
  }
  const auto when = parseImfFixdate(value);
  if (!when) return std::nullopt;
  if (*when <= now) return Duration::zero();
  // Round up: waiting a fraction less than asked would be answered with another 429.
  return std::chrono::ceil<Duration>(*when - now);
}

}  // namespace berth::registry
