// "Create if missing" over the seam, including a racing creator and the daemon's id-prefix
// lookup.
#include "docker/ensure_network.h"

#include <gtest/gtest.h>

#include "docker/docker_client.h"
#include "docker/fake_http_client.h"

namespace berth::docker {
namespace {

using testing::answer;

constexpr const char* kBerthNetwork =
    R"({"Name":"berth","Id":"8675","Driver":"bridge","Labels":{"berth.managed":"true"}})";

class EnsureNetworkTest : public ::testing::Test {
 protected:
  testing::FakeHttpClient http_;
  DockerClient docker_{http_, parseDockerEndpoint("unix:///run/test/docker.sock").value(),
                       DockerClientOptions{.api_version = "1.41", .timeouts = {}}};
  NetworkSpec spec_{.name = "berth", .driver = "bridge", .labels = {{"berth.managed", "true"}}};
};

TEST_F(EnsureNetworkTest, ExistingNetworkIsKept) {
  http_.script(answer(200, kBerthNetwork));
  const auto ensured = ensureNetwork(docker_, spec_);
  EXPECT_FALSE(ensured.created);
  EXPECT_EQ(ensured.network.id, "8675");
  EXPECT_EQ(http_.requests().size(), 1u);
}

TEST_F(EnsureNetworkTest, MissingNetworkIsCreated) {
  http_.script(answer(404, R"({"message":"network berth not found"})"));
  http_.script(answer(201, R"({"Id":"8675","Warning":""})"));
  http_.script(answer(200, kBerthNetwork));
  const auto ensured = ensureNetwork(docker_, spec_);
  EXPECT_TRUE(ensured.created);
  EXPECT_EQ(ensured.network.labels.at("berth.managed"), "true");
  EXPECT_EQ(http_.requests()[1].url, "http://docker/v1.41/networks/create");
}

TEST_F(EnsureNetworkTest, ConcurrentCreatorWins) {
  http_.script(answer(404, R"({"message":"network berth not found"})"));
  http_.script(answer(409, R"({"message":"network with name berth already exists"})"));
  http_.script(answer(200, kBerthNetwork));
  const auto ensured = ensureNetwork(docker_, spec_);
  EXPECT_FALSE(ensured.created);
  EXPECT_EQ(ensured.network.name, "berth");
}

TEST_F(EnsureNetworkTest, IdPrefixMatchOfAnotherNetworkDoesNotCount) {
  // The daemon resolves "be" as an id prefix when no network has that name.
  spec_.name = "be";
  http_.script(answer(200, R"({"Name":"other","Id":"be12","Driver":"bridge"})"));
  http_.script(answer(201, R"({"Id":"cafe","Warning":""})"));
  http_.script(answer(200, R"({"Name":"be","Id":"cafe","Driver":"bridge"})"));
  const auto ensured = ensureNetwork(docker_, spec_);
  EXPECT_TRUE(ensured.created);
  EXPECT_EQ(ensured.network.id, "cafe");
}

TEST_F(EnsureNetworkTest, OtherErrorsPropagate) {
  http_.script(answer(500, R"({"message":"boom"})"));
  EXPECT_THROW(ensureNetwork(docker_, spec_), DockerError);
}

}  // namespace
}  // namespace berth::docker
