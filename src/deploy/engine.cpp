#include "deploy/engine.h"

#include "core/image_ref.h"
#include "core/promotion.h"
#include "deploy/reconcile.h"
#include "deploy/run_deploy.h"
#include "deploy/run_with_timeout.h"
#include "deploy/source_health.h"

namespace berth::deploy {
namespace {

bool sameImage(const DeployRecord& record, const DeployRequest& request) {
  if (record.image_tag != request.tag) return false;
  return request.digest.empty() || request.digest == record.image_digest;
}

struct Target {
  Config config;
  Project project;
  Stage stage;
};

Target findTarget(Journal& journal, const std::string& project, const std::string& stage) {
  Target target{journal.config(), {}, {}};
  const Project* p = target.config.findProject(project);
  if (p == nullptr) throw EngineRefused("no project named '" + project + "'");
  const Stage* s = p->findStage(stage);
  if (s == nullptr) throw EngineRefused("project " + project + " has no stage '" + stage + "'");
  target.project = *p;
  target.stage = *s;
  return target;
}

ImageRef imageFor(const Project& project, const std::string& tag, const std::string& digest) {
  auto ref = parseImageRef(project.image + ":" + tag);
  if (!ref.ok()) throw EngineRefused(ref.error());
  try {
    return digest.empty() ? *ref : ref->withDigest(digest);
  } catch (const std::invalid_argument& e) {
    throw EngineRefused(e.what());
  }
}

}  // namespace

Engine::Engine(Services services, EngineOptions options)
    : services_(services), options_(std::move(options)) {
  for (int i = 0; i < std::max(1, options_.workers); ++i) {
    workers_.emplace_back([this] { workerLoop(); });
  }
}

Engine::~Engine() {
  shutdown(Duration(0));
}

std::int64_t Engine::enqueue(const std::string& project, const std::string& stage,
                             const std::string& tag, DeployTrigger trigger) {
  return enqueue(DeployRequest{.project = project,
                               .stage = stage,
                               .tag = tag,
                               .digest = "",
                               .trigger = trigger,
                               .note = ""});
}

std::int64_t Engine::enqueue(const DeployRequest& request) {
  std::unique_lock lock(mutex_);
  if (!accepting_) throw EngineShuttingDown("berth is shutting down; no new deploys are accepted");
  const Target target = findTarget(services_.journal, request.project, request.stage);
  const ImageRef image = imageFor(target.project, request.tag, request.digest);
  Slot& slot = slots_[{request.project, request.stage}];
  if (slot.running && sameImage(slot.running->record, request)) return slot.running->record.id;
  if (slot.pending && sameImage(*slot.pending, request)) return slot.pending->id;
  const auto serving = services_.journal.serving(request.project, request.stage);
  if (!slot.running && !slot.pending && serving && sameImage(*serving, request)) {
    return serving->id;
  }
  NewDeploy fresh{.project = request.project,
                  .stage = request.stage,
                  .image_repository = target.project.image,
                  .image_tag = request.tag,
                  .image_digest = request.digest,
                  .trigger = request.trigger,
                  .previous_deploy_id = serving ? std::optional(serving->id) : std::nullopt};
  const std::int64_t id = services_.journal.create(fresh);
  auto record = services_.journal.get(id);
  if (slot.pending) {
    services_.journal.info(*slot.pending,
                           "superseded by deploy " + std::to_string(id) + " before it started");
    services_.journal.state(*slot.pending, DeployState::cancelled,
                            "superseded by deploy " + std::to_string(id));
    notes_.erase(slot.pending->id);
  }
  if (!request.note.empty()) services_.journal.info(*record, request.note);
  services_.journal.info(*record,
                         "queued " + image.str() + " (trigger " + toString(request.trigger) + ")");
  slot.pending = *record;
  changed_.notify_all();
  return id;
}

bool Engine::cancel(std::int64_t deploy_id) {
  std::lock_guard lock(mutex_);
  for (auto& [key, slot] : slots_) {
    if (slot.pending && slot.pending->id == deploy_id) {
      services_.journal.state(*slot.pending, DeployState::cancelled, "cancelled before it started");
      slot.pending.reset();
      changed_.notify_all();
      return true;
    }
    if (slot.running && slot.running->record.id == deploy_id) {
      *slot.running->cancel = true;
      return true;
    }
  }
  return false;
}

std::int64_t Engine::promote(const std::string& project, const std::string& stage,
                             const std::optional<std::string>& tag) {
  const Target target = findTarget(services_.journal, project, stage);
  std::optional<RunningImage> source;
  ServingHealth health;
  if (!target.stage.promote_from.empty()) {
    if (auto serving = services_.journal.serving(project, target.stage.promote_from)) {
      // The source's last succeeded deploy names the image; Docker says whether its
      // instances still run healthy now.
      health =
          checkServingHealth(services_.docker, project, target.stage.promote_from, serving->id);
      source = RunningImage{serving->image_tag, serving->image_digest, health.healthy};
    }
  }
  auto checked = checkPromotion(target.project, target.stage, source, tag);
  if (!checked.ok())
    throw EngineRefused(checked.error() + (health.reason.empty() ? "" : ": " + health.reason));
  return enqueue(
      DeployRequest{.project = project,
                    .stage = stage,
                    .tag = checked->tag,
                    .digest = checked->digest,
                    .trigger = DeployTrigger::promote,
                    .note = "promoting " + checked->str() + " from " + target.stage.promote_from});
}

std::int64_t Engine::rollback(const std::string& project, const std::string& stage,
                              const std::optional<std::int64_t>& deploy_id) {
  findTarget(services_.journal, project, stage);
  const auto succeeded = services_.journal.list(DeployQuery{.project = project,
                                                            .stage = stage,
                                                            .state = DeployState::succeeded,
                                                            .before_id = std::nullopt,
                                                            .limit = -1});
  if (succeeded.empty()) throw EngineRefused(project + "/" + stage + " has never deployed");
  const DeployRecord& serving = succeeded.front();
  std::optional<DeployRecord> to;
  if (deploy_id) {
    for (const auto& d : succeeded)
      if (d.id == *deploy_id) to = d;
    if (!to) {
      throw EngineRefused("deploy " + std::to_string(*deploy_id) +
                          " is not a succeeded deploy of " + project + "/" + stage);
    }
  } else {
    for (const auto& d : succeeded) {
      if (d.image_digest != serving.image_digest) {
        to = d;
        break;
      }
    }
    if (!to) {
      throw EngineRefused(project + "/" + stage +
                          " has no earlier succeeded deploy of another "
                          "image than the serving " +
                          serving.image_tag);
    }
  }
  return enqueue(DeployRequest{.project = project,
                               .stage = stage,
                               .tag = to->image_tag,
                               .digest = to->image_digest,
                               .trigger = DeployTrigger::rollback,
                               .note = "rollback to deploy " + std::to_string(to->id) + " (" +
                                       to->image_tag + ", " + to->image_digest + ")"});
}

void Engine::reconcile() {
  reconcileAll(services_, options_);
}

void Engine::workerLoop() {
  std::unique_lock lock(mutex_);
  while (true) {
    Slot* ready = nullptr;
    changed_.wait(lock, [&] {
      if (stopping_) return true;
      for (auto& [key, slot] : slots_) {
        if (slot.pending && !slot.running) {
          ready = &slot;
          return true;
        }
      }
      return false;
    });
    if (ready == nullptr) return;  // stopping and nothing to start
    Running running{*ready->pending, std::make_shared<std::atomic<bool>>(false)};
    ready->pending.reset();
    ready->running = running;
    lock.unlock();
    runOne(running.record, running.cancel);
    lock.lock();
    ready->running.reset();
    changed_.notify_all();
  }
}

void Engine::runOne(const DeployRecord& record, const std::shared_ptr<std::atomic<bool>>& cancel) {
  DeployContext ctx{.services = services_, .options = options_, .cancel = *cancel};
  ctx.deploy = record;
  try {
    const Target target = findTarget(services_.journal, record.project, record.stage);
    ctx.config = target.config;
    ctx.project = target.project;
    ctx.stage = target.stage;
    ctx.image = imageFor(target.project, record.image_tag, record.image_digest);
  } catch (const std::exception& e) {
    // The configuration changed under a queued deploy (stage removed, image renamed).
    services_.journal.error(record, e.what());
    services_.journal.state(record, DeployState::failed, e.what());
    return;
  }
  try {
    runDeploy(ctx);
  } catch (const std::exception& e) {
    // Only the journal itself can throw here (database gone); nothing sensible is left to do.
    services_.journal.error(record, std::string("engine error: ") + e.what());
  }
}

bool Engine::shutdown(Duration timeout) {
  std::unique_lock lock(mutex_);
  if (!accepting_ && workers_.empty()) return true;
  accepting_ = false;
  for (auto& [key, slot] : slots_) {
    if (slot.pending) {
      services_.journal.state(*slot.pending, DeployState::cancelled, "berth is shutting down");
      slot.pending.reset();
    }
  }
  auto idle = [&] {
    for (auto& [key, slot] : slots_)
      if (slot.running) return false;
    return true;
  };
  const bool in_time = changed_.wait_for(lock, std::chrono::milliseconds(timeout.count()), idle);
  if (!in_time) {
    for (auto& [key, slot] : slots_)
      if (slot.running) *slot.running->cancel = true;
    changed_.wait(lock, idle);
  }
  stopping_ = true;
  changed_.notify_all();
  std::vector<std::thread> workers = std::move(workers_);
  workers_.clear();
  lock.unlock();
  for (auto& worker : workers)
    worker.join();
  // Helpers of timed-out steps still use the seams; give them a bounded time to return.
  for (int i = 0; i < 200 && abandonedSteps() > 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return in_time;
}

bool Engine::waitIdle(Duration timeout) {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, std::chrono::milliseconds(timeout.count()), [&] {
    for (auto& [key, slot] : slots_)
      if (slot.running || slot.pending) return false;
    return true;
  });
}

}  // namespace berth::deploy
