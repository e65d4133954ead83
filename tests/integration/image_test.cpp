// The packaging, run as an operator would run it, on the sandbox daemon (label "image"):
//  - the Docker image (deploy/Dockerfile; tests/run-tests.sh builds it into the sandbox daemon
//    as berth:dev with scripts/build-image.sh first, as `make image` does) is small, runs as
//    an unprivileged user, serves /healthz and the dashboard, reports healthy through its own
//    HEALTHCHECK, and deploys an image from the sandbox registry through the mounted socket;
//  - deploy/docker-compose.yml validates, refuses to start without its secrets, and its berth
//    service starts from that image and answers /healthz (NPM's image is not available here);
//  - deploy/berth.service passes systemd-analyze verify.
// The sandbox daemon has no default bridge: the image test's berth uses the host's network (so
// it reaches the registry on 127.0.0.1 and the containers it publishes there); the compose
// file's own network "berth" is user-defined and works as it is.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <thread>

#include "support/sandbox_env.h"
#include "support/sandbox_tools.h"

namespace berth::testing {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;
using nlohmann::json;

constexpr const char* kAdminPassword = "image test admin password";
const fs::path kSource = BERTH_SOURCE_DIR;

// The image under test: $BERTH_TEST_IMAGE, else what scripts/build-image.sh tags by default.
std::string imageName() {
  const char* name = std::getenv("BERTH_TEST_IMAGE");
  return name != nullptr && *name != '\0' ? name : "berth:dev";
}

// Skips, or fails under CI=true, when `tool` cannot be run: CI must not pass without it.
#define BERTH_REQUIRE_TOOL(tool)                                                  \
  if (runCommand({"sh", "-c", "command -v " tool}, {}, 10s).exit_code != 0) {     \
    if (ciMode()) FAIL() << tool " not found (CI=true); scripts/install-deps.sh"; \
    GTEST_SKIP() << tool " not found; install it with scripts/install-deps.sh";   \
  }

// The group owning the sandbox daemon's socket: what `group_add`/`--group-add` must grant the
// image's unprivileged user so that it may talk to Docker.
std::string socketGroup(const SandboxEnv& env) {
  struct stat st {};
  if (::stat(env.dockerSocket().c_str(), &st) != 0) return "0";
  return std::to_string(st.st_gid);
}

// A loopback port nobody listens on right now (the kernel's pick for port 0).
int freeLoopbackPort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  int port = 0;
  if (fd >= 0 && ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0)
    port = ntohs(address.sin_port);
  if (fd >= 0) ::close(fd);
  return port;
}

// Waits until `ready` returns true, or `timeout` passes.
template <typename Ready>
bool eventually(std::chrono::milliseconds timeout, Ready ready) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!ready()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(200ms);
  }
  return true;
}

// Fixture: the sandbox plus the built image, a scratch directory, and container cleanup.
class ImageTest : public SandboxTest {
 protected:
  void SetUp() override {
    SandboxTest::SetUp();
    if (!haveSandbox()) return;
    const auto inspect = docker(sandbox(), {"image", "inspect", imageName()});
    if (inspect.exit_code != 0) {
      const std::string why = "image " + imageName() +
                              " is not in the sandbox daemon: build it with `make image` "
                              "(scripts/build-image.sh)";
      if (ciMode()) GTEST_FAIL() << why << " (CI=true)";
      GTEST_SKIP() << why;
    }
    image_ = json::parse(inspect.out, nullptr, false)[0];
    dir_ = fs::temp_directory_path() / uniqueName("berth-image-it");
    fs::create_directories(dir_);
    fs::permissions(dir_, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                              fs::perms::others_read | fs::perms::others_exec);
  }
  void TearDown() override {
    if (!haveSandbox() || dir_.empty()) return;
    for (const auto& name : containers_) {
      if (HasFailure()) std::cerr << "---- docker logs " << name << " ----\n" << logs(name);
      docker(sandbox(), {"rm", "-f", "-v", name});
    }
    for (const auto& project : projects_)
      removeProjectContainers(sandbox(), project);
    for (const auto& volume : volumes_)
      docker(sandbox(), {"volume", "rm", "-f", volume});
    for (const auto& network : networks_)
      docker(sandbox(), {"network", "rm", network});
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }

  std::string logs(const std::string& container) {
    const auto r = docker(sandbox(), {"logs", container});
    return r.out + r.err;
  }

