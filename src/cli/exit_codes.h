// Process exit codes, documented in README.md ("Exit codes") and docs/cli.md; scripts and CI
// rely on them, so a code never changes meaning.
#pragma once

namespace berth {

enum ExitCode : int {
  kExitOk = 0,
  kExitFailure = 1,        // runtime error: database, file system, signal setup, server fault
  kExitUsage = 2,          // wrong command line
  kExitInvalidConfig = 3,  // the configuration file has errors; nothing was changed
  // The client commands (deploy, promote, rollback, status, logs, export --server):
  kExitUnreachable = 4,   // no answer from the server: refused connection, DNS, TLS, timeout
  kExitUnauthorized = 5,  // no usable API token, or the server answered 401 or 403
  kExitRefused = 6,       // the server refused the request (400, 404, 409, 503): it says why
  kExitDeployFailed = 7,  // the deploy ended failed, rolled_back, cancelled or interrupted
  kExitWaitTimeout = 8,   // --wait-timeout passed first; the deploy goes on on the server
};

}  // namespace berth
