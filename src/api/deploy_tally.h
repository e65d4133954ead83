// Deploys by result and their durations, for /metrics. Computed from the store, so the counts
// survive a restart; kept incrementally, so a scrape reads only the deploys that were not final
// at the previous scrape and those created since, not the whole history.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <set>

#include "core/deploy_state.h"
#include "deploy/journal.h"

namespace berth::api {

class DeployTally {
 public:
  // Upper bounds (seconds) of the duration histogram's buckets; +Inf is implied.
  static constexpr std::array<int, 9> kBuckets{1, 2, 5, 10, 30, 60, 120, 300, 600};

  struct Totals {
    std::map<DeployState, std::uint64_t> by_result{};  // final states only
    // Deploys that ran (left "queued") and finished, by time from their first step to their
    // final state. Cumulative, as Prometheus wants: le_bucket[i] counts durations <= kBuckets[i].
    std::array<std::uint64_t, kBuckets.size()> le_bucket{};
    std::uint64_t duration_count = 0;
    double duration_sum_seconds = 0;
  };

  explicit DeployTally(const deploy::Journal& journal) : journal_(journal) {}

  // Counts the deploys that became final since the last call and returns the totals.
  // Thread-safe.
  Totals refresh();

 private:
  void count(const DeployRecord& deploy);  // mutex_ held

  const deploy::Journal& journal_;
  std::mutex mutex_;
  // Every deploy with an id up to this one was final and is counted: never read again.
  std::int64_t settled_up_to_ = 0;
  // Final deploys above settled_up_to_ that are counted already (a lower one still runs).
  std::set<std::int64_t> counted_above_;
  Totals totals_;
};

}  // namespace berth::api
