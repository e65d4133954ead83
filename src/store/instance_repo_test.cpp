#include <gtest/gtest.h>

#include "store/store.h"
#include "store/test_support.h"

namespace berth::testing {
namespace {

class InstanceRepoTest : public ::testing::Test {
 protected:
  InstanceRepoTest() : store_(Store::open(dir_ / "berth.db", SteppingClock{})) {
    store_->replaceConfig(richConfig());
  }
  InstanceRecord record(const std::string& container, const std::string& name) {
    return InstanceRecord{.id = 0,
                          .project = "web",
                          .stage = "production",
                          .deploy_id = std::nullopt,
                          .container_id = container,
                          .name = name,
                          .color = "blue",
                          .state = "started",
                          .health = "",
                          .updated_at = {}};
  }
  TempDir dir_;
  std::unique_ptr<Store> store_;
};

TEST_F(InstanceRepoTest, UpsertsByContainerIdAndListsByStage) {
  store_->upsertInstance(record("c2", "web-production-blue-2"));
  store_->upsertInstance(record("c1", "web-production-blue-1"));
  auto healthy = record("c1", "web-production-blue-1");
  healthy.state = "healthy";
  healthy.health = "healthy";
  store_->upsertInstance(healthy);
  const auto list = store_->listInstances("web", "production");
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0].container_id, "c1");
  EXPECT_EQ(list[0].state, "healthy");
  EXPECT_EQ(list[0].health, "healthy");
  EXPECT_EQ(list[0].project, "web");
  EXPECT_EQ(list[1].container_id, "c2");
  EXPECT_TRUE(store_->listInstances("web", "staging").empty());
}

TEST_F(InstanceRepoTest, RemovesAndIgnoresUnknownIds) {
  store_->upsertInstance(record("c1", "n1"));
  store_->removeInstance("c1");
  store_->removeInstance("never-there");
  EXPECT_TRUE(store_->listInstances("web", "production").empty());
}

TEST_F(InstanceRepoTest, KeepsTheDeployItCameFrom) {
  const auto deploy = store_->createDeploy(NewDeploy{.project = "web",
                                                     .stage = "production",
                                                     .image_repository = "ghcr.io/acme/web",
                                                     .image_tag = "v1"});
  auto r = record("c1", "n1");
  r.deploy_id = deploy;
  store_->upsertInstance(r);
  EXPECT_EQ(store_->listInstances("web", "production").at(0).deploy_id, deploy);
}

TEST_F(InstanceRepoTest, RefusesAnUnknownStageAndABadColor) {
  auto r = record("c1", "n1");
  r.stage = "nope";
  EXPECT_THROW(store_->upsertInstance(r), StoreError);
  r = record("c1", "n1");
  r.color = "red";
  EXPECT_THROW(store_->upsertInstance(r), StoreError);
}

}  // namespace
}  // namespace berth::testing
