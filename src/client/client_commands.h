// The client commands of `berth` (docs/cli.md): they talk to a running `berth serve` over its
// REST API with an API token, and return the process exit code (cli/exit_codes.h). Results go
// to `out`; progress, outcomes that are failures, and errors go to `err`.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>

#include "client/client_options.h"

namespace berth::client {

// deploy PROJECT STAGE TAG · promote PROJECT STAGE [TAG] · rollback PROJECT STAGE [DEPLOY]
struct StageAction {
  std::string action{};  // "deploy", "promote" or "rollback"
  std::string project{};
  std::string stage{};
  std::string tag{};           // deploy: required; promote: "" means whatever the source runs
  std::int64_t deploy_id = 0;  // rollback: 0 means the newest earlier image
};

// Queues the deploy; with --wait follows it to its end: 0 only when it succeeded.
int runStageAction(const StageAction& action, const ClientOptions& options, std::ostream& out,
                   std::ostream& err);

// status [PROJECT]: every project (or one) with its stages.
int runStatus(const std::string& project, const ClientOptions& options, std::ostream& out,
              std::ostream& err);

// logs DEPLOY [--follow]: the deploy's log; following, the exit code is the deploy's outcome.
int runLogs(std::int64_t deploy_id, bool follow, const ClientOptions& options, std::ostream& out,
            std::ostream& err);

// export --server URL [-o FILE]: the server's configuration as berth.yaml (admins only).
int runRemoteExport(const ClientOptions& options, const std::string& output_file, std::ostream& out,
                    std::ostream& err);

// healthcheck [--server URL]: 0 when GET /healthz answers 200 within 3 s, else 1 (Docker's
// HEALTHCHECK reads only 0 and 1). Needs no token.
int runHealthcheck(const std::string& server, std::ostream& out, std::ostream& err);

}  // namespace berth::client
