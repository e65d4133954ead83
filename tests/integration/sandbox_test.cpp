// The sandbox itself, checked for real: every test image pulls from both registries with the
// digest the registry reports, the auth registry refuses anonymous clients, the images behave
// as documented (healthy, unhealthy, crash, slow) on a user-defined network with a published
// loopback port, and nginx serves, includes conf.d and reloads. Later integration tests (docker
// client, registry client, nginx driver, deploy engine) build on exactly these facts.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "support/sandbox_env.h"
#include "support/sandbox_tools.h"

namespace berth::testing {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

// The images tests/sandbox/sandbox.sh builds; fixed here so test names exist without a sandbox.
const std::vector<std::string> kTags = {"v1", "v2", "v3", "unhealthy", "crash", "slow"};
constexpr const char* kManifestV2 = "application/vnd.docker.distribution.manifest.v2+json";

bool is2xx(long status) {
  return status >= 200 && status < 300;
}

// Creates containers, networks and client config dirs, and removes them again in TearDown.
class SandboxIntegration : public SandboxTest {
 protected:
  void TearDown() override {
    if (!haveSandbox()) return;
    if (!containers_.empty()) {
      std::vector<std::string> args{"rm", "-f", "-v"};
      args.insert(args.end(), containers_.begin(), containers_.end());
      docker(sandbox(), args);
    }
    for (const auto& n : networks_)
      docker(sandbox(), {"network", "rm", n});
    for (const auto& d : temp_dirs_)
      fs::remove_all(d);
    for (const auto& f : temp_files_)
      fs::remove(f);
  }

  std::string createNetwork() {
    std::string name = uniqueName("berth-it-net");
    auto r = docker(sandbox(), {"network", "create", name});
    EXPECT_EQ(r.exit_code, 0) << "docker network create: " << r.describe();
    networks_.push_back(name);
    return name;
  }

  // `docker run -d` on `network`, publishing the image port on 127.0.0.1:<random>.
  std::string runDetached(const std::string& image, const std::string& network) {
    std::string name = uniqueName("berth-it");
    containers_.push_back(name);
    auto r = docker(sandbox(), {"run", "-d", "--name", name, "--network", network, "-p",
                                "127.0.0.1::" + std::to_string(sandbox().image_port), image});
    EXPECT_EQ(r.exit_code, 0) << "docker run " << image << ": " << r.describe();
    return name;
  }

  // "http://127.0.0.1:<port>" where the container's image port is published.
  std::string publishedUrl(const std::string& container) {
    auto r = docker(sandbox(), {"port", container, std::to_string(sandbox().image_port) + "/tcp"});
    EXPECT_EQ(r.exit_code, 0) << "docker port: " << r.describe();
    std::string first = trim(r.out.substr(0, r.out.find('\n')));
    EXPECT_TRUE(first.starts_with("127.0.0.1:")) << "published on '" << first << "'";
    return "http://" + first;
  }

  // A fresh, empty docker client config dir (not logged in anywhere).
  std::string emptyDockerConfig() {
    fs::path dir = fs::temp_directory_path() / uniqueName("berth-it-docker-config");
    fs::create_directories(dir);
    std::ofstream(dir / "config.json") << "{\"auths\": {}}\n";
    temp_dirs_.push_back(dir);
    return dir.string();
  }

  void removeLocalTag(const std::string& ref) {
    docker(sandbox(), {"image", "rm", ref});  // fails harmlessly if absent
    auto inspect = docker(sandbox(), {"image", "inspect", ref});
    ASSERT_NE(inspect.exit_code, 0) << ref << " is still present locally";
  }

  std::string registryCredentials(const std::string& registry) const {
    return registry == sandbox().auth_registry ? sandbox().auth_user + ":" + sandbox().auth_password
                                               : "";
  }

