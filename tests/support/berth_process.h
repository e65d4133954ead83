// A `berth serve` child process for end-to-end tests: started with a config file, its JSON log
// captured to a file, its API address read from the "berth started" line. Ended by SIGTERM
// (graceful, as an operator would) or, if a test fails midway, SIGKILL by its own PID.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace berth::testing {

class BerthProcess {
 public:
  // Starts `binary serve --config config --listen 127.0.0.1:0 args...` (no --listen of its
  // own when `args` has one) with `env` added to
  // this process's environment; stdout and stderr go to `log_file`.
  BerthProcess(const std::string& binary, const std::filesystem::path& config,
               const std::filesystem::path& log_file, std::vector<std::string> args = {},
               std::map<std::string, std::string> env = {});
  ~BerthProcess();  // SIGKILL if still running
  BerthProcess(const BerthProcess&) = delete;
  BerthProcess& operator=(const BerthProcess&) = delete;

  // Waits for the "berth started" log line; returns "http://127.0.0.1:PORT", or nullopt if the
  // process exited or `timeout` passed (the log then says why).
  std::optional<std::string> waitStarted(std::chrono::milliseconds timeout);

  // Sends `signal` and waits up to `timeout` for the exit; the exit code (128+N if killed by
  // signal N), or nullopt on timeout.
  std::optional<int> stop(int signal, std::chrono::milliseconds timeout);

  pid_t pid() const { return pid_; }
  std::string log() const;  // everything written so far

 private:
  pid_t pid_ = -1;
  std::filesystem::path log_file_;
};

}  // namespace berth::testing
