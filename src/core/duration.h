// Durations as operators write them: "500ms", "30s", "5m", "1h", "1m30s".
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/model.h"

namespace berth {

// Parses a sequence of <integer><unit> pairs, units ms, s, m, h, in decreasing order.
// Returns nullopt for anything else (empty, negative, unknown unit, overflow).
std::optional<Duration> parseDuration(std::string_view text);

// The canonical spelling: parseDuration(formatDuration(d)) == d for every d >= 0.
std::string formatDuration(Duration d);

}  // namespace berth
