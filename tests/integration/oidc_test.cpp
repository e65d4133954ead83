// OIDC login end to end: the real `berth serve` against a real OpenID Connect provider
// (oidc-provider from npm, started by the sandbox on loopback), driven the way a browser
// would: follow the redirects, keep the cookies. Each test registers its own client with the
// provider (dynamic registration) for the algorithm it exercises.
#include <arpa/inet.h>
#include <curl/curl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "support/berth_process.h"
#include "support/sandbox_env.h"
#include "support/sandbox_tools.h"

namespace berth::testing {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;
using nlohmann::json;

// A cookie-keeping HTTP client that does not follow redirects by itself.
class Browser {
 public:
  struct Page {
    long status = 0;
    std::string location, body;
  };
  Browser() : curl_(curl_easy_init()) {
    curl_easy_setopt(curl_, CURLOPT_COOKIEFILE, "");  // in-memory cookie jar
    curl_easy_setopt(curl_, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl_, CURLOPT_TIMEOUT_MS, 10000L);
  }
  ~Browser() { curl_easy_cleanup(curl_); }
  Browser(const Browser&) = delete;
  Browser& operator=(const Browser&) = delete;

  Page get(const std::string& url) {
    Page page;
    curl_easy_setopt(curl_, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl_, CURLOPT_HTTPGET, 1L);
    curl_easy_setopt(curl_, CURLOPT_WRITEFUNCTION, &Browser::write);
    curl_easy_setopt(curl_, CURLOPT_WRITEDATA, &page.body);
    if (curl_easy_perform(curl_) != CURLE_OK) return page;
    curl_easy_getinfo(curl_, CURLINFO_RESPONSE_CODE, &page.status);
    char* location = nullptr;
    curl_easy_getinfo(curl_, CURLINFO_REDIRECT_URL, &location);
    if (location != nullptr) page.location = location;
    return page;
  }

  // Follows redirects from `url` until one points under `stop_prefix`; returns that URL
  // (without requesting it), or "" if the chain ends elsewhere.
  std::string followUntil(const std::string& url, const std::string& stop_prefix,
                          std::string* trace) {
    std::string next = url;
    for (int hop = 0; hop < 15; ++hop) {
      const Page page = get(next);
      *trace += std::to_string(page.status) + " " + next + "\n";
      if (page.location.empty()) {
        *trace += page.body.substr(0, 400) + "\n";
        return "";
      }
      if (page.location.rfind(stop_prefix, 0) == 0) return page.location;
      next = page.location;
    }
    return "";
  }

 private:
  static std::size_t write(char* data, std::size_t size, std::size_t n, void* out) {
    static_cast<std::string*>(out)->append(data, size * n);
    return size * n;
  }
  CURL* curl_;
};

int freeLoopbackPort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  socklen_t size = sizeof address;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size);
  ::close(fd);
  return ntohs(address.sin_port);
}

std::string replaceQueryParam(const std::string& url, const std::string& name,
                              const std::string& value) {
  const auto start = url.find(name + "=");
  const auto end = url.find('&', start);
  return url.substr(0, start) + name + "=" + value +
         (end == std::string::npos ? "" : url.substr(end));
}

std::string queryParam(const std::string& url, const std::string& name) {
  const auto start = url.find(name + "=");
  if (start == std::string::npos) return "";
  const auto end = url.find('&', start);
  return url.substr(start + name.size() + 1,
                    end == std::string::npos ? std::string::npos : end - start - name.size() - 1);
}

