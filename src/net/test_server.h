// A scripted HTTP server for the net tests: accepts one connection at a time on loopback TCP or
// a unix socket, records each request, and answers with what the test scripted (written in
// pieces with pauses, to exercise streaming). Test-only.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace berth::net::testing {

struct ScriptedReply {
  std::vector<std::string> pieces;         // written one after another
  std::chrono::milliseconds pause{0};      // between pieces
  std::chrono::milliseconds hold_open{0};  // after the last piece, before closing
};

class TestServer {
 public:
  // TCP on 127.0.0.1 with a free port, or a unix socket at `unix_path`.
  explicit TestServer(std::function<ScriptedReply(const std::string& request)> script,
                      std::string unix_path = "");
  ~TestServer();
  std::string url(const std::string& path) const;  // http://127.0.0.1:PORT/path
  const std::string& unixPath() const { return unix_path_; }
  std::vector<std::string> requests() const;

 private:
  void serve();
  std::function<ScriptedReply(const std::string&)> script_;
  std::string unix_path_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::thread thread_;
  mutable std::mutex mutex_;
  std::vector<std::string> requests_;
  std::atomic<bool> stopping_{false};
};

}  // namespace berth::net::testing
