// The nginx driver: one generated file per stage in conf_dir (nginx_config.h), then the
// configured test and reload commands. The file is written atomically; a rejected test, a
// failed reload or a reload that never takes effect puts the previous file back.
#pragma once

#include <chrono>
#include <mutex>
#include <string>
#include <vector>

#include "net/http.h"
#include "proxy/command_runner.h"
#include "proxy/proxy.h"

namespace berth::proxy {

struct NginxOptions {
  std::string conf_dir{};
  std::string listen{};                               // berth.yaml proxy.listen; "" = 80
  std::vector<std::string> test_argv{"nginx", "-t"};  // from splitCommandLine(test_cmd)
  std::vector<std::string> reload_argv{"nginx", "-s", "reload"};
  std::chrono::milliseconds command_timeout{std::chrono::seconds(30)};
  // After a reload, ask the marker location on new connections until only the new generation
  // answers for `settle_window` (nginx lets old workers accept for 100 ms after a reload), at
  // most `settle_timeout` (then not_effective). A zero timeout: do not check.
  std::chrono::milliseconds settle_timeout{std::chrono::seconds(10)};
  std::chrono::milliseconds settle_window{std::chrono::milliseconds(300)};
  // Where berth reaches the listener; empty: loopbackAddressFor(listen).
  std::string probe_address{};
};

class NginxProxy : public Proxy {
 public:
  // `commands` and `http` must outlive the proxy.
  NginxProxy(NginxOptions options, CommandRunner& commands, net::HttpClient& http);

  std::string_view driver() const override { return "nginx"; }
  void apply(const Route& route) override;
  std::optional<Route> current(const RouteKey& key) override;
  void remove(const RouteKey& key) override;
  ProbeResult probe(const Route& route, std::string_view path,
                    std::chrono::milliseconds timeout) override;

  const std::string& probeAddress() const { return probe_address_; }

 private:
  // Runs test then reload; on failure restores `previous` at `path` and throws.
  void testAndReload(const std::string& stage, const std::string& path,
                     const std::optional<std::string>& previous);
  // Waits until the marker answers `generation` through `host` (present) or anything else
  // (!present) on every fresh connection for settle_window; false on timeout.
  bool waitForGeneration(const std::string& host, const std::string& generation,
                         bool present = true);
  void removeLocked(const RouteKey& key);

  NginxOptions options_;
  CommandRunner& commands_;
  net::HttpClient& http_;
  std::string probe_address_;
  std::mutex mutex_;  // nginx's configuration is global: one change at a time
};

}  // namespace berth::proxy
