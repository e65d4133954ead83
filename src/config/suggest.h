// "Did you mean ...?" for misspelt keys, enum values and stage names.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace berth {

// The candidate closest to `word` by edit distance, if it is close enough to be a plausible typo
// (at most a third of the word's length, and at least 2 edits allowed). Ties go to the earlier
// candidate so the answer is deterministic.
std::optional<std::string> closestMatch(std::string_view word,
                                        const std::vector<std::string>& candidates);

// "a, b, c" for messages that list the allowed values.
std::string joinList(const std::vector<std::string>& items);

}  // namespace berth
