// `berth serve`: the long-running controller. For now it opens (and migrates) the store,
// optionally seeds it from --config, and runs until SIGTERM or SIGINT.
#pragma once

#include "cli/options.h"
#include "log/logger.h"

namespace berth {

int runServe(const GlobalOptions& options, const Logger& log);

}  // namespace berth
