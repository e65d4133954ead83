#include "deploy/pull_reporter.h"

namespace berth::deploy {

PullReporter::PullReporter(Journal& journal, Clock& clock, const DeployRecord& deploy)
    : journal_(journal), clock_(clock), deploy_(deploy) {
  latest_ = last_ = DeployProgressEvent{
      .deploy_id = deploy.id, .project = deploy.project, .stage = deploy.stage, .step = "pull"};
}

DeployProgressEvent PullReporter::eventFor(const docker::PullProgress& progress) const {
  DeployProgressEvent event = latest_;
  event.layers_total = static_cast<int>(progress.layers().size());
  event.layers_done = 0;
  for (const auto& layer : progress.layers())
    event.layers_done += layer.done ? 1 : 0;
  event.bytes_done = progress.bytesDownloaded();
  event.bytes_total = progress.bytesTotal();
  return event;
}

void PullReporter::onProgress(const docker::PullProgress& progress) {
  std::lock_guard lock(mutex_);
  latest_ = eventFor(progress);
  const auto now = clock_.now();
  const bool layer_finished = latest_.layers_done != last_.layers_done;
  const bool nothing_new =
      latest_.bytes_done == last_.bytes_done && latest_.layers_total == last_.layers_total;
  if (published_ && !layer_finished && (nothing_new || now - last_at_ < kInterval)) return;
  last_ = latest_;
  last_at_ = now;
  published_ = true;
  journal_.progress(last_);
}

void PullReporter::finish() {
  std::lock_guard lock(mutex_);
  DeployProgressEvent event = latest_;
  event.layers_done = event.layers_total;
  event.bytes_done = event.bytes_total;
  event.done = true;
  last_ = latest_ = event;
  journal_.progress(event);
}

}  // namespace berth::deploy
