#include "core/promotion.h"

namespace berth {
namespace {

// "sha256:" and 12 hex digits identify an image to a reader, as `docker images` shows them.
std::string shortDigest(const std::string& digest) {
  const size_t colon = digest.find(':');
  constexpr size_t kShownHex = 12;
  if (colon == std::string::npos || digest.size() <= colon + 1 + kShownHex) return digest;
  return digest.substr(0, colon + 1 + kShownHex) + "…";
}

std::string describe(const Project& project, const RunningImage& image) {
  std::string out = project.image + ":" + image.tag;
  if (!image.digest.empty()) out += " (" + shortDigest(image.digest) + ")";
  return out;
}

}  // namespace

Result<ImageRef> checkPromotion(const Project& project, const Stage& target,
                                const std::optional<RunningImage>& source_running,
                                const std::optional<std::string>& requested_tag) {
  if (target.promote_from.empty())
    return Failure{project.name + "/" + target.name +
                   " has no promote_from stage, so it cannot be promoted"};
  if (target.promote_from == target.name)
    return Failure{target.name + " cannot promote from itself"};
  if (project.findStage(target.promote_from) == nullptr)
    return Failure{target.name + " promotes from " + target.promote_from +
                   ", which is not a stage of project " + project.name};

  const std::string prefix = target.name + " promotes from " + target.promote_from + ", which ";
  if (!source_running) return Failure{prefix + "runs nothing"};
  const RunningImage& source = *source_running;
  if (!source.healthy)
    return Failure{prefix + "runs " + describe(project, source) + ", not healthy"};
  // Promotion guarantees the same bytes, so a source without a recorded digest cannot be promoted.
  if (source.digest.empty())
    return Failure{prefix + "runs " + describe(project, source) + " with no recorded digest"};
  if (requested_tag && *requested_tag != source.tag)
    return Failure{prefix + "runs " + describe(project, source) + ", not " + *requested_tag};

  auto image = parseImageRef(project.image);
  if (!image) return Failure{"project " + project.name + ": " + image.error()};
  try {
    return image->withTag(source.tag).withDigest(source.digest);
  } catch (const std::invalid_argument& e) {
    // The engine recorded something that is not a valid tag or digest: refuse, do not guess.
    return Failure{prefix + "runs " + describe(project, source) +
                   ", which cannot be deployed: " + e.what()};
  }
}

}  // namespace berth
