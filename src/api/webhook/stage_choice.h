// Which pushed tag, if any, a webhook deploys to one stage. Pure: no registry, no engine.
// A stage is deployed by webhooks when it has auto_deploy, a tag policy and no promote_from
// (a promoted stage must run what its source runs, never a fresh push). Of the pushed tags
// the policy accepts, the best by the policy wins; `watch: latest` accepts only "latest".
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "core/model.h"
#include "core/tag_policy.h"

namespace berth::api {

struct StageChoice {
  std::string tag{};      // the tag to deploy; empty when `ignored` says why not
  std::string ignored{};  // "promoted from staging: not deployed by webhooks", ...
  std::optional<CompiledTagPolicy> policy{};  // set with `tag`
};

// `pushed_at`: when the tags were pushed (now), for `order: pushed`, under which all tags of
// one push tie and the greater tag string wins, as in tag_policy.h.
StageChoice chooseTag(const Stage& stage, const std::vector<std::string>& pushed_tags,
                      std::chrono::system_clock::time_point pushed_at);

}  // namespace berth::api
