// GitHub's `registry_package` and `package` webhook events for GitHub Container Registry:
//   {"action": "published", "registry_package": {"namespace": "acme", "name": "web",
//    "package_type": "CONTAINER", "package_version": {"container_metadata":
//    {"tag": {"name": "v2", "digest": "sha256:..."}}}}}
// (the `package` event has the same shape under "package"). GHCR sends one event per pushed
// manifest: a multi-platform push also yields events whose tag name is "", acknowledged and
// ignored. Package names may contain '/' ("web/api" is ghcr.io/acme/web/api).
#include <algorithm>
#include <cctype>

#include "api/webhook/payload_formats.h"
#include "core/image_ref.h"

namespace berth::api::payload {
namespace {

std::string lowercase(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

}  // namespace

Result<WebhookEvent> parseGitHubPackage(const Json& body, std::string_view event_name) {
  WebhookEvent event{.source = "GitHub"};
  const std::string root(event_name);
  auto package = find(body, root);
  if (!package.ok()) return Failure{package.error()};
  if (*package == nullptr) return Failure{root + ": missing"};
  if (!(*package)->is_object()) {
    return Failure{root + ": expected an object, got " + std::string((*package)->type_name())};
  }

  auto type = optionalString(body, root + ".package_type");
  if (!type.ok()) return Failure{type.error()};
  if (type->has_value() && lowercase(**type) != "container") {
    event.ignored = "a GitHub package of type " + quote(**type) + ", not a container image";
    return event;
  }

  auto owner = requiredString(body, root + ".namespace");
  if (!owner.ok()) return Failure{owner.error()};
  auto name = requiredString(body, root + ".name");
  if (!name.ok()) return Failure{name.error()};
  // GitHub keeps the owner's capitalisation ("Acme"); image names are lowercase.
  const std::string repository = "ghcr.io/" + lowercase(*owner) + "/" + lowercase(*name);
  auto image = repository.find_first_of(":@") == std::string::npos
                   ? parseImageRef(repository)
                   : Result<ImageRef>(Failure{"not a repository"});
  if (!image.ok()) {
    return Failure{root + ".namespace/name: " + quote(*owner + "/" + *name) +
                   " is not a container repository"};
  }
  event.repository = image->repositoryRef();

  const std::string tag_path = root + ".package_version.container_metadata.tag";
  auto tag = optionalString(body, tag_path + ".name");
  if (!tag.ok()) return Failure{tag.error()};
  auto digest = optionalString(body, tag_path + ".digest");
  if (!digest.ok()) return Failure{digest.error()};
  if (auto failure = addTag(event, tag->value_or(""), tag_path + ".name")) return *failure;
  if (auto failure = setDigest(event, digest->value_or(""), tag_path + ".digest")) {
    return *failure;
  }
  if (event.tags.empty()) {
    event.ignored = "no tag name (GHCR announces each platform's manifest without one)";
  }
  return event;
}

}  // namespace berth::api::payload
