// The registry client (src/registry/) against the sandbox's real registries: Debian's
// docker-registry (distribution 2.8), open and htpasswd-protected. Each test that writes works
// in a repository of its own ("berth-it/reg-<pid>-<salt>-<n>"), seeded through the registry API
// (blob mounts from berth-test/app and manifest PUTs: no docker push, fast).
//
// Facts about Debian's docker-registry these tests rely on or pin:
//  - it answers a tag listing with every tag at once and ignores n/last (no Link header), so
//    pagination is covered by unit tests with recorded pages;
//  - tags come back in no particular order (not sorted), so berth never relies on the order;
//  - the htpasswd registry challenges with `Basic realm=...`, not Bearer.
#include "registry/registry_client.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <iostream>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "net/curl_http_client.h"
#include "registry/content_digest.h"
#include "registry/credentials.h"
#include "registry/image_config.h"
#include "registry/update_check.h"
#include "support/sandbox_env.h"
#include "support/sandbox_tools.h"

namespace berth::registry {
namespace {

using namespace std::chrono_literals;
using Kind = RegistryError::Kind;
constexpr const char* kManifestV2 = "application/vnd.docker.distribution.manifest.v2+json";

// Counts requests by method on their way to the real client: how much a poll costs.
class CountingClient : public net::HttpClient {
 public:
  explicit CountingClient(net::HttpClient& target) : target_(target) {}
  net::HttpResponse send(const net::HttpRequest& r, const net::CancelFlag* cancel) override {
    ++counts_[r.method];
    return target_.send(r, cancel);
  }
  net::HttpResponse stream(const net::HttpRequest& r, const OnHeaders& h, const OnData& d,
                           const net::CancelFlag* cancel) override {
    ++counts_[r.method];
    return target_.stream(r, h, d, cancel);
  }
  int count(const std::string& method) { return counts_[method]; }
  int total() {
    int n = 0;
    for (const auto& [m, c] : counts_)
      n += c;
    return n;
  }
  void reset() { counts_.clear(); }

 private:
  net::HttpClient& target_;
  std::map<std::string, int> counts_;
};

class RegistryIntegration : public testing::SandboxTest {
 protected:
  void SetUp() override {
    SandboxTest::SetUp();
    if (!haveSandbox()) return;
    options_.hosts = [this](std::string_view host) {
      HostSettings s;
      if (host == sandbox().auth_registry)
        s.credentials = Credentials{sandbox().auth_user, sandbox().auth_password};
      return s;
    };
  }

  RegistryClient makeClient(net::HttpClient& http) {
    return RegistryClient(http, systemClock(), options_);
  }

  RepositoryRef testRepo(const std::string& registry) const {
    return {registry, sandbox().image_repo};
  }

  // A fresh repository name for this test.
  static std::string freshRepository() {
    return "berth-it/" + testing::uniqueName("reg-" + std::to_string(std::time(nullptr)));
  }

  // Raw registry API calls for seeding, outside the client under test.
  net::HttpResponse raw(const std::string& registry, net::HttpRequest r) {
    if (registry == sandbox().auth_registry)
      r.headers.add("Authorization",
                    basicAuthorization({sandbox().auth_user, sandbox().auth_password}));
    return curl_.send(r);
  }

  // The Docker v2 manifest of berth-test/app:<tag>, as bytes.
  std::string sourceManifest(const std::string& registry, const std::string& tag) {
    net::HttpRequest r;
    r.url = "http://" + registry + "/v2/" + sandbox().image_repo + "/manifests/" + tag;
    r.headers.add("Accept", kManifestV2);
    const auto response = raw(registry, r);
    EXPECT_EQ(response.status, 200) << r.url;
    return response.body;
  }

