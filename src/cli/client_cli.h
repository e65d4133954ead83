// The client commands on berth's command line (src/client/, docs/cli.md): deploy, promote,
// rollback, status, logs and healthcheck, and the --server form of export. They talk to a
// running `berth serve` over its REST API instead of opening the database.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>

#include "client/client_commands.h"

namespace CLI {
class App;
}

namespace berth {

class ClientCli {
 public:
  // Adds the client subcommands to `app`, and --server and --token-file to `export_cmd`.
  ClientCli(CLI::App& app, CLI::App& export_cmd);

  // True when `berth export` was given --server: it then asks that server, not the database.
  bool exportIsRemote() const { return !options_.server.empty(); }
  int runRemoteExport(const std::string& output_file, std::ostream& out, std::ostream& err) const;

  // The exit code of the client command that was parsed; nullopt when none of them was.
  std::optional<int> run(std::ostream& out, std::ostream& err);

 private:
  client::ClientOptions options_;
  client::StageAction action_;
  std::string status_project_;
  std::int64_t log_deploy_id_ = 0;
  bool follow_ = false;
  std::string output_ = "text";
  CLI::App* deploy_ = nullptr;
  CLI::App* promote_ = nullptr;
  CLI::App* rollback_ = nullptr;
  CLI::App* status_ = nullptr;
  CLI::App* logs_ = nullptr;
  CLI::App* healthcheck_ = nullptr;
};

}  // namespace berth
