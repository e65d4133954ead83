// The registry poller: for every project with at least one auto-deploy stage that has a tag
// policy, checks the registry every `poll.interval` (default 60 s) with jitter, and asks the
// engine to deploy what the policy prefers (a newer tag, or new content under the running
// tag). A stage with `promote_from` is never deployed by the poller.
//
// Errors (registry unreachable, 5xx, auth, 429 rate limits: UpdateDecision Unknown) back off
// exponentially per project up to `max_backoff`; a rate limit waits at least until the
// registry's reset time when it sent one. Status per project and stage is kept for the API.
//
// The poller queues a given image for a stage at most once in its life: if that deploy fails
// (or someone rolls back from it), the poller waits for the registry to offer something else
// instead of redeploying a broken image every interval. A manual deploy or a restart retries.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/model.h"
#include "log/logger.h"
#include "registry/registry.h"

namespace berth::poller {

// What the poller needs from the rest of berth (the engine and the journal in production,
// recorders in tests). All calls may come from the poller's thread.
struct PollerDeps {
  std::function<Config()> config;  // the current configuration (re-read every round)
  // The image the stage serves now (its latest succeeded deploy): {tag, digest}; nullopt if
  // nothing was deployed yet.
  std::function<std::optional<std::pair<std::string, std::string>>(const std::string& project,
                                                                   const std::string& stage)>
      serving;
  // Queues a deploy with trigger `poller`; returns the deploy id. May throw (refused).
  std::function<std::int64_t(const std::string& project, const std::string& stage,
                             const std::string& tag, const std::string& digest)>
      deploy;
  // Whether the stage's history already has a deploy of exactly this image (tag and digest),
  // whatever became of it (but for one a crash interrupted). The poller deploys only images the
  // stage never had: after a manual deploy or rollback to another image, it waits for a new one
  // rather than undo that choice, also across restarts. Unset: no history is consulted.
  std::function<bool(const std::string& project, const std::string& stage, const std::string& tag,
                     const std::string& digest)>
      deployed_before{};
};

struct StagePollStatus {
  std::string stage{};
  std::string result{};  // registry::describe(decision), e.g. "up to date", "newer tag v2 (...)"
  std::optional<std::int64_t> deploy_id{};  // the deploy the last check queued, if any
};

struct ProjectPollStatus {
  std::string project{};
  std::optional<std::chrono::system_clock::time_point> last_check{};
  std::optional<std::chrono::system_clock::time_point> next_check{};
  std::string last_result{};  // "ok", or the error of the last round
  int consecutive_errors = 0;
  std::uint64_t requests = 0;  // checks made (one per stage per round)
  std::uint64_t errors = 0;    // checks that ended Unknown
  std::vector<StagePollStatus> stages{};
};

struct PollerOptions {
  Duration default_interval = std::chrono::seconds(60);
  double jitter = 0.1;  // each wait is interval * (1 ± jitter)
  Duration max_backoff = std::chrono::minutes(30);
  // Uniform in [0, 1), for the jitter. Empty: a generator seeded from std::random_device.
  std::function<double()> random{};
};

class Poller {
 public:
  // `registry` and `clock` must outlive the poller. Nothing runs until start().
  Poller(registry::Registry& registry, Clock& clock, PollerDeps deps, Logger log,
         PollerOptions options = {});
  ~Poller();  // stop()

  // One background thread; the first round of every project runs at once. Each round re-reads
  // deps.config(): added projects are checked at the next wake-up, removed ones forgotten, and
  // a changed poll interval applies from the project's next round.
  void start();
  // Returns when the thread has ended: an in-flight check is cancelled, a wait cut short.
  // Until start() again, pollNow() checks nothing and returns the project's last status.
  void stop();

  // Checks one project now (also without start()), and schedules its next check from now;
  // returns its status afterwards. Throws std::invalid_argument for a project not in the
  // configuration. A project with no polled stage gets a status saying so, and no request.
  ProjectPollStatus pollNow(const std::string& project);

  // The projects the poller checks (those with a polled stage, see poll_rules.h), by name.
  // A project appears once the poller has read a configuration naming it.
  std::vector<ProjectPollStatus> status() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace berth::poller
