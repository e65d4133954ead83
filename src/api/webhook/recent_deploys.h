// The deploys webhooks queued in the last minutes, by (project, stage, digest). One push is
// often announced several times: under several tags (v1.2.3, then latest), once per tag by
// GHCR, again by a CI retry. The engine already answers a repeated tag with the deploy that
// runs it; this answers a different tag of the same content with the same deploy, so one push
// deploys a stage once.
// Bounded in size and age (Clock-based, so tests move time). Not thread-safe: the handler
// serialises its use.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <tuple>

#include "core/clock.h"

namespace berth::api {

class RecentDeploys {
 public:
  explicit RecentDeploys(Clock& clock, Duration max_age = std::chrono::minutes(10),
                         std::size_t capacity = 1024);

  // The deploy queued for this content within max_age, if any.
  std::optional<std::int64_t> find(const std::string& project, const std::string& stage,
                                   const std::string& digest);
  // Remembers `deploy_id`; when full, forgets the oldest entry first.
  void remember(const std::string& project, const std::string& stage, const std::string& digest,
                std::int64_t deploy_id);
  std::size_t size() const { return entries_.size(); }

 private:
  using Key = std::tuple<std::string, std::string, std::string>;
  struct Entry {
    std::int64_t deploy_id;
    std::chrono::steady_clock::time_point queued;
  };
  void forgetExpired();

  Clock& clock_;
  Duration max_age_;
  std::size_t capacity_;
  std::map<Key, Entry> entries_;
};

}  // namespace berth::api
