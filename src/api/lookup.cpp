#include "api/lookup.h"

#include "api/api_error.h"

namespace berth::api {

const Project& requireProject(const Config& config, const std::string& project) {
  const Project* found = config.findProject(project);
  if (found == nullptr) throw notFound("no project named '" + project + "'");
  return *found;
}

const Stage& requireStage(const Project& project, const std::string& stage) {
  const Stage* found = project.findStage(stage);
  if (found == nullptr)
    throw notFound("project " + project.name + " has no stage named '" + stage + "'");
  return *found;
}

DeployRecord requireDeploy(const deploy::Journal& journal, std::int64_t id) {
  auto record = journal.get(id);
  if (!record) throw notFound("no deploy with id " + std::to_string(id));
  return *record;
}

void requireScope(const Config& config, const std::optional<std::string>& project,
                  const std::optional<std::string>& stage) {
  if (!project) return;
  const Project& p = requireProject(config, *project);
  if (stage) requireStage(p, *stage);
}

}  // namespace berth::api