  std::vector<std::string> containers_, networks_;
  std::vector<fs::path> temp_dirs_, temp_files_;
};

TEST_F(SandboxIntegration, EnvDescribesEveryTestImage) {
  for (const auto& tag : kTags)
    EXPECT_NE(std::find(sandbox().image_tags.begin(), sandbox().image_tags.end(), tag),
              sandbox().image_tags.end())
        << "BERTH_SANDBOX_IMAGE_TAGS lacks " << tag;
  EXPECT_EQ(sandbox().registry.rfind("127.0.0.1:", 0), 0u);
  EXPECT_EQ(sandbox().auth_registry.rfind("127.0.0.1:", 0), 0u);
  EXPECT_FALSE(sandbox().auth_password.empty());
  EXPECT_NE(sandbox().docker_host, "unix:///var/run/docker.sock");
}

// --- registries ------------------------------------------------------------------------------

enum class Reg { kOpen, kAuth };
void PrintTo(Reg r, std::ostream* os) {
  *os << (r == Reg::kOpen ? "open" : "auth");
}

class RegistryPull : public SandboxIntegration,
                     public ::testing::WithParamInterface<std::tuple<Reg, std::string>> {};

// Removing the local tag and pulling it again goes through the registry; the image the daemon
// then holds is the one the registry describes: same manifest digest, same config (image id).
TEST_P(RegistryPull, PulledImageHasTheRegistryDigest) {
  const auto& [which, tag] = GetParam();
  const std::string reg = which == Reg::kOpen ? sandbox().registry : sandbox().auth_registry;
  const std::string ref = sandbox().imageRef(reg, tag);
  const std::string url = "http://" + reg + "/v2/" + sandbox().image_repo + "/manifests/" + tag;

  const auto request = HttpRequest(url)
                           .withHeader(std::string("Accept: ") + kManifestV2)
                           .withBasicAuth(registryCredentials(reg));
  auto head = httpRequest(HttpRequest(request).withMethod("HEAD"));
  ASSERT_EQ(head.status, 200) << "HEAD " << url << " " << head.error;
  const std::string digest = head.header("docker-content-digest");
  ASSERT_TRUE(std::regex_match(digest, std::regex("sha256:[0-9a-f]{64}"))) << digest;
  EXPECT_EQ(head.header("content-type"), kManifestV2);

  auto manifest = httpRequest(request);
  ASSERT_EQ(manifest.status, 200);
  std::smatch m;
  ASSERT_TRUE(std::regex_search(
      manifest.body, m, std::regex(R"re("config"\s*:\s*\{[^}]*"digest"\s*:\s*"([^"]+)")re")))
      << manifest.body;
  const std::string config_digest = m[1];

  std::string config_dir;  // the sandbox's own config, already logged in: not used for auth
  if (which == Reg::kAuth) {
    config_dir = emptyDockerConfig();
    auto login = docker(
        sandbox(),
        {"login", "--username", sandbox().auth_user, "--password", sandbox().auth_password, reg},
        config_dir);
    ASSERT_EQ(login.exit_code, 0) << "docker login " << reg << ": " << login.describe();
  }
  removeLocalTag(ref);
  auto pull = docker(sandbox(), {"pull", ref}, config_dir);
  ASSERT_EQ(pull.exit_code, 0) << "docker pull " << ref << ": " << pull.describe();
  EXPECT_NE(pull.out.find(digest), std::string::npos) << pull.out;

  auto repo_digests = docker(sandbox(), {"image", "inspect", "--format",
                                         "{{range .RepoDigests}}{{println .}}{{end}}", ref});
  ASSERT_EQ(repo_digests.exit_code, 0) << repo_digests.describe();
  EXPECT_NE(repo_digests.out.find(reg + "/" + sandbox().image_repo + "@" + digest + "\n"),
            std::string::npos)
      << "RepoDigests of " << ref << ":\n"
      << repo_digests.out << "registry digest " << digest;
  auto id = docker(sandbox(), {"image", "inspect", "--format", "{{.Id}}", ref});
  EXPECT_EQ(trim(id.out), config_digest);
}

INSTANTIATE_TEST_SUITE_P(AllImagesBothRegistries, RegistryPull,
                         ::testing::Combine(::testing::Values(Reg::kOpen, Reg::kAuth),
                                            ::testing::ValuesIn(kTags)),
                         [](const auto& info) {
                           return std::string(std::get<0>(info.param) == Reg::kOpen ? "Open_"
                                                                                    : "Auth_") +
                                  std::get<1>(info.param);
                         });

TEST_F(SandboxIntegration, AuthRegistryRefusesAnonymousAndWrongPassword) {
  const std::string base = "http://" + sandbox().auth_registry + "/v2/";
  auto anonymous = httpGet(base);
  EXPECT_EQ(anonymous.status, 401) << anonymous.error;
  EXPECT_TRUE(anonymous.header("www-authenticate").starts_with("Basic realm="))
      << "WWW-Authenticate: '" << anonymous.header("www-authenticate") << "'";

  const std::string manifest = base + sandbox().image_repo + "/manifests/v1";
  auto head = httpRequest(
      HttpRequest(manifest).withMethod("HEAD").withHeader(std::string("Accept: ") + kManifestV2));
  EXPECT_EQ(head.status, 401);
  EXPECT_FALSE(head.header("www-authenticate").empty());

  auto wrong = httpRequest(HttpRequest(base).withBasicAuth(sandbox().auth_user + ":wrong"));
  EXPECT_EQ(wrong.status, 401);
  auto right = httpRequest(
      HttpRequest(base).withBasicAuth(sandbox().auth_user + ":" + sandbox().auth_password));
  EXPECT_EQ(right.status, 200);

  // The open registry needs nothing.
  EXPECT_EQ(httpGet("http://" + sandbox().registry + "/v2/").status, 200);
}

TEST_F(SandboxIntegration, AuthRegistryRefusesAnonymousPull) {
  const std::string ref = sandbox().imageRef(sandbox().auth_registry, "v2");
  removeLocalTag(ref);
  auto pull = docker(sandbox(), {"pull", ref}, emptyDockerConfig());
  EXPECT_NE(pull.exit_code, 0) << "anonymous pull of " << ref << " succeeded";
  EXPECT_TRUE(pull.err.find("no basic auth credentials") != std::string::npos ||
              pull.err.find("unauthorized") != std::string::npos)
      << pull.err;
  // Leave the tag as `sandbox.sh up` made it (the sandbox's config is logged in).
  auto again = docker(sandbox(), {"pull", ref});
  EXPECT_EQ(again.exit_code, 0) << again.describe();
}

// --- images on a user-defined network ---------------------------------------------------------

class HealthyImage : public SandboxIntegration,
                     public ::testing::WithParamInterface<std::string> {};

TEST_P(HealthyImage, ServesItsVersionAndHealthOnAPublishedLoopbackPort) {
  const std::string tag = GetParam();
  const std::string network = createNetwork();
  const std::string c = runDetached(sandbox().imageRef(sandbox().registry, tag), network);
  const std::string url = publishedUrl(c);
  ASSERT_FALSE(HasFailure());

  auto nets = docker(sandbox(), {"inspect", "--format",
                                 "{{range $k, $v := .NetworkSettings.Networks}}{{$k}} {{end}}", c});
  EXPECT_EQ(trim(nets.out), network);

  auto root = waitForHttp(url + "/", 10s);
  ASSERT_EQ(root.status, 200) << url << ": " << root.error;
  EXPECT_EQ(root.body, tag);
  auto health = httpGet(url + "/healthz");
  EXPECT_TRUE(is2xx(health.status)) << "GET /healthz -> " << health.status << " " << health.error;

  // It stops promptly on SIGTERM with exit code 0 (the entrypoint traps TERM).
  auto start = std::chrono::steady_clock::now();
  auto stop = docker(sandbox(), {"stop", "--time", "10", c});
  EXPECT_EQ(stop.exit_code, 0) << stop.describe();
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
  auto code = docker(sandbox(), {"inspect", "--format", "{{.State.ExitCode}}", c});
  EXPECT_EQ(trim(code.out), "0");
}

INSTANTIATE_TEST_SUITE_P(Versions, HealthyImage, ::testing::Values("v1", "v2", "v3"),
                         [](const auto& info) { return info.param; });

TEST_F(SandboxIntegration, UnhealthyImageServesButHealthzFails) {
  const std::string c =
      runDetached(sandbox().imageRef(sandbox().registry, "unhealthy"), createNetwork());
  const std::string url = publishedUrl(c);
  ASSERT_FALSE(HasFailure());
  auto root = waitForHttp(url + "/", 10s);
  ASSERT_EQ(root.status, 200) << root.error;
  EXPECT_EQ(root.body, "unhealthy");
  auto health = httpGet(url + "/healthz");
  EXPECT_NE(health.status, 0) << health.error;
  EXPECT_FALSE(is2xx(health.status)) << "GET /healthz -> " << health.status;
}

TEST_F(SandboxIntegration, CrashImageExitsAtOnceWithNonZeroCode) {
  const std::string network = createNetwork();
  const std::string name = uniqueName("berth-it-crash");
  containers_.push_back(name);
  auto start = std::chrono::steady_clock::now();
  auto run = docker(sandbox(), {"run", "--name", name, "--network", network,
                                sandbox().imageRef(sandbox().registry, "crash")});
  EXPECT_NE(run.exit_code, 0) << run.describe();
  EXPECT_LT(std::chrono::steady_clock::now() - start, 10s);
  auto state =
      docker(sandbox(), {"inspect", "--format", "{{.State.Status}} {{.State.ExitCode}}", name});
  EXPECT_EQ(trim(state.out), "exited 3");
}

TEST_F(SandboxIntegration, SlowImageServesOnlyAfterItsStartDelay) {
  auto start = std::chrono::steady_clock::now();
  const std::string c =
      runDetached(sandbox().imageRef(sandbox().registry, "slow"), createNetwork());
  const std::string url = publishedUrl(c);
  ASSERT_FALSE(HasFailure());
  auto early = httpRequest(HttpRequest(url + "/").withTimeout(1s));
  EXPECT_NE(early.status, 200) << "served before its delay";

  HttpResponse r;
  while (std::chrono::steady_clock::now() - start < 20s) {
    r = httpRequest(HttpRequest(url + "/").withTimeout(1s));
    if (r.status == 200) break;
    std::this_thread::sleep_for(200ms);
  }
  ASSERT_EQ(r.status, 200) << "never served: " << r.error;
  EXPECT_EQ(r.body, "slow");
  EXPECT_GE(std::chrono::steady_clock::now() - start, 3s);
  EXPECT_TRUE(is2xx(httpGet(url + "/healthz").status));
}

// --- nginx ------------------------------------------------------------------------------------

TEST_F(SandboxIntegration, NginxAnswersOnItsPort) {
  auto page = httpGet("http://" + sandbox().nginx + "/");
  ASSERT_EQ(page.status, 200) << page.error;
  EXPECT_NE(page.body.find("berth sandbox nginx"), std::string::npos) << page.body;
  auto health = httpGet("http://" + sandbox().nginx + "/healthz");
  EXPECT_EQ(health.status, 200);

  auto test = runCommand(splitWords(sandbox().nginx_test_cmd));
  EXPECT_EQ(test.exit_code, 0) << sandbox().nginx_test_cmd << ": " << test.describe();
}

// What the nginx proxy driver will do: write a server block into conf.d, test, reload, and
// have nginx forward a host name to a container's published loopback port.
TEST_F(SandboxIntegration, NginxConfDirProxiesToAContainerAfterReload) {
  const std::string c = runDetached(sandbox().imageRef(sandbox().registry, "v1"), createNetwork());
  const std::string upstream = publishedUrl(c);
  ASSERT_FALSE(HasFailure());
  ASSERT_EQ(waitForHttp(upstream + "/", 10s).status, 200);

  const std::string host = uniqueName("it") + ".berth.test";
  const fs::path conf = fs::path(sandbox().nginx_conf_dir) / (uniqueName("berth-it") + ".conf");
  temp_files_.push_back(conf);
  std::ofstream(conf) << "server {\n  listen " << sandbox().nginx << ";\n  server_name " << host
                      << ";\n  location / { proxy_pass " << upstream << "; }\n}\n";
  auto test = runCommand(splitWords(sandbox().nginx_test_cmd));
  ASSERT_EQ(test.exit_code, 0) << test.describe();
  auto reload = runCommand(splitWords(sandbox().nginx_reload_cmd));
  ASSERT_EQ(reload.exit_code, 0) << reload.describe();

  HttpResponse r;
  for (int i = 0; i < 50; ++i) {  // reload is asynchronous: new workers take a moment
    r = httpRequest(HttpRequest("http://" + sandbox().nginx + "/").withHeader("Host: " + host));
    if (r.body == "v1") break;
    std::this_thread::sleep_for(100ms);
  }
  EXPECT_EQ(r.status, 200) << r.error;
  EXPECT_EQ(r.body, "v1");

  fs::remove(conf);
  EXPECT_EQ(runCommand(splitWords(sandbox().nginx_reload_cmd)).exit_code, 0);
}

}  // namespace
}  // namespace berth::testing
