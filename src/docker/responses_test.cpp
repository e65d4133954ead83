// Reading the daemon's answers: recorded 20.10 bodies, and malformed ones that must fail with
// a message naming the field.
#include "docker/responses.h"

#include <gtest/gtest.h>

#include "docker/docker_error.h"
#include "docker/recorded_responses.h"

namespace berth::docker {
namespace {

using namespace std::chrono_literals;
using testing::kContainerInspectExited;
using testing::kContainerInspectRunning;
using testing::kContainerList;
using testing::kEventStream;
using testing::kImageInspect;
using testing::kNetworkInspect;
using testing::kVersion;

// Runs `f`, expecting DockerError(protocol) whose message is exactly `message`.
template <class F>
void expectMalformed(F f, const std::string& message) {
  try {
    f();
    ADD_FAILURE() << "no error; expected: " << message;
  } catch (const DockerError& e) {
    EXPECT_EQ(e.kind(), DockerError::Kind::protocol);
    EXPECT_EQ(std::string(e.what()), message);
  }
}

TEST(Responses, Version) {
  const DaemonVersion v = parseVersion(kVersion);
  EXPECT_EQ(v.version, "20.10.24+dfsg1");
  EXPECT_EQ(v.api_version, "1.41");
  EXPECT_EQ(v.min_api_version, "1.12");
  EXPECT_EQ(v.os, "linux");
  EXPECT_EQ(v.arch, "amd64");
}

TEST(Responses, ImageInspect) {
  const ImageInfo image = parseImageInspect(kImageInspect, "berth-test/app:v1");
  EXPECT_TRUE(image.id.starts_with("sha256:"));
  EXPECT_EQ(image.repo_digests.size(), 2u);
  const auto digest = image.digestFor("127.0.0.1:25000/berth-test/app");
  ASSERT_TRUE(digest.has_value());
  EXPECT_TRUE(digest->starts_with("sha256:"));
  EXPECT_EQ(image.digestFor("127.0.0.1:25000/berth-test/other"), std::nullopt);
  EXPECT_EQ(image.exposed_ports, std::vector<std::string>{"8080/tcp"});
  EXPECT_EQ(image.labels.at("berth.test.variant"), "v1");
  EXPECT_FALSE(image.healthcheck.has_value());
  ASSERT_TRUE(image.created_time.has_value());
  EXPECT_EQ(std::chrono::floor<std::chrono::days>(*image.created_time),
            std::chrono::sys_days{std::chrono::year{2026} / 12 / 3});
}

TEST(Responses, ImageInspectWithHealthcheckAndNulls) {
  const ImageInfo image = parseImageInspect(R"({"Id": "sha256:1", "RepoTags": null,
      "RepoDigests": [], "Created": "bad time",
      "Config": {"ExposedPorts": null, "Labels": null,
                 "Healthcheck": {"Test": ["CMD", "/check"], "Interval": 1000000000,
                                 "Retries": 2}}})",
                                            "x");
  EXPECT_TRUE(image.repo_tags.empty());
  EXPECT_FALSE(image.created_time.has_value());
  ASSERT_TRUE(image.healthcheck.has_value());
  EXPECT_EQ(image.healthcheck->test, (std::vector<std::string>{"CMD", "/check"}));
  EXPECT_EQ(image.healthcheck->interval, 1s);
  EXPECT_EQ(image.healthcheck->timeout, 0ms);
  EXPECT_EQ(image.healthcheck->retries, 2);
}

TEST(Responses, RunningContainerWithHealthPortsAndNetworks) {
  const ContainerInfo c = parseContainerInspect(kContainerInspectRunning, "rec-c1");
  EXPECT_EQ(c.name, "rec-c1");
  EXPECT_EQ(c.image, "berth-test/app:v1");
  EXPECT_TRUE(c.image_id.starts_with("sha256:"));
  EXPECT_EQ(c.state.status, "running");
  EXPECT_TRUE(c.state.running);
  EXPECT_EQ(c.state.exit_code, 0);
  EXPECT_EQ(c.state.health.status, "healthy");
  EXPECT_EQ(c.state.health.last_exit_code, 0);
  EXPECT_EQ(c.state.health.last_output, "ok\n");
  EXPECT_EQ(c.ports, (std::vector<PublishedPort>{{"8080/tcp", "127.0.0.1", 32768}}));
  EXPECT_EQ(c.hostPort("8080"), 32768);
  EXPECT_EQ(c.hostPort("8080/tcp"), 32768);
  EXPECT_EQ(c.hostPort("9090"), std::nullopt);
  EXPECT_EQ(c.labels.at("berth.project"), "web");
  EXPECT_FALSE(c.tty);
  ASSERT_EQ(c.networks.count("rec-net"), 1u);
  EXPECT_EQ(c.networks.at("rec-net").ip_address, "172.17.0.2");
  EXPECT_EQ(c.networks.at("rec-net").aliases[0], "web");
}

