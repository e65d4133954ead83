#include "client/client_options.h"

#include "cli/exit_codes.h"
#include "client/client_error.h"
#include "core/duration.h"

namespace berth::client {

std::optional<std::chrono::steady_clock::time_point> waitDeadline(const ClientOptions& options) {
  const auto timeout = parseDuration(options.wait_timeout);
  if (!timeout)
    throw ClientError(kExitUsage, "--wait-timeout: expected a duration such as 10m or 90s, got '" +
                                      options.wait_timeout + "'");
  if (timeout->count() == 0) return std::nullopt;
  return std::chrono::steady_clock::now() + *timeout;
}

}  // namespace berth::client
