// Deploys and their append-only logs.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include "store/sqlite.h"
#include "store/store.h"
#include "store/test_support.h"

namespace berth {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::TempDir;

constexpr std::int64_t kStart = 1'700'000'000'000;  // SteppingClock's first reading

class DeployRepo : public ::testing::Test {
 protected:
  DeployRepo() { store->replaceConfig(testing::richConfig()); }

  std::int64_t deploy(const std::string& project, const std::string& stage,
                      const std::string& tag = "v1") {
    return store->createDeploy({.project = project,
                                .stage = stage,
                                .image_repository = "ghcr.io/acme/" + project,
                                .image_tag = tag,
                                .trigger = DeployTrigger::manual});
  }

  std::vector<std::int64_t> ids(const DeployQuery& query) {
    std::vector<std::int64_t> result;
    for (const auto& d : store->listDeploys(query))
      result.push_back(d.id);
    return result;
  }

  TempDir dir;
  std::unique_ptr<Store> store = Store::open(dir / "berth.db", testing::SteppingClock{});
};

TEST_F(DeployRepo, CreatedDeployIsQueuedWithEverythingRecorded) {
  const auto previous = deploy("web", "production", "v0");
  const auto id = store->createDeploy({.project = "web",
                                       .stage = "production",
                                       .image_repository = "ghcr.io/acme/web",
                                       .image_tag = "v1",
                                       .image_digest = "sha256:abc",
                                       .trigger = DeployTrigger::promote,
                                       .previous_deploy_id = previous});
  const auto record = store->getDeploy(id);
  ASSERT_TRUE(record);
  EXPECT_EQ(*record, (DeployRecord{.id = id,
                                   .project = "web",
                                   .stage = "production",
                                   .image_repository = "ghcr.io/acme/web",
                                   .image_tag = "v1",
                                   .image_digest = "sha256:abc",
                                   .trigger = DeployTrigger::promote,
                                   .state = DeployState::queued,
                                   .reason = "",
                                   .created_at = fromUnixMillis(kStart + 1000),
                                   .started_at = std::nullopt,
                                   .finished_at = std::nullopt,
                                   .previous_deploy_id = previous}));
}

TEST_F(DeployRepo, UnknownDeployIsAbsent) {
  EXPECT_FALSE(store->getDeploy(12345));
}

TEST_F(DeployRepo, CreatingForAnUnknownStageFails) {
  try {
    deploy("web", "nope");
    FAIL() << "expected StoreError";
  } catch (const StoreError& e) {
    EXPECT_THAT(e.what(), HasSubstr("no stage web/nope"));
  }
}

TEST_F(DeployRepo, StatesStampStartAndFinishOnce) {
  const auto id = deploy("web", "staging");           // created at kStart
  store->setDeployState(id, DeployState::pulling);    // kStart + 1s
  store->setDeployState(id, DeployState::starting);   // kStart + 2s: started_at stays
  store->setDeployState(id, DeployState::checking);   // kStart + 3s
  store->setDeployState(id, DeployState::succeeded);  // kStart + 4s
  const auto d = *store->getDeploy(id);
  EXPECT_EQ(d.state, DeployState::succeeded);
  EXPECT_EQ(d.started_at, fromUnixMillis(kStart + 1000));
  EXPECT_EQ(d.finished_at, fromUnixMillis(kStart + 4000));
}

TEST_F(DeployRepo, AFinishedDeployCannotChange) {
  const auto id = deploy("web", "staging");
  store->setDeployState(id, DeployState::pulling);
  store->setDeployState(id, DeployState::rolled_back, "health check timed out");
  EXPECT_THROW(store->setDeployState(id, DeployState::succeeded), IllegalTransition);
  const auto d = *store->getDeploy(id);
  EXPECT_EQ(d.state, DeployState::rolled_back);
  EXPECT_EQ(d.reason, "health check timed out");
}

TEST_F(DeployRepo, TheStateMachineGuardsEveryMove) {
  const auto id = deploy("web", "staging");
  EXPECT_THROW(store->setDeployState(id, DeployState::succeeded), IllegalTransition);
  EXPECT_EQ(store->getDeploy(id)->state, DeployState::queued);
  EXPECT_FALSE(store->getDeploy(id)->finished_at);
}

TEST_F(DeployRepo, CancelledWhileQueuedNeverStarted) {
  const auto id = deploy("web", "staging");
  store->setDeployState(id, DeployState::cancelled, "superseded");
  const auto d = *store->getDeploy(id);
  EXPECT_FALSE(d.started_at);
  EXPECT_TRUE(d.finished_at);
  EXPECT_EQ(d.reason, "superseded");
}

TEST_F(DeployRepo, UnknownDeployIsRefused) {
  try {
    store->setDeployState(404, DeployState::pulling);
    FAIL() << "expected StoreError";
  } catch (const StoreError& e) {
    EXPECT_THAT(e.what(), HasSubstr("deploy 404 not found"));
  }
  EXPECT_THROW(store->setDeployDigest(404, "sha256:x"), StoreError);
}

// The schema's CHECK constraints must accept every spelling core has, or a new state would only
// fail when the engine first journals it.
TEST_F(DeployRepo, SchemaAcceptsEveryStateAndTriggerOfCore) {
  const auto id = deploy("web", "staging");
  sqlite::Statement update(store->handle(), "UPDATE deploys SET state = ?1 WHERE id = ?2");
  int states = 0;
  for (; parseDeployState(toString(static_cast<DeployState>(states))); ++states) {
    update.reset();
    update.bind(toString(static_cast<DeployState>(states)), id).run();
    EXPECT_EQ(store->getDeploy(id)->state, static_cast<DeployState>(states));
  }
  EXPECT_EQ(states, 11);
  int triggers = 0;
  for (; parseDeployTrigger(toString(static_cast<DeployTrigger>(triggers))); ++triggers) {
    const int i = triggers;
    const auto d = store->createDeploy({.project = "web",
                                        .stage = "staging",
                                        .image_repository = "r",
                                        .trigger = static_cast<DeployTrigger>(i)});
    EXPECT_EQ(store->getDeploy(d)->trigger, static_cast<DeployTrigger>(i));
  }
  EXPECT_EQ(triggers, 5);
}

TEST_F(DeployRepo, DigestIsRecordedAfterThePull) {
  const auto id = deploy("web", "staging");
  store->setDeployDigest(id, "sha256:feed");
  EXPECT_EQ(store->getDeploy(id)->image_digest, "sha256:feed");
}

TEST_F(DeployRepo, LogLinesAreNumberedPerDeployInAppendOrder) {
  const auto a = deploy("web", "staging");
  const auto b = deploy("web", "production");
  EXPECT_EQ(store->appendDeployLog(a, "info", "one"), 1);
  EXPECT_EQ(store->appendDeployLog(b, "info", "other"), 1);
  EXPECT_EQ(store->appendDeployLog(a, "warn", "two"), 2);
  EXPECT_EQ(store->appendDeployLog(a, "error", "three"), 3);

  std::vector<std::string> messages;
  std::vector<std::int64_t> seqs;
  for (const auto& line : store->deployLog(a)) {
    messages.push_back(line.message);
    seqs.push_back(line.seq);
    EXPECT_EQ(line.deploy_id, a);
  }
  EXPECT_THAT(messages, ElementsAre("one", "two", "three"));
  EXPECT_THAT(seqs, ElementsAre(1, 2, 3));
  const auto first = store->deployLog(a).front();
  EXPECT_EQ(first.level, "info");
  EXPECT_EQ(first.ts, fromUnixMillis(kStart + 2000));
}

TEST_F(DeployRepo, LogPagesWithAfterSeqAndLimit) {
  const auto id = deploy("web", "staging");
  for (int i = 1; i <= 5; ++i)
    store->appendDeployLog(id, "info", "line " + std::to_string(i));
  auto seqs = [&](std::int64_t after, std::optional<int> limit) {
    std::vector<std::int64_t> result;
    for (const auto& line : store->deployLog(id, after, limit))
      result.push_back(line.seq);
    return result;
  };
  EXPECT_THAT(seqs(0, std::nullopt), ElementsAre(1, 2, 3, 4, 5));
  EXPECT_THAT(seqs(3, std::nullopt), ElementsAre(4, 5));
  EXPECT_THAT(seqs(1, 2), ElementsAre(2, 3));
  EXPECT_THAT(seqs(5, std::nullopt), ElementsAre());
  EXPECT_TRUE(store->deployLog(id + 100).empty());
}

TEST_F(DeployRepo, LogRefusesUnknownDeployAndLevel) {
  const auto id = deploy("web", "staging");
  EXPECT_THROW(store->appendDeployLog(id + 100, "info", "x"), StoreError);
  EXPECT_THROW(store->appendDeployLog(id, "loud", "x"), StoreError);
  EXPECT_TRUE(store->deployLog(id).empty());
}

TEST_F(DeployRepo, LogIsAppendOnly) {
  const auto id = deploy("web", "staging");
  store->appendDeployLog(id, "info", "original");
  EXPECT_EQ(sqlite3_exec(store->handle(), "UPDATE deploy_logs SET message = 'rewritten'", nullptr,
                         nullptr, nullptr),
            SQLITE_CONSTRAINT_TRIGGER);
  EXPECT_THAT(sqlite3_errmsg(store->handle()), HasSubstr("append-only"));
  EXPECT_EQ(store->deployLog(id).front().message, "original");
}

TEST_F(DeployRepo, ListIsNewestFirstAndFilters) {
  const auto s1 = deploy("web", "staging");
  const auto p1 = deploy("web", "production");
  const auto a1 = deploy("api", "live");
  const auto s2 = deploy("web", "staging");
  const auto e1 = deploy("api", "edge");
  store->setDeployState(s1, DeployState::failed, "pull failed");

  EXPECT_THAT(ids({}), ElementsAre(e1, s2, a1, p1, s1));
  EXPECT_THAT(ids({.project = "web"}), ElementsAre(s2, p1, s1));
  EXPECT_THAT(ids({.project = "web", .stage = "staging"}), ElementsAre(s2, s1));
  EXPECT_THAT(ids({.stage = "live"}), ElementsAre(a1));
  EXPECT_THAT(ids({.state = DeployState::failed}), ElementsAre(s1));
  EXPECT_THAT(ids({.project = "nope"}), ElementsAre());
}

TEST_F(DeployRepo, ListPagesWithBeforeIdAndLimit) {
  std::vector<std::int64_t> all;
  for (int i = 0; i < 5; ++i)
    all.push_back(deploy("web", "staging"));
  EXPECT_THAT(ids({.limit = 2}), ElementsAre(all[4], all[3]));
  EXPECT_THAT(ids({.before_id = all[3], .limit = 2}), ElementsAre(all[2], all[1]));
  EXPECT_THAT(ids({.before_id = all[1], .limit = 2}), ElementsAre(all[0]));
  EXPECT_EQ(ids({.limit = -1}).size(), 5u);
}

TEST_F(DeployRepo, DeployIdsAreNeverReused) {
  const auto first = deploy("api", "edge");
  Config config = testing::richConfig();
  config.projects[1].stages.pop_back();  // deletes edge and its deploy
  store->replaceConfig(config);
  store->replaceConfig(testing::richConfig());
  EXPECT_GT(deploy("api", "edge"), first);
}

}  // namespace
}  // namespace berth
