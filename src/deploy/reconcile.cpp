#include "deploy/reconcile.h"

#include <algorithm>

#include "deploy/container_spec.h"

namespace berth::deploy {
namespace {

constexpr DeployState kNonFinal[] = {DeployState::queued,    DeployState::pulling,
                                     DeployState::starting,  DeployState::checking,
                                     DeployState::switching, DeployState::draining};

void interruptLeftovers(Journal& journal, ReconcileReport& report) {
  for (DeployState state : kNonFinal) {
    const auto deploys = journal.list(DeployQuery{.project = std::nullopt,
                                                  .stage = std::nullopt,
                                                  .state = state,
                                                  .before_id = std::nullopt,
                                                  .limit = -1});
    for (const auto& deploy : deploys) {
      const std::string reason = "berth stopped during " + toString(state);
      journal.warn(deploy, reason + "; the stage keeps what it served before");
      journal.state(deploy, DeployState::interrupted, reason);
      ++report.interrupted;
    }
  }
}

void reconcileStage(Services& services, const EngineOptions& options, const Config& config,
                    const Project& project, const Stage& stage, ReconcileReport& report) {
  auto& docker = services.docker;
  const auto serving = services.journal.serving(project.name, stage.name);
  const std::int64_t serving_id = serving ? serving->id : -1;
  std::vector<Instance> keep;
  const auto found = findStageInstances(docker, config, project, stage);
  // Rows of containers that are gone (removed by hand, or berth died before recording it).
  for (const auto& row : services.journal.instances(project.name, stage.name)) {
    const bool exists = std::any_of(found.begin(), found.end(),
                                    [&](const Instance& i) { return i.id == row.container_id; });
    if (!exists) services.journal.forgetInstance(row.container_id);
  }
  for (auto instance : found) {
    if (instance.deploy_id == serving_id) {
      if (!instance.running) {
        docker.startContainer(instance.id);
        instance.upstream = upstreamOf(docker.inspectContainer(instance.id), config, project);
        instance.running = true;
        ++report.restarted;
        services.journal.instance(*serving, instance.id, instance.name, instance.color, "started");
      }
      keep.push_back(instance);
      continue;
    }
    const auto owner = services.journal.get(instance.deploy_id);
    if (owner) services.journal.info(*owner, "removing instance " + instance.name + " (reconcile)");
    try {
      docker.stopContainer(instance.id, options.stop_grace);
      docker.removeContainer(instance.id, true);
    } catch (const docker::DockerError& e) {
      if (e.kind() != docker::DockerError::Kind::not_found) throw;
    }
    ++report.removed;
    if (owner)
      services.journal.instance(*owner, instance.id, instance.name, instance.color, "removed");
  }
  if (keep.empty() || stage.domains.empty()) return;
  const auto route = routeFor(config, project, stage, keep);
  if (services.proxy.current(route.key()) != route) {
    services.proxy.apply(route);
    ++report.routes_applied;
  }
}

}  // namespace

ReconcileReport reconcileAll(Services& services, const EngineOptions& options) {
  ReconcileReport report;
  interruptLeftovers(services.journal, report);
  const Config config = services.journal.config();
  for (const auto& project : config.projects) {
    for (const auto& stage : project.stages) {
      reconcileStage(services, options, config, project, stage, report);
    }
  }
  return report;
}

}  // namespace berth::deploy
