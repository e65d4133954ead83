// Running the proxy's test and reload commands, as a seam: NginxProxy asks a CommandRunner,
// so unit tests script the answers of `nginx -t` (FakeCommandRunner in the tests) and
// production runs real programs (ProcessRunner).
#pragma once

#include <chrono>
#include <string>
#include <vector>

namespace berth::proxy {

struct CommandOutcome {
  int exit_code = -1;  // the program's exit code; 128+N if killed by signal N; -1 if not run
  bool timed_out = false;
  std::string output{};  // stdout and stderr interleaved (nginx reports on stderr), capped
  std::string error{};   // why the program could not be started, if it was not
  bool ok() const { return exit_code == 0 && !timed_out; }
};

class CommandRunner {
 public:
  virtual ~CommandRunner() = default;
  // Runs argv[0] (looked up in PATH) with `argv`, without a shell, stdin from /dev/null,
  // and kills it (SIGKILL) after `timeout`. Thread-safe.
  virtual CommandOutcome run(const std::vector<std::string>& argv,
                             std::chrono::milliseconds timeout) = 0;
};

// The real runner: posix_spawnp (safe in a multi-threaded process, unlike fork + exec with
// allocations in between), output through a pipe, at most 64 KiB kept.
class ProcessRunner : public CommandRunner {
 public:
  CommandOutcome run(const std::vector<std::string>& argv,
                     std::chrono::milliseconds timeout) override;
};

}  // namespace berth::proxy
