#include "deploy/deploy_context.h"

#include <algorithm>

#include "deploy/container_spec.h"
#include "deploy/step_errors.h"

namespace berth::deploy {

void DeployContext::checkCancel() const {
  if (cancel.load()) throw DeployCancelled("cancelled by request");
}

DeployRecord DeployContext::ownerOf(const Instance& old) const {
  DeployRecord owner = deploy;
  if (old.deploy_id != 0) owner.id = old.deploy_id;
  return owner;
}

proxy::RouteKey DeployContext::routeKey() const {
  return proxy::RouteKey{project.name, stage.name, stage.domains};
}

proxy::Route DeployContext::routeTo(const std::vector<Instance>& instances) const {
  return routeFor(config, project, stage, instances);
}

proxy::Upstream upstreamOf(const docker::ContainerInfo& info, const Config& config,
                           const Project& project) {
  if (config.proxy.reach == ProxyReach::host) {
    return proxy::Upstream{"127.0.0.1", info.hostPort(std::to_string(project.port)).value_or(0)};
  }
  return proxy::Upstream{info.name, project.port};
}

proxy::Route routeFor(const Config& config, const Project& project, const Stage& stage,
                      const std::vector<Instance>& instances) {
  proxy::Route route;
  route.project = project.name;
  route.stage = stage.name;
  route.domains = stage.domains;
  std::vector<Instance> sorted = instances;
  std::sort(sorted.begin(), sorted.end(),
            [](const Instance& a, const Instance& b) { return a.name < b.name; });
  for (const auto& instance : sorted)
    route.upstreams.push_back(instance.upstream);
  if (config.proxy.reach == ProxyReach::network && !sorted.empty()) {
    route.shared =
        proxy::Upstream{colorAlias(project.name, stage.name, sorted.front().color), project.port};
  }
  return route;
}

std::vector<Instance> findStageInstances(docker::DockerApi& docker, const Config& config,
                                         const Project& project, const Stage& stage) {
  // One label per filter key: Docker ANDs several label values, but the seam documents values
  // under one key as alternatives, so the stage is checked here rather than trusted to filters.
  const auto summaries =
      docker.listContainers({{"label", {std::string(kLabelProject) + "=" + project.name}}});
  std::vector<Instance> out;
  for (const auto& summary : summaries) {
    auto label = [&](const char* key) {
      auto it = summary.labels.find(key);
      return it == summary.labels.end() ? std::string() : it->second;
    };
    if (label(kLabelProject) != project.name || label(kLabelStage) != stage.name) continue;
    Instance instance;
    instance.id = summary.id;
    instance.name = summary.names.empty() ? summary.id : summary.names.front();
    instance.color = label(kLabelColor);
    try {
      instance.deploy_id = std::stoll(label(kLabelDeploy));
    } catch (const std::exception&) {
      instance.deploy_id = 0;
    }
    instance.running = summary.state == "running";
    if (instance.running) {
      try {
        instance.upstream = upstreamOf(docker.inspectContainer(summary.id), config, project);
      } catch (const docker::DockerError&) {
        instance.running = false;  // gone between list and inspect
      }
    }
    out.push_back(std::move(instance));
  }
  std::sort(out.begin(), out.end(),
            [](const Instance& a, const Instance& b) { return a.name < b.name; });
  return out;
}

}  // namespace berth::deploy
