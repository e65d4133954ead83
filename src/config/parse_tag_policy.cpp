// A stage's `tags:` map: { match, order, prerelease } or { watch: <tag> } (ARCHITECTURE.md §4).
#include "config/parse_sections.h"
#include "core/model_names.h"
#include "core/reference_grammar.h"
#include "core/tag_policy.h"

namespace berth {
namespace {

// Function-local statics: a parse may run while another file's globals are being
// initialised (e.g. a test's constant), before this file's globals would exist.
const std::vector<std::string>& tagOrderNames() {
  static const std::vector<std::string> names{
      toString(TagOrder::semver), toString(TagOrder::numeric), toString(TagOrder::alphabetical),
      toString(TagOrder::pushed)};
  return names;
}

// core's messages start with "tag policy: "; ours already name the key.
std::string withoutPrefix(const std::string& message) {
  constexpr std::string_view kPrefix = "tag policy: ";
  return message.starts_with(kPrefix) ? message.substr(kPrefix.size()) : message;
}

}  // namespace

std::optional<TagPolicy> readTagPolicy(const MapReader& stage) {
  const auto r = stage.child("tags", {"match", "order", "prerelease", "watch"});
  if (!r) return std::nullopt;
  Diagnostics& diag = r->diagnostics();
  const size_t errors_before = diag.count();
  TagPolicy policy;

  if (r->string("watch", policy.watch)) {
    if (auto problem = tagProblem(policy.watch))
      r->error("watch", "expected an image tag such as latest: " + *problem);
    // A watched tag is followed by digest; ranking settings would be silently ignored.
    for (std::string_view key : {"match", "order", "prerelease"})
      if (r->has(key))
        r->error(key, "cannot be combined with watch (watch follows one tag by digest)");
    if (diag.count() != errors_before) return std::nullopt;
    if (auto problem = validateTagPolicy(policy)) {
      diag.error(r->where(), r->path(), withoutPrefix(*problem));
      return std::nullopt;
    }
    return policy;
  }

  // Each field is checked where it is written, so the error points at it; core's rules are then
  // applied to the whole policy, so config and the poller can never disagree about what is valid.
  if (r->string("match", policy.match)) {
    TagPolicy match_only;
    match_only.match = policy.match;
    if (auto problem = validateTagPolicy(match_only)) r->error("match", withoutPrefix(*problem));
  }
  r->enumeration("order", policy.order, parseTagOrder, tagOrderNames());
  if (r->boolean("prerelease", policy.prerelease) && policy.order != TagOrder::semver)
    r->error("prerelease",
             "only applies to order semver (order is " + toString(policy.order) + ")");
  if (diag.count() != errors_before) return std::nullopt;
  if (auto problem = validateTagPolicy(policy)) {
    diag.error(r->where(), r->path(), withoutPrefix(*problem));
    return std::nullopt;
  }
  return policy;
}

}  // namespace berth