TEST(Responses, ExitedContainerWithoutHealthcheckOrPorts) {
  const ContainerInfo c = parseContainerInspect(kContainerInspectExited, "rec-c2");
  EXPECT_EQ(c.state.status, "exited");
  EXPECT_FALSE(c.state.running);
  EXPECT_EQ(c.state.health.status, "");
  EXPECT_TRUE(c.ports.empty());
}

TEST(Responses, NonZeroExitCodeAndUnpublishedPorts) {
  const ContainerInfo c = parseContainerInspect(R"({"Id": "abc", "Name": "/crash",
      "State": {"Status": "exited", "Running": false, "ExitCode": 3, "Error": ""},
      "Config": {"Image": "app:crash", "Tty": true},
      "NetworkSettings": {"Ports": {"8080/tcp": null, "9000/tcp": [
          {"HostIp": "0.0.0.0", "HostPort": "1234"}, {"HostIp": "::", "HostPort": "1234"}]}}})",
                                                "crash");
  EXPECT_EQ(c.state.exit_code, 3);
  EXPECT_TRUE(c.tty);
  EXPECT_EQ(c.ports.size(), 2u);
  EXPECT_EQ(c.hostPort("9000"), 1234);
  EXPECT_EQ(c.hostPort("8080"), std::nullopt);
}

TEST(Responses, UnhealthyContainerKeepsTheLastCheck) {
  const ContainerInfo c = parseContainerInspect(R"({"Id": "abc",
      "State": {"Status": "running", "Running": true, "ExitCode": 0,
        "Health": {"Status": "unhealthy", "FailingStreak": 4, "Log": [
          {"ExitCode": 0, "Output": "ok"},
          {"ExitCode": 1, "Output": "wget: server returned error: HTTP/1.0 404 Not Found\n"}]}}})",
                                                "web-1");
  EXPECT_EQ(c.state.health.status, "unhealthy");
  EXPECT_EQ(c.state.health.failing_streak, 4);
  EXPECT_EQ(c.state.health.last_exit_code, 1);
  EXPECT_NE(c.state.health.last_output.find("404"), std::string::npos);
}

TEST(Responses, MalformedContainerInspectNamesTheField) {
  expectMalformed(
      [] {
        parseContainerInspect(R"({"Id": "x", "State": {"Status": "running", "Running": "yes",
                                  "ExitCode": 0}})",
                              "web-1");
      },
      "docker: inspect container web-1: malformed response: field State.Running: expected "
      "boolean");
  expectMalformed([] { parseContainerInspect(R"({"Id": "x"})", "web-1"); },
                  "docker: inspect container web-1: malformed response: field State: missing");
  expectMalformed(
      [] { parseContainerInspect(R"({"Id": "x", "State": {"Status": "running"}})", "web-1"); },
      "docker: inspect container web-1: malformed response: field State.Running: missing");
  expectMalformed([] { parseContainerInspect("<html>502 Bad Gateway</html>", "web-1"); },
                  "docker: inspect container web-1: malformed response: not JSON: "
                  "'<html>502 Bad Gateway</html>'");
  expectMalformed([] { parseContainerInspect("[1, 2]", "web-1"); },
                  "docker: inspect container web-1: malformed response: body: expected a JSON "
                  "object");
  expectMalformed(
      [] {
        parseContainerInspect(R"({"Id": "x", "State": {"Status": "running", "Running": true,
          "ExitCode": 0}, "NetworkSettings": {"Ports": {"8080/tcp": [{"HostPort": "http"}]}}})",
                              "web-1");
      },
      "docker: inspect container web-1: malformed response: field "
      "NetworkSettings.Ports.8080/tcp[0].HostPort: expected a port number, got 'http'");
  expectMalformed(
      [] {
        parseContainerInspect(R"({"Id": "x", "State": {"Status": "running", "Running": true,
          "ExitCode": 0}, "Config": {"Labels": {"a": 1}}})",
                              "web-1");
      },
      "docker: inspect container web-1: malformed response: field Config.Labels.a: expected "
      "string");
  expectMalformed([] { parseImageInspect(R"({"RepoTags": []})", "app:v1"); },
                  "docker: inspect image app:v1: malformed response: field Id: missing");
  expectMalformed([] { parseVersion(R"({"ApiVersion": 1.41})"); },
                  "docker: version: malformed response: field ApiVersion: expected string");
}

