// The Docker client against the sandbox's real dockerd 20.10 and registries (no fakes): pulls
// with and without credentials, a container's whole life on a user-defined network, logs,
// events, exit codes and Docker health checks; the same daemon over tcp:// with TLS client
// certificates (DOCKER_CERT_PATH layout), accepted and refused. Every test names its objects
// uniquely and removes them in TearDown, also after a failure.
#include "docker/docker_client.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "docker/ensure_network.h"
#include "net/curl_http_client.h"
#include "support/sandbox_env.h"
#include "support/sandbox_tools.h"

namespace berth::docker {
namespace {

using namespace std::chrono_literals;
using berth::testing::SandboxTest;
using berth::testing::uniqueName;
using Kind = DockerError::Kind;

class DockerClientIT : public SandboxTest {
 protected:
  void SetUp() override {
    SandboxTest::SetUp();
    if (!haveSandbox()) return;
    auto endpoint = parseDockerEndpoint(sandbox().docker_host);
    ASSERT_TRUE(endpoint.ok()) << endpoint.error();
    docker_ = std::make_unique<DockerClient>(http_, endpoint.value());
  }

  void TearDown() override {
    if (!haveSandbox() || !docker_) return;
    for (const auto& c : containers_) {
      try {
        docker_->removeContainer(c, /*force=*/true);
      } catch (const DockerError& e) {
        if (e.kind() != Kind::not_found) ADD_FAILURE() << "cleanup: " << e.what();
      }
    }
    for (const auto& v : volumes_)
      cli({"volume", "rm", "-f", v});
    for (const auto& i : images_)
      cli({"rmi", "-f", i});
    for (const auto& n : networks_) {
      const auto r = cli({"network", "rm", n});
      if (r.exit_code != 0 && r.err.find("No such network") == std::string::npos &&
          r.err.find("not found") == std::string::npos)
        ADD_FAILURE() << "cleanup of network " << n << ": " << r.describe();
    }
  }

  berth::testing::CommandResult cli(const std::vector<std::string>& args) {
    return berth::testing::docker(sandbox(), args);
  }

  ImageRef ref(const std::string& registry, const std::string& tag) const {
    return parseImageRef(sandbox().imageRef(registry, tag)).value();
  }

  RegistryAuth goodAuth() const {
    return RegistryAuth{sandbox().auth_user, sandbox().auth_password, ""};
  }

  // A user-defined bridge network for this test (the sandbox daemon has no default bridge).
  std::string network() {
    if (network_.empty()) {
      network_ = uniqueName("berth-it-net");
      networks_.push_back(network_);
      const auto ensured = ensureNetwork(
          *docker_, {.name = network_, .driver = "bridge", .labels = {{"berth.test", "1"}}});
      EXPECT_TRUE(ensured.created);
    }
    return network_;
  }

  // A spec for the local test image `tag`, on this test's network, cleaned up afterwards.
  ContainerSpec spec(const std::string& tag, const std::string& prefix) {
    ContainerSpec s;
    s.name = uniqueName(prefix);
    s.image = sandbox().image_repo + ":" + tag;
    s.network = network();
    s.labels = {{"berth.test", "1"}};
    containers_.push_back(s.name);
    return s;
  }

  // Polls inspect until `done` holds or `limit` passes; returns the last state.
  template <class Pred>
  ContainerInfo waitFor(const std::string& container, Pred done,
                        std::chrono::milliseconds limit = 20s) {
    const auto end = std::chrono::steady_clock::now() + limit;
    ContainerInfo info = docker_->inspectContainer(container);
    while (!done(info) && std::chrono::steady_clock::now() < end) {
      std::this_thread::sleep_for(100ms);
      info = docker_->inspectContainer(container);
    }
    return info;
  }

  ContainerInfo waitForExit(const std::string& container) {
    return waitFor(container, [](const ContainerInfo& i) { return i.state.status == "exited"; });
  }

