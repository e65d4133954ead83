#include "cli/serve_command.h"

#include <csignal>
#include <cstring>

#include "cli/exit_codes.h"
#include "config/config.h"
#include "config/import_plan.h"
#include "store/store.h"

namespace berth {
namespace {

// Blocks SIGTERM and SIGINT in this thread (and in threads it starts later), so they are
// received only by sigwait below, never delivered asynchronously mid-work.
sigset_t blockShutdownSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  return set;
}

}  // namespace

int runServe(const GlobalOptions& options, const Logger& log) {
  const sigset_t shutdown_signals = blockShutdownSignals();

  std::optional<Config> seed;
  if (!options.config_file.empty()) {
    ParseResult parsed = loadConfigFile(options.config_file);
    if (!parsed.errors.empty()) {
      for (const auto& e : parsed.errors)
        log.error("invalid configuration", {{"error", e.str()}});
      log.error("not starting: the configuration file has errors",
                {{"file", options.config_file}, {"errors", parsed.errors.size()}});
      return kExitInvalidConfig;
    }
    seed = std::move(parsed.config);
  }

  const auto data_dir =
      resolveDataDir(options, seed ? dataDirDeclaredBy(*seed, options.config_file) : std::nullopt);
  std::unique_ptr<Store> store;
  try {
    store = Store::open(databasePath(data_dir));
    if (seed) {
      const ImportPlan plan = planImport(store->loadConfig(), *seed);
      if (!plan.empty()) {
        store->replaceConfig(*seed);
        log.info("configuration imported", {{"file", options.config_file},
                                            {"added", plan.added.size()},
                                            {"changed", plan.changed.size()},
                                            {"removed", plan.removed.size()}});
      }
    }
  } catch (const std::exception& e) {
    log.error("cannot open the database", {{"error", e.what()}});
    return kExitFailure;
  }

  const Config config = store->loadConfig();
  log.info("berth started", {{"data_dir", data_dir.string()},
                             {"schema_version", store->schemaVersion()},
                             {"projects", config.projects.size()}});

  int signal_number = 0;
  if (int rc = sigwait(&shutdown_signals, &signal_number); rc != 0) {
    log.error("waiting for signals failed", {{"error", std::strerror(rc)}});
    return kExitFailure;
  }
  log.info("shutting down", {{"signal", signal_number == SIGTERM ? "SIGTERM" : "SIGINT"}});
  store.reset();
  log.info("stopped");
  return kExitOk;
}

}  // namespace berth