TEST(Responses, ContainerList) {
  const auto list = parseContainerList(kContainerList);
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].names, std::vector<std::string>{"rec-c1"});
  EXPECT_EQ(list[0].state, "running");
  EXPECT_EQ(list[0].labels.at("berth.project"), "web");
  EXPECT_GT(list[0].created, 0);
  EXPECT_TRUE(parseContainerList("[]").empty());
  expectMalformed([] { parseContainerList("{}"); },
                  "docker: list containers: malformed response: body: expected a JSON array");
  expectMalformed([] { parseContainerList(R"([{"Names": []}])"); },
                  "docker: list containers: malformed response: field [0].Id: missing");
}

TEST(Responses, CreateAndNetworks) {
  const auto created = parseContainerCreate(
      R"({"Id":"126ade5c","Warnings":["IPv4 forwarding is disabled. Networking will not work."]})",
      "web-1");
  EXPECT_EQ(created.id, "126ade5c");
  EXPECT_EQ(created.warnings.size(), 1u);

  const NetworkInfo n = parseNetworkInspect(kNetworkInspect, "rec-net");
  EXPECT_EQ(n.name, "rec-net");
  EXPECT_EQ(n.driver, "bridge");
  EXPECT_EQ(n.containers.size(), 1u);
  EXPECT_EQ(n.containers.begin()->second, "rec-c1");
  EXPECT_EQ(parseNetworkCreate(R"({"Id":"bb27","Warning":""})", "n"), "bb27");
}

TEST(Responses, PullMessages) {
  const auto progress = parsePullMessage(
      R"({"status":"Downloading","progressDetail":{"current":36412,"total":3146839},"progress":"[>  ]","id":"80b8cfa85406"})",
      "app");
  EXPECT_EQ(progress.id, "80b8cfa85406");
  EXPECT_EQ(progress.status, "Downloading");
  EXPECT_EQ(progress.current, 36412);
  EXPECT_EQ(progress.total, 3146839);
  EXPECT_EQ(progress.error, "");

  const auto error = parsePullMessage(
      R"({"errorDetail":{"message":"unauthorized: authentication required"},"error":"unauthorized: authentication required"})",
      "app");
  EXPECT_EQ(error.error, "unauthorized: authentication required");
  EXPECT_EQ(parsePullMessage(R"({"error":"short form"})", "app").error, "short form");
  EXPECT_EQ(parsePullMessage(R"({"errorDetail":{}})", "app").error,
            "pull failed (the daemon gave no reason)");
}

TEST(Responses, Events) {
  const std::string first(kEventStream, std::string_view(kEventStream).find('\n'));
  const DockerEvent e = parseEvent(first);
  EXPECT_EQ(e.type, "container");
  EXPECT_EQ(e.action, "start");
  EXPECT_EQ(e.actor_id.size(), 64u);
  EXPECT_EQ(e.attribute("name"), "rec-c2");
  EXPECT_EQ(e.attribute("missing"), "");
  EXPECT_EQ(e.scope, "local");
  EXPECT_GT(e.time_nano, 1'000'000'000'000'000'000);

  const DockerEvent old = parseEvent(R"({"status":"die","id":"abc","time":12})");
  EXPECT_EQ(old.action, "die");
  EXPECT_EQ(old.actor_id, "abc");
  EXPECT_EQ(old.time_nano, 12'000'000'000);
  expectMalformed([] { parseEvent(R"({"Type":"container"})"); },
                  "docker: events: malformed response: field Action: missing");
}

TEST(Responses, DockerTimes) {
  using std::chrono::sys_days;
  using namespace std::chrono;
  const auto t = parseDockerTime("2026-12-03T18:59:19.181663237Z");
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(*t, time_point_cast<system_clock::duration>(sys_days{year{2026} / 12 / 3} + 18h +
                                                        59min + 19s + 181663237ns));
  EXPECT_EQ(parseDockerTime("2026-12-03T20:59:19+02:00"),
            sys_days{year{2026} / 12 / 3} + 18h + 59min + 19s);
  EXPECT_EQ(parseDockerTime("0001-01-01T00:00:00Z").has_value(), true);
  EXPECT_EQ(parseDockerTime("2026-13-03T18:59:19Z"), std::nullopt);
  EXPECT_EQ(parseDockerTime("2026-12-03 18:59:19Z"), std::nullopt);
  EXPECT_EQ(parseDockerTime("2026-12-03T18:59:19"), std::nullopt);
  EXPECT_EQ(parseDockerTime(""), std::nullopt);
}

}  // namespace
}  // namespace berth::docker
