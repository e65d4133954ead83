#include "poller/poller.h"

#include <algorithm>
#include <map>
#include <mutex>
#include <random>
#include <stdexcept>
#include <thread>
#include <utility>

#include "poller/poll_rules.h"
#include "poller/poll_schedule.h"
#include "registry/update_check.h"

namespace berth::poller {
namespace {

using registry::RunningImage;
using registry::UpdateDecision;
using SteadyTime = std::chrono::steady_clock::time_point;

constexpr std::string_view kNothingToPoll =
    "nothing to poll: no stage has auto_deploy and tags without promote_from";

std::function<double()> defaultRandom() {
  auto engine = std::make_shared<std::mt19937_64>(std::random_device{}());
  return [engine] { return std::uniform_real_distribution<double>(0.0, 1.0)(*engine); };
}

std::string joined(const std::vector<std::string>& parts, std::string_view separator) {
  std::string out;
  for (const auto& part : parts)
    out += (out.empty() ? "" : std::string(separator)) + part;
  return out;
}

// One stage's check within a round.
struct StageOutcome {
  StagePollStatus status{};
  bool check_failed = false;  // the registry gave no answer: counts toward back-off
  bool problem = false;       // anything the operator should see in last_result
};

}  // namespace

struct Poller::Impl {
  Impl(registry::Registry& registry, Clock& clock, PollerDeps deps, Logger log,
       PollerOptions options)
      : registry(registry),
        clock(clock),
        deps(std::move(deps)),
        log(log.with({{"component", "poller"}})),
        options(std::move(options)),
        checker(registry, clock) {
    if (!this->options.random) this->options.random = defaultRandom();
  }

  struct Tracked {
    SteadyTime next_due{};
    ProjectPollStatus status{};
  };
  struct Queued {
    ImageToDeploy image{};
    std::int64_t deploy_id = 0;
  };

  registry::Registry& registry;
  Clock& clock;
  PollerDeps deps;
  Logger log;
  PollerOptions options;

  net::CancelFlag cancel{false};
  std::thread thread{};

  // One round at a time (the thread's or pollNow's). Guards the checker's use, `queued` and
  // `options.random`. Held across registry requests, so status() must not take it.
  std::mutex round_mutex;
  registry::UpdateChecker checker;
  std::map<std::pair<std::string, std::string>, Queued> queued{};  // by (project, stage)

  mutable std::mutex mutex;                 // guards `projects`; held only briefly
  std::map<std::string, Tracked> projects;  // the polled projects, by name

