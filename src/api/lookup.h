// Resolving names and ids from a request against berth's state. Each function throws ApiError
// (404 not_found) naming what does not exist.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/model.h"
#include "deploy/journal.h"
#include "store/deploy_record.h"

namespace berth::api {

const Project& requireProject(const Config& config, const std::string& project);
const Stage& requireStage(const Project& project, const std::string& stage);
DeployRecord requireDeploy(const deploy::Journal& journal, std::int64_t id);

// A filter naming a project (and a stage of it) must name existing ones, so that a typo is
// reported instead of answering an empty list. A stage without a project matches that stage
// name in every project and is not checked.
void requireScope(const Config& config, const std::optional<std::string>& project,
                  const std::optional<std::string>& stage);

}  // namespace berth::api
