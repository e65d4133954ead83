// A corpus test in place of libFuzzer (g++ has none): every sample delivery in
// tests/data/webhooks/, and deterministic mutations of them, go through the whole handler with
// a valid signature, so the parsers and the dispatch see hostile bodies after authentication.
// The handler must never throw, never answer 5xx (the fake registry is up), and always answer
// JSON.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>

#include "api/webhook/webhook_auth.h"
#include "api/webhook/webhook_handler.h"
#include "registry/testing/fake_registry.h"

namespace berth::api {
namespace {

using Json = nlohmann::json;
namespace fs = std::filesystem;

const std::string kSecret = "corpus-secret";
constexpr int kIterations = 20000;
constexpr std::uint32_t kSeed = 20260101;  // fixed: a failure reproduces on every run

struct Sample {
  std::string name;
  std::string body;
};

std::vector<Sample> loadCorpus() {
  std::vector<Sample> samples;
  for (const auto& entry :
       fs::directory_iterator(fs::path(BERTH_SOURCE_DIR) / "tests/data/webhooks")) {
    if (entry.path().extension() != ".json") continue;
    std::ifstream in(entry.path());
    std::stringstream text;
    text << in.rdbuf();
    samples.push_back({entry.path().filename().string(), text.str()});
  }
  std::sort(samples.begin(), samples.end(), [](auto& a, auto& b) { return a.name < b.name; });
  return samples;
}

// The request a sender of this sample would make, signed for `body`.
http::Request deliveryOf(const std::string& sample_name, const std::string& body) {
  http::Request request{.method = "POST", .body = body};
  const bool hub = sample_name.starts_with("dockerhub_");
  request.params["project"] = hub ? "hub" : "web";
  request.path = "/api/webhook/" + request.params["project"];
  if (hub) {
    request.query["token"] = kSecret;
  } else {
    request.headers.emplace_back("x-hub-signature-256", webhookSignature(kSecret, body));
  }
  if (sample_name.starts_with("github_registry_package")) {
    request.headers.emplace_back("x-github-event", "registry_package");
  } else if (sample_name.starts_with("github_package")) {
    request.headers.emplace_back("x-github-event", "package");
  } else if (sample_name.starts_with("gitlab_tag_push")) {
    request.headers.emplace_back("x-gitlab-event", "Tag Push Hook");
  } else if (sample_name.starts_with("gitlab_pipeline")) {
    request.headers.emplace_back("x-gitlab-event", "Pipeline Hook");
  }
  return request;
}

class Mutator {
 public:
  explicit Mutator(const std::vector<Sample>& corpus) : corpus_(corpus), random_(kSeed) {}

  std::string mutate(const std::string& body) {
    switch (pick(8)) {
      case 0:
        return flipBits(body);
      case 1:
        return body.substr(0, pick(body.size() + 1));
      case 2:
        return splice(body);
      case 3:
        return swapType(body);
      case 4:
        return nest(body);
      case 5:
        return insertAt(body, pick(2) ? "1e99999" : "-184467440737095516160000");
      case 6:
        return insertAt(body, pick(2) ? "\xff\xfe" : "\xc3\x28\xed\xa0\x80");
      default:
        return stacked(body);
    }
  }

 private:
  // A type swap, then a byte-level mutation on top. (swapType walks the JSON tree recursively,
  // so it only ever sees the shallow samples, never a deeply nested mutation.)
  std::string stacked(const std::string& body) {
    const std::string swapped = swapType(body);
    switch (pick(3)) {
      case 0:
        return flipBits(swapped);
      case 1:
        return swapped.substr(0, pick(swapped.size() + 1));
      default:
        return nest(swapped);
    }
  }

  std::size_t pick(std::size_t n) { return n == 0 ? 0 : random_() % n; }

  std::string flipBits(std::string body) {
    if (body.empty()) return body;
    for (std::size_t i = 0, n = 1 + pick(8); i < n; ++i) {
      body[pick(body.size())] ^= static_cast<char>(1u << pick(8));
    }
    return body;
  }
  std::string splice(const std::string& body) {
    const std::string& other = corpus_[pick(corpus_.size())].body;
    return body.substr(0, pick(body.size() + 1)) + other.substr(pick(other.size() + 1));
  }
  std::string insertAt(std::string body, const std::string& text) {
    body.insert(pick(body.size() + 1), text);
    return body;
  }
  // Deep nesting, as a whole body or inside one.
  std::string nest(const std::string& body) {
    // Now and then far deeper than any real payload (the server allows 1 MiB bodies).
    const std::size_t depth = pick(64) == 0 ? 100000 : 1 + pick(300);
    if (pick(2)) return std::string(depth, '[') + std::string(depth, ']');
    std::string open, close;
    for (std::size_t i = 0; i < depth; ++i) {
      open += "{\"tag\":";
      close += "}";
    }
    return insertAt(body, open + "1" + close);
  }
  // Parses the body and replaces one value, anywhere in it, by a value of another type.
  std::string swapType(const std::string& body) {
    Json json = Json::parse(body, nullptr, false);
    if (json.is_discarded()) return flipBits(body);
    std::vector<Json*> nodes;
    collect(json, nodes);
    *nodes[pick(nodes.size())] = replacement();
    return json.dump();
  }
  static void collect(Json& node, std::vector<Json*>& out) {
    out.push_back(&node);
    if (node.is_structured()) {
      for (auto& child : node)
        collect(child, out);
    }
  }
  Json replacement() {
    switch (pick(9)) {
      case 0:
        return nullptr;
      case 1:
        return true;
      case 2:
        return -1;
      case 3:
        return 1.7976931348623157e308;
      case 4:
        return Json::array({"v1.2.3", 3, nullptr});
      case 5:
        return Json::object({{"name", ""}, {"tag", Json::object()}});
      case 6:
        return std::string(pick(2) ? 200 : 100000, 'v');
      case 7:
        return "";
      default:
        return "latest";
    }
  }