  // Makes `repository` hold `manifest` (from berth-test/app) under each of `tags`.
  void putManifest(const std::string& registry, const std::string& repository,
                   const std::string& manifest, const std::vector<std::string>& tags) {
    const auto json = nlohmann::json::parse(manifest);
    std::vector<std::string> blobs{json["config"]["digest"].get<std::string>()};
    for (const auto& layer : json["layers"])
      blobs.push_back(layer["digest"].get<std::string>());
    for (const auto& blob : blobs) {
      net::HttpRequest mount;
      mount.method = "POST";
      mount.url = "http://" + registry + "/v2/" + repository + "/blobs/uploads/?mount=" + blob +
                  "&from=" + sandbox().image_repo;
      ASSERT_EQ(raw(registry, mount).status, 201) << "mount " << blob;
    }
    // Debian's registry takes 3-30 ms per manifest PUT (it writes several link files); a few
    // PUTs in parallel keep seeding 1,200 tags to a few seconds.
    std::atomic<size_t> next{0};
    std::atomic<int> failures{0};
    std::string first_failure;
    std::mutex failure_mutex;
    auto worker = [&] {
      for (size_t i = next++; i < tags.size(); i = next++) {
        net::HttpRequest put;
        put.method = "PUT";
        put.url = "http://" + registry + "/v2/" + repository + "/manifests/" + tags[i];
        put.headers.add("Content-Type", kManifestV2);
        put.body = manifest;
        const auto status = raw(registry, put).status;
        if (status != 201 && failures++ == 0) {
          std::lock_guard lock(failure_mutex);
          first_failure = "PUT " + put.url + ": HTTP " + std::to_string(status);
        }
      }
    };
    std::vector<std::thread> workers;
    for (int t = 0; t < 4; ++t)
      workers.emplace_back(worker);
    for (auto& w : workers)
      w.join();
    ASSERT_EQ(failures.load(), 0) << first_failure;
  }

  // "created" of berth-test/app:<tag>'s config, read without the client under test.
  std::string rawCreated(const std::string& registry, const std::string& tag) {
    const auto manifest = nlohmann::json::parse(sourceManifest(registry, tag));
    net::HttpRequest r;
    r.url = "http://" + registry + "/v2/" + sandbox().image_repo + "/blobs/" +
            manifest["config"]["digest"].get<std::string>();
    return nlohmann::json::parse(raw(registry, r).body)["created"].get<std::string>();
  }

  static std::string errorOf(const std::function<void()>& call, Kind expected) {
    try {
      call();
    } catch (const RegistryError& e) {
      EXPECT_EQ(e.kind(), expected) << e.what();
      return e.what();
    }
    ADD_FAILURE() << "expected a RegistryError";
    return "";
  }

