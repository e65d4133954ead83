#include "events/event_bus.h"

#include <chrono>
#include <deque>
#include <limits>
#include <mutex>
#include <utility>

namespace berth::events {

namespace detail {

using EnvelopePtr = std::shared_ptr<const Envelope>;

// Everything the bus and its subscriptions share. One mutex guards all of it, subscriber
// queues included: publish() then takes one lock for N subscribers instead of N locks, and
// take() holds it only to swap a vector.
struct BusCore {
  explicit BusCore(BusOptions o) : options(std::move(o)) {}

  const BusOptions options;
  std::mutex mutex;
  std::uint64_t first_id = 0;
  std::uint64_t next_id = 0;
  std::deque<EnvelopePtr> history;  // ids contiguous: history[i].id == history.front().id + i
  // Registered subscribers; each knows its slot so removal is a swap with the last one. The
  // shared_ptr cycle with Private::core is broken whenever a subscriber leaves this list.
  std::vector<std::shared_ptr<Subscription::Private>> subscribers;
  std::uint64_t published = 0;
  std::uint64_t overflows = 0;
  bool closed = false;

  void unregister(Subscription::Private& p);
};

}  // namespace detail

struct Subscription::Private {
  static constexpr std::size_t kNoSlot = std::numeric_limits<std::size_t>::max();

  Private(std::shared_ptr<detail::BusCore> c, Filter f, std::function<void()> w)
      : core(std::move(c)), filter(std::move(f)), wake(std::move(w)) {}

  const std::shared_ptr<detail::BusCore> core;
  const Filter filter;
  const std::function<void()> wake;  // immutable, so callable without the lock
  // Guarded by core->mutex:
  std::vector<detail::EnvelopePtr> queue;
  std::size_t slot = kNoSlot;
  bool overflowed = false;
  bool closed = false;
};

namespace {

using detail::EnvelopePtr;
using WakeList = std::vector<std::shared_ptr<Subscription::Private>>;

// Wakes outside the bus lock: a wake may take the server's locks, and a server thread holding
// one of those may be calling into the bus.
void wakeAll(const WakeList& list) {
  for (const auto& p : list)
    if (p->wake) p->wake();
}

std::uint64_t wallClockFirstId() {
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::system_clock::now().time_since_epoch())
                      .count();
  return static_cast<std::uint64_t>(ms) * 1000;
}

struct EnvelopeFields {
  std::string project;
  std::string stage;
  std::int64_t deploy_id;
};

EnvelopeFields fieldsOf(const deploy::Event& event) {
  return std::visit(
      [](const auto& e) {
        return EnvelopeFields{e.project, e.stage, e.deploy_id};
      },
      event);
}

// Only the id is missing; it is assigned under the lock so ids follow publication order.
std::shared_ptr<Envelope> envelopeWithoutId(const deploy::Event& event) {
  auto envelope = std::make_shared<Envelope>();
  auto fields = fieldsOf(event);
  envelope->type = deploy::eventType(event);
  envelope->project = std::move(fields.project);
  envelope->stage = std::move(fields.stage);
  envelope->deploy_id = fields.deploy_id;
  envelope->data = eventData(event);
  envelope->published_at = systemNow();
  envelope->event = event;
  return envelope;
}

EnvelopePtr resetEnvelope(std::uint64_t id) {
  auto envelope = std::make_shared<Envelope>();
  envelope->id = id;
  envelope->type = "stream.reset";
  envelope->data = "{}";
  envelope->published_at = systemNow();
  return envelope;
}

}  // namespace

void detail::BusCore::unregister(Subscription::Private& p) {
  if (p.slot == Subscription::Private::kNoSlot) return;
  const std::size_t slot = p.slot;
  p.slot = Subscription::Private::kNoSlot;
  if (slot != subscribers.size() - 1) {
    subscribers[slot] = std::move(subscribers.back());
    subscribers[slot]->slot = slot;
  }
  subscribers.pop_back();
}

bool Filter::matches(const Envelope& e) const {
  if (e.type == "stream.reset") return true;
  if (project && *project != e.project) return false;
  if (stage && *stage != e.stage) return false;
  if (deploy_id && *deploy_id != e.deploy_id) return false;
  return true;
}

