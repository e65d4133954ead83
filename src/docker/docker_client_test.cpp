// DockerClient over a scripted HTTP client: what it sends, how it reads answers, and how every
// failure becomes a typed DockerError. Recorded bodies come from the 20.10 daemon.
#include "docker/docker_client.h"

#include <gtest/gtest.h>

#include <thread>

#include "docker/docker_error.h"
#include "docker/fake_http_client.h"
#include "docker/recorded_responses.h"

namespace berth::docker {
namespace {

using namespace std::chrono_literals;
using testing::answer;
using testing::chunked;
using testing::failure;
using testing::FakeHttpClient;
using testing::pieces;
using Kind = DockerError::Kind;

std::string frame(int stream, std::string_view payload) {
  std::string f(8, '\0');
  f[0] = static_cast<char>(stream);
  f[7] = static_cast<char>(payload.size());  // short payloads only
  return f + std::string(payload);
}

class DockerClientTest : public ::testing::Test {
 protected:
  DockerClient pinned(DockerTimeouts timeouts = {}) {
    return DockerClient(http_, endpoint_,
                        DockerClientOptions{.api_version = "1.41", .timeouts = timeouts});
  }

  // Runs f, expecting a DockerError of `kind`; returns its message.
  template <class F>
  std::string expectError(Kind kind, F f) {
    try {
      f();
    } catch (const DockerError& e) {
      EXPECT_EQ(e.kind(), kind) << e.what();
      return e.what();
    }
    ADD_FAILURE() << "no DockerError";
    return "";
  }

  FakeHttpClient http_;
  DockerEndpoint endpoint_ = parseDockerEndpoint("unix:///run/test/docker.sock").value();
};

TEST_F(DockerClientTest, NegotiatesOnceOnFirstUse) {
  DockerClient docker(http_, endpoint_);
  http_.script(answer(200, testing::kVersion));
  http_.script(answer(200, testing::kContainerInspectRunning));
  http_.script(answer(200, testing::kContainerInspectRunning));
  docker.inspectContainer("rec-c1");
  docker.inspectContainer("rec-c1");
  const auto requests = http_.requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(requests[0].url, "http://docker/version");
  EXPECT_EQ(requests[1].url, "http://docker/v1.41/containers/rec-c1/json");
  EXPECT_EQ(requests[2].url, "http://docker/v1.41/containers/rec-c1/json");
  EXPECT_EQ(docker.apiVersion(), "1.41");
}

TEST_F(DockerClientTest, NeverNegotiatesNewerThan1_41) {
  DockerClient docker(http_, endpoint_);
  http_.script(answer(200, R"({"Version":"27.0.0","ApiVersion":"1.46","MinAPIVersion":"1.24"})"));
  EXPECT_EQ(docker.apiVersion(), "1.41");
}

TEST_F(DockerClientTest, NoCommonVersionIsAProtocolError) {
  DockerClient docker(http_, endpoint_);
  http_.script(answer(200, R"({"Version":"29.0.0","ApiVersion":"1.52","MinAPIVersion":"1.44"})"));
  EXPECT_EQ(expectError(Kind::protocol, [&] { docker.inspectContainer("x"); }),
            "docker: negotiate API version unix:///run/test/docker.sock: malformed response: "
            "docker daemon 29.0.0 serves API 1.44 to 1.52; berth speaks 1.29 to 1.41");
}

TEST_F(DockerClientTest, PingAndUnreachableDaemon) {
  auto docker = pinned();
  http_.script(answer(200, "OK"));
  docker.ping();
  EXPECT_EQ(http_.lastRequest().url, "http://docker/_ping");
  http_.script(failure(net::HttpError::Kind::connect));
  const auto message = expectError(Kind::daemon_unreachable, [&] { docker.ping(); });
  EXPECT_TRUE(message.starts_with("docker: ping unix:///run/test/docker.sock: daemon unreachable"))
      << message;
  http_.script(failure(net::HttpError::Kind::timeout));
  expectError(Kind::timeout, [&] { docker.ping(); });
}

TEST_F(DockerClientTest, PullStreamsProgressAndReturnsTheDigest) {
  auto docker = pinned();
  http_.script(chunked(200, pieces(testing::kPullStream, 37)));
  int updates = 0;
  const auto result = docker.pullImage(parseImageRef("127.0.0.1:25000/berth-test/rec:one").value(),
                                       RegistryAuth{"u", "p", ""},
                                       [&](const PullMessage&, const PullProgress&) { ++updates; });
  EXPECT_EQ(updates, 11);
  EXPECT_TRUE(result.downloaded);
  EXPECT_EQ(result.image, "127.0.0.1:25000/berth-test/rec:one");
  EXPECT_EQ(result.digest,
            "sha256:123b2faef31c1bb47aea09fa618bb4d97fccdd98f0e87c2e3d221a9cde65c9f3");
  EXPECT_EQ(result.summary(), "2 layers (1 already present), 3.1 MB");
  EXPECT_TRUE(http_.lastRequest().headers.get("X-Registry-Auth").has_value());
}

TEST_F(DockerClientTest, PullRefusedBeforeTheStreamCarriesTheDaemonsMessage) {
  auto docker = pinned();
  const auto ref = parseImageRef("127.0.0.1:25001/berth-test/app:v1").value();
  http_.script(answer(500, R"({"message":"unauthorized: authentication required"})"));
  EXPECT_EQ(expectError(Kind::unauthorized,
                        [&] {
                          docker.pullImage(ref, RegistryAuth{"u", "bad", ""}, {});
                        }),
            "docker: pull 127.0.0.1:25001/berth-test/app:v1: unauthorized: unauthorized: "
            "authentication required");
  http_.script(answer(
      404,
      R"({"message":"manifest for 127.0.0.1:25001/berth-test/app:v1 not found: manifest unknown: manifest unknown"})"));
  expectError(Kind::not_found, [&] { docker.pullImage(ref, std::nullopt, {}); });
}

TEST_F(DockerClientTest, PullErrorAfterHttp200IsDetected) {
  auto docker = pinned();
  http_.script(chunked(
      200,
      {R"({"status":"Pulling from app","id":"v1"})"
       "\n"
       R"({"status":"Pulling fs layer","progressDetail":{},"id":"a"})"
       "\n{\"erro",
       R"(rDetail":{"message":"received unexpected HTTP status: 502 Bad Gateway"},"error":"received unexpected HTTP status: 502 Bad Gateway"})"
       "\n",
       R"({"status":"never read"})"
       "\n"}));
  const auto message = expectError(Kind::server, [&] {
    docker.pullImage(parseImageRef("127.0.0.1:5000/app:v1").value(), std::nullopt, {});
  });
  EXPECT_EQ(message,
            "docker: pull 127.0.0.1:5000/app:v1: daemon error: received unexpected HTTP status: "
            "502 Bad Gateway");
}

