#include "deploy/container_spec.h"

#include <gtest/gtest.h>

namespace berth::deploy {
namespace {

struct Fixture {
  Config config;
  Project project;
  Stage stage;
  Fixture() {
    config.docker.network = "edge";
    config.proxy.reach = ProxyReach::host;
    project.name = "my-app";
    project.image = "ghcr.io/acme/web";
    project.port = 8080;
    project.env = {{"LOG_LEVEL", "info"}, {"ONLY_PROJECT", "1"}};
    project.volumes = {"web-data:/data", "/srv/cache:/cache:ro"};
    stage.name = "prod-eu";
    stage.env = {{"LOG_LEVEL", "warn"}};
    stage.volumes = {"prod-only:/p"};
  }
};

const InstancePlan kPlan{
    .image = "ghcr.io/acme/web@sha256:abc", .deploy_id = 42, .color = "green", .index = 2};

TEST(ContainerSpec, BuildsEverythingFromConfiguration) {
  Fixture f;
  const auto spec = buildContainerSpec(f.config, f.project, f.stage, kPlan);
  EXPECT_EQ(spec.name, "my-app-prod-eu-green-2");
  EXPECT_EQ(spec.image, "ghcr.io/acme/web@sha256:abc");
  EXPECT_EQ(spec.env,
            (std::map<std::string, std::string>{{"LOG_LEVEL", "warn"}, {"ONLY_PROJECT", "1"}}));
  EXPECT_EQ(spec.labels, (std::map<std::string, std::string>{{"berth.color", "green"},
                                                             {"berth.deploy", "42"},
                                                             {"berth.project", "my-app"},
                                                             {"berth.stage", "prod-eu"}}));
  ASSERT_EQ(spec.mounts.size(), 3u);
  EXPECT_EQ(spec.mounts[0],
            (docker::Mount{docker::Mount::Type::volume, "web-data", "/data", false}));
  EXPECT_EQ(spec.mounts[1],
            (docker::Mount{docker::Mount::Type::bind, "/srv/cache", "/cache", true}));
  EXPECT_EQ(spec.mounts[2], (docker::Mount{docker::Mount::Type::volume, "prod-only", "/p", false}));
  EXPECT_EQ(spec.network, "edge");
  EXPECT_EQ(spec.network_aliases,
            (std::vector<std::string>{"my-app-prod-eu-green-2", "my-app-prod-eu-green"}));
  EXPECT_EQ(spec.restart.name, docker::RestartPolicy::Name::unless_stopped);
}

TEST(ContainerSpec, ReachHostPublishesOnLoopbackWithRandomPort) {
  Fixture f;
  const auto spec = buildContainerSpec(f.config, f.project, f.stage, kPlan);
  ASSERT_EQ(spec.port_bindings.size(), 1u);
  EXPECT_EQ(spec.port_bindings[0], (docker::PortBinding{"8080/tcp", "127.0.0.1", ""}));
}

TEST(ContainerSpec, ReachNetworkPublishesNothing) {
  Fixture f;
  f.config.proxy.reach = ProxyReach::network;
  const auto spec = buildContainerSpec(f.config, f.project, f.stage, kPlan);
  EXPECT_TRUE(spec.port_bindings.empty());
  EXPECT_EQ(spec.exposed_ports, std::vector<std::string>{"8080/tcp"});
}

TEST(ContainerSpec, ParsesVolumes) {
  EXPECT_FALSE(parseVolume("nocolon"));
  EXPECT_FALSE(parseVolume("name:relative"));
  EXPECT_FALSE(parseVolume("name:/p:bogus"));
  EXPECT_EQ(parseVolume("/a:/b")->type, docker::Mount::Type::bind);
}

TEST(ContainerSpec, ColorsAlternate) {
  EXPECT_EQ(otherColor(""), "blue");
  EXPECT_EQ(otherColor("blue"), "green");
  EXPECT_EQ(otherColor("green"), "blue");
}

}  // namespace
}  // namespace berth::deploy
