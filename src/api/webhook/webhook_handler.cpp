#include "api/webhook/webhook_handler.h"

#include <openssl/rand.h>

#include <map>
#include <nlohmann/json.hpp>
#include <vector>

#include "api/webhook/stage_choice.h"
#include "api/webhook/webhook_auth.h"
#include "api/webhook/webhook_event.h"
#include "core/image_ref.h"

namespace berth::api {
namespace {

using Json = nlohmann::json;

http::Response unauthorized() {
  return http::Response::error(401, "unauthorized", "webhook authentication failed");
}

std::string header(const http::Request& request, std::string_view name) {
  return std::string(request.header(name).value_or(""));
}

std::string joined(const std::vector<std::string>& tags) {
  std::string out;
  for (const auto& tag : tags)
    out += (out.empty() ? "" : ",") + tag;
  return out;
}

std::string randomSecret() {
  // Failure leaves zeros: harmless, the decoy only costs time and a refusal is decided first.
  unsigned char bytes[32] = {};
  RAND_bytes(bytes, sizeof bytes);
  return std::string(reinterpret_cast<const char*>(bytes), sizeof bytes);
}

// Under these orders a pushed tag can rank below one the registry already has (a backport
// v1.2.4 after v2.0.0); under `pushed` and `watch` the pushed tag is the newest by definition.
bool ranksByTagName(const TagPolicy& policy) {
  return policy.watch.empty() && policy.order != TagOrder::pushed;
}

}  // namespace

// One delivery's state while it is dispatched: the event and the answer being built, and
// registry answers reused across stages (one HEAD per tag, one tag listing).
struct WebhookHandler::Delivery {
  WebhookEvent event{};
  Json deploys = Json::array();
  Json ignored = Json::array();
  std::map<std::string, std::optional<std::string>> digests{};  // tag -> digest; nullopt: absent
  std::optional<std::vector<std::string>> registry_tags{};

