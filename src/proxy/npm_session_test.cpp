#include "proxy/npm_session.h"

#include <gtest/gtest.h>

#include "fakes/npm_double.h"
#include "net/curl_http_client.h"
#include "proxy/proxy_error.h"

namespace berth::proxy {
namespace {

using namespace std::chrono_literals;

// The session against the NPM double, on a fake clock shared by both (token expiry).
class NpmSessionTest : public ::testing::Test {
 protected:
  NpmSessionTest() : npm_(options()) {}

  berth::testing::NpmDoubleOptions options() {
    berth::testing::NpmDoubleOptions o;
    o.token_lifetime = std::chrono::hours(24);
    o.now = [this] { return clock_.wallNow(); };
    return o;
  }

  NpmSession session(std::string secret_env = "NPM_PASSWORD") {
    return NpmSession(NpmCredentials{npm_.url(), "admin@example.com", secret_env}, env_, http_,
                      clock_);
  }

  net::HttpResponse list(NpmSession& s) {
    return s.send([&](const std::string& t) { return npm::listHostsRequest(npm_.url(), t); }, true,
                  "web/production");
  }

  FakeClock clock_;
  net::CurlHttpClient http_;
  EnvLookup env_ = [](const std::string& name) -> std::optional<std::string> {
    if (name == "NPM_PASSWORD") return "changeme";
    if (name == "WRONG") return "wrong";
    return std::nullopt;
  };
  berth::testing::NpmDouble npm_;
};

TEST_F(NpmSessionTest, LogsInOnceAndReusesTheToken) {
  auto s = session();
  EXPECT_EQ(list(s).status, 200);
  EXPECT_EQ(list(s).status, 200);
  EXPECT_EQ(s.logins(), 1);
  EXPECT_EQ(npm_.logins(), 1);
}

TEST_F(NpmSessionTest, RenewsTheTokenBeforeItExpires) {
  auto s = session();
  EXPECT_EQ(list(s).status, 200);
  clock_.advance(23h + 1min);  // less than an hour left
  EXPECT_EQ(list(s).status, 200);
  EXPECT_EQ(s.renewals(), 1);
  EXPECT_EQ(s.logins(), 1);
  const auto requests = npm_.requests();
  EXPECT_NE(std::find(requests.begin(), requests.end(), "GET /api/tokens -> 200"), requests.end());
}

TEST_F(NpmSessionTest, ExpiredTokenIs400AndLeadsToANewLogin) {
  auto s = session();
  EXPECT_EQ(list(s).status, 200);
  npm_.expireAllTokens();
  EXPECT_EQ(list(s).status, 200);
  EXPECT_EQ(s.logins(), 2);
  const auto requests = npm_.requests();
  EXPECT_NE(std::find(requests.begin(), requests.end(), "GET /api/nginx/proxy-hosts -> 400"),
            requests.end());
}

TEST_F(NpmSessionTest, AfterTheTokenLapsedItLogsInInsteadOfRenewing) {
  auto s = session();
  EXPECT_EQ(list(s).status, 200);
  clock_.advance(25h);
  EXPECT_EQ(list(s).status, 200);
  EXPECT_EQ(s.renewals(), 0);
  EXPECT_EQ(s.logins(), 2);
}

TEST_F(NpmSessionTest, WrongPasswordIsAnAuthErrorWithoutTheSecret) {
  auto s = session("WRONG");
  try {
    list(s);
    FAIL();
  } catch (const ProxyError& e) {
    EXPECT_EQ(e.kind(), ProxyError::Kind::auth);
    EXPECT_NE(e.detail().find("Invalid email or password"), std::string::npos) << e.what();
    EXPECT_NE(e.detail().find("HTTP 400"), std::string::npos);
    EXPECT_EQ(std::string(e.what()).find("wrong"), std::string::npos);
  }
}

TEST_F(NpmSessionTest, UnsetSecretVariableIsNamed) {
  auto s = session("NPM_SECRET_UNSET");
  try {
    list(s);
    FAIL();
  } catch (const ProxyError& e) {
    EXPECT_EQ(e.kind(), ProxyError::Kind::auth);
    EXPECT_NE(e.detail().find("NPM_SECRET_UNSET"), std::string::npos);
  }
  EXPECT_EQ(npm_.logins(), 0);
}

// A refused token is retried once after a new login; a lasting refusal is returned as is.
TEST_F(NpmSessionTest, PermissionRefusalIsReturnedAfterOneRetry) {
  auto s = session();
  npm_.denyPermission(true);
  EXPECT_EQ(list(s).status, 404);
  EXPECT_EQ(s.logins(), 2);
}

TEST_F(NpmSessionTest, UnreachableNpmIsReported) {
  NpmSession s(NpmCredentials{"http://127.0.0.1:9", "admin@example.com", "NPM_PASSWORD"}, env_,
               http_, clock_);
  try {
    list(s);
    FAIL();
  } catch (const ProxyError& e) {
    EXPECT_EQ(e.kind(), ProxyError::Kind::unreachable);
  }
}

}  // namespace
}  // namespace berth::proxy
