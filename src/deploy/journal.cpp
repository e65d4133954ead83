#include "deploy/journal.h"

namespace berth::deploy {

Journal::Journal(Store& store, EventSink& events, Logger logger)
    : store_(store), events_(events), logger_(std::move(logger)) {}

std::int64_t Journal::create(const NewDeploy& deploy) {
  std::int64_t id = 0;
  {
    std::lock_guard lock(mutex_);
    id = store_.createDeploy(deploy);
  }
  events_.publish(DeployStatusEvent{.deploy_id = id,
                                    .project = deploy.project,
                                    .stage = deploy.stage,
                                    .state = DeployState::queued,
                                    .reason = ""});
  return id;
}

void Journal::state(const DeployRecord& deploy, DeployState state, std::string_view reason) {
  {
    std::lock_guard lock(mutex_);
    store_.setDeployState(deploy.id, state, reason);
  }
  std::vector<LogField> fields{
      {"project", deploy.project}, {"stage", deploy.stage}, {"deploy_id", deploy.id}};
  if (!reason.empty()) fields.emplace_back("reason", reason);
  logger_.info("deploy " + toString(state), fields);
  events_.publish(DeployStatusEvent{.deploy_id = deploy.id,
                                    .project = deploy.project,
                                    .stage = deploy.stage,
                                    .state = state,
                                    .reason = std::string(reason)});
}

void Journal::digest(std::int64_t id, std::string_view digest) {
  std::lock_guard lock(mutex_);
  store_.setDeployDigest(id, digest);
}

void Journal::log(const DeployRecord& deploy, std::string_view level, std::string_view message) {
  std::int64_t seq = 0;
  {
    std::lock_guard lock(mutex_);
    seq = store_.appendDeployLog(deploy.id, level, message);
  }
  logger_.log(level == "error"  ? LogLevel::error
              : level == "warn" ? LogLevel::warn
                                : LogLevel::info,
              message,
              {{"project", deploy.project}, {"stage", deploy.stage}, {"deploy_id", deploy.id}});
  events_.publish(DeployLogEvent{.deploy_id = deploy.id,
                                 .project = deploy.project,
                                 .stage = deploy.stage,
                                 .seq = seq,
                                 .level = std::string(level),
                                 .message = std::string(message)});
}

void Journal::instance(const DeployRecord& deploy, std::string_view container_id,
                       std::string_view name, std::string_view color, std::string_view status) {
  {
    std::lock_guard lock(mutex_);
    if (status == "removed") {
      store_.removeInstance(container_id);
    } else {
      const bool health = status == "healthy" || status == "unhealthy";
      store_.upsertInstance(InstanceRecord{.id = 0,
                                           .project = deploy.project,
                                           .stage = deploy.stage,
                                           .deploy_id = deploy.id,
                                           .container_id = std::string(container_id),
                                           .name = std::string(name),
                                           .color = std::string(color),
                                           .state = std::string(status),
                                           .health = health ? std::string(status) : "",
                                           .updated_at = {}});
    }
  }
  events_.publish(InstanceStatusEvent{.project = deploy.project,
                                      .stage = deploy.stage,
                                      .deploy_id = deploy.id,
                                      .container = std::string(name),
                                      .color = std::string(color),
                                      .status = std::string(status)});
}

std::optional<DeployRecord> Journal::get(std::int64_t id) const {
  std::lock_guard lock(mutex_);
  return store_.getDeploy(id);
}

std::vector<DeployRecord> Journal::list(const DeployQuery& query) const {
  std::lock_guard lock(mutex_);
  return store_.listDeploys(query);
}

std::vector<DeployLogEntry> Journal::logOf(std::int64_t id) const {
  std::lock_guard lock(mutex_);
  return store_.deployLog(id);
}

void Journal::forgetInstance(std::string_view container_id) {
  std::lock_guard lock(mutex_);
  store_.removeInstance(container_id);
}

std::vector<InstanceRecord> Journal::instances(const std::string& project,
                                               const std::string& stage) const {
  std::lock_guard lock(mutex_);
  return store_.listInstances(project, stage);
}

Config Journal::config() const {
  std::lock_guard lock(mutex_);
  const auto stamp = store_.configStamp();
  if (!config_ || stamp != config_stamp_) {
    config_ = store_.loadConfig();
    config_stamp_ = stamp;
  }
  return *config_;
}

void Journal::replaceConfig(const Config& config) {
  std::lock_guard lock(mutex_);
  store_.replaceConfig(config);
}

std::optional<DeployRecord> Journal::serving(const std::string& project,
                                             const std::string& stage) const {
  auto found = list(DeployQuery{.project = project,
                                .stage = stage,
                                .state = DeployState::succeeded,
                                .before_id = std::nullopt,
                                .limit = 1});
  if (found.empty()) return std::nullopt;
  return found.front();
}

}  // namespace berth::deploy
