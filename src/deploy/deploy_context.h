// Everything one running deploy works with: the services (seams), the configuration snapshot
// taken when it started, its record, and what it found and created so far. The steps
// (pull_step.h, start_step.h, ...) read and extend it; undo (rollback_step.h) uses it to
// remove exactly what this deploy created.
#pragma once

#include <atomic>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/image_ref.h"
#include "core/model.h"
#include "deploy/engine_options.h"
#include "deploy/journal.h"
#include "docker/docker_api.h"
#include "net/http.h"
#include "proxy/proxy.h"

namespace berth::deploy {

// The seams the engine talks to. All must be thread-safe (stages deploy in parallel).
struct Services {
  docker::DockerApi& docker;
  proxy::Proxy& proxy;
  net::HttpClient& http;  // the HTTP health check
  Clock& clock;
  Journal& journal;
};

// One container of a stage, as found by its labels or as this deploy created it.
struct Instance {
  std::string id{};
  std::string name{};
  std::string color{};
  std::int64_t deploy_id = 0;
  bool running = false;
  proxy::Upstream upstream{};  // how the proxy (and the health check) reaches it
};

struct DeployContext {
  Services& services;
  const EngineOptions& options;
  Config config{};
  Project project{};
  Stage stage{};
  DeployRecord deploy{};
  ImageRef image{};
  std::string pinned_image{};  // repository@digest, set by the pull step
  const std::atomic<bool>& cancel;

  std::vector<Instance> old_instances{};  // the stage's instances when the deploy started
  std::vector<Instance> created{};        // this deploy's instances
  std::string color{};                    // the color this deploy creates
  bool stopped_old = false;               // recreate: the old instances were stopped
  bool switched = false;                  // the proxy was asked to route to `created`

  // Throws DeployCancelled when the deploy was cancelled; called between and inside steps.
  void checkCancel() const;
  proxy::RouteKey routeKey() const;
  proxy::Route routeTo(const std::vector<Instance>& instances) const;
  // The deploy an old instance belongs to (its berth.deploy label), for its instances row: a
  // recreate that stops it, or a rollback that starts it again, does not make it this deploy's.
  DeployRecord ownerOf(const Instance& old) const;
  void log(std::string_view message) const { services.journal.info(deploy, message); }
  void warn(std::string_view message) const { services.journal.warn(deploy, message); }
};

// The stage's instances (found by berth.project/berth.stage labels), with their upstream
// address. Containers of other stages, and containers without labels, are never returned.
std::vector<Instance> findStageInstances(docker::DockerApi& docker, const Config& config,
                                         const Project& project, const Stage& stage);

// How the proxy reaches `info` under `config.proxy.reach`.
proxy::Upstream upstreamOf(const docker::ContainerInfo& info, const Config& config,
                           const Project& project);

// The route to `instances` (running ones, in name order) for the stage.
proxy::Route routeFor(const Config& config, const Project& project, const Stage& stage,
                      const std::vector<Instance>& instances);

}  // namespace berth::deploy