  net::CurlHttpClient http_;
  std::unique_ptr<DockerClient> docker_;
  std::vector<std::string> containers_;
  std::vector<std::string> networks_;
  std::vector<std::string> volumes_;
  std::vector<std::string> images_;
  std::string network_;
};

TEST_F(DockerClientIT, PingsAndNegotiatesApi1_41) {
  docker_->ping();
  const DaemonVersion v = docker_->version();
  EXPECT_EQ(v.api_version, "1.41") << v.version;
  EXPECT_EQ(docker_->apiVersion(), "1.41");
}

TEST_F(DockerClientIT, PullsEveryTestImageFromTheOpenRegistry) {
  for (const auto& tag : sandbox().image_tags) {
    SCOPED_TRACE(tag);
    const ImageRef image = ref(sandbox().registry, tag);
    const PullResult pulled = docker_->pullImage(image, std::nullopt, {});
    EXPECT_TRUE(pulled.progress.finished());
    ASSERT_TRUE(pulled.digest.starts_with("sha256:")) << pulled.digest;
    const ImageInfo info = docker_->inspectImage(image.str());
    EXPECT_EQ(info.digestFor(image.repositoryRef()), pulled.digest);
  }
}

TEST_F(DockerClientIT, PullsEveryTestImageFromTheAuthRegistryWithCredentials) {
  for (const auto& tag : sandbox().image_tags) {
    SCOPED_TRACE(tag);
    const ImageRef image = ref(sandbox().auth_registry, tag);
    const PullResult pulled = docker_->pullImage(image, goodAuth(), {});
    ASSERT_TRUE(pulled.digest.starts_with("sha256:")) << pulled.digest;
    EXPECT_EQ(docker_->inspectImage(image.str()).digestFor(image.repositoryRef()), pulled.digest);
  }
}

TEST_F(DockerClientIT, PullWithWrongOrMissingCredentialsFailsClearly) {
  const ImageRef image = ref(sandbox().auth_registry, "v1");
  try {
    docker_->pullImage(image, RegistryAuth{sandbox().auth_user, "wrong-password", ""}, {});
    FAIL() << "pull with a wrong password succeeded";
  } catch (const DockerError& e) {
    EXPECT_EQ(e.kind(), Kind::unauthorized) << e.what();
    EXPECT_NE(std::string(e.what()).find("authentication required"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find(image.str()), std::string::npos) << e.what();
  }
  try {
    docker_->pullImage(image, std::nullopt, {});
    FAIL() << "pull without credentials succeeded";
  } catch (const DockerError& e) {
    EXPECT_EQ(e.kind(), Kind::unauthorized) << e.what();
  }
}

TEST_F(DockerClientIT, PullOfANewImageReportsLayerBytes) {
  // A fresh image with one new 1 MB layer on top of v1, pushed to the open registry and removed
  // locally, so that the pull really downloads.
  const std::string builder = uniqueName("berth-it-build");
  containers_.push_back(builder);
  const std::string tag = uniqueName("pull");
  const std::string target = sandbox().registry + "/berth-test/pulltest:" + tag;
  images_.push_back(target);
  ASSERT_EQ(cli({"run", "--name", builder, "--network", network(), sandbox().image_repo + ":v1",
                 "sh", "-c", "/bin/busybox head -c 1000000 /dev/urandom > /blob"})
                .exit_code,
            0);
  ASSERT_EQ(cli({"commit", builder, target}).exit_code, 0);
  ASSERT_EQ(cli({"push", target}).exit_code, 0);
  ASSERT_EQ(cli({"rmi", target}).exit_code, 0);

  std::int64_t max_total = 0;
  int messages = 0;
  const PullResult pulled = docker_->pullImage(parseImageRef(target).value(), std::nullopt,
                                               [&](const PullMessage&, const PullProgress& p) {
                                                 ++messages;
                                                 max_total = std::max(max_total, p.bytesTotal());
                                               });
  EXPECT_TRUE(pulled.downloaded);
  EXPECT_GT(messages, 3);
  ASSERT_EQ(pulled.progress.layers().size(), 2u) << pulled.summary();
  EXPECT_TRUE(pulled.progress.layers()[0].already_present);
  EXPECT_GT(pulled.progress.bytesDownloaded(), 0) << pulled.summary();
  EXPECT_EQ(pulled.progress.bytesDownloaded(), pulled.progress.bytesTotal());
  EXPECT_TRUE(pulled.summary().starts_with("2 layers (1 already present), ")) << pulled.summary();

  // Pulled again: nothing to download.
  const PullResult again = docker_->pullImage(parseImageRef(target).value(), std::nullopt, {});
  EXPECT_FALSE(again.downloaded);
  EXPECT_EQ(again.digest, pulled.digest);
}

TEST_F(DockerClientIT, MissingImagesAreNotFoundQuickly) {
  const auto started = std::chrono::steady_clock::now();
  const auto expectNotFound = [](auto f) {
    try {
      f();
      ADD_FAILURE() << "no error";
    } catch (const DockerError& e) {
      EXPECT_EQ(e.kind(), Kind::not_found) << e.what();
    }
  };
  expectNotFound(
      [&] { docker_->pullImage(ref(sandbox().registry, "no-such-tag"), std::nullopt, {}); });
  expectNotFound([&] {
    docker_->pullImage(parseImageRef(sandbox().registry + "/berth-test/no-such-repo:v1").value(),
                       std::nullopt, {});
  });
  expectNotFound([&] { docker_->inspectImage("berth-test/app:no-such-tag"); });
  ContainerSpec s = spec("no-such-tag", "berth-it-missing");
  expectNotFound([&] { docker_->createContainer(s); });
  expectNotFound([&] { docker_->inspectContainer(uniqueName("berth-it-nobody")); });
  EXPECT_LT(std::chrono::steady_clock::now() - started, 10s);
}

TEST_F(DockerClientIT, ContainerLifecycleOnAUserDefinedNetworkServesOnALoopbackPort) {
  ContainerSpec s = spec("v1", "berth-it-life");
  const std::string volume = uniqueName("berth-it-vol");
  volumes_.push_back(volume);
  s.env = {{"GREETING", "hello"}};
  s.labels["berth.project"] = "it-" + s.name;
  s.port_bindings = {{"8080/tcp", "127.0.0.1", ""}};
  s.mounts = {{Mount::Type::volume, volume, "/data", false}};
  s.restart = {RestartPolicy::Name::unless_stopped, 0};
  s.network_aliases = {"web", "web-blue"};
  s.stop_timeout = 5s;

  const CreatedContainer created = docker_->createContainer(s);
  EXPECT_EQ(created.id.size(), 64u);
  // Same name again: a conflict carrying the daemon's message.
  try {
    docker_->createContainer(s);
    FAIL() << "second create with the same name succeeded";
  } catch (const DockerError& e) {
    EXPECT_EQ(e.kind(), Kind::conflict);
    EXPECT_NE(std::string(e.what()).find("is already in use"), std::string::npos) << e.what();
  }

  docker_->startContainer(created.id);
  docker_->startContainer(s.name);  // already running: not an error
  const ContainerInfo running = docker_->inspectContainer(s.name);
  EXPECT_TRUE(running.state.running);
  EXPECT_EQ(running.id, created.id);
  EXPECT_EQ(running.name, s.name);
  EXPECT_EQ(running.labels.at("berth.project"), "it-" + s.name);
  ASSERT_EQ(running.networks.count(s.network), 1u);
  const auto& aliases = running.networks.at(s.network).aliases;
  EXPECT_NE(std::find(aliases.begin(), aliases.end(), "web-blue"), aliases.end());
  const auto port = running.hostPort("8080");
  ASSERT_TRUE(port.has_value());
  EXPECT_GT(*port, 0);
  EXPECT_EQ(running.ports.at(0).host_ip, "127.0.0.1");

  const auto answer =
      berth::testing::waitForHttp("http://127.0.0.1:" + std::to_string(*port) + "/", 10s);
  EXPECT_EQ(answer.status, 200) << answer.error;
  EXPECT_EQ(answer.body, "v1");

  const auto listed = docker_->listContainers({{"label", {"berth.project=it-" + s.name}}});
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].id, created.id);
  EXPECT_EQ(listed[0].state, "running");

