#include "deploy/source_health.h"

#include "deploy/container_spec.h"
#include "docker/docker_error.h"

namespace berth::deploy {

ServingHealth checkServingHealth(docker::DockerApi& docker, const std::string& project,
                                 const std::string& stage, std::int64_t deploy_id) {
  try {
    const auto containers = docker.listContainers(
        {{"label",
          {std::string(kLabelProject) + "=" + project, std::string(kLabelStage) + "=" + stage,
           std::string(kLabelDeploy) + "=" + std::to_string(deploy_id)}}});
    if (containers.empty())
      return {false, "no instance of deploy " + std::to_string(deploy_id) + " exists"};
    for (const auto& summary : containers) {
      const auto info = docker.inspectContainer(summary.id);
      const std::string name = summary.names.empty() ? summary.id : summary.names.front();
      if (!info.state.running) return {false, "instance " + name + " is " + info.state.status};
      const std::string& health = info.state.health.status;
      if (!health.empty() && health != "healthy")
        return {false, "instance " + name + " is " + health};
    }
    return {true, ""};
  } catch (const docker::DockerError& e) {
    return {false, std::string("cannot check its instances: ") + e.what()};
  }
}

}  // namespace berth::deploy
