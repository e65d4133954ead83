// The two SSE bodies berth serves, as http::StreamSource values over the bus.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/deploy_state.h"
#include "events/event_bus.h"
#include "http/message.h"
#include "store/deploy_record.h"

namespace berth::events {

// GET /api/events: every event matching `filter`, after `last_event_id` if given (replayed
// from the bus history, see event_bus.h), then live. Ends (so the client reconnects and
// resumes) when the subscriber overflowed or the bus closed.
std::shared_ptr<http::StreamSource> busStream(EventBus& bus, Filter filter,
                                              std::optional<std::uint64_t> last_event_id);

// Where a deploy-log stream reads what happened before it connected.
struct DeployLogHistory {
  // The deploy's log lines with seq > after_seq, oldest first (the store).
  std::function<std::vector<DeployLogEntry>(std::int64_t after_seq)> lines;
  // The deploy's state now; nullopt if the deploy does not exist.
  std::function<std::optional<DeployState>()> state;
  // Optional: why it ended (the deploy's reason), for the end event when the deploy was
  // already final at connect time. Unset: "".
  std::function<std::string()> reason{};
};

// GET /api/deploys/{id}/log with Accept: text/event-stream. Event ids are the log line's seq
// (1, 2, ...), so Last-Event-ID resumes after that line. Sends the lines after `after_seq`
// from the store, then live lines from the bus (each line exactly once, in seq order), then,
// once the deploy is in a final state and every line is sent, one event
// "event: end\ndata: {"state":"succeeded","reason":""}" and ends. Each line is
// "id: SEQ\nevent: log\ndata: {"seq","ts","level","message"}" (log_line_json.h); a live line's
// ts is when the bus received it (within milliseconds of the stored one). An unknown deploy
// ends at once with {"state":null,"reason":"deploy N not found"}. The history functions are
// called from open()/next() (the connection's strand), so they must be quick; when one throws,
// the stream ends without an end event and the client reconnects.
std::shared_ptr<http::StreamSource> deployLogStream(EventBus& bus, std::int64_t deploy_id,
                                                    std::int64_t after_seq,
                                                    DeployLogHistory history);

}  // namespace berth::events
