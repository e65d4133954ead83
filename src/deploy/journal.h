// Journal: the one door through which the engine writes to the store, so that (1) the Store,
// which is safe from one thread at a time only, is used under one lock by every deploy worker,
// and (2) every journalled fact is also published as an event and written to the JSON log, in
// that order: the database first (a crash then leaves a record of what was about to happen),
// then the event.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "deploy/deploy_events.h"
#include "log/logger.h"
#include "store/store.h"

namespace berth::deploy {

class Journal {
 public:
  Journal(Store& store, EventSink& events, Logger logger);

  std::int64_t create(const NewDeploy& deploy);
  // Records the state (validated by the store's state machine), then publishes deploy.status.
  void state(const DeployRecord& deploy, DeployState state, std::string_view reason = {});
  void digest(std::int64_t id, std::string_view digest);
  // Appends a human sentence to the deploy's log, then publishes deploy.log.
  void log(const DeployRecord& deploy, std::string_view level, std::string_view message);
  void info(const DeployRecord& d, std::string_view m) { log(d, "info", m); }
  void warn(const DeployRecord& d, std::string_view m) { log(d, "warn", m); }
  void error(const DeployRecord& d, std::string_view m) { log(d, "error", m); }
  // Records what an instance of the deploy's stage became (the instances table: "removed"
  // deletes the row), then publishes instance.status.
  void instance(const DeployRecord& deploy, std::string_view container_id, std::string_view name,
                std::string_view color, std::string_view status);
  // Publishes how far a step is (deploy.progress); stored nowhere, so it costs no write.
  void progress(DeployProgressEvent event) { events_.publish(event); }
  // Deletes an instance row without an event (reconciliation of rows whose container is gone).
  void forgetInstance(std::string_view container_id);
  std::vector<InstanceRecord> instances(const std::string& project, const std::string& stage) const;

  std::optional<DeployRecord> get(std::int64_t id) const;
  std::vector<DeployRecord> list(const DeployQuery& query) const;
  std::vector<DeployLogEntry> logOf(std::int64_t id) const;
  Config config() const;
  // Replaces the stored configuration (Store::replaceConfig: one transaction).
  void replaceConfig(const Config& config);
  // The stage's latest succeeded deploy: what it serves.
  std::optional<DeployRecord> serving(const std::string& project, const std::string& stage) const;

 private:
  Store& store_;
  EventSink& events_;
  Logger logger_;
  mutable std::mutex mutex_;
  // config() is asked for on every API request and webhook: loading it is most of their cost.
  // The copy is reused while Store::configStamp() stays the same.
  mutable std::optional<Config> config_;
  mutable std::pair<std::int64_t, std::int64_t> config_stamp_{};
};

}  // namespace berth::deploy