  EXPECT_TRUE(docker_->stopContainer(s.name, 5s));
  EXPECT_FALSE(docker_->stopContainer(s.name, 5s)) << "already stopped";
  const ContainerInfo stopped = docker_->inspectContainer(s.name);
  EXPECT_FALSE(stopped.state.running);
  EXPECT_EQ(stopped.state.status, "exited");
  EXPECT_EQ(stopped.state.exit_code, 0) << "the image exits 0 on SIGTERM";
  // Stopped containers are still listed (all=true).
  EXPECT_EQ(docker_->listContainers({{"label", {"berth.project=it-" + s.name}}}).size(), 1u);

  docker_->removeContainer(s.name, false);
  try {
    docker_->inspectContainer(s.name);
    FAIL() << "removed container still inspects";
  } catch (const DockerError& e) {
    EXPECT_EQ(e.kind(), Kind::not_found);
  }
  // The named volume survives the container.
  EXPECT_EQ(cli({"volume", "inspect", volume}).exit_code, 0);
}

TEST_F(DockerClientIT, NetworksAreCreatedOnceAndContainersConnectWithAliases) {
  const std::string first = network();
  const auto again = ensureNetwork(*docker_, {.name = first, .driver = "bridge", .labels = {}});
  EXPECT_FALSE(again.created);
  EXPECT_EQ(again.network.labels.at("berth.test"), "1");

  const std::string second = uniqueName("berth-it-net2");
  networks_.push_back(second);
  EXPECT_TRUE(ensureNetwork(*docker_, {.name = second, .driver = "bridge", .labels = {}}).created);

  ContainerSpec s = spec("v2", "berth-it-conn");
  docker_->createContainer(s);
  docker_->startContainer(s.name);
  docker_->connectNetwork(second, s.name, {"proxy-target"});
  const ContainerInfo info = docker_->inspectContainer(s.name);
  ASSERT_EQ(info.networks.count(second), 1u);
  const auto& aliases = info.networks.at(second).aliases;
  EXPECT_NE(std::find(aliases.begin(), aliases.end(), "proxy-target"), aliases.end());
  EXPECT_EQ(docker_->inspectNetwork(second).containers.count(info.id), 1u);
  try {
    docker_->connectNetwork(second, s.name, {});
    FAIL() << "second connect succeeded";
  } catch (const DockerError& e) {
    EXPECT_EQ(e.kind(), Kind::conflict) << e.what();
  }
  docker_->disconnectNetwork(second, s.name, false);
  EXPECT_EQ(docker_->inspectContainer(s.name).networks.count(second), 0u);
}

TEST_F(DockerClientIT, LogsAreDemultiplexed) {
  ContainerSpec s = spec("v1", "berth-it-logs");
  s.cmd = {"sh", "-c", "echo out; echo err >&2; echo out2; echo err2 >&2"};
  docker_->createContainer(s);
  docker_->startContainer(s.name);
  EXPECT_EQ(waitForExit(s.name).state.exit_code, 0);
  const ContainerLogs logs = docker_->containerLogs(s.name, {});
  EXPECT_EQ(logs.stdoutText(), "out\nout2\n");
  EXPECT_EQ(logs.stderrText(), "err\nerr2\n");
  // The daemon copies stdout and stderr separately, so their relative order in the log is not
  // guaranteed; `tail` counts the last lines of both streams together.
  LogOptions last;
  last.tail = 1;
  const ContainerLogs tail = docker_->containerLogs(s.name, last);
  ASSERT_EQ(tail.chunks.size(), 1u);
  EXPECT_TRUE(tail.all() == "out2\n" || tail.all() == "err2\n") << tail.all();
}

TEST_F(DockerClientIT, LogsOfATtyContainerAreRawText) {
  ContainerSpec s = spec("v1", "berth-it-tty");
  s.cmd = {"sh", "-c", "echo out; echo err >&2"};
  s.tty = true;
  docker_->createContainer(s);
  docker_->startContainer(s.name);
  waitForExit(s.name);
  const ContainerLogs logs = docker_->containerLogs(s.name, {});
  EXPECT_EQ(logs.stdoutText(), "out\r\nerr\r\n");
  EXPECT_EQ(logs.stderrText(), "");
}

TEST_F(DockerClientIT, EventsStreamDeliversStartAndDie) {
  ContainerSpec s = spec("v1", "berth-it-events");
  s.cmd = {"sh", "-c", "sleep 0.2; exit 7"};
  const auto since = std::chrono::duration_cast<std::chrono::seconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count() -
                     1;
  // Written by the reader thread, read here only after join().
  std::vector<DockerEvent> events;
  EventStreamEnd end = EventStreamEnd::closed_by_daemon;
  std::string stream_error;
  std::atomic<bool> saw_die{false};
  net::CancelFlag cancel{false};
  std::thread reader([&] {
    try {
      EventFilter filter;
      filter.filters = {{"type", {"container"}}, {"container", {s.name}}};
      filter.since = since;  // replays what happened before the stream was connected, too
      end = docker_->streamEvents(
          filter,
          [&](const DockerEvent& e) {
            events.push_back(e);
            if (e.action == "die") saw_die = true;
            return e.action != "die";
          },
          &cancel);
    } catch (const std::exception& e) {
      stream_error = e.what();
    }
    saw_die = true;  // also wakes the wait below when the stream failed
  });
  docker_->createContainer(s);
  docker_->startContainer(s.name);
  // Safety net: end the stream if "die" never comes.
  const auto deadline = std::chrono::steady_clock::now() + 20s;
  while (!saw_die && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(20ms);
  cancel = true;
  reader.join();
  ASSERT_EQ(stream_error, "");
  EXPECT_EQ(end, EventStreamEnd::stopped_by_callback);
  std::vector<std::string> actions;
  for (const auto& e : events)
    actions.push_back(e.action);
  EXPECT_NE(std::find(actions.begin(), actions.end(), "start"), actions.end());
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events.back().action, "die");
  EXPECT_EQ(events.back().attribute("exitCode"), "7");
  EXPECT_EQ(events.back().attribute("name"), s.name);
}

TEST_F(DockerClientIT, AnIdleEventStreamCanBeCancelled) {
  EventFilter filter;
  filter.filters = {{"container", {uniqueName("berth-it-nothing")}}};
  net::CancelFlag cancel{false};
  std::thread canceller([&] {
    std::this_thread::sleep_for(200ms);
    cancel = true;
  });
  const auto started = std::chrono::steady_clock::now();
  EXPECT_EQ(docker_->streamEvents(
                filter, [](const DockerEvent&) { return true; }, &cancel),
            EventStreamEnd::cancelled);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 3s);
  canceller.join();
}