  net::CurlHttpClient curl_;
  RegistryClientOptions options_;
};

TEST_F(RegistryIntegration, ListsTheTestRepositoryInBothRegistries) {
  CountingClient http(curl_);
  RegistryClient client = makeClient(http);
  for (const auto& registry : {sandbox().registry, sandbox().auth_registry}) {
    auto tags = client.listTags(testRepo(registry));
    std::sort(tags.begin(), tags.end());
    auto expected = sandbox().image_tags;
    std::sort(expected.begin(), expected.end());
    EXPECT_EQ(tags, expected) << registry;
  }
  // Open registry: 1 GET. Auth registry: 401 (learn Basic), then the GET with credentials.
  EXPECT_EQ(http.count("GET"), 3);
}

TEST_F(RegistryIntegration, DigestsMatchWhatTheRegistryServes) {
  CountingClient http(curl_);
  RegistryClient client = makeClient(http);
  for (const auto& registry : {sandbox().registry, sandbox().auth_registry}) {
    const RepositoryRef repo = testRepo(registry);
    const std::string digest = client.manifestDigest(repo, "v1");
    EXPECT_EQ(digest, sha256Digest(sourceManifest(registry, "v1"))) << registry;
    const Manifest m = client.manifest(repo, digest);
    EXPECT_EQ(m.media_type, kManifestV2);
    EXPECT_FALSE(m.config_digest.empty());
    EXPECT_TRUE(client.imageCreated(repo, m.config_digest).has_value());
  }
}

TEST_F(RegistryIntegration, WrongOrMissingCredentialsGiveAClearAuthError) {
  const RepositoryRef repo = testRepo(sandbox().auth_registry);
  {
    RegistryClientOptions o;
    const std::string wrong = "wrong-" + sandbox().auth_password;
    o.hosts = [this, wrong](std::string_view) {
      HostSettings s;
      s.credentials = Credentials{sandbox().auth_user, wrong};
      return s;
    };
    RegistryClient client(curl_, systemClock(), o);
    const std::string message = errorOf([&] { (void)client.listTags(repo); }, Kind::auth);
    EXPECT_NE(message.find("authentication failed for " + sandbox().auth_registry + " as " +
                           sandbox().auth_user),
              std::string::npos)
        << message;
    EXPECT_EQ(message.find(wrong), std::string::npos) << "password in: " << message;
  }
  {
    RegistryClient client(curl_, systemClock(), RegistryClientOptions{});
    const std::string message =
        errorOf([&] { (void)client.manifestDigest(repo, "v1"); }, Kind::auth);
    EXPECT_NE(message.find("the registry requires a username and password"), std::string::npos)
        << message;
  }
}

TEST_F(RegistryIntegration, MissingRepositoryAndTagAreNotFound) {
  RegistryClient client = makeClient(curl_);
  const RepositoryRef missing{sandbox().registry, freshRepository()};
  EXPECT_NE(errorOf([&] { (void)client.listTags(missing); }, Kind::not_found).find("NAME_UNKNOWN"),
            std::string::npos);
  (void)errorOf([&] { (void)client.manifestDigest(testRepo(sandbox().registry), "no-such-tag"); },
                Kind::not_found);
}

TEST_F(RegistryIntegration, WatchingAnUnchangedTagCostsOneHeadAlsoWithBasicAuth) {
  CountingClient http(curl_);
  RegistryClient client = makeClient(http);
  UpdateChecker checker(client, systemClock());
  TagPolicy policy;
  policy.watch = "v1";
  const auto compiled = CompiledTagPolicy::compile(policy).value();
  for (const auto& registry : {sandbox().registry, sandbox().auth_registry}) {
    const RepositoryRef repo = testRepo(registry);
    const RunningImage running{"v1", client.manifestDigest(repo, "v1")};
    for (int poll = 0; poll < 3; ++poll) {
      http.reset();
      EXPECT_EQ(checker.check(repo, compiled, running), UpdateDecision(UpToDate{}));
      EXPECT_EQ(http.count("HEAD"), 1) << registry;
      EXPECT_EQ(http.total(), 1) << registry;
    }
  }
}

TEST_F(RegistryIntegration, ListsAllOf1200TagsInOneAnswer) {
  const std::string repository = freshRepository();
  const std::string manifest = sourceManifest(sandbox().registry, "v1");
  std::vector<std::string> tags;
  for (int i = 0; i < 1200; ++i)
    tags.push_back("t" + std::to_string(10000 + i));
  const auto start = std::chrono::steady_clock::now();
  putManifest(sandbox().registry, repository, manifest, tags);
  const auto seeded = std::chrono::steady_clock::now();

  CountingClient http(curl_);
  RegistryClient client = makeClient(http);
  auto listed = client.listTags({sandbox().registry, repository});
  const auto listed_at = std::chrono::steady_clock::now();
  EXPECT_EQ(listed.size(), 1200u);
  std::sort(listed.begin(), listed.end());
  EXPECT_EQ(listed, tags);
  // Debian's docker-registry ignores n=1000 and sends all 1200 at once, without a Link header.
  // If a newer one pages, the client follows the links and this still passes.
  if (http.count("GET") != 1)
    std::cout << "note: the registry paginated the listing (" << http.count("GET") << " pages)\n";
  std::cout << "seeded 1200 tags in "
            << std::chrono::duration_cast<std::chrono::milliseconds>(seeded - start).count()
            << " ms, listed in "
            << std::chrono::duration_cast<std::chrono::milliseconds>(listed_at - seeded).count()
            << " ms\n";

  // A semver policy over them (none are versions) has nothing to choose; numeric does.
  UpdateChecker checker(client, systemClock());
  TagPolicy numeric;
  numeric.match = "^t([0-9]+)$";
  numeric.order = TagOrder::numeric;
  EXPECT_EQ(checker.check({sandbox().registry, repository},
                          CompiledTagPolicy::compile(numeric).value(), std::nullopt),
            UpdateDecision(NewerTag{"t11199", sha256Digest(manifest)}));
}

TEST_F(RegistryIntegration, RepushedTagChangesDigestAndIsSameTagNewDigest) {
  for (const auto& registry : {sandbox().registry, sandbox().auth_registry}) {
    const std::string repository = freshRepository();
    const RepositoryRef repo{registry, repository};
    const std::string v1 = sourceManifest(registry, "v1");
    const std::string v2 = sourceManifest(registry, "v2");
    putManifest(registry, repository, v1, {"latest"});

    RegistryClient client = makeClient(curl_);
    UpdateChecker checker(client, systemClock());
    TagPolicy policy;
    policy.watch = "latest";
    const auto compiled = CompiledTagPolicy::compile(policy).value();
    const std::string before = client.manifestDigest(repo, "latest");
    EXPECT_EQ(before, sha256Digest(v1));
    const RunningImage running{"latest", before};
    EXPECT_EQ(checker.check(repo, compiled, running), UpdateDecision(UpToDate{}));

    putManifest(registry, repository, v2, {"latest"});  // re-push with new content
    const std::string after = client.manifestDigest(repo, "latest");
    EXPECT_NE(after, before);
    EXPECT_EQ(after, sha256Digest(v2));
    EXPECT_EQ(checker.check(repo, compiled, running), UpdateDecision(SameTagNewDigest{after}))
        << registry;
  }
}

TEST_F(RegistryIntegration, PushedOrderReadsRealConfigBlobs) {
  const std::string registry = sandbox().registry;
  // Names in the opposite order of creation, so alphabetical order would pick the wrong one.
  const std::map<std::string, std::string> source = {
      {"build-a", "v3"}, {"build-b", "v2"}, {"build-c", "v1"}};
  std::map<std::string, std::string> created;  // build tag -> raw "created"
  const std::string repository = freshRepository();
  for (const auto& [tag, from] : source) {
    putManifest(registry, repository, sourceManifest(registry, from), {tag});
    created[tag] = rawCreated(registry, from);
  }
  const std::string newest =
      std::max_element(created.begin(), created.end(), [](const auto& a, const auto& b) {
        return parseRfc3339(a.second) < parseRfc3339(b.second);
      })->first;

  CountingClient http(curl_);
  RegistryClient client = makeClient(http);
  const RepositoryRef repo{registry, repository};
  for (const auto& [tag, when] : created) {
    const auto t = imagePushTime(client, repo, client.manifestDigest(repo, tag));
    ASSERT_TRUE(t.has_value()) << tag;
    EXPECT_EQ(t, parseRfc3339(when)) << tag;
  }

  UpdateChecker checker(client, systemClock());
  TagPolicy pushed;
  pushed.match = "^build-";
  pushed.order = TagOrder::pushed;
  const auto compiled = CompiledTagPolicy::compile(pushed).value();
  const auto decision = checker.check(repo, compiled, RunningImage{"build-c", ""});
  ASSERT_TRUE(std::holds_alternative<NewerTag>(decision)) << describe(decision);
  EXPECT_EQ(std::get<NewerTag>(decision).tag, newest);

  // The next poll remembers the times: one listing and one HEAD.
  const RunningImage running{newest, client.manifestDigest(repo, newest)};
  http.reset();
  EXPECT_EQ(checker.check(repo, compiled, running), UpdateDecision(UpToDate{}));
  EXPECT_EQ(http.count("GET"), 1);
  EXPECT_EQ(http.count("HEAD"), 1);
}

}  // namespace
}  // namespace berth::registry
