// Instances (containers) of a stage as the store keeps them: what the engine last saw of each
// container it created. Docker, found by berth.* labels, stays the source of truth at start-up;
// this table is what the API shows without asking the daemon on every request.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "store/timestamp.h"

namespace berth {

struct InstanceRecord {
  std::int64_t id = 0;  // assigned by the store
  std::string project{};
  std::string stage{};
  std::optional<std::int64_t> deploy_id{};  // the deploy that created it (null once deleted)
  std::string container_id{};               // Docker's id; unique
  std::string name{};
  std::string color{};   // "", "blue" or "green"
  std::string state{};   // "started", "healthy", "stopped", "exited", ...
  std::string health{};  // last health result, e.g. "healthy", "unhealthy"; "" unknown
  Timestamp updated_at{};
  bool operator==(const InstanceRecord&) const = default;
};

}  // namespace berth
