// Docker Hub's repository webhook (docs.docker.com/docker-hub/repos/manage/webhooks):
//   {"push_data": {"tag": "v2", "pusher": ...}, "repository": {"repo_name": "acme/web", ...}}
// Docker Hub sends no digest and cannot sign: its secret travels as ?token=.
#include "api/webhook/payload_formats.h"
#include "core/image_ref.h"

namespace berth::api::payload {

Result<WebhookEvent> parseDockerHub(const Json& body) {
  WebhookEvent event{.source = "Docker Hub"};
  auto tag = requiredString(body, "push_data.tag");
  if (!tag.ok()) return Failure{tag.error()};
  auto repo_name = requiredString(body, "repository.repo_name");
  if (!repo_name.ok()) return Failure{repo_name.error()};
  // repo_name is "namespace/name" on Docker Hub; a tag or digest in it would be dropped
  // silently by the normalisation below, so refuse it instead.
  auto image = repo_name->find_first_of(":@") == std::string::npos
                   ? parseImageRef("docker.io/" + *repo_name)
                   : Result<ImageRef>(Failure{"not a repository name"});
  if (!image.ok()) {
    return Failure{"repository.repo_name: " + quote(*repo_name) +
                   " is not a Docker Hub repository"};
  }
  event.repository = image->repositoryRef();
  if (auto failure = addTag(event, *tag, "push_data.tag")) return *failure;
  if (event.tags.empty()) event.ignored = "push_data.tag is empty";
  return event;
}

}  // namespace berth::api::payload
