// What a webhook delivery announces, whichever CI or registry sent it: the tags pushed, maybe
// a digest, and the image repository it is about. Parsing is pure (no registry, no config), so
// each format is unit-tested on sample payloads and fuzzed on mutations of them.
//
// Formats, chosen by header first and body shape second:
//  - GitHub (X-GitHub-Event: registry_package or package; ping is acknowledged):
//    <event>.package_version.container_metadata.tag.{name,digest}, repository
//    ghcr.io/<namespace>/<name>. Packages that are not containers are acknowledged, ignored.
//  - GitLab (X-Gitlab-Event, or an object_kind member): a Tag Push Hook
//    (ref "refs/tags/<tag>"; a deleted tag is ignored) or a Pipeline Hook of a tag pipeline that
//    succeeded (object_attributes.ref with tag: true). GitLab names a source project, not an
//    image, so no repository is checked.
//  - Docker Hub (a push_data member): push_data.tag, repository docker.io/<repository.repo_name>.
//  - generic: {"tag": "v2"} or {"tags": ["v2", "latest"]}, optional "digest".
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace berth::api {

// The request headers that decide how a body is read; empty when absent.
struct WebhookHeaders {
  std::string github_event{};  // X-GitHub-Event
  std::string gitlab_event{};  // X-Gitlab-Event
};

struct WebhookEvent {
  std::string source{};             // "generic", "Docker Hub", "GitHub", "GitLab"
  std::vector<std::string> tags{};  // valid Docker tags, each once, in payload order
  std::string digest{};             // valid "sha256:..." if the payload names one: only a hint
  // The image repository the payload is about, as ImageRef::repositoryRef() writes it
  // ("docker.io/acme/web"); empty when the payload names none.
  std::string repository{};
  // Non-empty for a well-formed delivery that asks for nothing: why (a ping, an untagged
  // platform manifest, a deleted tag). Answered 202 so the sender does not retry.
  std::string ignored{};
};

// The event in `body`, or why it cannot be read: the message names the offending field
// ("push_data.tag: expected a string, got number") or the shapes that were expected.
Result<WebhookEvent> parseWebhookEvent(std::string_view body, const WebhookHeaders& headers);

}  // namespace berth::api
