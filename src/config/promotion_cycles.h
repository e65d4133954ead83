// Promotion chains (`promote_from`) within one project must end at a stage that is deployed some
// other way; a cycle could never be entered, so it is a configuration mistake.
#pragma once

#include <string>
#include <vector>

namespace berth {

// `promote_from[i]` is the stage that stage `names[i]` promotes from ("" for none); names are
// unique. Returns each cycle once, as stage indexes in promotion order starting from the
// cycle's first stage in file order: for a <- b <- a (a promotes from b, b from a), {0, 1}.
// A stage promoting from itself is a cycle of one. Unknown names end a chain.
std::vector<std::vector<size_t>> findPromotionCycles(const std::vector<std::string>& names,
                                                     const std::vector<std::string>& promote_from);

}  // namespace berth
