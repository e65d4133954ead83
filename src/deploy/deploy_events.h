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

// How far the image pull of a deploy is: what a progress bar shows. Not stored (the log has
// the pull's summary line); published at most a few times a second, and once more when the
// pull is over (`done`).
struct DeployProgressEvent {
  std::int64_t deploy_id = 0;
  std::string project{};
  std::string stage{};
  std::string step{};  // "pull"
  int layers_done = 0;
  int layers_total = 0;          // layers the daemon named so far
  std::int64_t bytes_done = 0;   // of the layers whose size is known
  std::int64_t bytes_total = 0;  // 0 while no size is known (a bar shows layers then)
  bool done = false;
};

using Event =
    std::variant<DeployLogEvent, DeployStatusEvent, InstanceStatusEvent, DeployProgressEvent>;

// "deploy.log", "deploy.status", "instance.status", "deploy.progress".
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
