// The JSON bodies the API answers with, rendered from plain values. All JSON building of the
// REST API lives in json_views.cpp, so one file shows every shape (docs/api.md describes them).
// Timestamps are ISO-8601 UTC with milliseconds ("2026-01-01T12:00:00.000Z"); a time not
// known yet is null.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/model.h"
#include "poller/poller.h"
#include "store/deploy_record.h"
#include "store/instance_record.h"

namespace berth::api {

// What the API shows of one stage: its configuration and what it runs.
struct StageView {
  Stage stage{};
  std::optional<DeployRecord> serving{};  // latest succeeded deploy: the current image
  std::vector<InstanceRecord> instances{};
  std::optional<DeployRecord> last_deploy{};  // latest deploy in any state
};

struct ProjectView {
  Project project{};
  std::vector<StageView> stages{};
};

std::string projectsBody(const std::vector<ProjectView>& projects);  // {"projects":[...]}
std::string projectBody(const ProjectView& project);                 // {"project":{...}}
// {"stage":{...,"recent_deploys":[...]}}
std::string stageBody(const StageView& stage, const std::vector<DeployRecord>& recent);
std::string instancesBody(const std::vector<InstanceRecord>& instances);  // {"instances":[...]}

std::string deployBody(const DeployRecord& deploy);  // {"deploy":{...}}
// {"deploys":[...],"next_before":id|null}
std::string deployListBody(const std::vector<DeployRecord>& deploys,
                           std::optional<std::int64_t> next_before);
std::string logBody(const std::vector<DeployLogEntry>& lines);  // {"lines":[...]}

// {"enabled":bool,"projects":[...]}
std::string pollerBody(bool enabled, const std::vector<poller::ProjectPollStatus>& projects);
std::string pollStatusBody(const poller::ProjectPollStatus& project);  // {"project":{...}}

}  // namespace berth::api
