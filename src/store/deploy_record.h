// Deploys and their logs as the store hands them out. State and trigger are core's enums; the
// database keeps their text spelling (toString), guarded by CHECK constraints. The log level is
// text ("debug", "info", "warn", "error"), also CHECKed, so a typo fails instead of being
// journalled.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/deploy_state.h"
#include "core/deploy_trigger.h"
#include "store/timestamp.h"

namespace berth {

// What the engine knows when it accepts a deploy. The deploy starts in state "queued".
// Every member has an initializer so designated initializers may omit any of them.
struct NewDeploy {
  std::string project{};
  std::string stage{};
  std::string image_repository{};
  std::string image_tag{};
  std::string image_digest{};  // empty until known; setDeployDigest records the one pulled
  DeployTrigger trigger = DeployTrigger::manual;
  std::optional<std::int64_t> previous_deploy_id{};  // the deploy this one replaces, if any
};

struct DeployRecord {
  std::int64_t id = 0;
  std::string project{};
  std::string stage{};
  std::string image_repository{};
  std::string image_tag{};
  std::string image_digest{};
  DeployTrigger trigger = DeployTrigger::manual;
  DeployState state = DeployState::queued;
  std::string reason{};  // why it failed, was rolled back, interrupted or cancelled
  Timestamp created_at{};
  std::optional<Timestamp> started_at{};   // first step after "queued"
  std::optional<Timestamp> finished_at{};  // reached a final state
  std::optional<std::int64_t> previous_deploy_id{};
  bool operator==(const DeployRecord&) const = default;
};

// Filters for the deploy history, newest first. Unset filters match everything.
struct DeployQuery {
  std::optional<std::string> project{};
  std::optional<std::string> stage{};  // without project: that stage name in every project
  std::optional<DeployState> state{};
  std::optional<std::int64_t> before_id{};  // paging: only deploys with id < before_id
  int limit = 50;                           // negative: no limit
};

struct DeployLogEntry {
  std::int64_t deploy_id = 0;
  std::int64_t seq = 0;  // 1, 2, 3, ... per deploy, in append order
  Timestamp ts{};
  std::string level{};  // debug | info | warn | error
  std::string message{};
  bool operator==(const DeployLogEntry&) const = default;
};

}  // namespace berth