EventBus::EventBus(BusOptions options)
    : core_(std::make_shared<detail::BusCore>(std::move(options))) {
  core_->first_id = core_->options.first_id.value_or(wallClockFirstId());
  core_->next_id = core_->first_id;
}

EventBus::~EventBus() {
  closeAll();
}

void EventBus::publish(const deploy::Event& event) {
  auto envelope = envelopeWithoutId(event);  // serialized once, outside the lock
  WakeList to_wake;
  {
    std::lock_guard lock(core_->mutex);
    auto& core = *core_;
    envelope->id = core.next_id++;
    ++core.published;
    EnvelopePtr shared = std::move(envelope);
    if (core.options.history > 0) {
      core.history.push_back(shared);
      if (core.history.size() > core.options.history) core.history.pop_front();
    }
    std::size_t overflowed = 0;
    for (const auto& p : core.subscribers) {
      if (!p->filter.matches(*shared)) continue;
      if (p->queue.size() >= core.options.subscriber_queue) {
        p->overflowed = true;
        ++overflowed;
        to_wake.push_back(p);
        continue;
      }
      if (p->queue.empty()) to_wake.push_back(p);
      p->queue.push_back(shared);
    }
    if (overflowed > 0) {
      core.overflows += overflowed;
      for (const auto& p : to_wake)
        if (p->overflowed) core.unregister(*p);
    }
  }
  wakeAll(to_wake);
}

std::shared_ptr<Subscription> EventBus::subscribe(Filter filter,
                                                  std::optional<std::uint64_t> last_event_id,
                                                  std::function<void()> wake) {
  auto p = std::make_shared<Subscription::Private>(core_, std::move(filter), std::move(wake));
  std::lock_guard lock(core_->mutex);
  auto& core = *core_;
  if (core.closed) {
    p->closed = true;
    return std::make_shared<Subscription>(std::move(p));
  }
  if (last_event_id) {
    const std::uint64_t last = *last_event_id;
    const std::uint64_t newest = core.next_id - 1;
    const std::uint64_t oldest_kept =
        core.history.empty() ? core.next_id : core.history.front()->id;
    // Issued by this process, and everything after it still kept: replay. Anything else means
    // the client missed events we can no longer give it.
    if (last >= core.first_id && last <= newest && last + 1 >= oldest_kept) {
      for (auto it = core.history.begin() + static_cast<std::ptrdiff_t>(last + 1 - oldest_kept);
           it != core.history.end(); ++it)
        if (p->filter.matches(**it)) p->queue.push_back(*it);
    } else if (last != newest) {
      p->queue.push_back(resetEnvelope(newest));
    }
  }
  p->slot = core.subscribers.size();
  core.subscribers.push_back(p);
  return std::make_shared<Subscription>(std::move(p));
}

std::uint64_t EventBus::lastId() const {
  std::lock_guard lock(core_->mutex);
  return core_->next_id - 1;
}

std::size_t EventBus::subscriberCount() const {
  std::lock_guard lock(core_->mutex);
  return core_->subscribers.size();
}

std::uint64_t EventBus::overflowCount() const {
  std::lock_guard lock(core_->mutex);
  return core_->overflows;
}

std::uint64_t EventBus::publishedCount() const {
  std::lock_guard lock(core_->mutex);
  return core_->published;
}

void EventBus::closeAll() {
  WakeList to_wake;
  {
    std::lock_guard lock(core_->mutex);
    core_->closed = true;
    to_wake.swap(core_->subscribers);
    for (const auto& p : to_wake) {
      p->closed = true;
      p->slot = Subscription::Private::kNoSlot;
    }
  }
  wakeAll(to_wake);
}

Subscription::Subscription(std::shared_ptr<Private> p) : p_(std::move(p)) {}

Subscription::~Subscription() {
  std::lock_guard lock(p_->core->mutex);
  p_->core->unregister(*p_);
}

std::vector<std::shared_ptr<const Envelope>> Subscription::take() {
  std::vector<std::shared_ptr<const Envelope>> taken;
  std::lock_guard lock(p_->core->mutex);
  taken.swap(p_->queue);
  return taken;
}

bool Subscription::overflowed() const {
  std::lock_guard lock(p_->core->mutex);
  return p_->overflowed;
}

bool Subscription::closed() const {
  std::lock_guard lock(p_->core->mutex);
  return p_->closed;
}

}  // namespace berth::events