TEST_F(DockerClientTest, PullStreamCutOffIsNotASuccess) {
  auto docker = pinned();
  http_.script(chunked(200, {R"({"status":"Pulling fs layer","progressDetail":{},"id":"a"})"
                             "\n"}));
  const auto message = expectError(Kind::protocol, [&] {
    docker.pullImage(parseImageRef("127.0.0.1:5000/app:v1").value(), std::nullopt, {});
  });
  EXPECT_NE(message.find("ended before the pull finished (1 layer, 0 B)"), std::string::npos)
      << message;
}

TEST_F(DockerClientTest, StalledPullTimesOut) {
  DockerTimeouts timeouts;
  timeouts.pull_idle = 40ms;
  auto docker = pinned(timeouts);
  auto stalled = chunked(200, {R"({"status":"Pulling fs layer","progressDetail":{},"id":"a"})"
                               "\n"});
  stalled.stall_after_chunks = true;
  http_.script(stalled);
  const auto started = std::chrono::steady_clock::now();
  const auto message = expectError(Kind::timeout, [&] {
    docker.pullImage(parseImageRef("127.0.0.1:5000/app:v1").value(), std::nullopt, {});
  });
  EXPECT_LT(std::chrono::steady_clock::now() - started, 2s);
  EXPECT_NE(message.find("no progress from the daemon for 0 s (1 layer, 0 B so far)"),
            std::string::npos)
      << message;
}

TEST_F(DockerClientTest, PullCanBeCancelled) {
  auto docker = pinned();
  auto stalled = chunked(200, {});
  stalled.stall_after_chunks = true;
  http_.script(stalled);
  net::CancelFlag cancel{false};
  std::thread canceller([&] {
    std::this_thread::sleep_for(30ms);
    cancel = true;
  });
  expectError(Kind::cancelled, [&] {
    docker.pullImage(parseImageRef("127.0.0.1:5000/app:v1").value(), std::nullopt, {}, &cancel);
  });
  canceller.join();
}

TEST_F(DockerClientTest, ExceptionFromTheProgressCallbackReachesTheCaller) {
  auto docker = pinned();
  http_.script(chunked(200, {testing::kPullStream}));
  EXPECT_THROW(docker.pullImage(parseImageRef("127.0.0.1:5000/app:v1").value(), std::nullopt,
                                [](const PullMessage&, const PullProgress&) {
                                  throw std::runtime_error("ui gone");
                                }),
               std::runtime_error);
}