TEST_F(DockerClientIT, CrashImageExitCodeIsSeenInInspect) {
  ContainerSpec s = spec("crash", "berth-it-crash");
  docker_->createContainer(s);
  docker_->startContainer(s.name);
  const ContainerInfo info = waitForExit(s.name);
  EXPECT_EQ(info.state.status, "exited");
  EXPECT_FALSE(info.state.running);
  EXPECT_EQ(info.state.exit_code, 3);
  EXPECT_NE(docker_->containerLogs(s.name, {}).stderrText().find("exiting with code 3"),
            std::string::npos);
}

TEST_F(DockerClientIT, SlowImageHealthGoesFromStartingToHealthy) {
  ContainerSpec s = spec("slow", "berth-it-slow");
  s.env = {{"START_DELAY", "2"}};
  s.healthcheck = HealthcheckSpec{
      {"CMD-SHELL", "wget -q -O- http://127.0.0.1:8080/healthz"}, 300ms, 2s, 0ms, 100};
  docker_->createContainer(s);
  docker_->startContainer(s.name);
  std::vector<std::string> seen;
  const ContainerInfo info = waitFor(s.name, [&](const ContainerInfo& i) {
    if (seen.empty() || seen.back() != i.state.health.status) seen.push_back(i.state.health.status);
    return i.state.health.status == "healthy" || !i.state.running;
  });
  EXPECT_EQ(info.state.health.status, "healthy");
  ASSERT_FALSE(seen.empty());
  EXPECT_EQ(seen.front(), "starting");
  EXPECT_EQ(info.state.health.last_exit_code, 0);
  EXPECT_EQ(info.state.health.last_output, "ok\n");
}

