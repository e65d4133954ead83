#include "docker/api_version.h"

#include <charconv>

namespace berth::docker {
namespace {

bool parseNumber(std::string_view text, int& out) {
  if (text.empty() || text.size() > 4) return false;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size();
}

}  // namespace

std::optional<ApiVersion> parseApiVersion(std::string_view text) {
  const auto dot = text.find('.');
  if (dot == std::string_view::npos) return std::nullopt;
  ApiVersion v;
  if (!parseNumber(text.substr(0, dot), v.major) || !parseNumber(text.substr(dot + 1), v.minor))
    return std::nullopt;
  return v;
}

Result<std::string> negotiateApiVersion(const DaemonVersion& daemon) {
  const ApiVersion newest = *parseApiVersion(kNewestApiVersion);
  const ApiVersion oldest = *parseApiVersion(kOldestApiVersion);
  const std::string ours =
      "berth speaks " + std::string(kOldestApiVersion) + " to " + std::string(kNewestApiVersion);
  const std::string who = "docker daemon " + (daemon.version.empty() ? "?" : daemon.version);

  const auto max = parseApiVersion(daemon.api_version);
  if (!max) return Failure{who + " reports API version '" + daemon.api_version + "'; " + ours};
  // Daemons older than 1.25 do not report a minimum; they serve everything up to ApiVersion.
  const auto min = daemon.min_api_version.empty() ? std::optional<ApiVersion>(ApiVersion{1, 12})
                                                  : parseApiVersion(daemon.min_api_version);
  if (!min)
    return Failure{who + " reports minimum API version '" + daemon.min_api_version + "'; " + ours};

  const ApiVersion chosen = std::min(*max, newest);
  if (chosen < oldest || chosen < *min)
    return Failure{who + " serves API " + min->str() + " to " + max->str() + "; " + ours};
  return chosen.str();
}

}  // namespace berth::docker
