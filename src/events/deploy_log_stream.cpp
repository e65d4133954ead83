// GET /api/deploys/{id}/log as an SSE body: stored lines, then live ones (with live image-pull
// "progress" between them), then "end".
//
// No line is lost or sent twice because the stream subscribes to the bus before it reads the
// store: a line appended before the read is in the store, one appended after it arrives live,
// and one that is both is recognised by its seq. The store, not the bus, has the last word:
// whenever the bus shows something the stream cannot account for (a seq gap, the final state)
// it reads the store again.
#include <exception>
#include <nlohmann/json.hpp>
#include <utility>

#include "events/log_line_json.h"
#include "events/sse_frame.h"
#include "events/streams.h"

namespace berth::events {
namespace {

class DeployLogStream final : public http::StreamSource {
 public:
  DeployLogStream(EventBus& bus, std::int64_t deploy_id, std::int64_t after_seq,
                  DeployLogHistory history)
      : bus_(bus), deploy_id_(deploy_id), last_sent_(after_seq), history_(std::move(history)) {}

  void open(std::function<void()> wake) override {
    subscription_ = bus_.subscribe(Filter{.deploy_id = deploy_id_}, std::nullopt, std::move(wake));
    guarded([&] {
      // State before lines: if it is final now, every line was stored before the read below.
      const auto state = history_.state();
      if (!state)
        return finish(std::nullopt, "deploy " + std::to_string(deploy_id_) + " not found");
      sendStoredLines();
      if (isFinal(*state)) finish(state, history_.reason ? history_.reason() : "");
    });
  }

  Chunk next() override {
    if (!done_ && subscription_) {
      // Read before take(): once cut off, nothing more is queued, so this take() gets the rest.
      const bool cut_off = subscription_->overflowed() || subscription_->closed();
      guarded([&] {
        for (const auto& envelope : subscription_->take()) {
          if (envelope->event) handle(*envelope, *envelope->event);
          if (done_) return;
        }
      });
      // Without an end event: the client reconnects with Last-Event-ID and resumes from the
      // store.
      if (cut_off) done_ = true;
    }
    return {.data = std::exchange(pending_, {}), .end = done_ || !subscription_};
  }

  void close() override {
    subscription_.reset();
    done_ = true;
  }

 private:
  void handle(const Envelope& envelope, const deploy::Event& event) {
    if (const auto* line = std::get_if<deploy::DeployLogEvent>(&event)) {
      if (line->seq <= last_sent_) return;  // already sent from the store
      // A gap: lines published out of order; the store has them all, in order.
      if (line->seq > last_sent_ + 1) sendStoredLines();
      if (line->seq <= last_sent_) return;
      send({.deploy_id = line->deploy_id,
            .seq = line->seq,
            .ts = envelope.published_at,
            .level = line->level,
            .message = line->message});
    } else if (std::holds_alternative<deploy::DeployProgressEvent>(event)) {
      // No id: progress is not stored, so there is nothing to resume from.
      pending_ += sseFrame(std::nullopt, "progress", envelope.data);
    } else if (const auto* status = std::get_if<deploy::DeployStatusEvent>(&event)) {
      if (!isFinal(status->state)) return;
      // Lines logged just before the final state may not have reached this subscriber yet.
      sendStoredLines();
      finish(status->state, status->reason);
    }
  }

  void sendStoredLines() {
    for (const auto& line : history_.lines(last_sent_))
      if (line.seq > last_sent_) send(line);
  }

  void send(const DeployLogEntry& line) {
    pending_ += sseFrame(static_cast<std::uint64_t>(line.seq), "log", logLineJson(line));
    last_sent_ = line.seq;
  }

  void finish(std::optional<DeployState> state, const std::string& reason) {
    nlohmann::ordered_json data = {{"state", nullptr}, {"reason", reason}};
    if (state) data["state"] = toString(*state);
    // No id: the client's Last-Event-ID stays the last line's seq.
    pending_ +=
        sseFrame(std::nullopt, "end",
                 data.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace));
    done_ = true;
  }

  // The history functions read the store; a failure there ends this stream (the client
  // reconnects), never the server.
  template <typename F>
  void guarded(F&& body) {
    try {
      body();
    } catch (const std::exception&) {
      done_ = true;
    }
  }

  EventBus& bus_;
  const std::int64_t deploy_id_;
  std::int64_t last_sent_;
  DeployLogHistory history_;
  std::shared_ptr<Subscription> subscription_;
  std::string pending_;  // framed events not yet handed to the server
  bool done_ = false;
};

}  // namespace

std::shared_ptr<http::StreamSource> deployLogStream(EventBus& bus, std::int64_t deploy_id,
                                                    std::int64_t after_seq,
                                                    DeployLogHistory history) {
  return std::make_shared<DeployLogStream>(bus, deploy_id, after_seq, std::move(history));
}

}  // namespace berth::events
