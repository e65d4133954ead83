#include "client/deploy_follower.h"

#include <algorithm>
#include <atomic>
#include <stop_token>
#include <thread>

#include "cli/exit_codes.h"

namespace berth::client {
namespace {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

// Cancels one stream when the deadline passes or nothing (not even a heartbeat) arrived for
// `idle_limit`: libcurl alone would wait forever on a connection that died without a FIN.
class StreamWatchdog {
 public:
  StreamWatchdog(std::optional<Clock::time_point> deadline, std::chrono::milliseconds idle_limit)
      : deadline_(deadline),
        idle_limit_(idle_limit),
        last_activity_(Clock::now().time_since_epoch().count()),
        thread_([this](std::stop_token stop) { watch(stop); }) {}

  void touch() { last_activity_ = Clock::now().time_since_epoch().count(); }
  const net::CancelFlag* flag() const { return &cancel_; }
  bool fired() const { return cancel_; }
  bool deadlinePassed() const { return deadline_ && Clock::now() >= *deadline_; }

 private:
  void watch(const std::stop_token& stop) {
    while (!stop.stop_requested()) {
      const auto idle = Clock::now() - Clock::time_point(Clock::duration(last_activity_.load()));
      if (deadlinePassed() || idle >= idle_limit_) {
        cancel_ = true;
        return;
      }
      std::this_thread::sleep_for(50ms);
    }
  }

  const std::optional<Clock::time_point> deadline_;
  const std::chrono::milliseconds idle_limit_;
  std::atomic<Clock::rep> last_activity_;
  net::CancelFlag cancel_{false};
  std::jthread thread_;  // last: stopped and joined before the members it reads go away
};

std::optional<LogLine> parseLogLine(const std::string& data) {
  const auto j = nlohmann::json::parse(data, nullptr, false);
  if (!j.is_object() || !j.contains("seq") || !j["seq"].is_number_integer()) return std::nullopt;
  return LogLine{.seq = j["seq"].get<std::int64_t>(),
                 .ts = j.value("ts", ""),
                 .level = j.value("level", ""),
                 .message = j.value("message", "")};
}

DeployEnd parseEnd(const std::string& data) {
  const auto j = nlohmann::json::parse(data, nullptr, false);
  DeployEnd end;
  if (!j.is_object()) return end;
  if (j.contains("state") && j["state"].is_string()) end.state = j["state"].get<std::string>();
  if (j.contains("reason") && j["reason"].is_string()) end.reason = j["reason"].get<std::string>();
  return end;
}

void pauseUntil(std::chrono::milliseconds pause, std::optional<Clock::time_point> deadline) {
  auto until = Clock::now() + pause;
  if (deadline) until = std::min(until, *deadline);
  std::this_thread::sleep_until(until);
}

}  // namespace

std::optional<DeployEnd> followDeployLog(const ApiClient& api, std::int64_t id,
                                         std::int64_t after_seq, const FollowOptions& options,
                                         const std::function<void(const LogLine&)>& on_line,
                                         const std::function<void(const std::string&)>& on_notice) {
  const std::string path = "/api/deploys/" + std::to_string(id) + "/log";
  const auto first_pause = std::max<std::chrono::milliseconds>(options.max_retry_pause / 8, 1ms);
  std::int64_t last_seq = after_seq;
  std::optional<DeployEnd> end;
  bool lost = false;
  auto pause = first_pause;

  const auto on_event = [&](const SseEvent& event) {
    if (event.type == "end") {
      end = parseEnd(event.data);
      return false;
    }
    if (event.type != "log") return true;
    const auto line = parseLogLine(event.data);
    // Only new lines: a resumed stream starts after Last-Event-ID, but never trust that twice.
    if (line && line->seq > last_seq) {
      last_seq = line->seq;
      on_line(*line);
    }
    return true;
  };

  while (!end) {
    if (options.deadline && Clock::now() >= *options.deadline) return std::nullopt;
    StreamWatchdog watchdog(options.deadline, options.idle_limit);
    const auto on_bytes = [&] {
      watchdog.touch();
      if (lost) {
        on_notice("log stream of deploy " + std::to_string(id) + " resumed");
        lost = false;
        pause = first_pause;
      }
    };
    const auto resume_from =
        last_seq > 0 ? std::optional<std::string>(std::to_string(last_seq)) : std::nullopt;
    try {
      api.streamEvents(path, resume_from, on_event, on_bytes, watchdog.flag());
    } catch (const ClientError& e) {
      if (e.exitCode() != kExitUnreachable) throw;
      if (watchdog.deadlinePassed()) return std::nullopt;
      if (watchdog.fired()) continue;  // silent too long: reopen at once
      if (!lost) on_notice(std::string(e.what()) + "; retrying");
      lost = true;
      pauseUntil(pause, options.deadline);
      pause = std::min(pause * 2, options.max_retry_pause);
      continue;
    }
    // The server closed the stream without `end` (it dropped a slow reader, or it is shutting
    // down): reopen it after a breath.
    if (!end) pauseUntil(std::chrono::milliseconds(250), options.deadline);
  }
  return end;
}

}  // namespace berth::client
