// What validation adds on top of reading YAML: parseConfig (yaml-cpp load + every check) against
// a bare YAML::Load of the same text, the reference measured in the same run.
#include <benchmark/benchmark.h>
#include <yaml-cpp/yaml.h>

#include <fstream>
#include <sstream>

#include "config/config.h"

namespace {

std::string exampleText() {
  std::ifstream f(std::string(BERTH_SOURCE_DIR) + "/examples/staging-production.yaml");
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

void BM_ReferenceYamlLoad(benchmark::State& state) {
  const std::string text = exampleText();
  for (auto _ : state)
    benchmark::DoNotOptimize(YAML::Load(text));
}

void BM_ParseAndValidate(benchmark::State& state) {
  const std::string text = exampleText();
  for (auto _ : state) {
    auto result = berth::parseConfig(text, "staging-production.yaml");
    if (!result.errors.empty()) state.SkipWithError("example does not parse");
    benchmark::DoNotOptimize(result);
  }
}

void BM_Export(benchmark::State& state) {
  const auto config = berth::parseConfig(exampleText(), "staging-production.yaml").config;
  for (auto _ : state)
    benchmark::DoNotOptimize(berth::exportConfig(*config));
}

BENCHMARK(BM_ReferenceYamlLoad);
BENCHMARK(BM_ParseAndValidate);
BENCHMARK(BM_Export);

}  // namespace

BENCHMARK_MAIN();
