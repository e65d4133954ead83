#include "fakes/fake_proxy.h"

#include <algorithm>

namespace berth::fakes {

void FakeProxy::apply(const proxy::Route& route) {
  {
    std::lock_guard lock(mutex_);
    calls_.push_back("apply");
  }
  if (before_call) before_call("apply", route);
  std::lock_guard lock(mutex_);
  routes_[route.project + "/" + route.stage] = route;
  applied_.push_back(route);
}

std::optional<proxy::Route> FakeProxy::current(const proxy::RouteKey& key) {
  return routeOf(key.project, key.stage);
}

void FakeProxy::remove(const proxy::RouteKey& key) {
  {
    std::lock_guard lock(mutex_);
    calls_.push_back("remove");
  }
  if (before_call) before_call("remove", proxy::Route{key.project, key.stage, key.domains, {}, {}});
  std::lock_guard lock(mutex_);
  routes_.erase(key.project + "/" + key.stage);
}

proxy::ProbeResult FakeProxy::probe(const proxy::Route& route, std::string_view path,
                                    std::chrono::milliseconds) {
  {
    std::lock_guard lock(mutex_);
    calls_.push_back("probe");
  }
  if (before_call) before_call("probe", route);
  return proxy::ProbeResult{probe_status, "ok", "http://proxy" + std::string(path), "fake"};
}

std::optional<proxy::Route> FakeProxy::routeOf(const std::string& project,
                                               const std::string& stage) const {
  std::lock_guard lock(mutex_);
  auto it = routes_.find(project + "/" + stage);
  if (it == routes_.end()) return std::nullopt;
  return it->second;
}

std::vector<proxy::Route> FakeProxy::applied() const {
  std::lock_guard lock(mutex_);
  return applied_;
}

int FakeProxy::count(const std::string& call) const {
  std::lock_guard lock(mutex_);
  return static_cast<int>(std::count(calls_.begin(), calls_.end(), call));
}

void RecordingEventSink::publish(const deploy::Event& event) {
  std::lock_guard lock(mutex_);
  events_.push_back(event);
}

std::vector<deploy::Event> RecordingEventSink::events() const {
  std::lock_guard lock(mutex_);
  return events_;
}

std::vector<std::string> RecordingEventSink::statesOf(std::int64_t id) const {
  std::lock_guard lock(mutex_);
  std::vector<std::string> out;
  for (const auto& e : events_) {
    if (const auto* s = std::get_if<deploy::DeployStatusEvent>(&e); s && s->deploy_id == id) {
      out.push_back(toString(s->state));
    }
  }
  return out;
}

}  // namespace berth::fakes
