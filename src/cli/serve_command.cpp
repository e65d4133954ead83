#include "cli/serve_command.h"

#include <csignal>
#include <cstring>

#include "cli/controller.h"
#include "cli/exit_codes.h"
#include "config/config.h"
#include "config/import_plan.h"
#include "core/duration.h"
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

int runServe(const GlobalOptions& options, const ServeOptions& serve, const Logger& log,
             const std::string& version) {
  const sigset_t shutdown_signals = blockShutdownSignals();
  const auto shutdown_timeout = parseDuration(serve.shutdown_timeout);
  if (!shutdown_timeout) {
    log.error("--shutdown-timeout: expected a duration such as 30s or 2m",
              {{"value", serve.shutdown_timeout}});
    return kExitUsage;
  }

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
      const Config stored = store->loadConfig();
      const ImportPlan plan = planImport(stored, *seed);
      // Equality decides, not the plan: a field the plan forgot to describe must be stored.
      if (stored != *seed) {
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
  std::unique_ptr<Controller> controller;
  try {
    controller =
        std::make_unique<Controller>(*store, log,
                                     ControllerOptions{.listen = serve.listen,
                                                       .shutdown_timeout = *shutdown_timeout,
                                                       .poll = !serve.no_poll,
                                                       .version = version,
                                                       .web_dir = serve.web_dir});
  } catch (const std::exception& e) {
    log.error("not starting", {{"error", e.what()}});
    return kExitFailure;
  }
  log.info("berth started", {{"address", controller->address()},
                             {"version", version},
                             {"data_dir", data_dir.string()},
                             {"schema_version", store->schemaVersion()},
                             {"projects", config.projects.size()}});

  int signal_number = 0;
  if (int rc = sigwait(&shutdown_signals, &signal_number); rc != 0) {
    log.error("waiting for signals failed", {{"error", std::strerror(rc)}});
    return kExitFailure;
  }
  log.info("shutting down", {{"signal", signal_number == SIGTERM ? "SIGTERM" : "SIGINT"},
                             {"timeout", serve.shutdown_timeout}});
  if (!controller->shutdown())
    log.warn("deploys still running at the shutdown timeout were cancelled and undone");
  controller.reset();
  store.reset();
  log.info("stopped");
  return kExitOk;
}

}  // namespace berth
