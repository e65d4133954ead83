// Engine: accepts deploy requests and runs them, one queue per stage, stages in parallel on a
// small worker pool (ARCHITECTURE.md §2). Each deploy is a sequence of named steps
// (run_deploy.h); the engine owns only queueing, promotion/rollback requests, start-up
// reconciliation and shutdown.
//
// Queue semantics per stage: at most one deploy runs and at most one waits. A request for the
// image that runs, is running or is queued is answered with that deploy's id; a newer request
// supersedes the waiting one (which ends cancelled, "superseded by deploy N").
//
// Thread-safety: every public method may be called from any thread. EventSink::publish may be
// called with the engine's lock held: a sink must not call back into the engine.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "deploy/deploy_context.h"
#include "deploy/engine_options.h"
#include "deploy/journal.h"

namespace berth::deploy {

// A request the engine refuses (unknown stage, bad tag, promotion refused, shutting down).
// The message is a sentence for the operator.
class EngineRefused : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The one refusal that is not about the request: berth stopped accepting work (shutdown).
// Callers answer "retry later" (503) to it rather than "conflict".
class EngineShuttingDown : public EngineRefused {
 public:
  using EngineRefused::EngineRefused;
};

struct DeployRequest {
  std::string project{};
  std::string stage{};
  std::string tag{};
  std::string digest{};  // optional: pin the content ("sha256:..."); pulled by digest then
  DeployTrigger trigger = DeployTrigger::manual;
  std::string note{};  // first line of the deploy log (e.g. "rollback to deploy 7")
};

class Engine {
 public:
  // Starts options.workers worker threads. Call reconcile() before the first enqueue().
  Engine(Services services, EngineOptions options = {});
  // shutdown(0 s) if not shut down yet: running deploys are cancelled and undone.
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // Queues a deploy and returns its id (or the id of the deploy that already runs, is running
  // or is queued for that image). Throws EngineRefused.
  std::int64_t enqueue(const DeployRequest& request);
  std::int64_t enqueue(const std::string& project, const std::string& stage, const std::string& tag,
                       DeployTrigger trigger);

  // Cancels a queued deploy (cancelled at once) or a running one (undone, then cancelled).
  // False when the deploy is not queued or running.
  bool cancel(std::int64_t deploy_id);

  // Deploys to `stage` the digest its promote_from stage serves; `tag` must name it if given.
  // Throws EngineRefused with a reason naming what the source runs.
  std::int64_t promote(const std::string& project, const std::string& stage,
                       const std::optional<std::string>& tag = std::nullopt);

  // Deploys again the digest of an earlier succeeded deploy of the stage (default: the one
  // before the serving one), as a new deploy with trigger rollback. Throws EngineRefused.
  std::int64_t rollback(const std::string& project, const std::string& stage,
                        const std::optional<std::int64_t>& deploy_id = std::nullopt);

  // Start-up recovery (reconcile.h): non-final deploys become interrupted, their containers
  // are removed, the serving ones kept (started if stopped), the proxy made to agree.
  void reconcile();

  // Stops accepting work, cancels queued deploys, waits up to `timeout` for running ones;
  // after that cancels them (they undo) and waits for them to end. True if all finished within
  // `timeout`. Idempotent.
  bool shutdown(Duration timeout);

  // Waits until no deploy is queued or running (tests and tools), up to `timeout` real time.
  bool waitIdle(Duration timeout);

 private:
  struct Running {
    DeployRecord record{};
    std::shared_ptr<std::atomic<bool>> cancel{};
  };
  struct Slot {
    std::optional<DeployRecord> pending{};
    std::optional<Running> running{};
  };
  using StageKey = std::pair<std::string, std::string>;

  void workerLoop();
  void runOne(const DeployRecord& record, const std::shared_ptr<std::atomic<bool>>& cancel);

  Services services_;
  EngineOptions options_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::map<StageKey, Slot> slots_;
  std::map<std::int64_t, std::string> notes_;  // first log line of queued deploys
  bool accepting_ = true;
  bool stopping_ = false;
  std::vector<std::thread> workers_;
};

}  // namespace berth::deploy
