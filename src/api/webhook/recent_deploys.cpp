#include "api/webhook/recent_deploys.h"

#include <algorithm>

namespace berth::api {

RecentDeploys::RecentDeploys(Clock& clock, Duration max_age, std::size_t capacity)
    : clock_(clock), max_age_(max_age), capacity_(std::max<std::size_t>(1, capacity)) {}

std::optional<std::int64_t> RecentDeploys::find(const std::string& project,
                                                const std::string& stage,
                                                const std::string& digest) {
  forgetExpired();
  const auto it = entries_.find(Key{project, stage, digest});
  if (it == entries_.end()) return std::nullopt;
  return it->second.deploy_id;
}

void RecentDeploys::remember(const std::string& project, const std::string& stage,
                             const std::string& digest, std::int64_t deploy_id) {
  forgetExpired();
  Key key{project, stage, digest};
  if (!entries_.contains(key) && entries_.size() >= capacity_) {
    const auto oldest = std::min_element(
        entries_.begin(), entries_.end(),
        [](const auto& a, const auto& b) { return a.second.queued < b.second.queued; });
    entries_.erase(oldest);
  }
  entries_[std::move(key)] = Entry{deploy_id, clock_.now()};
}

void RecentDeploys::forgetExpired() {
  const auto now = clock_.now();
  std::erase_if(entries_, [&](const auto& entry) { return now - entry.second.queued >= max_age_; });
}

}  // namespace berth::api