TEST_F(DockerClientTest, CreateContainer) {
  auto docker = pinned();
  http_.script(answer(201, R"({"Id":"126ade5c","Warnings":[]})"));
  ContainerSpec spec;
  spec.name = "web-production-blue";
  spec.image = "app:v1";
  EXPECT_EQ(docker.createContainer(spec).id, "126ade5c");
  EXPECT_EQ(http_.lastRequest().url,
            "http://docker/v1.41/containers/create?name=web-production-blue");

  http_.script(answer(
      409,
      R"({"message":"Conflict. The container name \"/web-production-blue\" is already in use by container \"ae3b\". You have to remove (or rename) that container to be able to reuse that name."})"));
  const auto message = expectError(Kind::conflict, [&] { docker.createContainer(spec); });
  EXPECT_TRUE(message.starts_with(
      "docker: create container web-production-blue: conflict: Conflict. The container name "
      "\"/web-production-blue\" is already in use"))
      << message;

  http_.script(answer(404, R"({"message":"No such image: app:v1"})"));
  EXPECT_EQ(expectError(Kind::not_found, [&] { docker.createContainer(spec); }),
            "docker: create container web-production-blue: not found: No such image: app:v1");
}

TEST_F(DockerClientTest, StartStopRemove) {
  auto docker = pinned();
  http_.script(answer(204));
  docker.startContainer("web-1");
  http_.script(answer(304));
  docker.startContainer("web-1");  // already running: fine
  http_.script(answer(404, R"({"message":"No such container: web-1"})"));
  expectError(Kind::not_found, [&] { docker.startContainer("web-1"); });

  http_.script(answer(204));
  EXPECT_TRUE(docker.stopContainer("web-1", 10s));
  EXPECT_EQ(http_.lastRequest().url, "http://docker/v1.41/containers/web-1/stop?t=10");
  http_.script(answer(304));
  EXPECT_FALSE(docker.stopContainer("web-1", 10s));

  http_.script(answer(204));
  docker.removeContainer("web-1", true);
  EXPECT_EQ(http_.lastRequest().method, "DELETE");
  http_.script(answer(
      409,
      R"({"message":"You cannot remove a running container 126a. Stop the container before attempting removal or force remove"})"));
  expectError(Kind::conflict, [&] { docker.removeContainer("web-1", false); });
}

TEST_F(DockerClientTest, InspectAndList) {
  auto docker = pinned();
  http_.script(answer(200, testing::kContainerInspectRunning));
  EXPECT_EQ(docker.inspectContainer("rec-c1").hostPort("8080"), 32768);
  http_.script(answer(200, testing::kContainerList));
  EXPECT_EQ(docker.listContainers({{"label", {"berth.project=web"}}}).size(), 1u);
  http_.script(answer(200, testing::kImageInspect));
  EXPECT_EQ(docker.inspectImage("berth-test/app:v1").exposed_ports.size(), 1u);
  http_.script(answer(404, R"({"message":"no such image: nope:x: No such image: nope:x"})"));
  EXPECT_EQ(
      expectError(Kind::not_found, [&] { docker.inspectImage("nope:x"); }),
      "docker: inspect image nope:x: not found: no such image: nope:x: No such image: nope:x");
  http_.script(answer(200, "{\"Id\": "));
  expectError(Kind::protocol, [&] { docker.inspectContainer("web-1"); });
}

TEST_F(DockerClientTest, LogsAreDemultiplexedAcrossReads) {
  auto docker = pinned();
  http_.script(answer(200, testing::kContainerInspectExited));  // Tty: false
  const std::string body = frame(1, "out\n") + frame(2, "err\n") + frame(1, "out2\n");
  http_.script(chunked(200, pieces(body, 3)));
  LogOptions options;
  options.tail = 10;
  const ContainerLogs logs = docker.containerLogs("rec-c2", options);
  EXPECT_EQ(logs.stdoutText(), "out\nout2\n");
  EXPECT_EQ(logs.stderrText(), "err\n");
  EXPECT_EQ(logs.all(), "out\nerr\nout2\n");
  EXPECT_EQ(http_.lastRequest().url,
            "http://docker/v1.41/containers/rec-c2/logs?stdout=1&stderr=1&tail=10");
}

TEST_F(DockerClientTest, LogsOfATtyContainerAreRaw) {
  auto docker = pinned();
  std::string inspect = testing::kContainerInspectExited;
  inspect.replace(inspect.find("\"Tty\":false"), 11, "\"Tty\":true");
  http_.script(answer(200, inspect));
  http_.script(chunked(200, {"out\r", "\nerr\r\n"}));
  const ContainerLogs logs = docker.containerLogs("rec-c4", {});
  ASSERT_EQ(logs.chunks.size(), 1u);
  EXPECT_EQ(logs.stdoutText(), "out\r\nerr\r\n");
  EXPECT_EQ(logs.stderrText(), "");
}

