// POST /api/webhook/{project}: a CI or a registry says "I pushed these tags"; berth checks
// the sender knows the project's secret (webhook_auth.h), reads the payload
// (webhook_event.h), confirms each tag and its digest against the registry (a webhook is a
// hint, never the truth), and queues a deploy on every stage that follows such a tag
// (stage_choice.h), at most once per (stage, digest) (recent_deploys.h).
//
// Answers:
//  202 {"deploys":[{"id","stage","tag","digest"}],"ignored":[{"stage"?,"reason"}]}, also when
//      nothing is deployed (a ping, an untagged GHCR event, no matching stage): the sender
//      must not retry those;
//  400 an authenticated but unreadable payload, or one about another repository; the message
//      names the field;
//  401 the same body for an unknown project, a project without a secret, and a missing or
//      wrong credential, so a caller learns nothing about which projects exist (the operator's
//      log says which it was);
//  503 the registry could not confirm the tag, or the deploy could not be queued: retry later.
// Never 500: every input is answered by one of the above.
#pragma once

#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>

#include "api/webhook/recent_deploys.h"
#include "core/clock.h"
#include "core/model.h"
#include "deploy/engine.h"
#include "http/message.h"
#include "log/logger.h"
#include "registry/registry.h"

namespace berth::api {

struct WebhookDeps {
  std::function<Config()> config;  // current configuration
  registry::Registry& registry;    // to confirm tag and digest
  // Engine::enqueue in production; may throw deploy::EngineRefused.
  std::function<std::int64_t(const deploy::DeployRequest&)> enqueue;
  // The value of an environment variable (the process environment in production).
  std::function<std::optional<std::string>(const std::string& name)> env;
  Clock& clock;
  Logger log;
};

// Thread-safe: the server calls handle() from several workers at once.
class WebhookHandler {
 public:
  explicit WebhookHandler(WebhookDeps deps);
  // request.params["project"] is set by the router.
  http::Response handle(const http::Request& request);

 private:
  struct Delivery;
  std::optional<std::string> refusal(const http::Request& request, const Project* project) const;
  http::Response dispatch(const Project& project, Delivery& delivery);

  WebhookDeps deps_;
  // Checked against when a project has no secret, so refusing an unknown project takes as long
  // as refusing a wrong secret. Random per process: nothing can match it.
  std::string decoy_secret_;
  std::mutex enqueue_mutex_;  // makes "recently queued?" and "queue it" one step
  RecentDeploys recent_;
};

}  // namespace berth::api