class OidcEndToEnd : public SandboxTest {
 protected:
  void SetUp() override {
    SandboxTest::SetUp();
    if (!haveSandbox()) return;
    const auto issuer = sandbox().vars.find("BERTH_SANDBOX_OIDC_ISSUER");
    if (issuer == sandbox().vars.end()) {
      const std::string why =
          "the sandbox has no OIDC provider (Node.js and `make deps` install it; "
          "tests/sandbox/sandbox.sh up starts it)";
      if (ciMode()) FAIL() << why << " (CI=true)";
      GTEST_SKIP() << why;
    }
    issuer_ = issuer->second;
    dir_ = fs::temp_directory_path() / uniqueName("berth-oidc-it");
    fs::create_directories(dir_);
    network_ = uniqueName("berth-oidc-net");
    port_ = freeLoopbackPort();
    public_url_ = "http://127.0.0.1:" + std::to_string(port_);
  }
  void TearDown() override {
    if (!haveSandbox() || issuer_.empty()) return;
    if (berth_) berth_->stop(SIGTERM, 30s);
    if (HasFailure() && berth_) std::cerr << "---- berth log ----\n" << berth_->log() << "\n";
    berth_.reset();
    docker(sandbox(), {"network", "rm", network_});
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }

  // Registers a client for berth's callback with the provider; starts berth with it.
  void startWithClient(const std::string& id_token_alg) {
    const auto registered =
        httpRequest(HttpRequest(issuer_ + "/reg")
                        .withMethod("POST")
                        .withHeader("Content-Type: application/json")
                        .withBody(json{{"redirect_uris", {public_url_ + "/api/auth/oidc/callback"}},
                                       {"token_endpoint_auth_method", "client_secret_basic"},
                                       {"id_token_signed_response_alg", id_token_alg},
                                       {"grant_types", {"authorization_code"}},
                                       {"response_types", {"code"}}}
                                      .dump()));
    ASSERT_EQ(registered.status, 201) << registered.body;
    const json client = json::parse(registered.body);
    std::ofstream(dir_ / "berth.yaml")
        << "server: { data_dir: " << (dir_ / "data").string() << ", public_url: \"" << public_url_
        << "\" }\n"
        << "docker: { host: \"" << sandbox().docker_host << "\", network: " << network_ << " }\n"
        << "auth:\n  mode: oidc\n  oidc:\n"
        << "    discovery_url: \"" << issuer_ << "/.well-known/openid-configuration\"\n"
        << "    client_id: \"" << client["client_id"].get<std::string>() << "\"\n"
        << "    client_secret_env: OIDC_CLIENT_SECRET\n"
        << "    admin_group: berth-admins\n"
        << "    scopes: [openid, profile, email, groups]\n"
        << "projects: []\n";
    berth_ = std::make_unique<BerthProcess>(
        BERTH_BINARY, dir_ / "berth.yaml", dir_ / "berth.log",
        std::vector<std::string>{"--no-poll", "--listen", "127.0.0.1:" + std::to_string(port_)},
        std::map<std::string, std::string>{
            {"OIDC_CLIENT_SECRET", client["client_secret"].get<std::string>()},
            {"ADMIN_PASSWORD", "local break-glass password"}});
    ASSERT_TRUE(berth_->waitStarted(30s)) << berth_->log();
  }

  void nextAccount(const std::string& id) {
    const auto r =
        httpRequest(HttpRequest(issuer_ + "/test/next-account?id=" + id).withMethod("POST"));
    ASSERT_EQ(r.status, 200) << r.body;
  }

  // Runs the browser through berth's start, the provider's authorization and back to the
  // callback URL the provider redirects to (not yet requested).
  std::string toCallback(Browser& browser) {
    std::string trace;
    const auto callback =
        browser.followUntil(public_url_ + "/api/auth/oidc/start?return_to=/deploys",
                            public_url_ + "/api/auth/oidc/callback", &trace);
    EXPECT_FALSE(callback.empty()) << "the redirects did not reach berth's callback:\n" << trace;
    return callback;
  }

  json me(Browser& browser) {
    const auto page = browser.get(public_url_ + "/api/auth/me");
    EXPECT_EQ(page.status, 200) << page.body;
    return json::parse(page.body, nullptr, false);
  }

  std::string issuer_, network_, public_url_;
  int port_ = 0;
  fs::path dir_;
  std::unique_ptr<BerthProcess> berth_;
};