  void run();
  // Tracks the projects of `config` that have a polled stage, forgets the others.
  void sync(const Config& config);
  // Checks every polled stage of `project`, deploys, schedules the next round. Returns the
  // status afterwards (unchanged when the round was cancelled).
  ProjectPollStatus pollProject(const Project& project);
  StageOutcome checkStage(const Project& project, const Stage& stage,
                          const registry::RepositoryRef& repo);
  // Queues `image` unless the poller already queued exactly it for the stage, or the stage
  // had it before (PollerDeps::deployed_before).
  void deploy(const Project& project, const Stage& stage, const ImageToDeploy& image,
              const UpdateDecision& decision, StageOutcome& outcome);
  Duration nextWait(const Project& project, int consecutive_errors,
                    const std::optional<registry::RepositoryRef>& repo);
  Duration untilNextDue() const;
};

Poller::Poller(registry::Registry& registry, Clock& clock, PollerDeps deps, Logger log,
               PollerOptions options)
    : impl_(std::make_unique<Impl>(registry, clock, std::move(deps), log, std::move(options))) {}

Poller::~Poller() {
  stop();
}

void Poller::start() {
  if (impl_->thread.joinable()) return;
  impl_->cancel = false;
  impl_->thread = std::thread([this] { impl_->run(); });
}

void Poller::stop() {
  impl_->cancel = true;
  if (impl_->thread.joinable()) impl_->thread.join();
}

ProjectPollStatus Poller::pollNow(const std::string& project_name) {
  std::lock_guard round(impl_->round_mutex);
  const Config config = impl_->deps.config();
  impl_->sync(config);
  const Project* project = config.findProject(project_name);
  if (project == nullptr)
    throw std::invalid_argument("poller: no project named '" + project_name + "'");
  if (polledStages(*project).empty()) {
    ProjectPollStatus status;
    status.project = project_name;
    status.last_result = std::string(kNothingToPoll);
    return status;
  }
  return impl_->pollProject(*project);
}

std::vector<ProjectPollStatus> Poller::status() const {
  std::lock_guard lock(impl_->mutex);
  std::vector<ProjectPollStatus> out;
  out.reserve(impl_->projects.size());
  for (const auto& [name, tracked] : impl_->projects)
    out.push_back(tracked.status);
  return out;
}

void Poller::Impl::run() {
  while (!cancel) {
    try {
      std::lock_guard round(round_mutex);
      const Config config = deps.config();
      sync(config);
      for (const auto& project : config.projects) {
        if (cancel) break;
        bool due = false;
        {
          std::lock_guard lock(mutex);
          const auto it = projects.find(project.name);
          due = it != projects.end() && it->second.next_due <= clock.now();
        }
        if (due) pollProject(project);
      }
    } catch (const std::exception& e) {
      // Reading the configuration failed (the store is busy or gone): try again later rather
      // than ending the thread.
      log.error("poller round failed", {{"error", e.what()}});
    }
    clock.sleepFor(untilNextDue(), &cancel);
  }
}

Duration Poller::Impl::untilNextDue() const {
  std::lock_guard lock(mutex);
  if (projects.empty()) return options.default_interval;
  SteadyTime earliest = SteadyTime::max();
  for (const auto& [name, tracked] : projects)
    earliest = std::min(earliest, tracked.next_due);
  return std::max(Duration::zero(), std::chrono::ceil<Duration>(earliest - clock.now()));
}

void Poller::Impl::sync(const Config& config) {
  std::lock_guard lock(mutex);
  std::erase_if(projects, [&](const auto& entry) {
    const Project* p = config.findProject(entry.first);
    return p == nullptr || polledStages(*p).empty();
  });
  std::erase_if(queued, [&](const auto& entry) { return !projects.contains(entry.first.first); });
  for (const auto& project : config.projects) {
    if (projects.contains(project.name) || polledStages(project).empty()) continue;
    Tracked tracked;
    tracked.next_due = clock.now();
    tracked.status.project = project.name;
    tracked.status.next_check = clock.wallNow();
    projects.emplace(project.name, std::move(tracked));
  }
}

ProjectPollStatus Poller::Impl::pollProject(const Project& project) {
  const auto repo = repositoryOf(project);
  if (!repo)
    log.warn("project image is not a valid reference",
             {{"project", project.name}, {"error", repo.error()}});
  std::vector<StagePollStatus> stages;
  std::vector<std::string> problems;
  std::uint64_t failed_checks = 0;
  for (const Stage* stage : polledStages(project)) {
    StageOutcome outcome;
    if (repo) {
      outcome = checkStage(project, *stage, *repo);
    } else {
      outcome.status.stage = stage->name;
      outcome.status.result = repo.error();
      outcome.check_failed = outcome.problem = true;
    }
    // Stopping: a cancelled check is no registry error; keep the last status as it was.
    if (cancel) {
      std::lock_guard lock(mutex);
      return projects[project.name].status;
    }
    if (outcome.check_failed) ++failed_checks;
    if (outcome.problem) problems.push_back(stage->name + ": " + outcome.status.result);
    stages.push_back(std::move(outcome.status));
  }

  std::lock_guard lock(mutex);
  Tracked& tracked = projects[project.name];
  ProjectPollStatus& status = tracked.status;
  status.project = project.name;
  status.last_check = clock.wallNow();
  status.requests += stages.size();
  status.errors += failed_checks;
  status.consecutive_errors = failed_checks > 0 ? status.consecutive_errors + 1 : 0;
  status.last_result = problems.empty() ? "ok" : joined(problems, "; ");
  status.stages = std::move(stages);
  const Duration wait =
      nextWait(project, status.consecutive_errors, repo ? std::optional(*repo) : std::nullopt);
  tracked.next_due = clock.now() + wait;
  status.next_check = clock.wallNow() + wait;
  return status;
}

StageOutcome Poller::Impl::checkStage(const Project& project, const Stage& stage,
                                      const registry::RepositoryRef& repo) {
  StageOutcome outcome;
  outcome.status.stage = stage.name;
  const Logger stage_log = log.with({{"project", project.name}, {"stage", stage.name}});
  const auto fail = [&](std::string result) {
    stage_log.warn("registry check failed", {{"error", result}});
    outcome.status.result = std::move(result);
    outcome.check_failed = outcome.problem = true;
    return outcome;
  };

  const auto policy = CompiledTagPolicy::compile(*stage.tags);
  if (!policy) return fail(policy.error());
  std::optional<RunningImage> running;
  try {
    if (auto serving = deps.serving(project.name, stage.name))
      running = RunningImage{serving->first, serving->second};
  } catch (const std::exception& e) {
    return fail(std::string("cannot read what the stage serves: ") + e.what());
  }

  const UpdateDecision decision = checker.check(repo, *policy, running, &cancel);
  if (cancel) return outcome;
  if (std::holds_alternative<registry::Unknown>(decision))
    return fail(registry::describe(decision));
  outcome.status.result = registry::describe(decision);
  if (const auto image = imageToDeploy(decision, running)) {
    deploy(project, stage, *image, decision, outcome);
  } else {
    stage_log.debug("stage up to date", {{"tag", running ? running->tag : ""}});
  }
  return outcome;
}

void Poller::Impl::deploy(const Project& project, const Stage& stage, const ImageToDeploy& image,
                          const UpdateDecision& decision, StageOutcome& outcome) {
  const Logger stage_log = log.with({{"project", project.name}, {"stage", stage.name}});
  const auto key = std::make_pair(project.name, stage.name);
  if (const auto it = queued.find(key); it != queued.end() && it->second.image == image) {
    // Queued before: running, or it failed and the stage went back. Never loop on it.
    outcome.status.deploy_id = it->second.deploy_id;
    stage_log.debug("image already queued by the poller",
                    {{"tag", image.tag}, {"deploy_id", it->second.deploy_id}});
    return;
  }
  try {
    if (deps.deployed_before &&
        deps.deployed_before(project.name, stage.name, image.tag, image.digest)) {
      outcome.status.result += "; deployed to this stage before, so not again";
      stage_log.debug("image deployed to the stage before; waiting for a new one",
                      {{"tag", image.tag}, {"digest", image.digest}});
      return;
    }
  } catch (const std::exception& e) {
    outcome.status.result = "cannot read the stage's history: " + std::string(e.what());
    outcome.problem = true;
    stage_log.warn("cannot read the stage's history", {{"error", e.what()}});
    return;
  }
  try {
    const std::int64_t id = deps.deploy(project.name, stage.name, image.tag, image.digest);
    queued[key] = Queued{image, id};
    outcome.status.deploy_id = id;
    stage_log.info("poller queued a deploy", {{"tag", image.tag},
                                              {"digest", image.digest},
                                              {"deploy_id", id},
                                              {"reason", registry::describe(decision)}});
  } catch (const std::exception& e) {
    outcome.status.result = "deploy refused: " + std::string(e.what());
    outcome.problem = true;
    stage_log.warn("deploy refused", {{"tag", image.tag}, {"error", e.what()}});
  }
}

Duration Poller::Impl::nextWait(const Project& project, int consecutive_errors,
                                const std::optional<registry::RepositoryRef>& repo) {
  const Duration interval =
      project.poll_interval > Duration::zero() ? project.poll_interval : options.default_interval;
  Duration wait = jittered(backoffWait(interval, consecutive_errors, options.max_backoff),
                           options.jitter, options.random());
  if (!repo) return wait;
  if (const auto reset = rateLimitWait(registry.rateLimit(repo->registry), clock.wallNow());
      reset && *reset > wait) {
    log.warn("registry rate limit exhausted; next check after its reset",
             {{"project", project.name},
              {"registry", repo->registry},
              {"wait_seconds", std::chrono::duration_cast<std::chrono::seconds>(*reset).count()}});
    wait = *reset;
  }
  return wait;
}

}  // namespace berth::poller
