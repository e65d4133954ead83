// GET /api/events as an SSE body: bus envelopes framed as they come.
#include "events/streams.h"

namespace berth::events {
namespace {

class BusStream final : public http::StreamSource {
 public:
  BusStream(EventBus& bus, Filter filter, std::optional<std::uint64_t> last_event_id)
      : bus_(bus), filter_(std::move(filter)), last_event_id_(last_event_id) {}

  void open(std::function<void()> wake) override {
    subscription_ = bus_.subscribe(std::move(filter_), last_event_id_, std::move(wake));
  }

  Chunk next() override {
    if (!subscription_) return {.data = "", .end = true};
    // Read before take(): once cut off, nothing more is queued, so this take() gets the rest.
    const bool cut_off = subscription_->overflowed() || subscription_->closed();
    Chunk chunk;
    for (const auto& envelope : subscription_->take())
      chunk.data += formatSse(*envelope);
    chunk.end = cut_off;
    return chunk;
  }

  void close() override { subscription_.reset(); }

 private:
  EventBus& bus_;
  Filter filter_;
  std::optional<std::uint64_t> last_event_id_;
  std::shared_ptr<Subscription> subscription_;
};

}  // namespace

std::shared_ptr<http::StreamSource> busStream(EventBus& bus, Filter filter,
                                              std::optional<std::uint64_t> last_event_id) {
  return std::make_shared<BusStream>(bus, std::move(filter), last_event_id);
}

}  // namespace berth::events
