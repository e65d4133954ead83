// `berth serve`: the long-running controller. Opens (and migrates) the store, optionally seeds
// it from --config, starts the controller (controller.h) and runs until SIGTERM or SIGINT,
// then shuts down gracefully.
#pragma once

#include <string>

#include "cli/options.h"
#include "log/logger.h"

namespace berth {

struct ServeOptions {
  std::string listen{};                  // --listen: overrides server.listen
  std::string shutdown_timeout = "60s";  // --shutdown-timeout: in-flight deploys get this long
  bool no_poll = false;                  // --no-poll
  std::string web_dir{};                 // --web-dir: serve the dashboard from here (development)
};

int runServe(const GlobalOptions& options, const ServeOptions& serve, const Logger& log,
             const std::string& version);

}  // namespace berth
