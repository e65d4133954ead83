// What framing one event for one SSE subscriber costs. GET /api/events formats every event
// again for every subscriber (events::busStream -> formatSse), so a burst of K events to N
// subscribers costs N x K of these (see "SSE fan-out" in BENCHMARKS.md). The reference is the
// same bytes put together with plain appends, without looking for line breaks in the data.
#include <benchmark/benchmark.h>

#include <string>

#include "events/event_bus.h"

namespace {

// A deploy.log event as the fan-out benchmark sends it (an 80-byte message).
berth::events::Envelope logEnvelope() {
  const berth::deploy::DeployLogEvent event{
      .deploy_id = 1,
      .project = "web",
      .stage = "staging",
      .seq = 17,
      .level = "info",
      .message = "bench-k=17 bench-t=1234567890123 " + std::string(47, 'x')};
  return berth::events::Envelope{.id = 1764820000000017,
                                 .type = "deploy.log",
                                 .project = "web",
                                 .stage = "staging",
                                 .deploy_id = 1,
                                 .data = berth::events::eventData(event)};
}

void BM_ReferenceFrameAppend(benchmark::State& state) {
  const auto envelope = logEnvelope();
  for (auto _ : state) {
    std::string out;
    out.reserve(envelope.data.size() + envelope.type.size() + 40);
    out += "id: ";
    out += std::to_string(envelope.id);
    out += "\nevent: ";
    out += envelope.type;
    out += "\ndata: ";
    out += envelope.data;
    out += "\n\n";
    benchmark::DoNotOptimize(out);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(envelope.data.size()));
}
BENCHMARK(BM_ReferenceFrameAppend);

void BM_FormatSse(benchmark::State& state) {
  const auto envelope = logEnvelope();
  for (auto _ : state) {
    auto out = berth::events::formatSse(envelope);
    benchmark::DoNotOptimize(out);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(envelope.data.size()));
}
BENCHMARK(BM_FormatSse);

}  // namespace

BENCHMARK_MAIN();
