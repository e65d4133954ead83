// The container spec of one instance, built only from berth's own configuration (project +
// stage + settings), never copied from `docker inspect` of the previous container: copying
// would carry stale image defaults and network aliases into the new one. A pure function, so
// tests assert exactly what will be created (commands as data).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/model.h"
#include "docker/docker_types.h"

namespace berth::deploy {

// Labels that identify berth's containers. Containers are found by these labels only, never
// by parsing names: project and stage names may contain '-'.
inline constexpr const char* kLabelProject = "berth.project";
inline constexpr const char* kLabelStage = "berth.stage";
inline constexpr const char* kLabelDeploy = "berth.deploy";
inline constexpr const char* kLabelColor = "berth.color";

struct InstancePlan {
  std::string image{};  // pinned by digest: "127.0.0.1:5000/acme/web@sha256:..."
  std::int64_t deploy_id = 0;
  std::string color{};  // "blue" or "green"
  int index = 1;        // 1..replicas
};

// "<project>-<stage>-<color>-<n>", e.g. "web-production-green-1". For people, not for lookup.
std::string instanceName(const std::string& project, const std::string& stage,
                         const std::string& color, int index);

// The network alias every replica of one color shares, "<project>-<stage>-<color>"; a proxy
// that forwards to one address (npm) reaches all replicas through it.
std::string colorAlias(const std::string& project, const std::string& stage,
                       const std::string& color);

// "blue" <-> "green"; "" (nothing deployed yet) -> "blue".
std::string otherColor(const std::string& color);

// "web-data:/data", "/srv/cache:/cache:ro": a named volume or (absolute source) a bind.
// nullopt for an entry that is neither.
std::optional<docker::Mount> parseVolume(const std::string& entry);

// The container to create for `plan`: image by digest; env = project env overridden by stage
// env; volumes = project's then stage's (never deleted by berth); joins settings.docker.network
// with its name and the color alias as aliases; restart unless-stopped; berth.* labels; the
// project port published on 127.0.0.1 with a random host port for reach `host`, not published
// for reach `network` (the proxy resolves the name on the network).
docker::ContainerSpec buildContainerSpec(const Config& settings, const Project& project,
                                         const Stage& stage, const InstancePlan& plan);

}  // namespace berth::deploy
