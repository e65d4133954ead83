// Bounds a blocking call (a Docker or proxy request) that has no deadline of its own that the
// engine controls. The call runs on a helper thread; the deploy thread waits up to `timeout`
// of real time (not the Clock seam: a FakeClock cannot interrupt a blocked thread, the same
// reason as the Docker client's pull watchdog). On timeout or cancellation the call's own
// CancelFlag is set; if it still has not returned after a short grace, the deploy fails with
// "<what> timed out after N s" and the helper is left to finish on its own: a hung step must
// not hold the stage's queue. abandonedSteps() counts helpers still running, so the engine can
// wait for them before it is destroyed.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "deploy/step_errors.h"
#include "net/http.h"

namespace berth::deploy {

// Helper threads of timed-out steps that have not returned yet.
int abandonedSteps();
void noteAbandoned(int delta);
// "2.5 s", "120 ms": durations in log lines and reasons.
std::string seconds(std::chrono::milliseconds d);

template <class T>
T runWithTimeout(const std::string& what, std::chrono::milliseconds timeout,
                 const std::atomic<bool>& deploy_cancel,
                 std::function<T(const net::CancelFlag&)> body,
                 std::chrono::milliseconds grace = std::chrono::milliseconds(1500)) {
  struct State {
    std::mutex mutex;
    std::condition_variable done_cv;
    bool done = false;
    std::optional<T> value;
    std::exception_ptr error;
    net::CancelFlag cancel{false};
  };
  auto state = std::make_shared<State>();
  std::thread worker([state, body = std::move(body)] {
    std::optional<T> value;
    std::exception_ptr error;
    try {
      value.emplace(body(state->cancel));
    } catch (...) {
      error = std::current_exception();
    }
    std::lock_guard lock(state->mutex);
    state->value = std::move(value);
    state->error = error;
    state->done = true;
    state->done_cv.notify_all();
  });

  const auto deadline = std::chrono::steady_clock::now() + timeout;
  bool cancelled = false;
  bool timed_out = false;
  {
    std::unique_lock lock(state->mutex);
    while (!state->done) {
      if (deploy_cancel.load()) {
        cancelled = true;
        break;
      }
      if (std::chrono::steady_clock::now() >= deadline) {
        timed_out = true;
        break;
      }
      state->done_cv.wait_for(lock, std::chrono::milliseconds(20));
    }
    if (!state->done) {
      state->cancel = true;
      state->done_cv.wait_for(lock, grace, [&] { return state->done; });
    }
  }
  bool finished = false;
  {
    std::lock_guard lock(state->mutex);
    finished = state->done;
  }
  if (!finished) {
    noteAbandoned(1);
    worker.detach();
    // The detached thread holds `state`; it decrements the count when it returns.
    std::thread([state] {
      std::unique_lock lock(state->mutex);
      state->done_cv.wait(lock, [&] { return state->done; });
      noteAbandoned(-1);
    }).detach();
  } else {
    worker.join();
  }
  if (cancelled) throw DeployCancelled(what + " cancelled");
  if (timed_out) throw StepFailed(what + " timed out after " + seconds(timeout));
  if (state->error) std::rethrow_exception(state->error);
  return std::move(*state->value);
}

}  // namespace berth::deploy
