// How long the poller spends choosing a tag. A registry can list thousands of tags and every
// auto-deploy stage ranks them on each check, so ranking must stay close to the cost of a plain
// sort of the same strings (the reference measured in the same run).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <random>

#include "core/tag_policy.h"

namespace {

// A realistic mix: release versions, pre-releases, CI build tags and moving tags.
std::vector<berth::TagCandidate> makeTags(int n) {
  std::mt19937 rng(42);
  std::vector<berth::TagCandidate> tags;
  tags.reserve(n);
  for (int i = 0; i < n; ++i) {
    switch (i % 4) {
      case 0:
        tags.push_back({"v" + std::to_string(rng() % 5) + "." + std::to_string(rng() % 30) + "." +
                            std::to_string(rng() % 100),
                        {}});
        break;
      case 1:
        tags.push_back({std::to_string(rng() % 5) + "." + std::to_string(rng() % 30) + ".0-rc." +
                            std::to_string(rng() % 9),
                        {}});
        break;
      case 2:
        tags.push_back({"main-" + std::to_string(1000000 + rng() % 9000000), {}});
        break;
      default:
        tags.push_back({"pr-" + std::to_string(i), {}});
    }
  }
  return tags;
}

void BM_RankSemver(benchmark::State& state) {
  const auto tags = makeTags(static_cast<int>(state.range(0)));
  berth::TagPolicy policy;
  policy.order = berth::TagOrder::semver;
  const auto compiled = berth::CompiledTagPolicy::compile(policy);
  for (auto _ : state)
    benchmark::DoNotOptimize(compiled->rank(tags));
  state.SetItemsProcessed(state.iterations() * state.range(0));
}

void BM_RankNumericByCapture(benchmark::State& state) {
  const auto tags = makeTags(static_cast<int>(state.range(0)));
  berth::TagPolicy policy;
  policy.match = "^main-([0-9]+)$";
  policy.order = berth::TagOrder::numeric;
  const auto compiled = berth::CompiledTagPolicy::compile(policy);
  for (auto _ : state)
    benchmark::DoNotOptimize(compiled->rank(tags));
  state.SetItemsProcessed(state.iterations() * state.range(0));
}

// Reference: copy the tag strings and sort them, the least any ranking must do.
void BM_ReferenceSortStrings(benchmark::State& state) {
  const auto tags = makeTags(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    std::vector<std::string> copy;
    copy.reserve(tags.size());
    for (const auto& t : tags)
      copy.push_back(t.tag);
    std::sort(copy.begin(), copy.end(), std::greater<>());
    benchmark::DoNotOptimize(copy);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}

BENCHMARK(BM_ReferenceSortStrings)->Arg(1000)->Arg(10000);
BENCHMARK(BM_RankSemver)->Arg(1000)->Arg(10000);
BENCHMARK(BM_RankNumericByCapture)->Arg(1000)->Arg(10000);

}  // namespace

BENCHMARK_MAIN();
