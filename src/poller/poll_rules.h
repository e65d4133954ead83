// What the poller checks and what it deploys, as pure rules: no registry, no engine, no clock.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/deploy_state.h"
#include "core/model.h"
#include "core/result.h"
#include "registry/repository_ref.h"
#include "registry/update_check.h"

namespace berth::poller {

// Whether the poller checks `stage`: it has auto_deploy and a tag policy, and no promote_from
// (a promotion target moves only when someone promotes its source, never on a registry change).
bool isPolled(const Stage& stage);

// The stages of `project` the poller checks, in config order.
std::vector<const Stage*> polledStages(const Project& project);

// Where `project`'s images live ("ghcr.io/acme/web" -> ghcr.io + acme/web). Fails with
// parseImageRef's message for an image the config should not have accepted.
Result<registry::RepositoryRef> repositoryOf(const Project& project);

struct ImageToDeploy {
  std::string tag{};
  std::string digest{};
  bool operator==(const ImageToDeploy&) const = default;
};

// The image a decision asks for: NewerTag its tag and digest; SameTagNewDigest the running tag
// pinned to the new digest; nothing for UpToDate and Unknown.
std::optional<ImageToDeploy> imageToDeploy(const registry::UpdateDecision& decision,
                                           const std::optional<registry::RunningImage>& running);

// Whether a past deploy of the stage (its tag, digest and state) means the stage had `image`
// before, so the poller leaves it alone: the same tag and digest, whatever became of it, but
// for a deploy a crash interrupted (not a verdict on the image: the next process tries again).
bool hadImageBefore(const ImageToDeploy& image, std::string_view tag, std::string_view digest,
                    DeployState state);

}  // namespace berth::poller