  const std::vector<Sample>& corpus_;
  std::mt19937 random_;
};

class WebhookCorpusTest : public ::testing::Test {
 protected:
  WebhookCorpusTest() {
    for (const std::string repo : {"ghcr.io/acme/web", "docker.io/acme/web"}) {
      registry_.pushImage(repo, "v1.2.3", "sha256:" + std::string(64, '1'));
      registry_.pushImage(repo, "latest", "sha256:" + std::string(64, '1'));
    }
    Project web{.name = "web", .image = "ghcr.io/acme/web", .webhook_secret_env = "HOOK"};
    web.stages = {
        Stage{.name = "staging", .tags = TagPolicy{.match = "^v"}, .auto_deploy = true},
        Stage{.name = "production",
              .tags = TagPolicy{},
              .auto_deploy = true,
              .promote_from = "staging"},
        Stage{.name = "preview", .tags = TagPolicy{.watch = "latest"}, .auto_deploy = true},
    };
    Project hub{.name = "hub", .image = "docker.io/acme/web", .webhook_secret_env = "HOOK"};
    hub.stages = {
        Stage{.name = "live", .tags = TagPolicy{.order = TagOrder::pushed}, .auto_deploy = true}};
    config_.projects = {web, hub};
  }

  // Sends one delivery and checks the handler's promises; returns the status.
  int deliver(const std::string& sample_name, const std::string& body) {
    http::Response response;
    try {
      response = handler_.handle(deliveryOf(sample_name, body));
    } catch (const std::exception& e) {
      ADD_FAILURE() << "threw " << e.what() << " for a mutation of " << sample_name;
      return 0;
    }
    EXPECT_LT(response.status, 500) << sample_name << ": " << response.body;
    EXPECT_EQ(response.header("Content-Type").value_or(""), "application/json");
    EXPECT_TRUE(Json::accept(response.body)) << sample_name << ": " << response.body;
    return response.status;
  }

  Config config_;
  registry::testing::FakeRegistry registry_;
  FakeClock clock_;
  std::ostringstream log_;
  int deploys_ = 0;
  WebhookHandler handler_{WebhookDeps{
      .config = [this] { return config_; },
      .registry = registry_,
      .enqueue = [this](const deploy::DeployRequest&) -> std::int64_t { return ++deploys_; },
      .env = [](const std::string&) -> std::optional<std::string> { return kSecret; },
      .clock = clock_,
      .log = Logger(log_, LogLevel::error, LogFormat::json),
  }};
};

TEST_F(WebhookCorpusTest, EverySampleIsAcceptedAsIs) {
  const auto corpus = loadCorpus();
  ASSERT_GE(corpus.size(), 8u);
  for (const auto& sample : corpus)
    EXPECT_EQ(deliver(sample.name, sample.body), 202) << sample.name;
  EXPECT_GT(deploys_, 0);
}

TEST_F(WebhookCorpusTest, MutationsNeverCrashNeverAnswer5xxAlwaysAnswerJson) {
  const auto corpus = loadCorpus();
  ASSERT_FALSE(corpus.empty());
  Mutator mutator(corpus);
  std::map<int, int> statuses;
  const auto started = std::chrono::steady_clock::now();
  for (int i = 0; i < kIterations && !HasFailure(); ++i) {
    const Sample& sample = corpus[static_cast<std::size_t>(i) % corpus.size()];
    ++statuses[deliver(sample.name, mutator.mutate(sample.body))];
  }
  const auto elapsed = std::chrono::steady_clock::now() - started;
  // The loop reached both sides of the parser, so it tested something.
  EXPECT_GT(statuses[202], 100);
  EXPECT_GT(statuses[400], 100);
  EXPECT_LT(elapsed, std::chrono::seconds(4));
  for (const auto& [status, count] : statuses)
    RecordProperty("status_" + std::to_string(status), count);
}

}  // namespace
}  // namespace berth::api