TEST_F(DockerClientIT, UnhealthyImageReportsTheFailingCheck) {
  ContainerSpec s = spec("unhealthy", "berth-it-unhealthy");
  s.healthcheck = HealthcheckSpec{
      {"CMD-SHELL", "wget -q -O- http://127.0.0.1:8080/healthz"}, 200ms, 2s, 0ms, 2};
  docker_->createContainer(s);
  docker_->startContainer(s.name);
  const ContainerInfo info =
      waitFor(s.name, [](const ContainerInfo& i) { return i.state.health.status == "unhealthy"; });
  EXPECT_EQ(info.state.health.status, "unhealthy");
  EXPECT_NE(info.state.health.last_exit_code.value_or(0), 0);
  EXPECT_GE(info.state.health.failing_streak, 2);
}

TEST_F(DockerClientIT, UnreachableDaemonIsTypedAndFast) {
  const auto endpoint = parseDockerEndpoint("unix://" + sandbox().dir + "/no-such-docker.sock");
  DockerClient nowhere(http_, endpoint.value());
  const auto started = std::chrono::steady_clock::now();
  try {
    nowhere.ping();
    FAIL() << "ping of a missing socket succeeded";
  } catch (const DockerError& e) {
    EXPECT_EQ(e.kind(), Kind::daemon_unreachable) << e.what();
  }
  EXPECT_LT(std::chrono::steady_clock::now() - started, 2s);
}

