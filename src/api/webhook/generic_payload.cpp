// The generic format, for any CI that can run curl after pushing:
//   {"tag": "v2", "digest": "sha256:..."}  or  {"tags": ["v2", "latest"]}
#include "api/webhook/payload_formats.h"

namespace berth::api::payload {
namespace {

// A push rarely carries more than a handful of tags; the cap keeps one request's work small.
constexpr size_t kMaxTags = 100;

}  // namespace

Result<WebhookEvent> parseGeneric(const Json& body) {
  WebhookEvent event{.source = "generic"};
  auto tag = optionalString(body, "tag");
  if (!tag.ok()) return Failure{tag.error()};
  auto tags = find(body, "tags");
  if (!tags.ok()) return Failure{tags.error()};
  if (!tag->has_value() && *tags == nullptr) {
    return Failure{
        "tag: missing (expected {\"tag\": \"v2\"}, {\"tags\": [\"v2\", ...]}, or a Docker "
        "Hub, GitHub or GitLab webhook payload)"};
  }
  if (tag->has_value()) {
    if (auto failure = addTag(event, **tag, "tag")) return *failure;
  }
  if (*tags != nullptr) {
    const Json& list = **tags;
    if (!list.is_array())
      return Failure{"tags: expected an array, got " + std::string(list.type_name())};
    if (list.size() > kMaxTags) {
      return Failure{"tags: " + std::to_string(list.size()) + " tags, at most " +
                     std::to_string(kMaxTags) + " are accepted"};
    }
    for (size_t i = 0; i < list.size(); ++i) {
      const std::string path = "tags[" + std::to_string(i) + "]";
      if (!list[i].is_string()) {
        return Failure{path + ": expected a string, got " + std::string(list[i].type_name())};
      }
      if (auto failure = addTag(event, list[i].get<std::string>(), path)) return *failure;
    }
  }
  auto digest = optionalString(body, "digest");
  if (!digest.ok()) return Failure{digest.error()};
  if (auto failure = setDigest(event, digest->value_or(""), "digest")) return *failure;
  if (event.tags.empty()) event.ignored = "the payload names no tag";
  return event;
}

}  // namespace berth::api::payload