TEST_F(DockerClientTest, LogsFailures) {
  auto docker = pinned();
  http_.script(answer(404, R"({"message":"No such container: nope"})"));
  expectError(Kind::not_found, [&] { docker.containerLogs("nope", {}); });

  http_.script(answer(200, testing::kContainerInspectExited));
  http_.script(chunked(200, {frame(1, "out\n").substr(0, 10)}));
  EXPECT_EQ(expectError(Kind::protocol, [&] { docker.containerLogs("rec-c2", {}); }),
            "docker: logs rec-c2: malformed response: log stream: ended inside a frame");

  http_.script(answer(200, testing::kContainerInspectExited));
  http_.script(chunked(200, {frame(1, "0123456789\n")}));
  LogOptions small;
  small.max_bytes = 8;
  expectError(Kind::protocol, [&] { docker.containerLogs("rec-c2", small); });
}

TEST_F(DockerClientTest, EventsEndStates) {
  auto docker = pinned();
  http_.script(chunked(200, pieces(testing::kEventStream, 50)));
  std::vector<std::string> actions;
  EXPECT_EQ(docker.streamEvents({},
                                [&](const DockerEvent& e) {
                                  actions.push_back(e.action);
                                  return true;
                                }),
            EventStreamEnd::closed_by_daemon);
  EXPECT_EQ(actions, (std::vector<std::string>{"start", "die", "start", "die"}));
  EXPECT_EQ(http_.lastRequest().timeout, 0ms);

  http_.script(chunked(200, pieces(testing::kEventStream, 50)));
  EXPECT_EQ(docker.streamEvents({}, [](const DockerEvent& e) { return e.action != "die"; }),
            EventStreamEnd::stopped_by_callback);

  auto idle = chunked(200, {});
  idle.stall_after_chunks = true;
  http_.script(idle);
  net::CancelFlag cancel{false};
  std::thread canceller([&] {
    std::this_thread::sleep_for(20ms);
    cancel = true;
  });
  EXPECT_EQ(docker.streamEvents(
                {}, [](const DockerEvent&) { return true; }, &cancel),
            EventStreamEnd::cancelled);
  canceller.join();

  http_.script(answer(400, R"({"message":"invalid filter 'bogus'"})"));
  EXPECT_EQ(expectError(Kind::bad_request,
                        [&] {
                          docker.streamEvents({{{"bogus", {"x"}}}, 0, 0}, {});
                        }),
            "docker: events: bad request: invalid filter 'bogus'");
}

TEST_F(DockerClientTest, Networks) {
  auto docker = pinned();
  http_.script(answer(200, testing::kNetworkInspect));
  EXPECT_EQ(docker.inspectNetwork("rec-net").name, "rec-net");
  http_.script(answer(404, R"({"message":"network nope not found"})"));
  expectError(Kind::not_found, [&] { docker.inspectNetwork("nope"); });
  http_.script(answer(201, R"({"Id":"bb27","Warning":""})"));
  EXPECT_EQ(docker.createNetwork({.name = "berth"}), "bb27");
  http_.script(answer(200));
  docker.connectNetwork("berth", "web-1", {"web"});
  http_.script(
      answer(403, R"({"message":"endpoint with name web-1 already exists in network berth"})"));
  EXPECT_EQ(expectError(Kind::conflict, [&] { docker.connectNetwork("berth", "web-1", {}); }),
            "docker: connect web-1 to berth: conflict: endpoint with name web-1 already exists "
            "in network berth");
  http_.script(answer(200));
  docker.disconnectNetwork("berth", "web-1", false);
}

TEST_F(DockerClientTest, WrapperForwardsAndCanOverride) {
  auto docker = pinned();
  struct FailingStop : DockerApiWrapper {
    using DockerApiWrapper::DockerApiWrapper;
    bool stopContainer(const std::string& c, std::chrono::seconds) override {
      throw DockerError(Kind::timeout, "stop container", c, "injected");
    }
  } wrapped(docker);
  http_.script(answer(200, testing::kContainerInspectRunning));
  EXPECT_TRUE(wrapped.inspectContainer("rec-c1").state.running);
  EXPECT_THROW(wrapped.stopContainer("rec-c1", 1s), DockerError);
  EXPECT_EQ(http_.pendingAnswers(), 0u);
}

}  // namespace
}  // namespace berth::docker
