// One reader per webhook format (one file each); parse_webhook_event.cpp picks which one runs.
// Internal to the webhook library.
#pragma once

#include <string_view>

#include "api/webhook/payload_fields.h"
#include "api/webhook/webhook_event.h"
#include "core/result.h"

namespace berth::api::payload {

// {"tag": "v2"} or {"tags": ["v2", "latest"]}, optional "digest".
Result<WebhookEvent> parseGeneric(const Json& body);
// Docker Hub's repository webhook: push_data.tag, repository.repo_name.
Result<WebhookEvent> parseDockerHub(const Json& body);
// GitHub's `registry_package` or `package` event (`event` names which member holds it).
Result<WebhookEvent> parseGitHubPackage(const Json& body, std::string_view event);
// GitLab's Tag Push Hook and Pipeline Hook, told apart by object_kind.
Result<WebhookEvent> parseGitLab(const Json& body);

}  // namespace berth::api::payload