  // "http://" + the address berth logged in its "berth started" line, or "" if it did not start.
  std::string waitStarted(const std::string& container) {
    static const std::regex started(R"re("msg":"berth started".*"address":"([^"]+)")re");
    std::string address;
    eventually(30s, [&] {
      std::smatch m;
      const std::string text = logs(container);
      if (std::regex_search(text, m, started)) address = "http://" + m[1].str();
      return !address.empty() || !running(container);
    });
    return address;
  }

  bool running(const std::string& container) {
    return trim(docker(sandbox(), {"inspect", "-f", "{{.State.Running}}", container}).out) ==
           "true";
  }

  json image_;
  fs::path dir_;
  std::vector<std::string> containers_, projects_, volumes_, networks_;
};

TEST_F(ImageTest, IsSmallAndRunsAsAnUnprivilegedUserWithItsDataOnAVolume) {
  const auto size = image_["Size"].get<std::int64_t>();
  EXPECT_LE(size, 30'000'000) << "the goal is a runtime image of at most 30 MB";
  const json& config = image_["Config"];
  EXPECT_EQ(config["User"], "10001:10001");
  EXPECT_TRUE(config["Volumes"].contains("/data")) << config["Volumes"];
  EXPECT_EQ(config["Entrypoint"], json::array({"/usr/local/bin/berth"}));
}

// berth's API with the first admin's session (cookie and CSRF token), as the dashboard uses it.
struct Api {
  std::string base;
  std::string cookie, csrf;

  HttpResponse call(const std::string& method, const std::string& path,
                    const std::string& body = "") const {
    HttpRequest request(base + path);
    request.withMethod(method).withBody(body).withTimeout(15s);
    if (!cookie.empty())
      request.withHeader("Cookie: " + cookie).withHeader("X-CSRF-Token: " + csrf);
    return httpRequest(request);
  }
  bool login(const std::string& password) {
    const auto r =
        call("POST", "/api/auth/login", json{{"username", "admin"}, {"password", password}}.dump());
    if (r.status != 200) return false;
    const std::string set_cookie = r.header("set-cookie");
    cookie = set_cookie.substr(0, set_cookie.find(';'));
    csrf = json::parse(r.body, nullptr, false).value("csrf_token", "");
    return true;
  }
};

TEST_F(ImageTest, ServesTheDashboardAndDeploysFromTheRegistryThroughTheMountedSocket) {
  const std::string project = uniqueName("img").substr(0, 40);
  const std::string network = uniqueName("berth-img-net");
  const std::string name = uniqueName("berth-img");
  const std::string volume = name + "-data";
  projects_.push_back(project);
  networks_.push_back(network);
  volumes_.push_back(volume);
  // The daemon's default endpoint (unix:///var/run/docker.sock) is where the socket is mounted.
  std::ofstream(dir_ / "berth.yaml")
      << "docker: { network: " << network << " }\n"
      << "projects:\n"
      << "  - name: " << project << "\n"
      << "    image: " << sandbox().registry << "/" << sandbox().image_repo << "\n"
      << "    port: " << sandbox().image_port << "\n"
      << "    health: { path: /healthz, interval: 200ms, timeout: 30s }\n"
      << "    stages: [ { name: staging } ]\n";
  fs::permissions(dir_ / "berth.yaml", fs::perms::owner_read | fs::perms::owner_write |
                                           fs::perms::group_read | fs::perms::others_read);

  // On the host's network berth cannot have the image's 8080 (something else may): a free
  // port, which its HEALTHCHECK learns from BERTH_SERVER as an operator's would.
  const std::string listen = "127.0.0.1:" + std::to_string(freeLoopbackPort());
  const auto run = docker(
      sandbox(),
      {"run", "-d", "--name", name, "--network", "host", "--group-add", socketGroup(sandbox()),
       "-v", sandbox().dockerSocket() + ":/var/run/docker.sock", "-v", volume + ":/data", "-v",
       (dir_ / "berth.yaml").string() + ":/etc/berth/berth.yaml:ro", "-e",
       std::string("ADMIN_PASSWORD=") + kAdminPassword, "-e", "BERTH_SERVER=http://" + listen,
       // The image's HEALTHCHECK, checked every second instead of every 30 s.
       "--health-interval", "1s", "--health-start-period", "0s", imageName(), "serve", "--config",
       "/etc/berth/berth.yaml", "--listen", listen, "--no-poll"});
  ASSERT_EQ(run.exit_code, 0) << run.describe();
  containers_.push_back(name);
  Api api;
  api.base = waitStarted(name);
  ASSERT_FALSE(api.base.empty()) << "berth did not start in the container";

  const auto health = httpGet(api.base + "/healthz");
  EXPECT_EQ(health.status, 200) << health.body << health.error;
  EXPECT_EQ(json::parse(health.body, nullptr, false).value("status", ""), "ok");

  // The dashboard the web stage built is embedded: its page and the scripts it loads.
  const auto page = httpGet(api.base + "/");
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_NE(page.header("content-type").find("text/html"), std::string::npos);
  EXPECT_NE(page.body.find("<title>berth</title>"), std::string::npos) << page.body;
  std::smatch script;
  ASSERT_TRUE(
      std::regex_search(page.body, script, std::regex(R"re("(/_app/immutable/[^"]+\.js)")re")))
      << page.body;
  EXPECT_EQ(httpGet(api.base + script[1].str()).status, 200) << script[1];

  // Docker's view of it: healthy, by `berth healthcheck` (the image has no shell or curl).
  EXPECT_TRUE(eventually(30s, [&] {
    return trim(docker(sandbox(), {"inspect", "-f", "{{.State.Health.Status}}", name}).out) ==
           "healthy";
  })) << docker(sandbox(), {"inspect", "-f", "{{json .State.Health}}", name}).out;

  // One deploy, as the dashboard would start it: berth pulls v1 through the mounted socket,
  // starts it, health-checks it on its published port and records it.
  ASSERT_TRUE(api.login(kAdminPassword)) << "the first admin gets ADMIN_PASSWORD";
  const auto started =
      api.call("POST", "/api/projects/" + project + "/stages/staging/deploys", R"({"tag":"v1"})");
  ASSERT_EQ(started.status, 202) << started.body;
  const auto id = json::parse(started.body)["deploy"]["id"].get<std::int64_t>();
  json deploy;
  EXPECT_TRUE(eventually(120s, [&] {
    deploy = json::parse(api.call("GET", "/api/deploys/" + std::to_string(id)).body, nullptr,
                         false)["deploy"];
    const std::string state = deploy.is_object() ? deploy.value("state", "") : "";
    return state == "succeeded" || state == "failed" || state == "rolled_back" ||
           state == "cancelled" || state == "interrupted";
  }));
  ASSERT_EQ(deploy.value("state", ""), "succeeded") << deploy;

  const json stage =
      json::parse(api.call("GET", "/api/projects/" + project + "/stages/staging").body, nullptr,
                  false)["stage"];
  ASSERT_TRUE(stage.contains("instances") && !stage["instances"].empty()) << stage;
  const std::string instance = stage["instances"][0].value("name", "");
  const auto port = docker(sandbox(), {"port", instance, std::to_string(sandbox().image_port)});
  ASSERT_EQ(port.exit_code, 0) << port.describe();
  const auto served = httpGet("http://" + trim(port.out.substr(0, port.out.find('\n'))) + "/");
  EXPECT_EQ(served.status, 200) << served.error;
  EXPECT_EQ(served.body, "v1");

  // Its state is on the volume, owned by the unprivileged user.
  const auto ls =
      docker(sandbox(), {"run", "--rm", "-v", volume + ":/data", imageName(), "user", "list"});
  EXPECT_EQ(ls.exit_code, 0) << ls.describe();
  EXPECT_NE(ls.out.find("admin"), std::string::npos) << ls.out;
}

// What an operator's deploy/.env holds; with a sandbox, pointed at its daemon and the image
// under test.
std::map<std::string, std::string> composeEnvironment(const SandboxEnv* sandbox) {
  std::map<std::string, std::string> env{{"ADMIN_PASSWORD", kAdminPassword},
                                         {"NPM_PASSWORD", "npm password"},
                                         {"WEB_WEBHOOK_SECRET", "webhook secret"},
                                         {"DOCKER_GID", "999"}};
  if (sandbox != nullptr) {
    env.insert({{"DOCKER_HOST", sandbox->docker_host},
                {"DOCKER_CONFIG", sandbox->docker_config},
                {"DOCKER_SOCKET", sandbox->dockerSocket()},
                {"BERTH_IMAGE", imageName()},
                {"BERTH_PUBLISH", "127.0.0.1:"}});  // any free port on loopback
    env["DOCKER_GID"] = socketGroup(*sandbox);
  }
  return env;
}

// docker-compose (Debian's 1.29) -f deploy/docker-compose.yml -p PROJECT ARGS...
CommandResult compose(const std::string& project, const std::vector<std::string>& args,
                      const std::map<std::string, std::string>& env) {
  std::vector<std::string> argv{"docker-compose",
                                "--ansi",
                                "never",
                                "-f",
                                (kSource / "deploy/docker-compose.yml").string(),
                                "-p",
                                project};
  argv.insert(argv.end(), args.begin(), args.end());
  return runCommand(argv, env, 180s);
}

TEST(ComposeFile, ValidatesAndRefusesToRunWithoutItsSecrets) {
  BERTH_REQUIRE_TOOL("docker-compose");
  const auto ok = compose("berthcheck", {"config", "-q"}, composeEnvironment(nullptr));
  EXPECT_EQ(ok.exit_code, 0) << ok.describe();

  for (const char* secret : {"ADMIN_PASSWORD", "NPM_PASSWORD", "DOCKER_GID"}) {
    auto env = composeEnvironment(nullptr);
    env[secret] = "";
    const auto missing = compose("berthcheck", {"config", "-q"}, env);
    EXPECT_NE(missing.exit_code, 0) << secret;
    EXPECT_NE(missing.err.find(secret), std::string::npos) << missing.err;
  }
}

// The compose file's berth service on the sandbox daemon, from the image under test.
class ComposeTest : public ImageTest {
 protected:
  void SetUp() override {
    ImageTest::SetUp();
    if (IsSkipped() || HasFailure()) return;
    BERTH_REQUIRE_TOOL("docker-compose");
    project_ = uniqueName("berthcompose");
    project_.erase(std::remove(project_.begin(), project_.end(), '-'), project_.end());
  }
  void TearDown() override {
    if (!project_.empty()) {
      if (HasFailure()) std::cerr << compose({"logs", "--no-color"}).out;
      compose({"down", "-v", "--remove-orphans", "--timeout", "10"});
    }
    ImageTest::TearDown();
  }
  CommandResult compose(const std::vector<std::string>& args) const {
    return testing::compose(project_, args, composeEnvironment(&sandbox()));
  }

  std::string project_;
};

TEST_F(ComposeTest, BerthServiceStartsFromTheImageAndAnswersHealthz) {
  // Only berth: NPM's image cannot be pulled here, and berth logs in to NPM only when it
  // first routes a deploy.
  const auto up = compose({"up", "-d", "--no-deps", "--no-build", "berth"});
  ASSERT_EQ(up.exit_code, 0) << up.describe();
  const auto port = compose({"port", "berth", "8080"});
  ASSERT_EQ(port.exit_code, 0) << port.describe();
  const std::string address = trim(port.out);
  ASSERT_EQ(address.rfind("127.0.0.1:", 0), 0u) << "published on loopback only: " << address;

  const auto health = waitForHttp("http://" + address + "/healthz", 30s);
  EXPECT_EQ(health.status, 200) << health.error;
  // It serves deploy/berth.yaml as shipped (serve --config imports it at start-up).
  HttpRequest login("http://" + address + "/api/auth/login");
  login.withMethod("POST").withBody(
      json{{"username", "admin"}, {"password", kAdminPassword}}.dump());
  EXPECT_EQ(httpRequest(login).status, 200) << "ADMIN_PASSWORD from the environment";
}

TEST(SystemdUnit, PassesSystemdAnalyzeVerify) {
  BERTH_REQUIRE_TOOL("systemd-analyze");
  // The unit names /usr/local/bin/berth, which verify wants to exist: check a copy naming the
  // binary just built instead.
  const fs::path dir = fs::temp_directory_path() / uniqueName("berth-unit");
  fs::create_directories(dir);
  std::ifstream in(kSource / "deploy/berth.service");
  std::string unit((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  unit = std::regex_replace(unit, std::regex("/usr/local/bin/berth"), BERTH_BINARY);
  std::ofstream(dir / "berth.service") << unit;
  const auto verify = runCommand({"systemd-analyze", "verify", (dir / "berth.service").string()});
  EXPECT_EQ(verify.exit_code, 0) << verify.describe();
  EXPECT_EQ(verify.err, "") << "verify printed warnings";
  fs::remove_all(dir);
}

}  // namespace
}  // namespace berth::testing
