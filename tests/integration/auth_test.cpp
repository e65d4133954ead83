// Authentication over real HTTP against the real `berth serve` (on the sandbox's dockerd, no
// projects): login and logout, a stolen cookie after logout, the CSRF token, password change
// revoking sessions, API tokens, throttling, and sessions and tokens surviving a restart.
#include <gtest/gtest.h>
#include <signal.h>

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

constexpr const char* kAdminPassword = "first admin password";

struct Session {
  std::string cookie;  // "berth_session=..."
  std::string csrf;
};

class AuthEndToEnd : public SandboxTest {
 protected:
  void SetUp() override {
    SandboxTest::SetUp();
    if (!haveSandbox()) return;
    dir_ = fs::temp_directory_path() / uniqueName("berth-auth-it");
    fs::create_directories(dir_);
    network_ = uniqueName("berth-auth-net");
    std::ofstream(dir_ / "berth.yaml")
        << "server: { data_dir: " << (dir_ / "data").string() << " }\n"
        << "docker: { host: \"" << sandbox().docker_host << "\", network: " << network_ << " }\n"
        << "projects: []\n";
    start();
  }
  void TearDown() override {
    if (!haveSandbox()) return;
    if (berth_) berth_->stop(SIGTERM, 30s);
    if (HasFailure() && berth_) std::cerr << "---- berth log ----\n" << berth_->log() << "\n";
    berth_.reset();
    docker(sandbox(), {"network", "rm", network_});  // berth creates it at start-up
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }
  void start() {
    berth_ = std::make_unique<BerthProcess>(
        BERTH_BINARY, dir_ / "berth.yaml", dir_ / ("berth" + std::to_string(starts_++) + ".log"),
        std::vector<std::string>{"--no-poll"},
        std::map<std::string, std::string>{{"ADMIN_PASSWORD", kAdminPassword}});
    auto url = berth_->waitStarted(30s);
    ASSERT_TRUE(url) << berth_->log();
    api_ = *url;
  }
  void restart() {
    ASSERT_EQ(berth_->stop(SIGTERM, 30s), 0);
    start();
  }

  HttpResponse call(const std::string& method, const std::string& path,
                    const std::string& body = "", std::vector<std::string> headers = {}) {
    HttpRequest request(api_ + path);
    request.withMethod(method).withBody(body).withTimeout(10s);
    for (auto& h : headers)
      request.withHeader(std::move(h));
    return httpRequest(request);
  }
  HttpResponse login(const std::string& user, const std::string& password) {
    return call("POST", "/api/auth/login", json{{"username", user}, {"password", password}}.dump());
  }
  Session session(const std::string& user, const std::string& password) {
    const auto r = login(user, password);
    EXPECT_EQ(r.status, 200) << r.body;
    const std::string cookie = r.header("set-cookie");
    return Session{cookie.substr(0, cookie.find(';')),
                   json::parse(r.body, nullptr, false).value("csrf_token", "")};
  }
  static std::vector<std::string> with(const Session& s, bool csrf = true) {
    std::vector<std::string> headers{"Cookie: " + s.cookie};
    if (csrf) headers.push_back("X-CSRF-Token: " + s.csrf);
    return headers;
  }
  static std::vector<std::string> bearer(const std::string& token) {
    return {"Authorization: Bearer " + token};
  }

  fs::path dir_;
  std::string network_;
  int starts_ = 0;
  std::string api_;
  std::unique_ptr<BerthProcess> berth_;
};

