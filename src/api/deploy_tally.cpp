#include "api/deploy_tally.h"

#include <algorithm>
#include <chrono>
#include <vector>

namespace berth::api {
namespace {

constexpr int kPage = 500;

// Deploys with an id above `floor`, oldest first.
std::vector<DeployRecord> deploysAbove(const deploy::Journal& journal, std::int64_t floor) {
  std::vector<DeployRecord> out;
  std::optional<std::int64_t> before;
  for (;;) {
    auto page = journal.list(DeployQuery{.project = std::nullopt,
                                         .stage = std::nullopt,
                                         .state = std::nullopt,
                                         .before_id = before,
                                         .limit = kPage});
    for (auto& d : page) {
      if (d.id <= floor) {
        std::reverse(out.begin(), out.end());
        return out;
      }
      out.push_back(std::move(d));
    }
    if (page.size() < static_cast<std::size_t>(kPage)) break;
    before = out.back().id;
  }
  std::reverse(out.begin(), out.end());
  return out;
}

}  // namespace

DeployTally::Totals DeployTally::refresh() {
  std::lock_guard lock(mutex_);
  bool all_final_so_far = true;
  for (const auto& d : deploysAbove(journal_, settled_up_to_)) {
    if (!isFinal(d.state)) {
      all_final_so_far = false;
      continue;
    }
    if (counted_above_.insert(d.id).second) count(d);
    if (all_final_so_far) settled_up_to_ = d.id;
  }
  counted_above_.erase(counted_above_.begin(), counted_above_.upper_bound(settled_up_to_));
  return totals_;
}

void DeployTally::count(const DeployRecord& deploy) {
  ++totals_.by_result[deploy.state];
  if (!deploy.started_at || !deploy.finished_at) return;  // cancelled while queued
  const double seconds =
      std::chrono::duration<double>(*deploy.finished_at - *deploy.started_at).count();
  for (std::size_t i = 0; i < kBuckets.size(); ++i)
    if (seconds <= kBuckets[i]) ++totals_.le_bucket[i];
  ++totals_.duration_count;
  totals_.duration_sum_seconds += seconds;
}

}  // namespace berth::api
