// What the deploy engine tells the outside world while it works, as typed values, and the
// EventSink seam it publishes them through. Minimal on purpose: the real bus (sequence ids,
// bounded per-subscriber queues, SSE) comes with src/events/ and implements EventSink.
#pragma once

#include <cstdint>
#include <string>
#include <variant>

#include "core/deploy_state.h"

namespace berth::deploy {

// One line appended to a deploy's log (the store holds the same line with the same seq).
struct DeployLogEvent {
  std::int64_t deploy_id = 0;
  std::string project{};
  std::string stage{};
  std::int64_t seq = 0;
  std::string level{};  // debug | info | warn | error
  std::string message{};
};

// A deploy moved to `state` (journalled before this is published).
struct DeployStatusEvent {
  std::int64_t deploy_id = 0;
  std::string project{};
  std::string stage{};
  DeployState state = DeployState::queued;
  std::string reason{};
};

// An instance (container) of a stage changed: created, started, healthy, unhealthy, exited,
// stopped, removed.
struct InstanceStatusEvent {
  std::string project{};
  std::string stage{};
  std::int64_t deploy_id = 0;
  std::string container{};  // name
  std::string color{};
  std::string status{};
};

using Event = std::variant<DeployLogEvent, DeployStatusEvent, InstanceStatusEvent>;

// "deploy.log", "deploy.status", "instance.status".
std::string eventType(const Event& event);

// Where events go. publish() is called from deploy worker threads and must not block for long:
// a slow subscriber must never slow a deploy. Implementations are thread-safe.
class EventSink {
 public:
  virtual ~EventSink() = default;
  virtual void publish(const Event& event) = 0;
};

// Drops everything (for tools and tests that do not care).
class NullEventSink : public EventSink {
 public:
  void publish(const Event&) override {}
};

}  // namespace berth::deploy
