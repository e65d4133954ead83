// GET /api/projects/{p}/stages/{s}/tags: the tags a person may deploy to the stage, as the
// registry has them now, filtered and ranked by the stage's tag policy (best first), so the
// dashboard can offer them. At most kMaxTags; the registry is asked each time (a fresh answer
// matters more here than the cost of one listing).
#include <algorithm>
#include <nlohmann/json.hpp>

#include "api/api_error.h"
#include "api/lookup.h"
#include "api/route_groups.h"
#include "core/image_ref.h"
#include "core/tag_policy.h"
#include "registry/registry.h"

namespace berth::api {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxTags = 200;

// Best first: by the policy where it can rank without image times, else newest-looking first.
std::vector<std::string> candidates(const Stage& stage, std::vector<std::string> tags) {
  if (stage.tags && stage.tags->watch.empty() && stage.tags->order != TagOrder::pushed) {
    std::vector<TagCandidate> all;
    for (auto& tag : tags)
      all.push_back(TagCandidate{std::move(tag), std::nullopt});
    return rankTags(*stage.tags, all);
  }
  if (stage.tags) {
    std::erase_if(tags, [&](const std::string& tag) { return !policyAccepts(*stage.tags, tag); });
  }
  std::sort(tags.begin(), tags.end(), std::greater<>());
  return tags;
}

}  // namespace

void addTagRoutes(http::Router& router, const SharedDeps& deps) {
  router.get("/api/projects/{p}/stages/{s}/tags", guard([deps](const http::Request& request) {
               const Config config = deps->journal.config();
               const Project& project = requireProject(config, request.param("p"));
               const Stage& stage = requireStage(project, request.param("s"));
               if (deps->registry == nullptr)
                 throw ApiError(501, "not_implemented", "no registry client in this server");
               const auto image = parseImageRef(project.image);
               if (!image.ok()) throw conflict("project image: " + image.error());
               std::vector<std::string> tags;
               try {
                 tags = deps->registry->listTags(registry::RepositoryRef::of(*image));
               } catch (const std::exception& e) {
                 throw ApiError(503, "registry_unavailable",
                                std::string("could not list the registry's tags: ") + e.what());
               }
               auto ranked = candidates(stage, std::move(tags));
               const bool truncated = ranked.size() > kMaxTags;
               if (truncated) ranked.resize(kMaxTags);
               return http::Response::jsonText(
                   200,
                   json{{"tags", ranked},
                        {"truncated", truncated},
                        {"ranked_by_policy", stage.tags.has_value() && stage.tags->watch.empty() &&
                                                 stage.tags->order != TagOrder::pushed}}
                       .dump());
             }));
}

}  // namespace berth::api
