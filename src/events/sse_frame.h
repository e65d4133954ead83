// text/event-stream framing (the HTML Living Standard's "Server-sent events").
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace berth::events {

// One event: "id: N\nevent: TYPE\ndata: ...\n\n". Without an id the client keeps its last one,
// so a reconnect still resumes from the last event that had one. Line breaks in `data` become
// several data: lines, which the client joins back with "\n".
std::string sseFrame(std::optional<std::uint64_t> id, std::string_view type, std::string_view data);

}  // namespace berth::events