TEST_F(OidcEndToEnd, LoginCreatesTheUserWithTheProvidersAdminGroupRs256) {
  startWithClient("RS256");
  Browser alice;
  const auto callback = toCallback(alice);
  ASSERT_FALSE(callback.empty());
  const auto landed = alice.get(callback);
  ASSERT_EQ(landed.status, 302) << landed.body;
  EXPECT_EQ(landed.location, public_url_ + "/deploys") << "back where the login started";
  const json who = me(alice);
  EXPECT_EQ(who["user"]["username"], "alice");
  EXPECT_EQ(who["user"]["admin"], true) << "alice is in berth-admins";
  EXPECT_EQ(who["via"], "session");

  nextAccount("bob");
  Browser bob;
  const auto bobs = toCallback(bob);
  ASSERT_FALSE(bobs.empty());
  ASSERT_EQ(bob.get(bobs).status, 302);
  EXPECT_EQ(me(bob)["user"]["username"], "bob");
  EXPECT_EQ(me(bob)["user"]["admin"], false);
  nextAccount("alice");

  // The accounts are linked by subject: a second login is the same user, not a new one.
  Browser again;
  ASSERT_EQ(again.get(toCallback(again)).status, 302);
  EXPECT_EQ(me(again)["user"]["id"], who["user"]["id"]);
  // The local admin still logs in with a password (break-glass: local_login defaults to on).
  EXPECT_EQ(
      httpRequest(HttpRequest(public_url_ + "/api/auth/login")
                      .withMethod("POST")
                      .withBody(R"({"username":"admin","password":"local break-glass password"})"))
          .status,
      200);
}

TEST_F(OidcEndToEnd, Es256SignedIdTokensAreVerifiedWithTheJwks) {
  startWithClient("ES256");
  Browser browser;
  ASSERT_EQ(browser.get(toCallback(browser)).status, 302);
  EXPECT_EQ(me(browser)["user"]["username"], "alice");
}

TEST_F(OidcEndToEnd, Hs256SignedIdTokensAreVerifiedWithTheClientSecret) {
  startWithClient("HS256");
  Browser browser;
  ASSERT_EQ(browser.get(toCallback(browser)).status, 302);
  EXPECT_EQ(me(browser)["user"]["username"], "alice");
}

TEST_F(OidcEndToEnd, AWrongStateIsRefused) {
  startWithClient("RS256");
  Browser browser;
  const auto callback = toCallback(browser);
  ASSERT_FALSE(callback.empty());
  const auto forged = browser.get(replaceQueryParam(callback, "state", std::string(64, 'a')));
  EXPECT_EQ(forged.status, 401) << forged.body;
  EXPECT_NE(forged.body.find("state"), std::string::npos) << forged.body;
  EXPECT_EQ(browser.get(public_url_ + "/api/auth/me").status, 401) << "no session";
}

TEST_F(OidcEndToEnd, AReplayedCodeIsRefusedByTheProvider) {
  startWithClient("RS256");
  Browser first;
  const auto used = toCallback(first);
  ASSERT_EQ(first.get(used).status, 302);
  // An attacker who saw the first callback URL starts a login of their own and slips the
  // used code in: berth exchanges it, the provider refuses it.
  Browser attacker;
  const auto own = toCallback(attacker);
  ASSERT_FALSE(own.empty());
  const auto replay = attacker.get(replaceQueryParam(own, "code", queryParam(used, "code")));
  EXPECT_EQ(replay.status, 401) << replay.body;
  EXPECT_NE(replay.body.find("refused the authorization code"), std::string::npos) << replay.body;
  EXPECT_EQ(attacker.get(public_url_ + "/api/auth/me").status, 401);
}

TEST_F(OidcEndToEnd, TheProvidersRefusalIsShownAndGivesNoSession) {
  startWithClient("RS256");
  Browser browser;
  const auto page =
      browser.get(public_url_ + "/api/auth/oidc/callback?error=access_denied&error_description=no");
  EXPECT_EQ(page.status, 401);
  EXPECT_NE(page.body.find("access_denied"), std::string::npos);
}

}  // namespace
}  // namespace berth::testing
