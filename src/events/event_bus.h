// The in-process event bus: the engine publishes deploy.log, deploy.status and
// instance.status (deploy/deploy_events.h); SSE streams subscribe.
//
// Ids: every published event gets the next id of one global counter. The first id of a process
// is derived from the wall clock at start-up (milliseconds since the epoch times 1000), so ids
// also grow across restarts and a client's Last-Event-ID from an earlier process is recognised
// as "older than anything kept".
//
// Resuming: the bus keeps the last `history` events. subscribe(filter, last_event_id) first
// replays the kept events after last_event_id that match the filter, then delivers live ones,
// with no gap and no duplicate (replay and registration happen under one lock). When events
// after last_event_id are no longer kept (or the id is not one this process could have issued)
// the subscriber first gets one `stream.reset` event: it missed events and should reload state.
//
// The reset carries the newest id issued so far: resuming from it later is valid. Replay does
// not follow a reset (the client reloads state instead; see docs).
//
// Back-pressure: each subscriber has a bounded queue. publish() never blocks and never waits
// for a subscriber: one whose queue is full is marked overflowed and receives nothing more;
// its stream ends and the client resumes with Last-Event-ID (replayed from history).
//
// Cost: publish() serializes the event once; subscribers share the one immutable Envelope, so
// fanning out to N subscribers costs N filter checks and N pointer copies.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "deploy/deploy_events.h"
#include "store/timestamp.h"

namespace berth::events {

struct Envelope {
  std::uint64_t id = 0;
  std::string type{};     // "deploy.log", "deploy.status", "instance.status", "stream.reset"
  std::string project{};  // "" for stream.reset
  std::string stage{};
  std::int64_t deploy_id = 0;            // 0 when the event is not about one deploy
  std::string data{};                    // the event as one line of JSON (no newline)
  Timestamp published_at{};              // wall clock when the bus received it
  std::optional<deploy::Event> event{};  // the typed event; nullopt for stream.reset
};

struct Filter {
  std::optional<std::string> project{};
  std::optional<std::string> stage{};
  std::optional<std::int64_t> deploy_id{};
  bool matches(const Envelope& e) const;  // stream.reset always matches
};

class Subscription;
namespace detail {
struct BusCore;  // event_bus.cpp
}

struct BusOptions {
  std::size_t history = 10'000;             // events kept for Last-Event-ID replay
  std::size_t subscriber_queue = 1'024;     // events waiting per subscriber before it overflows
  std::optional<std::uint64_t> first_id{};  // tests; default from the wall clock (see above)
};

class EventBus : public deploy::EventSink {
 public:
  explicit EventBus(BusOptions options = {});
  ~EventBus() override;

  // Thread-safe, never blocks on subscribers. Calls their `wake` without the bus lock held
  // hostage: a wake must be cheap (post to a strand) and must not call back into the bus.
  void publish(const deploy::Event& event) override;

  // A new subscription; `wake` is called (from the publishing thread) when its queue goes from
  // empty to not empty, when it overflows and when it is closed: once per batch, not once per
  // event, so the woken side must take() everything. Replayed events are queued before this
  // returns (no wake for them).
  std::shared_ptr<Subscription> subscribe(Filter filter, std::optional<std::uint64_t> last_event_id,
                                          std::function<void()> wake);

  std::uint64_t lastId() const;          // id of the newest event published (first_id - 1: none)
  std::size_t subscriberCount() const;   // open subscriptions
  std::uint64_t overflowCount() const;   // subscribers dropped for falling behind, ever
  std::uint64_t publishedCount() const;  // events published, ever

  // Ends every subscription (server shutdown): each is marked closed and woken.
  void closeAll();

 private:
  // Shared with every Subscription, so a subscription outliving the bus stays valid (closed).
  std::shared_ptr<detail::BusCore> core_;
};

class Subscription {
 public:
  ~Subscription();  // unsubscribes
  Subscription(const Subscription&) = delete;
  Subscription& operator=(const Subscription&) = delete;
  // Everything queued so far, oldest first (may be empty). Envelopes are shared with other
  // subscribers and the history, hence immutable. Thread-safe.
  std::vector<std::shared_ptr<const Envelope>> take();
  // Fell behind: nothing more will arrive; the stream should end after what take() returns.
  // Check it (or closed()) before take(): once set, one more take() returns all there is.
  bool overflowed() const;
  // closeAll() was called or the bus is gone.
  bool closed() const;
  // Internal: constructed by EventBus only.
  struct Private;
  explicit Subscription(std::shared_ptr<Private> p);

 private:
  std::shared_ptr<Private> p_;
};

// Serializes an engine event as the JSON `data` of its envelope (no newline), e.g.
// {"deploy_id":7,"project":"web","stage":"staging","state":"succeeded","reason":""}.
std::string eventData(const deploy::Event& event);

// text/event-stream framing of one envelope: "id: N\nevent: TYPE\ndata: JSON\n\n". Data that
// contains line breaks becomes several data: lines (which the client joins back with "\n").
std::string formatSse(const Envelope& envelope);

}  // namespace berth::events
