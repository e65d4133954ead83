// What started a deploy; recorded with it and shown in the history.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace berth {

enum class DeployTrigger { poller, webhook, manual, promote, rollback };

// "poller", "webhook", "manual", "promote", "rollback".
std::string toString(DeployTrigger trigger);
std::optional<DeployTrigger> parseDeployTrigger(std::string_view text);

}  // namespace berth
