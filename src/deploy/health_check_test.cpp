#include "deploy/health_check.h"

#include <gtest/gtest.h>

namespace berth::deploy {
namespace {

TEST(HealthCheck, APathWinsOverTheImageHealthcheck) {
  Project project;
  project.health.path = "/healthz";
  docker::HealthcheckSpec check;
  check.test = {"CMD", "/check"};
  EXPECT_EQ(chooseHealthMethod(project, check), HealthMethod::http);
}

TEST(HealthCheck, WithoutAPathTheImageHealthcheckIsUsed) {
  Project project;
  docker::HealthcheckSpec check;
  check.test = {"CMD-SHELL", "wget -q -O- http://127.0.0.1/"};
  EXPECT_EQ(chooseHealthMethod(project, check), HealthMethod::docker_healthcheck);
}

TEST(HealthCheck, NeitherFallsBackToRunning) {
  Project project;
  docker::HealthcheckSpec disabled;
  disabled.test = {"NONE"};
  EXPECT_EQ(chooseHealthMethod(project, std::nullopt), HealthMethod::running);
  EXPECT_EQ(chooseHealthMethod(project, disabled), HealthMethod::running);
}

TEST(HealthCheck, UrlUsesThePublishedPortForReachHost) {
  Config config;
  config.proxy.reach = ProxyReach::host;
  Project project;
  project.port = 8080;
  project.health.path = "/healthz";
  docker::ContainerInfo info;
  info.ports = {{"8080/tcp", "127.0.0.1", 49153}};
  EXPECT_EQ(healthUrl(config, project, info), "http://127.0.0.1:49153/healthz");
}

TEST(HealthCheck, UrlUsesTheNetworkAddressForReachNetwork) {
  Config config;
  config.proxy.reach = ProxyReach::network;
  config.docker.network = "berth";
  Project project;
  project.port = 8080;
  project.health.path = "/up";
  docker::ContainerInfo info;
  info.name = "web-prod-blue-1";
  info.networks["berth"] = docker::NetworkAttachment{"n1", "172.20.0.5", {}};
  EXPECT_EQ(healthUrl(config, project, info), "http://172.20.0.5:8080/up");
}

}  // namespace
}  // namespace berth::deploy
