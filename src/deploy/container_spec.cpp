#include "deploy/container_spec.h"

#include <stdexcept>

namespace berth::deploy {

std::string instanceName(const std::string& project, const std::string& stage,
                         const std::string& color, int index) {
  return project + "-" + stage + "-" + color + "-" + std::to_string(index);
}

std::string colorAlias(const std::string& project, const std::string& stage,
                       const std::string& color) {
  return project + "-" + stage + "-" + color;
}

std::string otherColor(const std::string& color) {
  return color == "blue" ? "green" : "blue";
}

std::optional<docker::Mount> parseVolume(const std::string& entry) {
  const auto first = entry.find(':');
  if (first == std::string::npos || first == 0) return std::nullopt;
  docker::Mount mount;
  mount.source = entry.substr(0, first);
  std::string rest = entry.substr(first + 1);
  const auto second = rest.find(':');
  if (second != std::string::npos) {
    const std::string mode = rest.substr(second + 1);
    if (mode == "ro") {
      mount.read_only = true;
    } else if (mode != "rw") {
      return std::nullopt;
    }
    rest = rest.substr(0, second);
  }
  if (rest.empty() || rest.front() != '/') return std::nullopt;
  mount.target = rest;
  mount.type =
      mount.source.front() == '/' ? docker::Mount::Type::bind : docker::Mount::Type::volume;
  return mount;
}

docker::ContainerSpec buildContainerSpec(const Config& settings, const Project& project,
                                         const Stage& stage, const InstancePlan& plan) {
  docker::ContainerSpec spec;
  spec.name = instanceName(project.name, stage.name, plan.color, plan.index);
  spec.image = plan.image;
  spec.env = project.env;
  for (const auto& [key, value] : stage.env)
    spec.env[key] = value;
  spec.labels = {{kLabelProject, project.name},
                 {kLabelStage, stage.name},
                 {kLabelDeploy, std::to_string(plan.deploy_id)},
                 {kLabelColor, plan.color}};
  const std::string port = std::to_string(project.port) + "/tcp";
  spec.exposed_ports = {port};
  if (settings.proxy.reach == ProxyReach::host) {
    spec.port_bindings = {
        docker::PortBinding{.container_port = port, .host_ip = "127.0.0.1", .host_port = ""}};
  }
  for (const auto* list : {&project.volumes, &stage.volumes}) {
    for (const auto& entry : *list) {
      auto mount = parseVolume(entry);
      // The configuration is validated on import; a bad entry here is a bug, not input.
      if (!mount) throw std::invalid_argument("volume '" + entry + "' is not name:/path");
      spec.mounts.push_back(*mount);
    }
  }
  spec.restart =
      docker::RestartPolicy{.name = docker::RestartPolicy::Name::unless_stopped, .max_retries = 0};
  spec.network = settings.docker.network;
  spec.network_aliases = {spec.name, colorAlias(project.name, stage.name, plan.color)};
  spec.stop_timeout = std::chrono::seconds(10);
  return spec;
}

}  // namespace berth::deploy
