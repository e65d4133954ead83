#include "core/deploy_trigger.h"

#include <array>

#include "core/enum_table.h"

namespace berth {
namespace {

constexpr std::array<detail::EnumName<DeployTrigger>, 5> kNames{{
    {DeployTrigger::poller, "poller"},
    {DeployTrigger::webhook, "webhook"},
    {DeployTrigger::manual, "manual"},
    {DeployTrigger::promote, "promote"},
    {DeployTrigger::rollback, "rollback"},
}};

}  // namespace

std::string toString(DeployTrigger trigger) {
  return detail::nameOf(kNames, trigger);
}

std::optional<DeployTrigger> parseDeployTrigger(std::string_view text) {
  return detail::valueOf(kNames, text);
}

}  // namespace berth