  void ignore(const std::string& stage, const std::string& reason) {
    ignored.push_back({{"stage", stage}, {"reason", reason}});
  }
  http::Response accepted() const {
    const Json body = {{"deploys", deploys}, {"ignored", ignored}};
    return http::Response::jsonText(202, body.dump(-1, ' ', false, Json::error_handler_t::replace));
  }
};

WebhookHandler::WebhookHandler(WebhookDeps deps)
    : deps_(std::move(deps)), decoy_secret_(randomSecret()), recent_(deps_.clock) {}

http::Response WebhookHandler::handle(const http::Request& request) {
  const std::string& project_name = request.param("project");
  const Config config = deps_.config();
  const Project* project = config.findProject(project_name);
  if (auto why = refusal(request, project)) {
    deps_.log.warn(
        "webhook refused",
        {{"project", project_name}, {"reason", *why}, {"remote", request.remote_address}});
    return unauthorized();
  }

  auto event = parseWebhookEvent(request.body,
                                 WebhookHeaders{.github_event = header(request, "X-GitHub-Event"),
                                                .gitlab_event = header(request, "X-Gitlab-Event")});
  if (!event.ok()) {
    deps_.log.info("webhook payload refused",
                   {{"project", project_name}, {"reason", event.error()}});
    return http::Response::error(400, "invalid_payload", event.error());
  }
  Delivery delivery{.event = std::move(*event)};
  deps_.log.info("webhook received", {{"project", project_name},
                                      {"source", delivery.event.source},
                                      {"tags", joined(delivery.event.tags)}});
  if (!delivery.event.ignored.empty()) {
    delivery.ignored.push_back({{"reason", delivery.event.ignored}});
    return delivery.accepted();
  }
  return dispatch(*project, delivery);
}

std::optional<std::string> WebhookHandler::refusal(const http::Request& request,
                                                   const Project* project) const {
  std::optional<std::string> why;
  std::optional<std::string> secret;
  if (project == nullptr) {
    why = "no such project";
  } else if (project->webhook_secret_env.empty()) {
    why = "the project has no webhook_secret_env";
  } else if (secret = deps_.env(project->webhook_secret_env); !secret || secret->empty()) {
    why = "environment variable " + project->webhook_secret_env + " is not set";
    secret.reset();
  }
  // Checked even when already refused, so every refusal costs the same.
  auto credential_problem = checkWebhookCredential(request, secret.value_or(decoy_secret_));
  return why ? why : credential_problem;
}

http::Response WebhookHandler::dispatch(const Project& project, Delivery& delivery) {
  const WebhookEvent& event = delivery.event;
  const auto image = parseImageRef(project.image);
  if (!image.ok()) {  // config import refuses such a project; answered, never thrown
    return http::Response::error(400, "invalid_project", "project image: " + image.error());
  }
  if (!event.repository.empty() && event.repository != image->repositoryRef()) {
    return http::Response::error(400, "invalid_payload",
                                 "the payload is about repository " + event.repository +
                                     ", but project " + project.name + " deploys " +
                                     image->repositoryRef());
  }
  const auto repo = registry::RepositoryRef::of(*image);

  struct Planned {
    std::string stage, tag, digest;
  };
  std::vector<Planned> planned;
  try {
    for (const Stage& stage : project.stages) {
      const StageChoice choice = chooseTag(stage, event.tags, deps_.clock.wallNow());
      if (!choice.ignored.empty()) {
        delivery.ignore(stage.name, choice.ignored);
        continue;
      }
      // The registry decides what the tag is: the payload may be forged, stale or name a
      // platform's manifest instead of the index.
      auto [cached, fresh] = delivery.digests.try_emplace(choice.tag);
      if (fresh) {
        try {
          cached->second = deps_.registry.manifestDigest(repo, choice.tag);
        } catch (const registry::RegistryError& e) {
          if (e.kind() != registry::RegistryError::Kind::not_found) throw;
        }
      }
      if (!cached->second) {
        delivery.ignore(stage.name,
                        "tag " + choice.tag + " is not in the registry " + repo.str() + " (yet)");
        continue;
      }
      const std::string& digest = *cached->second;
      if (!event.digest.empty() && event.digest != digest) {
        deps_.log.info("webhook digest differs from the registry's; deploying the registry's",
                       {{"project", project.name},
                        {"tag", choice.tag},
                        {"payload_digest", event.digest},
                        {"digest", digest}});
      }
      if (ranksByTagName(choice.policy->policy())) {
        if (!delivery.registry_tags) delivery.registry_tags = deps_.registry.listTags(repo);
        std::vector<TagCandidate> candidates{{choice.tag, std::nullopt}};
        for (const auto& tag : *delivery.registry_tags)
          candidates.push_back({tag, std::nullopt});
        // Deploying an older tag would be undone by the poller at its next check.
        if (auto best = choice.policy->select(candidates); best && *best != choice.tag) {
          delivery.ignore(stage.name, "the registry has " + *best +
                                          ", which the tag policy ranks above " + choice.tag);
          continue;
        }
      }
      planned.push_back({stage.name, choice.tag, digest});
    }
  } catch (const registry::RegistryError& e) {
    deps_.log.warn("webhook could not confirm tags with the registry",
                   {{"project", project.name}, {"error", e.what()}});
    return http::Response::error(
        503, "registry_unavailable",
        std::string("could not confirm the tag with the registry: ") + e.what());
  }

  for (const Planned& p : planned) {
    std::lock_guard lock(enqueue_mutex_);
    std::optional<std::int64_t> id = recent_.find(project.name, p.stage, p.digest);
    if (!id) {
      try {
        id = deps_.enqueue(deploy::DeployRequest{
            .project = project.name,
            .stage = p.stage,
            .tag = p.tag,
            .digest = p.digest,
            .trigger = DeployTrigger::webhook,
            .note = "webhook (" + event.source + "): tag " + p.tag,
        });
      } catch (const deploy::EngineShuttingDown& e) {
        // Not a verdict on the push: the sender must retry (after the restart).
        return http::Response::error(503, "unavailable", std::string(e.what()) + "; retry later");
      } catch (const deploy::EngineRefused& e) {
        delivery.ignore(p.stage, std::string("refused: ") + e.what());
        continue;
      } catch (const std::exception& e) {
        deps_.log.error("webhook could not queue a deploy",
                        {{"project", project.name}, {"stage", p.stage}, {"error", e.what()}});
        return http::Response::error(503, "unavailable",
                                     "the deploy could not be queued; retry later");
      }
      recent_.remember(project.name, p.stage, p.digest, *id);
      deps_.log.info("webhook queued a deploy", {{"project", project.name},
                                                 {"stage", p.stage},
                                                 {"tag", p.tag},
                                                 {"digest", p.digest},
                                                 {"deploy_id", *id}});
    }
    delivery.deploys.push_back(
        {{"id", *id}, {"stage", p.stage}, {"tag", p.tag}, {"digest", p.digest}});
  }
  return delivery.accepted();
}

}  // namespace berth::api
