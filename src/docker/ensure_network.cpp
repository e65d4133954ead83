#include "docker/ensure_network.h"

namespace berth::docker {
namespace {

// The daemon also resolves a network by id prefix: "abc" may answer with a network whose id
// starts with "abc" but which has another name. Only an exact name match counts.
std::optional<NetworkInfo> findByName(DockerApi& docker, const std::string& name) {
  try {
    NetworkInfo info = docker.inspectNetwork(name);
    if (info.name == name) return info;
  } catch (const DockerError& e) {
    if (e.kind() != DockerError::Kind::not_found) throw;
  }
  return std::nullopt;
}

}  // namespace

EnsuredNetwork ensureNetwork(DockerApi& docker, const NetworkSpec& spec) {
  if (auto existing = findByName(docker, spec.name)) return {std::move(*existing), false};
  try {
    docker.createNetwork(spec);
  } catch (const DockerError& e) {
    if (e.kind() != DockerError::Kind::conflict) throw;
    if (auto raced = findByName(docker, spec.name)) return {std::move(*raced), false};
    throw;
  }
  if (auto created = findByName(docker, spec.name)) return {std::move(*created), true};
  throw DockerError(DockerError::Kind::not_found, "ensure network", spec.name,
                    "created, but the daemon does not find it");
}

}  // namespace berth::docker
