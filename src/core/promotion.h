// The promotion rule (ARCHITECTURE.md §2): a stage is promoted only to what its promote_from stage
// runs healthy, and then runs the same digest, not merely the same tag name.
#pragma once

#include <optional>
#include <string>

#include "core/image_ref.h"
#include "core/model.h"
#include "core/result.h"

namespace berth {

// What a stage currently serves, as recorded by the engine.
struct RunningImage {
  std::string tag;
  std::string digest;
  bool healthy = false;
};

// Whether `target` may be promoted now. `source_running` is what target.promote_from serves
// (nullopt: nothing); `requested_tag` is the tag the operator asked for, if any.
// On success: the project's image with the source's tag and digest, the exact thing to deploy.
// On refusal, a sentence naming what the source runs, e.g. "production promotes from staging,
// which runs ghcr.io/acme/web:v2 (sha256:abcd1234ef56…), not v3".
Result<ImageRef> checkPromotion(const Project& project, const Stage& target,
                                const std::optional<RunningImage>& source_running,
                                const std::optional<std::string>& requested_tag);

}  // namespace berth
