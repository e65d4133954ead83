#include "core/tag_policy.h"

#include <algorithm>
#include <regex>
#include <stdexcept>
#include <unordered_set>
#include <utility>
#include <variant>

#include "core/linear_regex.h"
#include "core/model_names.h"
#include "core/reference_grammar.h"
#include "core/semver.h"

namespace berth {
namespace {

using TimePoint = std::chrono::system_clock::time_point;
// semver: the version; numeric: digits without leading zeros; alphabetical: the key text;
// pushed: the creation time.
using SortKey = std::variant<Semver, std::string, TimePoint>;

struct Ranked {
  const TagCandidate* candidate;
  SortKey key;
};

bool isDecimal(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

std::string withoutLeadingZeros(std::string_view digits) {
  const size_t first = digits.find_first_not_of('0');
  return first == std::string_view::npos ? "0" : std::string(digits.substr(first));
}

// Both are decimal strings without leading zeros, so the longer is larger: no overflow however
// long the number (build numbers, timestamps).
std::weak_ordering compareDecimal(const std::string& a, const std::string& b) {
  if (a.size() != b.size()) return a.size() <=> b.size();
  return a <=> b;
}

std::weak_ordering compareKeys(TagOrder order, const SortKey& a, const SortKey& b) {
  switch (order) {
    case TagOrder::semver:
      return comparePrecedence(std::get<Semver>(a), std::get<Semver>(b));
    case TagOrder::numeric:
      return compareDecimal(std::get<std::string>(a), std::get<std::string>(b));
    case TagOrder::alphabetical:
      return std::get<std::string>(a) <=> std::get<std::string>(b);
    case TagOrder::pushed:
      return std::get<TimePoint>(a) <=> std::get<TimePoint>(b);
  }
  return std::weak_ordering::equivalent;
}

// The regex compiler recurses once per nesting level, so a pattern of tens of thousands of '('
// overflows the stack; a tag is at most 128 characters, so a useful pattern is far shorter.
constexpr size_t kMaxMatchLength = 1000;

std::optional<std::regex> compileFilter(const std::string& match) {
  if (match.empty()) return std::nullopt;
  return std::regex(match, kLinearEcmaScript);
}

// The text `match` selects for sorting (capture group 1 or the whole tag), or nullopt when the
// tag does not pass the filter.
std::optional<std::string> filterKey(const std::optional<std::regex>& filter,
                                     std::string_view tag) {
  if (!isValidTag(tag)) return std::nullopt;
  if (!filter) return std::string(tag);
  std::match_results<std::string_view::const_iterator> found;
  try {
    if (!std::regex_search(tag.begin(), tag.end(), found, *filter)) return std::nullopt;
  } catch (const std::regex_error&) {
    // A pattern too complex for std::regex on this tag: treat it as not matching rather than
    // failing the whole poll.
    return std::nullopt;
  }
  if (filter->mark_count() == 0) return std::string(tag);
  return found[1].str();  // empty when the group did not take part in the match
}

// What `tag` is ranked by, or nullopt when it is not a candidate.
std::optional<SortKey> sortKey(const TagPolicy& policy, const std::optional<std::regex>& filter,
                               std::string_view tag, const std::optional<TimePoint>& pushed) {
  auto key = filterKey(filter, tag);
  if (!key) return std::nullopt;
  switch (policy.order) {
    case TagOrder::semver: {
      auto version = parseSemver(tag);
      if (!version || (version->isPrerelease() && !policy.prerelease)) return std::nullopt;
      return SortKey(std::move(*version));
    }
    case TagOrder::numeric:
      if (!isDecimal(*key)) return std::nullopt;
      return SortKey(withoutLeadingZeros(*key));
    case TagOrder::alphabetical:
      return SortKey(std::move(*key));
    case TagOrder::pushed:
      if (!pushed) return std::nullopt;
      return SortKey(*pushed);
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> validateTagPolicy(const TagPolicy& policy) {
  const std::string prefix = "tag policy: ";
  if (!policy.watch.empty()) {
    const std::string watching = prefix + "'watch' follows one tag and cannot be combined with ";
    if (!policy.match.empty()) return watching + "'match'";
    if (policy.order != TagOrder::semver) return watching + "'order'";
    if (policy.prerelease) return watching + "'prerelease'";
    if (auto problem = tagProblem(policy.watch)) return prefix + "watch: " + *problem;
    return std::nullopt;
  }
  if (policy.prerelease && policy.order != TagOrder::semver)
    return prefix + "'prerelease' applies only to order semver, not " + toString(policy.order);
  if (policy.match.size() > kMaxMatchLength)
    return prefix + "match is " + std::to_string(policy.match.size()) +
           " characters long; at most " + std::to_string(kMaxMatchLength) +
           " characters are allowed";
  try {
    (void)compileFilter(policy.match);
  } catch (const std::regex_error& e) {
    // Refused only by the linear-time matcher (core/linear_regex.h).
    if (e.code() == std::regex_constants::error_complexity)
      return prefix + "match '" + policy.match +
             "' uses back-references (\\1), which are not supported: they would make matching "
             "a tag take exponential time";
    return prefix + "match '" + policy.match + "' is not a valid regular expression: " + e.what();
  }
  return std::nullopt;
}

struct CompiledTagPolicy::State {
  TagPolicy policy;
  std::optional<std::regex> filter;  // none when match is empty
};

Result<CompiledTagPolicy> CompiledTagPolicy::compile(const TagPolicy& policy) {
  if (auto problem = validateTagPolicy(policy)) return Failure{*problem};
  auto filter = policy.watch.empty() ? compileFilter(policy.match) : std::nullopt;
  return CompiledTagPolicy(std::make_shared<const State>(State{policy, std::move(filter)}));
}

CompiledTagPolicy::CompiledTagPolicy(std::shared_ptr<const State> state)
    : state_(std::move(state)) {}

const TagPolicy& CompiledTagPolicy::policy() const {
  return state_->policy;
}

bool CompiledTagPolicy::accepts(std::string_view tag) const {
  const TagPolicy& policy = state_->policy;
  if (!policy.watch.empty()) return tag == policy.watch;
  // The caller of accepts() has no creation time; any filtered tag can be ranked by one.
  if (policy.order == TagOrder::pushed) return filterKey(state_->filter, tag).has_value();
  return sortKey(policy, state_->filter, tag, std::nullopt).has_value();
}

std::vector<std::string> CompiledTagPolicy::rank(std::span<const TagCandidate> candidates) const {
  const TagPolicy& policy = state_->policy;
  if (!policy.watch.empty()) {
    for (const auto& c : candidates)
      if (c.tag == policy.watch) return {c.tag};
    return {};
  }

  std::vector<Ranked> ranked;
  ranked.reserve(candidates.size());
  for (const auto& c : candidates)
    if (auto key = sortKey(policy, state_->filter, c.tag, c.pushed)) ranked.push_back({&c, *key});

  const TagOrder order = policy.order;
  std::sort(ranked.begin(), ranked.end(), [order](const Ranked& a, const Ranked& b) {
    const auto by_key = compareKeys(order, a.key, b.key);
    if (by_key != 0) return by_key > 0;
    return a.candidate->tag > b.candidate->tag;
  });

  std::vector<std::string> out;
  out.reserve(ranked.size());
  std::unordered_set<std::string_view> seen;
  for (const auto& r : ranked)
    if (seen.insert(r.candidate->tag).second) out.push_back(r.candidate->tag);
  return out;
}

std::optional<std::string> CompiledTagPolicy::select(
    std::span<const TagCandidate> candidates) const {
  auto ranked = rank(candidates);
  if (ranked.empty()) return std::nullopt;
  return std::move(ranked.front());
}

namespace {

CompiledTagPolicy compileOrThrow(const TagPolicy& policy) {
  auto compiled = CompiledTagPolicy::compile(policy);
  if (!compiled) throw std::invalid_argument(compiled.error());
  return std::move(compiled).value();
}

}  // namespace

bool policyAccepts(const TagPolicy& policy, std::string_view tag) {
  return compileOrThrow(policy).accepts(tag);
}

std::vector<std::string> rankTags(const TagPolicy& policy,
                                  std::span<const TagCandidate> candidates) {
  return compileOrThrow(policy).rank(candidates);
}

std::optional<std::string> selectTag(const TagPolicy& policy,
                                     std::span<const TagCandidate> candidates) {
  return compileOrThrow(policy).select(candidates);
}

}  // namespace berth
