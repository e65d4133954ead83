// What one poll of an unchanged repository costs: registry requests (the scarce resource:
// Docker Hub and GHCR rate-limit them) and CPU time. Each benchmark runs the real
// UpdateChecker + RegistryClient against recorded registry answers (ScriptedHttpClient routes),
// counted by a CountingHttpClient; the counters are requests per poll:
//   BM_PollWatch          `watch: latest`: goal exactly 1 HEAD, no listing
//   BM_PollSemver/N       semver over N tags: the listing (1000 tags per page) + 1 HEAD
//   BM_PollPushed/N       `order: pushed` over N tags, after the first poll: listing + 1 HEAD
//                         (first_poll_requests: HEAD + manifest + config per tag, once)
// References from the same run: BM_ReferenceHeadRoundTrip (the recorded HEAD answered
// straight from the fake, no client) and BM_ReferenceParseTagList/N (parse the same N-tag
// listing pages with nlohmann::json into strings: the least a ranked poll must do).
#include <benchmark/benchmark.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/tag_policy.h"
#include "registry/content_digest.h"
#include "registry/registry_client.h"
#include "registry/testing/scripted_http_client.h"
#include "registry/update_check.h"

namespace {

using namespace berth;
using namespace berth::registry;
using registry::testing::CountingHttpClient;
using registry::testing::ScriptedHttpClient;

const RepositoryRef kRepo{"ghcr.io", "acme/web"};
const std::string kBase = "https://ghcr.io/v2/acme/web";
constexpr int kPageSize = 1000;
constexpr const char* kManifestV2 = "application/vnd.docker.distribution.manifest.v2+json";

std::string tagListBody(const std::vector<std::string>& tags) {
  nlohmann::json body = {{"name", kRepo.repository}, {"tags", tags}};
  return body.dump();
}

// Routes the listing of `tags` as a paginating registry serves it: pages of kPageSize with a
// relative Link to the next one. Returns the page bodies (for the reference).
std::vector<std::string> routeTagList(ScriptedHttpClient& http,
                                      const std::vector<std::string>& tags) {
  std::vector<std::string> bodies;
  std::string url = kBase + "/tags/list?n=" + std::to_string(kPageSize);
  for (size_t start = 0; start < tags.size() || start == 0; start += kPageSize) {
    const size_t end = std::min(tags.size(), start + kPageSize);
    std::vector<std::string> page(tags.begin() + static_cast<long>(start),
                                  tags.begin() + static_cast<long>(end));
    bodies.push_back(tagListBody(page));
    std::vector<std::pair<std::string, std::string>> headers = {
        {"Content-Type", "application/json; charset=utf-8"}};
    std::string next;
    if (end < tags.size()) {
      next = "/v2/acme/web/tags/list?last=" + tags[end - 1] + "&n=" + std::to_string(kPageSize);
      headers.push_back({"Link", "<" + next + ">; rel=\"next\""});
    }
    http.route("GET", url, registry::testing::response(200, bodies.back(), headers));
    if (next.empty()) break;
    url = "https://ghcr.io" + next;
  }
  return bodies;
}

// A realistic mix: releases, pre-releases, CI builds, PR tags.
std::vector<std::string> mixedTags(int n) {
  std::mt19937 rng(42);
  std::vector<std::string> tags;
  for (int i = 0; i < n; ++i) {
    switch (i % 4) {
      case 0:
        tags.push_back("v" + std::to_string(rng() % 5) + "." + std::to_string(i / 4) + "." +
                       std::to_string(rng() % 100));
        break;
      case 1:
        tags.push_back(std::to_string(rng() % 5) + "." + std::to_string(i) + ".0-rc." +
                       std::to_string(rng() % 9));
        break;
      case 2:
        tags.push_back("main-" + std::to_string(1000000 + i));
        break;
      default:
        tags.push_back("pr-" + std::to_string(i));
    }
  }
  return tags;
}

// Client, checker and counters for one benchmark.
struct Setup {
  ScriptedHttpClient scripted;
  CountingHttpClient counting{scripted};
  FakeClock clock;  // never advances: remembered pushed tags stay fresh, tokens never expire
  std::unique_ptr<RegistryClient> client;
  std::unique_ptr<UpdateChecker> checker;

