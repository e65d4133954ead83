// Turns the Docker pull stream's progress into deploy.progress events for the dashboard's
// progress bar. The daemon sends a message per layer every few kilobytes; forwarding each
// would flood every subscriber, so the reporter publishes at most one update per interval,
// plus one whenever a layer completes, plus the final one (finish()).
#pragma once

#include <chrono>
#include <mutex>

#include "core/clock.h"
#include "core/model.h"
#include "deploy/journal.h"
#include "docker/pull_progress.h"

namespace berth::deploy {

class PullReporter {
 public:
  static constexpr std::chrono::milliseconds kInterval{250};

  PullReporter(Journal& journal, Clock& clock, const DeployRecord& deploy);

  // The docker::PullCallback: called on the pull's thread after every message.
  void onProgress(const docker::PullProgress& progress);
  // Publishes the final update (done = true, every known byte counted).
  void finish();

 private:
  DeployProgressEvent eventFor(const docker::PullProgress& progress) const;
  Journal& journal_;
  Clock& clock_;
  const DeployRecord deploy_;
  std::mutex mutex_;  // onProgress runs on the pull's helper thread, finish() on the deploy's
  DeployProgressEvent latest_{};  // from the newest message
  DeployProgressEvent last_{};    // the last one published
  bool published_ = false;
  std::chrono::steady_clock::time_point last_at_{};
};

}  // namespace berth::deploy
