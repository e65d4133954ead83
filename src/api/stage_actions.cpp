// POST /api/projects/{p}/stages/{s}/deploys | promote | rollback: ask the engine for a deploy
// and answer 202 with it. The request is checked here first (404 for an unknown project or
// stage, 400 for a bad body) so that what reaches the engine and is refused there (409) is a
// refusal about berth's state, such as a promotion whose source is unhealthy.
#include "api/api_error.h"
#include "api/json_views.h"
#include "api/lookup.h"
#include "api/request_body.h"
#include "api/route_groups.h"
#include "core/image_ref.h"
#include "registry/registry_error.h"

namespace berth::api {
namespace {

struct Target {
  std::string project;
  std::string stage;
  std::string image;  // the project's image repository, e.g. ghcr.io/acme/web
};

Target requireTarget(const deploy::Journal& journal, const http::Request& request) {
  const Config config = journal.config();
  const Project& project = requireProject(config, request.param("p"));
  return Target{project.name, requireStage(project, request.param("s")).name, project.image};
}

// A manual deploy of an image the registry says it does not have is refused here (404),
// instead of being queued to fail in the pull. Only a definite "not found" refuses: when the
// registry cannot be asked (down, rate-limited, credentials), the deploy is queued and its
// pull says what is wrong.
void requireImageInRegistry(registry::Registry* registry, const Target& target,
                            const DeployBody& body) {
  if (registry == nullptr) return;
  const auto image = parseImageRef(target.image);
  if (!image.ok()) return;
  const std::string reference = body.digest.empty() ? body.tag : body.digest;
  try {
    registry->manifestDigest(registry::RepositoryRef::of(*image), reference);
  } catch (const registry::RegistryError& e) {
    if (e.kind() != registry::RegistryError::Kind::not_found) return;
    throw notFound(std::string("the registry has no ") +
                   (body.digest.empty() ? "tag " : "digest ") + reference + " of " + target.image);
  } catch (const std::exception&) {
    // Not the registry's answer (a network error): the pull will tell.
  }
}

http::Response accepted(const deploy::Journal& journal, std::int64_t id) {
  return http::Response::jsonText(202, deployBody(requireDeploy(journal, id)));
}

}  // namespace

void addStageActions(http::Router& router, const SharedDeps& deps) {
  router.post("/api/projects/{p}/stages/{s}/deploys", guard([deps](const http::Request& request) {
                const Target target = requireTarget(deps->journal, request);
                const DeployBody body = parseDeployBody(request);
                requireImageInRegistry(deps->registry, target, body);
                const auto id =
                    deps->engine.enqueue(deploy::DeployRequest{.project = target.project,
                                                               .stage = target.stage,
                                                               .tag = body.tag,
                                                               .digest = body.digest,
                                                               .trigger = DeployTrigger::manual,
                                                               .note = ""});
                return accepted(deps->journal, id);
              }));

  router.post("/api/projects/{p}/stages/{s}/promote", guard([deps](const http::Request& request) {
                const Target target = requireTarget(deps->journal, request);
                const PromoteBody body = parsePromoteBody(request);
                return accepted(deps->journal,
                                deps->engine.promote(target.project, target.stage, body.tag));
              }));

  router.post("/api/projects/{p}/stages/{s}/rollback", guard([deps](const http::Request& request) {
                const Target target = requireTarget(deps->journal, request);
                const RollbackBody body = parseRollbackBody(request);
                return accepted(deps->journal, deps->engine.rollback(target.project, target.stage,
                                                                     body.deploy_id));
              }));
}

}  // namespace berth::api