  Setup() {
    RegistryClientOptions o;
    o.random = [] { return 0.5; };
    client = std::make_unique<RegistryClient>(counting, clock, o);
    checker = std::make_unique<UpdateChecker>(*client, clock);
  }
};

void poll(benchmark::State& state, Setup& s, const CompiledTagPolicy& policy,
          const RunningImage& running) {
  // One poll before measuring, so caches are as they are in a long-running server.
  const int first =
      (s.counting.reset(), (void)s.checker->check(kRepo, policy, running), s.counting.total());
  s.counting.reset();
  for (auto _ : state) {
    const auto decision = s.checker->check(kRepo, policy, running);
    if (!std::holds_alternative<UpToDate>(decision)) {
      state.SkipWithError(("expected up to date, got " + describe(decision)).c_str());
      return;
    }
  }
  using benchmark::Counter;
  state.counters["requests"] = Counter(s.counting.total(), Counter::kAvgIterations);
  state.counters["HEAD"] = Counter(s.counting.count("HEAD"), Counter::kAvgIterations);
  state.counters["GET"] = Counter(s.counting.count("GET"), Counter::kAvgIterations);
  state.counters["first_poll_requests"] = first;
}

void BM_PollWatch(benchmark::State& state) {
  Setup s;
  const std::string digest = "sha256:" + std::string(64, 'a');
  s.scripted.route("HEAD", kBase + "/manifests/latest",
                   registry::testing::response(200, "", {{"Docker-Content-Digest", digest}}));
  TagPolicy p;
  p.watch = "latest";
  poll(state, s, CompiledTagPolicy::compile(p).value(), RunningImage{"latest", digest});
}

void BM_PollSemver(benchmark::State& state) {
  Setup s;
  const auto tags = mixedTags(static_cast<int>(state.range(0)));
  routeTagList(s.scripted, tags);
  const std::string digest = "sha256:" + std::string(64, 'b');
  TagPolicy p;  // order: semver
  const auto policy = CompiledTagPolicy::compile(p).value();
  std::vector<TagCandidate> candidates;
  for (const auto& t : tags)
    candidates.push_back({t, std::nullopt});
  const std::string best = policy.select(candidates).value();
  s.scripted.route("HEAD", kBase + "/manifests/" + best,
                   registry::testing::response(200, "", {{"Docker-Content-Digest", digest}}));
  poll(state, s, policy, RunningImage{best, digest});
}

void BM_PollPushed(benchmark::State& state) {
  Setup s;
  const int n = static_cast<int>(state.range(0));
  std::vector<std::string> tags;
  std::string newest_tag, newest_digest;
  for (int i = 0; i < n; ++i) {
    const std::string tag = "main-" + std::to_string(1000000 + i);
    const std::string config = nlohmann::json{
        {"created", "2026-11-01T00:00:00." + std::to_string(100000 + i) + "Z"},
        {"os", "linux"}}.dump();
    const std::string config_digest = sha256Digest(config);
    const std::string manifest = nlohmann::json{
        {"schemaVersion", 2},
        {"mediaType", kManifestV2},
        {"config",
         {{"mediaType", "application/vnd.docker.container.image.v1+json"},
          {"size", config.size()},
          {"digest", config_digest}}},
        {"layers",
         nlohmann::json::array()}}.dump();
    const std::string digest = sha256Digest(manifest);
    s.scripted.route("HEAD", kBase + "/manifests/" + tag,
                     registry::testing::response(200, "", {{"Docker-Content-Digest", digest}}));
    s.scripted.route("GET", kBase + "/manifests/" + digest,
                     registry::testing::response(200, manifest, {{"Content-Type", kManifestV2}}));
    s.scripted.route("GET", kBase + "/blobs/" + config_digest,
                     registry::testing::response(200, config));
    tags.push_back(tag);
    newest_tag = tag;
    newest_digest = digest;
  }
  routeTagList(s.scripted, tags);
  TagPolicy p;
  p.match = "^main-[0-9]+$";
  p.order = TagOrder::pushed;
  poll(state, s, CompiledTagPolicy::compile(p).value(), RunningImage{newest_tag, newest_digest});
}

// Reference: the recorded HEAD answered by the fake transport alone.
void BM_ReferenceHeadRoundTrip(benchmark::State& state) {
  ScriptedHttpClient http;
  const std::string url = kBase + "/manifests/latest";
  http.route("HEAD", url,
             registry::testing::response(
                 200, "", {{"Docker-Content-Digest", "sha256:" + std::string(64, 'a')}}));
  net::HttpRequest request;
  request.method = "HEAD";
  request.url = url;
  for (auto _ : state) {
    benchmark::DoNotOptimize(http.send(request).headers.get("Docker-Content-Digest"));
    http.clearRequests();
  }
}

// Reference: parse the same listing pages into tag strings, nothing else.
void BM_ReferenceParseTagList(benchmark::State& state) {
  ScriptedHttpClient unused;
  const auto bodies = routeTagList(unused, mixedTags(static_cast<int>(state.range(0))));
  for (auto _ : state) {
    std::vector<std::string> tags;
    for (const auto& body : bodies)
      for (const auto& t : nlohmann::json::parse(body)["tags"])
        tags.push_back(t.get<std::string>());
    benchmark::DoNotOptimize(tags);
  }
}

BENCHMARK(BM_ReferenceHeadRoundTrip);
BENCHMARK(BM_PollWatch);
BENCHMARK(BM_ReferenceParseTagList)->Arg(100)->Arg(1000)->Arg(5000);
BENCHMARK(BM_PollSemver)->Arg(100)->Arg(1000)->Arg(5000);
BENCHMARK(BM_PollPushed)->Arg(100)->Arg(1000);

}  // namespace

BENCHMARK_MAIN();
