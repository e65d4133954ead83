// Process exit codes, documented in README.md ("Exit codes"); scripts and CI rely on them.
#pragma once

namespace berth {

enum ExitCode : int {
  kExitOk = 0,
  kExitFailure = 1,        // runtime error: database, file system, signal setup
  kExitUsage = 2,          // wrong command line
  kExitInvalidConfig = 3,  // the configuration file has errors; nothing was changed
};

}  // namespace berth
