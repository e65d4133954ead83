// Which registry tag a stage should run, decided by its TagPolicy (ARCHITECTURE.md §4).
//
// A tag is a candidate when it is a valid Docker tag, `match` finds it, and it has a sort key:
//  - match: ECMAScript regex with *search* semantics (std::regex_search), so it may match
//    anywhere unless the operator anchors it, as in '^main-[0-9a-f]{7,}$'. Empty matches all.
//  - order semver: the whole tag parsed by parseSemver ('v' prefix and "1.2" allowed); tags that
//    are not versions are skipped, and so are prereleases unless `prerelease: true`.
//  - order numeric: the first capture group of `match` if it has one, else the whole tag, read as
//    a non-negative decimal integer of any length ("007" == 7); others are skipped.
//  - order alphabetical: the same key, compared byte by byte.
//  - order pushed: the image creation time supplied by the caller; tags without one are skipped.
// The best tag is the greatest key (newest, highest); equal keys (e.g. several tags of one image
// under `pushed`) are ordered by the greater tag string, so the result never depends on the
// order the registry listed the tags in.
// A watch policy (`watch: latest`) follows one tag: that tag is the only candidate.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/model.h"
#include "core/result.h"

namespace berth {

struct TagCandidate {
  std::string tag;
  // Image creation time; only `order: pushed` needs it.
  std::optional<std::chrono::system_clock::time_point> pushed;
};

// nullopt for a usable policy; otherwise why not ("tag policy: match '(' is not a valid regular
// expression: ..."). Refused: an invalid regex, a regex with back-references or longer than
// 1000 characters (matching must stay linear in time and stack: core/linear_regex.h), `watch`
// with `match`, a non-default `order` or `prerelease` (TagPolicy cannot tell an explicit
// `order: semver` from the default, so the config parser must catch that one), an invalid
// `watch` tag, `prerelease` with an order other than semver.
std::optional<std::string> validateTagPolicy(const TagPolicy& policy);

// A policy with its regex compiled once: the poller ranks thousands of tags per check.
// Immutable after compile(), so one instance may be shared between threads.
class CompiledTagPolicy {
 public:
  // Fails with validateTagPolicy's message.
  static Result<CompiledTagPolicy> compile(const TagPolicy& policy);

  const TagPolicy& policy() const;

  // Whether `tag` would be a candidate (see above; under `pushed` no time is needed). The
  // webhook path uses this to decide whether a pushed tag concerns the stage.
  bool accepts(std::string_view tag) const;

  // The candidates, best first, each tag once.
  std::vector<std::string> rank(std::span<const TagCandidate> candidates) const;

  // The best candidate, or nullopt when none is acceptable.
  std::optional<std::string> select(std::span<const TagCandidate> candidates) const;

 private:
  struct State;  // keeps <regex> out of this header
  explicit CompiledTagPolicy(std::shared_ptr<const State> state);

  std::shared_ptr<const State> state_;  // shared: copies are cheap and never mutate it
};

// One-off conveniences that compile the policy on each call. They throw std::invalid_argument for
// a policy validateTagPolicy refuses (config import validates policies before anything runs).
bool policyAccepts(const TagPolicy& policy, std::string_view tag);
std::vector<std::string> rankTags(const TagPolicy& policy,
                                  std::span<const TagCandidate> candidates);
std::optional<std::string> selectTag(const TagPolicy& policy,
                                     std::span<const TagCandidate> candidates);

}  // namespace berth