// ---------------------------------------------------------------------------------------------
// tcp:// and tcp+TLS: the sandbox daemon also listens on a loopback port with --tlsverify
// (BERTH_SANDBOX_DOCKER_TLS_HOST), accepting only client certificates from the sandbox CA; the
// client's folder is BERTH_SANDBOX_DOCKER_CERT_PATH (ca.pem, cert.pem, key.pem).

namespace fs = std::filesystem;

class DockerTlsIT : public DockerClientIT {
 protected:
  void SetUp() override {
    DockerClientIT::SetUp();
    if (!haveSandbox() || HasFatalFailure()) return;
    if (sandbox().docker_tls_host.empty() || sandbox().docker_cert_path.empty()) {
      const std::string why =
          "sandbox has no TLS endpoint (BERTH_SANDBOX_DOCKER_TLS_HOST not set; its dockerd was "
          "started by an older sandbox.sh): run tests/sandbox/sandbox.sh down, then up";
      if (berth::testing::ciMode()) FAIL() << why << " (CI=true)";
      GTEST_SKIP() << why;
    }
  }

  void TearDown() override {
    DockerClientIT::TearDown();
    std::error_code ec;
    if (!dir_.empty()) fs::remove_all(dir_, ec);
  }

  // The sandbox's TLS endpoint with the certificates in `cert_path`, through the real parser.
  DockerEndpoint tlsEndpoint(const std::string& cert_path) const {
    auto endpoint = parseDockerEndpoint(sandbox().docker_tls_host, cert_path);
    EXPECT_TRUE(endpoint.ok()) << endpoint.error();
    return endpoint.ok() ? endpoint.value() : DockerEndpoint{};
  }

  std::string sandboxCert(const std::string& file) const {
    return (fs::path(sandbox().docker_cert_path) / file).string();
  }

  // A fresh directory for this test's certificate folders, removed in TearDown.
  fs::path tempDir() {
    if (dir_.empty()) {
      dir_ = fs::temp_directory_path() / uniqueName("berth-it-tls");
      fs::create_directories(dir_);
    }
    return dir_;
  }