TEST_F(AuthEndToEnd, LoginLogoutAndAStolenCookie) {
  EXPECT_EQ(call("GET", "/api/projects").status, 401);
  EXPECT_EQ(call("GET", "/healthz").status, 200);
  EXPECT_EQ(login("admin", "not the password").status, 401);

  const auto r = login("admin", kAdminPassword);
  ASSERT_EQ(r.status, 200) << r.body;
  const std::string cookie = r.header("set-cookie");
  EXPECT_NE(cookie.find("HttpOnly"), std::string::npos) << cookie;
  EXPECT_NE(cookie.find("SameSite=Lax"), std::string::npos) << cookie;
  const Session s{cookie.substr(0, cookie.find(';')), json::parse(r.body)["csrf_token"]};
  const Session stolen = s;  // a copy, as an attacker holding the cookie would have

  const auto me = call("GET", "/api/auth/me", "", with(s, false));
  ASSERT_EQ(me.status, 200) << me.body;
  EXPECT_EQ(json::parse(me.body)["user"]["username"], "admin");
  EXPECT_EQ(call("GET", "/api/projects", "", with(s, false)).status, 200);
  EXPECT_EQ(call("POST", "/api/tokens", R"({"name":"x"})", with(s, false)).status, 403)
      << "a state change with the cookie alone (what a cross-site form sends) is refused";

  EXPECT_EQ(call("POST", "/api/auth/logout", "", with(s)).status, 200);
  EXPECT_EQ(call("GET", "/api/auth/me", "", with(stolen, false)).status, 401);
  EXPECT_NE(berth_->log().find("\"msg\":\"login\""), std::string::npos);
  EXPECT_EQ(berth_->log().find(kAdminPassword), std::string::npos) << "never in the log";
}

TEST_F(AuthEndToEnd, PasswordChangeEndsOtherSessions) {
  const Session laptop = session("admin", kAdminPassword);
  const Session phone = session("admin", kAdminPassword);
  const auto r = call(
      "PUT", "/api/auth/password",
      json{{"current_password", kAdminPassword}, {"new_password", "a brand new password"}}.dump(),
      with(laptop));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(call("GET", "/api/auth/me", "", with(phone, false)).status, 401);
  EXPECT_EQ(login("admin", kAdminPassword).status, 401);
  EXPECT_EQ(login("admin", "a brand new password").status, 200);
}

TEST_F(AuthEndToEnd, ApiTokensWorkWithoutCsrfAndCanBeRevoked) {
  const Session s = session("admin", kAdminPassword);
  const auto created = call("POST", "/api/tokens", R"({"name":"ci"})", with(s));
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string token = json::parse(created.body)["secret"];
  const auto id = json::parse(created.body)["token"]["id"].get<std::int64_t>();
  EXPECT_EQ(call("GET", "/api/projects", "", bearer(token)).status, 200);
  EXPECT_EQ(
      call("POST", "/api/users", R"({"username":"dev","password":"dev password"})", bearer(token))
          .status,
      201);
  EXPECT_EQ(call("DELETE", "/api/tokens/" + std::to_string(id), "", bearer(token)).status, 200);
  EXPECT_EQ(call("GET", "/api/projects", "", bearer(token)).status, 401);
}

TEST_F(AuthEndToEnd, RepeatedFailuresAreThrottledWithRetryAfter) {
  for (int i = 0; i < 6; ++i)
    EXPECT_EQ(login("admin", "guess number " + std::to_string(i)).status, 401);
  const auto blocked = login("admin", kAdminPassword);
  EXPECT_EQ(blocked.status, 429) << blocked.body;
  EXPECT_FALSE(blocked.header("retry-after").empty());
  std::this_thread::sleep_for(1100ms);
  EXPECT_EQ(login("admin", kAdminPassword).status, 200);
}

TEST_F(AuthEndToEnd, SessionsAndTokensSurviveARestart) {
  const Session s = session("admin", kAdminPassword);
  const auto created = call("POST", "/api/tokens", R"({"name":"ci"})", with(s));
  ASSERT_EQ(created.status, 201);
  const std::string token = json::parse(created.body)["secret"];
  restart();
  EXPECT_EQ(call("GET", "/api/auth/me", "", with(s, false)).status, 200);
  EXPECT_EQ(call("GET", "/api/auth/me", "", bearer(token)).status, 200);
  // The first admin is created once: the restart with ADMIN_PASSWORD set did not reset it.
  EXPECT_EQ(berth_->log().find("created the first user"), std::string::npos);
}

}  // namespace
}  // namespace berth::testing
