#include "deploy/pull_step.h"

#include <cstdlib>
#include <memory>

#include "deploy/pull_reporter.h"
#include "deploy/run_with_timeout.h"

namespace berth::deploy {

std::optional<docker::RegistryAuth> registryAuthFor(const Config& config, const ImageRef& image) {
  for (const auto& credential : config.registries) {
    if (credential.host != image.registry || credential.username.empty()) continue;
    const char* secret =
        credential.password_env.empty() ? nullptr : std::getenv(credential.password_env.c_str());
    return docker::RegistryAuth{.username = credential.username,
                                .password = secret ? secret : "",
                                .server_address = credential.host};
  }
  return std::nullopt;
}

void pullStep(DeployContext& ctx) {
  ctx.log("pulling " + ctx.image.str());
  auto& docker = ctx.services.docker;
  const ImageRef image = ctx.image;
  const auto auth = registryAuthFor(ctx.config, image);
  // Shared: a pull that times out is abandoned on its helper thread, which may still report.
  auto reporter =
      std::make_shared<PullReporter>(ctx.services.journal, ctx.services.clock, ctx.deploy);
  const auto result = runWithTimeout<docker::PullResult>(
      "pull of " + image.str(), ctx.options.timeouts.pull, ctx.cancel,
      [&docker, image, auth, reporter](const net::CancelFlag& cancel) {
        return docker.pullImage(
            image, auth,
            [reporter](const docker::PullMessage&, const docker::PullProgress& progress) {
              reporter->onProgress(progress);
            },
            &cancel);
      });
  reporter->finish();
  const std::string digest = !result.digest.empty() ? result.digest : image.digest;
  if (digest.empty()) throw StepFailed("pull of " + image.str() + " reported no digest");
  ctx.services.journal.digest(ctx.deploy.id, digest);
  ctx.deploy.image_digest = digest;
  ctx.pinned_image = image.repositoryRef() + "@" + digest;
  ctx.log("pulled " + image.str() + " (" + result.summary() + ") as " + digest);
}

}  // namespace berth::deploy