  // A CA of our own (not the sandbox's) and a client certificate it signed, as `dir`/ca.pem,
  // cert.pem and key.pem, made with the openssl CLI like the sandbox's.
  void makeForeignCertPath(const fs::path& dir) {
    fs::create_directories(dir);
    const fs::path cnf = dir / "openssl.cnf";
    std::ofstream(cnf) << "[req]\ndistinguished_name = dn\nprompt = no\n[dn]\nCN = foreign\n"
                          "[ca_ext]\nbasicConstraints = critical,CA:TRUE\n"
                          "keyUsage = critical,keyCertSign\n"
                          "[client_ext]\nbasicConstraints = critical,CA:FALSE\n"
                          "keyUsage = critical,digitalSignature\nextendedKeyUsage = clientAuth\n";
    const auto d = [&](const char* file) { return (dir / file).string(); };
    const std::vector<std::string> key = {"-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                                          "-nodes"};
    const auto openssl = [&](std::vector<std::string> args, const std::vector<std::string>& more) {
      args.insert(args.begin(), "openssl");
      args.insert(args.end(), more.begin(), more.end());
      const auto r = berth::testing::runCommand(args, {}, 30s);
      ASSERT_EQ(r.exit_code, 0) << r.describe();
    };
    openssl({"req", "-x509", "-new", "-config", cnf.string(), "-extensions", "ca_ext", "-keyout",
             d("ca-key.pem"), "-out", d("ca.pem"), "-days", "2", "-subj", "/CN=foreign CA"},
            key);
    openssl({"req", "-new", "-config", cnf.string(), "-keyout", d("key.pem"), "-out",
             d("client.csr"), "-subj", "/CN=foreign client"},
            key);
    openssl({"x509", "-req", "-in", d("client.csr"), "-CA", d("ca.pem"), "-CAkey", d("ca-key.pem"),
             "-set_serial", "7", "-days", "2", "-extfile", cnf.string(), "-extensions",
             "client_ext", "-out", d("cert.pem")},
            {});
  }

  // Pings through `endpoint`, which must fail at once (no hang, no retries) with `expected`;
  // returns the message.
  std::string pingFails(const DockerEndpoint& endpoint, Kind expected) {
    DockerClient client(http_, endpoint);
    const auto started = std::chrono::steady_clock::now();
    try {
      client.ping();
      ADD_FAILURE() << "ping through " << endpoint.describe() << " succeeded";
      return "";
    } catch (const DockerError& e) {
      EXPECT_EQ(e.kind(), expected) << e.what();
      EXPECT_LT(std::chrono::steady_clock::now() - started, 5s) << e.what();
      return e.what();
    }
  }

  fs::path dir_;
};

bool mentions(const std::string& message, std::string_view word) {
  std::string lower = message;
  for (char& c : lower)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower.find(word) != std::string::npos;
}

TEST_F(DockerTlsIT, ClientCertificateFromTheCertPathPingsAndListsContainers) {
  const DockerEndpoint endpoint = tlsEndpoint(sandbox().docker_cert_path);
  ASSERT_EQ(endpoint.transport, DockerEndpoint::Transport::tls);
  EXPECT_EQ(endpoint.host, "127.0.0.1");
  EXPECT_EQ(endpoint.tls.cert_file, sandboxCert("cert.pem"));
  EXPECT_EQ(endpoint.describe(), sandbox().docker_tls_host + " (TLS)");
  EXPECT_EQ(checkEndpointFiles(endpoint), std::nullopt);

  DockerClient tls(http_, endpoint);
  tls.ping();
  EXPECT_EQ(tls.version().api_version, "1.41");
  EXPECT_EQ(tls.apiVersion(), "1.41");

  // Same daemon: a container created over TLS (a POST with a body) is listed over TLS and seen
  // through the unix socket.
  ContainerSpec s = spec("v1", "berth-it-tls");
  s.labels["berth.project"] = "it-" + s.name;
  const CreatedContainer created = tls.createContainer(s);
  const auto listed = tls.listContainers({{"label", {"berth.project=it-" + s.name}}});
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].id, created.id);
  EXPECT_EQ(listed[0].state, "created");
  EXPECT_EQ(docker_->inspectContainer(s.name).id, created.id);
  EXPECT_FALSE(tls.listContainers({}).empty());
}

