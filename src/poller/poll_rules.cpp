#include "poller/poll_rules.h"

#include "core/image_ref.h"

namespace berth::poller {

bool isPolled(const Stage& stage) {
  return stage.auto_deploy && stage.tags.has_value() && stage.promote_from.empty();
}

std::vector<const Stage*> polledStages(const Project& project) {
  std::vector<const Stage*> out;
  for (const auto& stage : project.stages)
    if (isPolled(stage)) out.push_back(&stage);
  return out;
}

Result<registry::RepositoryRef> repositoryOf(const Project& project) {
  auto image = parseImageRef(project.image);
  if (!image) return Failure{image.error()};
  return registry::RepositoryRef::of(*image);
}

std::optional<ImageToDeploy> imageToDeploy(const registry::UpdateDecision& decision,
                                           const std::optional<registry::RunningImage>& running) {
  if (const auto* newer = std::get_if<registry::NewerTag>(&decision))
    return ImageToDeploy{newer->tag, newer->digest};
  if (const auto* same = std::get_if<registry::SameTagNewDigest>(&decision); same && running)
    return ImageToDeploy{running->tag, same->digest};
  return std::nullopt;
}

bool hadImageBefore(const ImageToDeploy& image, std::string_view tag, std::string_view digest,
                    DeployState state) {
  return !image.digest.empty() && image.tag == tag && image.digest == digest &&
         state != DeployState::interrupted;
}

}  // namespace berth::poller
