#include "api/webhook/stage_choice.h"

namespace berth::api {
namespace {

StageChoice ignore(std::string why) {
  return StageChoice{.ignored = std::move(why)};
}

// "v2, latest"; a long list is cut after a few tags.
std::string list(const std::vector<std::string>& tags) {
  constexpr size_t kShown = 5;
  std::string out;
  for (size_t i = 0; i < tags.size() && i < kShown; ++i)
    out += (i == 0 ? "" : ", ") + tags[i];
  if (tags.size() > kShown) out += ", ... " + std::to_string(tags.size()) + " tags in all";
  return out;
}

}  // namespace

StageChoice chooseTag(const Stage& stage, const std::vector<std::string>& pushed_tags,
                      std::chrono::system_clock::time_point pushed_at) {
  if (!stage.promote_from.empty()) {
    return ignore("promoted from " + stage.promote_from + ": not deployed by webhooks");
  }
  if (!stage.auto_deploy) return ignore("auto_deploy is off");
  if (!stage.tags) return ignore("no tag policy: deployed by hand or by promotion only");
  auto policy = CompiledTagPolicy::compile(*stage.tags);
  if (!policy.ok()) return ignore(policy.error());

  std::vector<TagCandidate> candidates;
  for (const auto& tag : pushed_tags)
    candidates.push_back(TagCandidate{tag, pushed_at});
  auto best = policy->select(candidates);
  if (!best) {
    const std::string wanted =
        stage.tags->watch.empty() ? "the tag policy" : "the watched tag " + stage.tags->watch;
    return ignore("no pushed tag (" + list(pushed_tags) + ") matches " + wanted);
  }
  return StageChoice{.tag = *best, .policy = *policy};
}

}  // namespace berth::api