TEST_F(DockerTlsIT, WithoutAClientCertificateTheDaemonRefuses) {
  DockerEndpoint endpoint = tlsEndpoint(sandbox().docker_cert_path);
  endpoint.tls.cert_file.clear();  // trusts the daemon (ca.pem) but presents nothing
  endpoint.tls.key_file.clear();
  const std::string message = pingFails(endpoint, Kind::daemon_unreachable);
  EXPECT_TRUE(mentions(message, "certificate")) << message;
  EXPECT_TRUE(mentions(message, "ssl") || mentions(message, "tls")) << message;
  EXPECT_NE(message.find(sandbox().docker_tls_host), std::string::npos) << message;
}

TEST_F(DockerTlsIT, AClientCertificateFromAnotherCaIsRefused) {
  const fs::path foreign = tempDir() / "foreign";
  ASSERT_NO_FATAL_FAILURE(makeForeignCertPath(foreign));
  const fs::path cert_path = tempDir() / "mixed";  // trusts the daemon, foreign client cert
  fs::create_directories(cert_path);
  fs::copy_file(sandboxCert("ca.pem"), cert_path / "ca.pem");
  fs::copy_file(foreign / "cert.pem", cert_path / "cert.pem");
  fs::copy_file(foreign / "key.pem", cert_path / "key.pem");
  const std::string message = pingFails(tlsEndpoint(cert_path), Kind::daemon_unreachable);
  EXPECT_TRUE(mentions(message, "certificate")) << message;
  EXPECT_TRUE(mentions(message, "ssl") || mentions(message, "tls")) << message;
}

TEST_F(DockerTlsIT, ADaemonCertificateFromAnotherCaIsNotTrusted) {
  const fs::path foreign = tempDir() / "foreign";
  ASSERT_NO_FATAL_FAILURE(makeForeignCertPath(foreign));
  const fs::path cert_path = tempDir() / "untrusting";  // a valid client cert, foreign ca.pem
  fs::create_directories(cert_path);
  fs::copy_file(foreign / "ca.pem", cert_path / "ca.pem");
  fs::copy_file(sandboxCert("cert.pem"), cert_path / "cert.pem");
  fs::copy_file(sandboxCert("key.pem"), cert_path / "key.pem");
  const std::string message = pingFails(tlsEndpoint(cert_path), Kind::daemon_unreachable);
  EXPECT_TRUE(mentions(message, "certificate")) << message;
}

TEST_F(DockerTlsIT, AMissingCertPemIsNamed) {
  const fs::path cert_path = tempDir() / "no-cert";
  fs::create_directories(cert_path);
  fs::copy_file(sandboxCert("ca.pem"), cert_path / "ca.pem");
  fs::copy_file(sandboxCert("key.pem"), cert_path / "key.pem");
  const std::string cert_pem = (cert_path / "cert.pem").string();
  const DockerEndpoint endpoint = tlsEndpoint(cert_path.string());

  // The start-up check names exactly the missing file...
  const auto missing = checkEndpointFiles(endpoint);
  ASSERT_TRUE(missing.has_value());
  EXPECT_EQ(*missing, "docker host " + sandbox().docker_tls_host + " (TLS): missing " + cert_pem);
  // ...and so does the client when it is used anyway.
  const std::string message = pingFails(endpoint, Kind::daemon_unreachable);
  EXPECT_NE(message.find(cert_pem), std::string::npos) << message;
}

TEST_F(DockerTlsIT, PlainTcpToTheTlsPortIsRefusedByTheDaemon) {
  // tcp:// without a cert path is plain HTTP; the TLS port answers 400 in plain text.
  const auto endpoint = parseDockerEndpoint(sandbox().docker_tls_host);
  ASSERT_TRUE(endpoint.ok()) << endpoint.error();
  ASSERT_EQ(endpoint.value().transport, DockerEndpoint::Transport::tcp);
  const std::string message = pingFails(endpoint.value(), Kind::bad_request);
  EXPECT_NE(message.find("HTTP request to an HTTPS server"), std::string::npos) << message;
}

}  // namespace
}  // namespace berth::docker
