// Update decisions for every policy kind, against an in-memory registry (FakeRegistry), plus
// the request cost of a poll against recorded HTTP answers (RegistryClient + ScriptedHttpClient).
#include "registry/update_check.h"

#include <gtest/gtest.h>

#include "registry/content_digest.h"
#include "registry/registry_client.h"
#include "registry/testing/fake_registry.h"
#include "registry/testing/scripted_http_client.h"

namespace berth::registry {
namespace {

using namespace std::chrono_literals;
using testing::FakeRegistry;
using Call = FakeRegistry::Call;

const RepositoryRef kRepo{"ghcr.io", "acme/web"};
const std::string kRepoKey = "ghcr.io/acme/web";

std::string digest(char c) {
  return "sha256:" + std::string(64, c);
}

std::chrono::system_clock::time_point day(int d) {
  return std::chrono::sys_days{std::chrono::year{2026} / 11 / d};
}

CompiledTagPolicy compile(const TagPolicy& p) {
  return CompiledTagPolicy::compile(p).value();
}

TagPolicy watch(std::string tag) {
  TagPolicy p;
  p.watch = std::move(tag);
  return p;
}

TagPolicy ordered(TagOrder order, std::string match = "") {
  TagPolicy p;
  p.order = order;
  p.match = std::move(match);
  return p;
}

class UpdateCheckTest : public ::testing::Test {
 protected:
  UpdateDecision check(const TagPolicy& policy, std::optional<RunningImage> running) {
    return checker.check(kRepo, compile(policy), running);
  }
  FakeRegistry registry;
  FakeClock clock;
  UpdateChecker checker{registry, clock};
};

// --- pure parts ---------------------------------------------------------------------------

TEST(Decide, EveryOutcome) {
  EXPECT_EQ(decide(std::nullopt, "v2", digest('2'), false),
            UpdateDecision(NewerTag{"v2", digest('2')}));
  EXPECT_EQ(decide(RunningImage{"v2", digest('2')}, "v2", digest('2'), true),
            UpdateDecision(UpToDate{}));
  EXPECT_EQ(decide(RunningImage{"latest", digest('1')}, "latest", digest('2'), false),
            UpdateDecision(SameTagNewDigest{digest('2')}));
  EXPECT_EQ(decide(RunningImage{"v1", digest('1')}, "v2", digest('2'), false),
            UpdateDecision(NewerTag{"v2", digest('2')}));
  // Another tag naming the very same content is not an update.
  EXPECT_EQ(decide(RunningImage{"v1.2", digest('2')}, "v1.2.3", digest('2'), true),
            UpdateDecision(UpToDate{}));
}

TEST(Decide, RunsContentKnowsIndexChildren) {
  Manifest index;
  index.digest = digest('i');
  index.media_type = std::string(media_type::kOciIndex);
  index.children = {{digest('a'), "", {"linux", "amd64", ""}, false},
                    {digest('b'), "", {"linux", "arm64", ""}, false}};
  EXPECT_TRUE(runsContent({"latest", digest('i')}, digest('i'), nullptr));
  EXPECT_TRUE(runsContent({"latest", digest('b')}, digest('i'), &index));
  EXPECT_FALSE(runsContent({"latest", digest('c')}, digest('i'), &index));
  EXPECT_FALSE(runsContent({"latest", ""}, digest('i'), &index));
  EXPECT_FALSE(runsContent({"latest", digest('b')}, digest('x'), &index));  // other manifest
}

TEST(Decide, DescribeIsOneLine) {
  EXPECT_EQ(describe(UpToDate{}), "up to date");
  EXPECT_EQ(describe(NewerTag{"v2", "sha256:x"}), "newer tag v2 (sha256:x)");
  EXPECT_EQ(describe(SameTagNewDigest{"sha256:y"}), "same tag, new digest sha256:y");
  EXPECT_EQ(describe(Unknown{"registry down"}), "unknown: registry down");
}

// --- watch -------------------------------------------------------------------------------

TEST_F(UpdateCheckTest, WatchUnchangedIsOneDigestLookupAndNoListing) {
  registry.pushImage(kRepoKey, "latest", digest('1'));
  EXPECT_EQ(check(watch("latest"), RunningImage{"latest", digest('1')}),
            UpdateDecision(UpToDate{}));
  EXPECT_EQ(registry.calls(Call::manifest_digest), 1);
  EXPECT_EQ(registry.calls(Call::list_tags), 0);
  EXPECT_EQ(registry.calls(Call::manifest), 0);
}

TEST_F(UpdateCheckTest, WatchRepushedTagIsSameTagNewDigest) {
  registry.pushImage(kRepoKey, "latest", digest('2'));
  EXPECT_EQ(check(watch("latest"), RunningImage{"latest", digest('1')}),
            UpdateDecision(SameTagNewDigest{digest('2')}));
}

TEST_F(UpdateCheckTest, WatchWithNothingRunningOrAnotherTagRunning) {
  registry.pushImage(kRepoKey, "latest", digest('2'));
  EXPECT_EQ(check(watch("latest"), std::nullopt), UpdateDecision(NewerTag{"latest", digest('2')}));
  EXPECT_EQ(check(watch("latest"), RunningImage{"v1", digest('1')}),
            UpdateDecision(NewerTag{"latest", digest('2')}));
  EXPECT_EQ(check(watch("latest"), RunningImage{"v1", digest('2')}), UpdateDecision(UpToDate{}));
}

TEST_F(UpdateCheckTest, WatchMultiArchIndexIsUpToDateByIndexOrChildDigest) {
  registry.pushImage(kRepoKey, "", digest('a'));
  registry.pushImage(kRepoKey, "", digest('b'));
  registry.pushIndex(kRepoKey, "latest", digest('i'),
                     {{digest('a'), "", {"linux", "amd64", ""}, false},
                      {digest('b'), "", {"linux", "arm64", "v8"}, false}});
  EXPECT_EQ(check(watch("latest"), RunningImage{"latest", digest('i')}),
            UpdateDecision(UpToDate{}));
  EXPECT_EQ(check(watch("latest"), RunningImage{"latest", digest('a')}),
            UpdateDecision(UpToDate{}));
  EXPECT_EQ(check(watch("latest"), RunningImage{"latest", digest('b')}),
            UpdateDecision(UpToDate{}));
  // A new index whose children are all new is an update.
  registry.pushIndex(kRepoKey, "latest", digest('j'),
                     {{digest('c'), "", {"linux", "amd64", ""}, false}});
  EXPECT_EQ(check(watch("latest"), RunningImage{"latest", digest('a')}),
            UpdateDecision(SameTagNewDigest{digest('j')}));
}

TEST_F(UpdateCheckTest, WatchedTagMissingIsUnknown) {
  registry.pushImage(kRepoKey, "v1", digest('1'));
  const auto d = check(watch("latest"), RunningImage{"latest", digest('1')});
  ASSERT_TRUE(std::holds_alternative<Unknown>(d));
  EXPECT_EQ(std::get<Unknown>(d).reason,
            "registry ghcr.io, repository acme/web: manifest 'latest': HTTP 404 not found");
}

// --- semver, numeric, alphabetical --------------------------------------------------------

TEST_F(UpdateCheckTest, SemverPicksTheHighestReleaseAndIgnoresOtherTags) {
  registry.pushImage(kRepoKey, "v1.9.0", digest('1'));
  registry.pushImage(kRepoKey, "v1.10.0", digest('2'));
  registry.pushImage(kRepoKey, "v2.0.0-rc.1", digest('3'));
  registry.pushImage(kRepoKey, "latest", digest('3'));
  registry.pushImage(kRepoKey, "main-abc1234", digest('4'));
  EXPECT_EQ(check(ordered(TagOrder::semver), RunningImage{"v1.9.0", digest('1')}),
            UpdateDecision(NewerTag{"v1.10.0", digest('2')}));
  EXPECT_EQ(check(ordered(TagOrder::semver), RunningImage{"v1.10.0", digest('2')}),
            UpdateDecision(UpToDate{}));
  TagPolicy pre = ordered(TagOrder::semver);
  pre.prerelease = true;
  EXPECT_EQ(check(pre, RunningImage{"v1.10.0", digest('2')}),
            UpdateDecision(NewerTag{"v2.0.0-rc.1", digest('3')}));
}

TEST_F(UpdateCheckTest, SemverUnchangedCostsOneListingAndOneDigestLookup) {
  for (int i = 0; i < 50; ++i)
    registry.pushImage(kRepoKey, "1." + std::to_string(i) + ".0", digest('a' + i % 6));
  registry.pushImage(kRepoKey, "1.50.0", digest('9'));
  EXPECT_EQ(check(ordered(TagOrder::semver), RunningImage{"1.50.0", digest('9')}),
            UpdateDecision(UpToDate{}));
  EXPECT_EQ(registry.calls(Call::list_tags), 1);
  EXPECT_EQ(registry.calls(Call::manifest_digest), 1);
  EXPECT_EQ(registry.calls(Call::manifest), 0);
}

TEST_F(UpdateCheckTest, RepushedReleaseTagIsSameTagNewDigest) {
  registry.pushImage(kRepoKey, "1.25", digest('2'));
  EXPECT_EQ(check(ordered(TagOrder::semver), RunningImage{"1.25", digest('1')}),
            UpdateDecision(SameTagNewDigest{digest('2')}));
}

TEST_F(UpdateCheckTest, NeverDowngradesWhenTheRunningTagWasDeleted) {
  registry.pushImage(kRepoKey, "v1.0.0", digest('1'));
  registry.pushImage(kRepoKey, "v2.0.0", digest('2'));
  EXPECT_EQ(check(ordered(TagOrder::semver), RunningImage{"v3.0.0", digest('3')}),
            UpdateDecision(UpToDate{}));
  EXPECT_EQ(registry.calls(Call::manifest_digest), 0);
  // A running tag outside the policy (deployed by hand) moves to the policy's choice.
  EXPECT_EQ(check(ordered(TagOrder::semver), RunningImage{"hotfix", digest('9')}),
            UpdateDecision(NewerTag{"v2.0.0", digest('2')}));
}

TEST_F(UpdateCheckTest, NumericByCaptureGroup) {
  registry.pushImage(kRepoKey, "build-9", digest('1'));
  registry.pushImage(kRepoKey, "build-10", digest('2'));
  registry.pushImage(kRepoKey, "build-x", digest('3'));
  registry.pushImage(kRepoKey, "other-99", digest('4'));
  EXPECT_EQ(
      check(ordered(TagOrder::numeric, "^build-([0-9]+)$"), RunningImage{"build-9", digest('1')}),
      UpdateDecision(NewerTag{"build-10", digest('2')}));
}

TEST_F(UpdateCheckTest, AlphabeticalCalendarTags) {
  registry.pushImage(kRepoKey, "2026.11.30", digest('1'));
  registry.pushImage(kRepoKey, "2026.12.01", digest('2'));
  EXPECT_EQ(check(ordered(TagOrder::alphabetical, "^[0-9]{4}\\.[0-9]{2}\\.[0-9]{2}$"),
                  RunningImage{"2026.12.01", digest('2')}),
            UpdateDecision(UpToDate{}));
  EXPECT_EQ(
      check(ordered(TagOrder::alphabetical, "^[0-9]{4}\\.[0-9]{2}\\.[0-9]{2}$"), std::nullopt),
      UpdateDecision(NewerTag{"2026.12.01", digest('2')}));
}

TEST_F(UpdateCheckTest, NoAcceptableTagIsUnknown) {
  registry.pushImage(kRepoKey, "latest", digest('1'));
  const auto d = check(ordered(TagOrder::semver), RunningImage{"v1", digest('1')});
  ASSERT_TRUE(std::holds_alternative<Unknown>(d));
  EXPECT_EQ(std::get<Unknown>(d).reason,
            "registry ghcr.io, repository acme/web: none of its 1 tags matches the stage's tag "
            "policy");
}

TEST_F(UpdateCheckTest, SemverMultiArchRunningChildDigestIsUpToDate) {
  registry.pushImage(kRepoKey, "", digest('a'));
  registry.pushIndex(kRepoKey, "v2.0.0", digest('i'),
                     {{digest('a'), "", {"linux", "amd64", ""}, false}});
  EXPECT_EQ(check(ordered(TagOrder::semver), RunningImage{"v2.0.0", digest('a')}),
            UpdateDecision(UpToDate{}));
}

// --- pushed ------------------------------------------------------------------------------

TEST_F(UpdateCheckTest, PushedPicksTheNewestImageByConfigCreated) {
  registry.pushImage(kRepoKey, "main-aaaaaaa", digest('1'), day(1));
  registry.pushImage(kRepoKey, "main-ccccccc", digest('2'), day(3));
  registry.pushImage(kRepoKey, "main-bbbbbbb", digest('3'), day(2));
  registry.pushImage(kRepoKey, "pr-7", digest('4'), day(9));
  registry.pushImage(kRepoKey, "main-ddddddd", digest('5'), std::nullopt);  // no created
  const TagPolicy p = ordered(TagOrder::pushed, "^main-[0-9a-f]{7,}$");
  EXPECT_EQ(check(p, RunningImage{"main-aaaaaaa", digest('1')}),
            UpdateDecision(NewerTag{"main-ccccccc", digest('2')}));
  EXPECT_EQ(registry.calls(Call::image_created), 4);  // matching tags only
}

TEST_F(UpdateCheckTest, PushedMultiArchUsesTheAmd64ChildsConfig) {
  registry.pushImage(kRepoKey, "", digest('a'), day(5));  // amd64
  registry.pushImage(kRepoKey, "", digest('b'), day(1));  // arm64, older config
  registry.pushIndex(kRepoKey, "main-1111111", digest('i'),
                     {{digest('b'), "", {"linux", "arm64", ""}, false},
                      {digest('a'), "", {"linux", "amd64", ""}, false}});
  registry.pushImage(kRepoKey, "main-2222222", digest('2'), day(3));
  EXPECT_EQ(check(ordered(TagOrder::pushed, "^main-"), std::nullopt),
            UpdateDecision(NewerTag{"main-1111111", digest('i')}));
}

TEST_F(UpdateCheckTest, PushedRemembersTimesAndVerifiesOnlyTheBestOnLaterPolls) {
  for (int i = 0; i < 20; ++i)
    registry.pushImage(kRepoKey, "main-" + std::to_string(1000000 + i),
                       "sha256:" + std::string(58, 'a') + std::to_string(100000 + i), day(1 + i));
  const TagPolicy p = ordered(TagOrder::pushed, "^main-");
  const RunningImage running{"main-1000019", "sha256:" + std::string(58, 'a') + "100019"};
  EXPECT_EQ(check(p, running), UpdateDecision(UpToDate{}));
  EXPECT_EQ(registry.calls(Call::manifest_digest), 20);

  // Next poll: one listing, one HEAD of the best tag; no manifests, no configs.
  const int manifests = registry.calls(Call::manifest);
  const int configs = registry.calls(Call::image_created);
  clock.advance(1min);
  EXPECT_EQ(check(p, running), UpdateDecision(UpToDate{}));
  EXPECT_EQ(registry.calls(Call::list_tags), 2);
  EXPECT_EQ(registry.calls(Call::manifest_digest), 21);
  EXPECT_EQ(registry.calls(Call::manifest), manifests);
  EXPECT_EQ(registry.calls(Call::image_created), configs);

  // A new tag costs its own lookups only.
  registry.pushImage(kRepoKey, "main-2000000", digest('n'), day(25));
  EXPECT_EQ(check(p, running), UpdateDecision(NewerTag{"main-2000000", digest('n')}));
  EXPECT_EQ(registry.calls(Call::manifest_digest), 22);

  // After pushed_recheck every remembered tag is looked at again.
  clock.advance(16min);
  (void)check(p, running);
  EXPECT_EQ(registry.calls(Call::manifest_digest), 22 + 21);
}

TEST_F(UpdateCheckTest, PushedNoticesARepushOfTheRememberedBest) {
  registry.pushImage(kRepoKey, "main-a", digest('1'), day(1));
  registry.pushImage(kRepoKey, "main-b", digest('2'), day(2));
  const TagPolicy p = ordered(TagOrder::pushed, "^main-");
  EXPECT_EQ(check(p, RunningImage{"main-b", digest('2')}), UpdateDecision(UpToDate{}));
  // main-b re-pushed with an image built before main-a: main-a is now the newest.
  registry.pushImage(kRepoKey, "main-b", digest('3'), day(0 + 1) - 1h);
  EXPECT_EQ(check(p, RunningImage{"main-b", digest('2')}),
            UpdateDecision(NewerTag{"main-a", digest('1')}));
}

TEST_F(UpdateCheckTest, PushedWithoutAnyCreationTimeIsUnknown) {
  registry.pushImage(kRepoKey, "main-a", digest('1'), std::nullopt);
  const auto d = check(ordered(TagOrder::pushed, "^main-"), std::nullopt);
  ASSERT_TRUE(std::holds_alternative<Unknown>(d));
  EXPECT_NE(std::get<Unknown>(d).reason.find("with a creation time"), std::string::npos);
}

// --- partial failures --------------------------------------------------------------------

TEST_F(UpdateCheckTest, AFailureAnywhereInTheCheckIsUnknownNeverADecision) {
  registry.pushImage(kRepoKey, "main-a", digest('1'), day(1));
  registry.pushImage(kRepoKey, "main-b", digest('2'), day(2));
  registry.pushImage(kRepoKey, "main-c", digest('3'), day(3));
  const TagPolicy p = ordered(TagOrder::pushed, "^main-");
  int lookups = 0;
  registry.before_call = [&](Call call, std::string_view) {
    if (call == Call::manifest_digest && ++lookups == 2)
      throw RegistryError(RegistryError::Kind::rate_limited,
                          "registry ghcr.io, repository acme/web: manifest 'main-b': HTTP 429 "
                          "too many requests");
  };
  const auto d = check(p, RunningImage{"main-a", digest('1')});
  ASSERT_TRUE(std::holds_alternative<Unknown>(d)) << describe(d);
  EXPECT_EQ(std::get<Unknown>(d).reason,
            "registry ghcr.io, repository acme/web: manifest 'main-b': HTTP 429 too many requests");

  // Each kind of call failing makes every policy unknown.
  for (Call failing :
       {Call::list_tags, Call::manifest_digest, Call::manifest, Call::image_created}) {
    FakeRegistry r;
    r.pushImage(kRepoKey, "", digest('a'), day(1));
    r.pushIndex(kRepoKey, "v1.0.0", digest('i'),
                {{digest('a'), "", {"linux", "amd64", ""}, false}});
    r.before_call = [failing](Call call, std::string_view) {
      if (call == failing)
        throw RegistryError(RegistryError::Kind::unavailable, "HTTP 503 server error");
    };
    FakeClock c;
    UpdateChecker checker_r(r, c);
    for (const TagPolicy& policy :
         {watch("v1.0.0"), ordered(TagOrder::semver), ordered(TagOrder::pushed)}) {
      const auto decision =
          checker_r.check(kRepo, compile(policy), RunningImage{"v0.9.0", digest('z')});
      const bool may_skip = (failing == Call::list_tags && !policy.watch.empty()) ||
                            (failing == Call::image_created && policy.order != TagOrder::pushed);
      if (!may_skip) {
        EXPECT_TRUE(std::holds_alternative<Unknown>(decision))
            << static_cast<int>(failing) << " " << describe(decision);
      }
    }
  }
}

// --- request cost over HTTP ---------------------------------------------------------------

TEST(UpdateCheckRequests, WatchingAnUnchangedTagIsExactlyOneHead) {
  testing::ScriptedHttpClient http;
  FakeClock clock;
  RegistryClientOptions o;
  o.random = [] { return 0.5; };
  RegistryClient client(http, clock, o);
  UpdateChecker checker(client, clock);
  const RepositoryRef repo{"127.0.0.1:5000", "berth-test/app"};
  http.route("HEAD", "http://127.0.0.1:5000/v2/berth-test/app/manifests/latest",
             testing::response(200, "", {{"Docker-Content-Digest", digest('1')}}));
  for (int poll = 0; poll < 3; ++poll)
    EXPECT_EQ(checker.check(repo, compile(watch("latest")), RunningImage{"latest", digest('1')}),
              UpdateDecision(UpToDate{}));
  EXPECT_EQ(
      http.requestLines(),
      std::vector<std::string>(3, "HEAD http://127.0.0.1:5000/v2/berth-test/app/manifests/latest"));
}

}  // namespace
}  // namespace berth::registry
