// An in-memory Proxy for the deploy engine's unit tests: keeps the current route per stage,
// records every call, and lets a test fail apply() or probe(). Test-only.
#pragma once

#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "deploy/deploy_events.h"
#include "proxy/proxy.h"

namespace berth::fakes {

class FakeProxy : public proxy::Proxy {
 public:
  // Called before apply/remove/probe with the call's name; throw ProxyError to fail it.
  std::function<void(const std::string& call, const proxy::Route& route)> before_call{};
  int probe_status = 200;

  std::string_view driver() const override { return "fake"; }
  void apply(const proxy::Route& route) override;
  std::optional<proxy::Route> current(const proxy::RouteKey& key) override;
  void remove(const proxy::RouteKey& key) override;
  proxy::ProbeResult probe(const proxy::Route& route, std::string_view path,
                           std::chrono::milliseconds timeout) override;

  std::optional<proxy::Route> routeOf(const std::string& project, const std::string& stage) const;
  std::vector<proxy::Route> applied() const;
  int count(const std::string& call) const;

 private:
  mutable std::mutex mutex_;
  std::map<std::string, proxy::Route> routes_;
  std::vector<proxy::Route> applied_;
  std::vector<std::string> calls_;
};

// Keeps every event, for assertions.
class RecordingEventSink : public deploy::EventSink {
 public:
  void publish(const deploy::Event& event) override;
  std::vector<deploy::Event> events() const;
  // The states deploy `id` went through, in order ("queued", "pulling", ...).
  std::vector<std::string> statesOf(std::int64_t id) const;

 private:
  mutable std::mutex mutex_;
  std::vector<deploy::Event> events_;
};

}  // namespace berth::fakes
