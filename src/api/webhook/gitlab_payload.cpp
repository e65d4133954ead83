// GitLab webhooks (docs.gitlab.com/user/project/integrations/webhook_events). GitLab has no
// event for "an image was pushed to the container registry", so berth reads the two events
// that announce a release tag:
//  - Pipeline Hook of a tag pipeline that succeeded: the pipeline that builds and pushes the
//    image has finished, so the image exists. The recommended one.
//    {"object_kind": "pipeline", "object_attributes": {"ref": "v2", "tag": true,
//     "status": "success", ...}}
//  - Tag Push Hook: {"object_kind": "tag_push", "ref": "refs/tags/v2", "after": "<sha>"}. It
//    arrives before CI has built the image; the stage is then skipped ("not in the registry")
//    and the poller picks the image up later.
// Both name the tag only; the registry supplies the digest. Other events (push, merge request,
// pipelines still running) are acknowledged and ignored.
#include "api/webhook/payload_formats.h"

namespace berth::api::payload {
namespace {

constexpr std::string_view kTagRefPrefix = "refs/tags/";
// `after` of a Tag Push Hook for a deleted tag.
constexpr std::string_view kNoCommit = "0000000000000000000000000000000000000000";

Result<WebhookEvent> tagPush(const Json& body, WebhookEvent event) {
  auto ref = requiredString(body, "ref");
  if (!ref.ok()) return Failure{ref.error()};
  if (!ref->starts_with(kTagRefPrefix)) {
    return Failure{"ref: " + quote(*ref) + " is not a tag (expected refs/tags/<tag>)"};
  }
  const std::string tag = ref->substr(kTagRefPrefix.size());
  auto after = optionalString(body, "after");
  if (!after.ok()) return Failure{after.error()};
  if (after->value_or("") == kNoCommit) {
    event.ignored = "tag " + quote(tag) + " was deleted";
    return event;
  }
  if (auto failure = addTag(event, tag, "ref")) return *failure;
  if (event.tags.empty()) event.ignored = "ref names no tag";
  return event;
}

Result<WebhookEvent> pipeline(const Json& body, WebhookEvent event) {
  auto ref = requiredString(body, "object_attributes.ref");
  if (!ref.ok()) return Failure{ref.error()};
  auto is_tag = find(body, "object_attributes.tag");
  if (!is_tag.ok()) return Failure{is_tag.error()};
  if (*is_tag != nullptr && !(*is_tag)->is_boolean()) {
    return Failure{"object_attributes.tag: expected a boolean, got " +
                   std::string((*is_tag)->type_name())};
  }
  auto status = requiredString(body, "object_attributes.status");
  if (!status.ok()) return Failure{status.error()};
  if (*is_tag == nullptr || !(*is_tag)->get<bool>()) {
    event.ignored = "a pipeline for branch " + quote(*ref) + ", not for a tag";
  } else if (*status != "success") {
    event.ignored =
        "the pipeline for tag " + quote(*ref) + " is " + quote(*status) + ", not success";
  } else if (auto failure = addTag(event, *ref, "object_attributes.ref")) {
    return *failure;
  } else if (event.tags.empty()) {
    event.ignored = "object_attributes.ref is empty";
  }
  return event;
}

}  // namespace

Result<WebhookEvent> parseGitLab(const Json& body) {
  WebhookEvent event{.source = "GitLab"};
  auto kind = requiredString(body, "object_kind");
  if (!kind.ok()) return Failure{kind.error()};
  if (*kind == "tag_push") return tagPush(body, std::move(event));
  if (*kind == "pipeline") return pipeline(body, std::move(event));
  event.ignored =
      "GitLab " + quote(*kind) + " events are not handled (send Tag Push or Pipeline events)";
  return event;
}

}  // namespace berth::api::payload
