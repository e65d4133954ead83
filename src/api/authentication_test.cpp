// The gate in front of the API (authentication.h), on the real route table: every route but
// the public ones answers 401 without credentials, and lets a valid session or token through.
#include "api/authentication.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <regex>
#include <set>

#include "api/api_test_support.h"

namespace berth::api::testing {
namespace {

using nlohmann::json;

class AuthenticationTest : public ApiTest {
 protected:
  AuthenticationTest() {
    auth_ = std::make_unique<auth::AuthService>(
        Store::open(dir_ / "berth.db"), clock_,
        auth::AuthOptions{.session_lifetime = std::chrono::hours(1), .bcrypt_cost = 4},
        Logger(auth_log_, LogLevel::debug, LogFormat::json));
    const auto admin = auth_->addUser("root", "correct horse", true);
    auth_->addUser("dev", "battery staple", false);
    admin_token_ = auth_->createToken(admin.id, "ci").secret;
    addAuthentication(
        router_, AuthDeps{.auth = *auth_,
                          .config = [this] { return journal_->config(); },
                          .oidc = nullptr,
                          .replace_config = [this](const Config& c) { journal_->replaceConfig(c); },
                          .started_with = journal_->config().auth});
  }

  using Headers = std::vector<std::pair<std::string, std::string>>;
  static Headers bearer(const std::string& token) { return {{"authorization", "Bearer " + token}}; }

  struct Session {
    std::string cookie;  // "berth_session=..."
    std::string csrf;
  };
  Session login(const std::string& user, const std::string& password) {
    const auto r =
        call("POST", "/api/auth/login", json{{"username", user}, {"password", password}}.dump());
    EXPECT_EQ(r.status, 200) << r.body;
    const auto cookie = std::string(r.header("Set-Cookie").value_or(""));
    return Session{cookie.substr(0, cookie.find(';')), json::parse(r.body)["csrf_token"]};
  }
  http::Response withSession(const std::string& method, const std::string& target, const Session& s,
                             const std::string& body = "", bool csrf = true) {
    Headers headers{{"cookie", "theme=dark; " + s.cookie}};
    if (csrf) headers.emplace_back("x-csrf-token", s.csrf);
    return call(method, target, body, headers);
  }

  // A concrete request path for a route pattern.
  static std::string concrete(const std::string& pattern) {
    static const std::regex parameter(R"(\{([a-z]+)\})");
    std::string out;
    std::sregex_iterator it(pattern.begin(), pattern.end(), parameter), end;
    std::size_t last = 0;
    for (; it != end; ++it) {
      out += pattern.substr(last, it->position() - last);
      const std::string name = (*it)[1];
      // Ids that exist nowhere: walking DELETE /api/tokens/{id} must not revoke the token the
      // walk itself uses.
      out += name == "p" || name == "project" ? "web" : name == "s" ? "staging" : "999";
      last = it->position() + it->length();
    }
    return out + pattern.substr(last);
  }

  std::ostringstream auth_log_;
  std::unique_ptr<auth::AuthService> auth_;
  std::string admin_token_;
};

const std::set<std::string> kPublic = {"POST /api/auth/login",
                                       "POST /api/auth/logout",
                                       "GET /api/auth/methods",
                                       "GET /api/auth/oidc/start",
                                       "GET /api/auth/oidc/callback",
                                       "GET /healthz",
                                       "GET /metrics"};

TEST_F(AuthenticationTest, EveryRouteButThePublicOnesNeedsCredentials) {
  const auto routes = router_.routes();
  ASSERT_GT(routes.size(), 20u);
  int protected_routes = 0;
  for (const auto& route : routes) {
    const std::string name = route.method + " " + route.pattern;
    const std::string path = concrete(route.pattern);
    const auto anonymous = call(route.method, path, "{}");
    if (kPublic.contains(name)) {
      EXPECT_NE(anonymous.status, 401) << name;
      continue;
    }
    ++protected_routes;
    EXPECT_EQ(anonymous.status, 401) << name << " answered without credentials: " << anonymous.body;
    EXPECT_TRUE(anonymous.header("WWW-Authenticate")) << name;
    const auto wrong = call(route.method, path, "{}", bearer("berth_" + std::string(64, 'f')));
    EXPECT_EQ(wrong.status, 401) << name << " with a wrong token";

    const auto admitted = call(route.method, path, "{}", bearer(admin_token_));
    EXPECT_NE(admitted.status, 401) << name << " refused a valid token: " << admitted.body;
    EXPECT_NE(admitted.status, 403) << name << " refused an admin: " << admitted.body;
  }
  EXPECT_GT(protected_routes, 20);
}

TEST_F(AuthenticationTest, UnknownApiPathsAre401NotA404ThatTellsWhatExists) {
  EXPECT_EQ(get("/api/nothing/here").status, 401);
  EXPECT_EQ(call("GET", "/api/nothing/here", "", bearer(admin_token_)).status, 404);
  EXPECT_EQ(get("/healthz").status, 200);
}

TEST_F(AuthenticationTest, LoginSetsAHardenedSessionCookieThatIdentifiesTheUser) {
  const auto r = call("POST", "/api/auth/login",
                      json{{"username", "dev"}, {"password", "battery staple"}}.dump());
  ASSERT_EQ(r.status, 200) << r.body;
  const std::string cookie(r.header("Set-Cookie").value_or(""));
  EXPECT_EQ(cookie.rfind("berth_session=", 0), 0u) << cookie;
  for (const char* attribute : {"HttpOnly", "SameSite=Lax", "Path=/", "Max-Age=3600"})
    EXPECT_NE(cookie.find(attribute), std::string::npos) << attribute << " in " << cookie;
  EXPECT_EQ(cookie.find("Secure"), std::string::npos) << "plain http: no Secure";
  const json body = json::parse(r.body);
  EXPECT_EQ(body["user"]["username"], "dev");
  EXPECT_FALSE(body["user"]["admin"]);
  EXPECT_EQ(body.dump().find("$2b$"), std::string::npos) << "never the hash";

  const Session s{cookie.substr(0, cookie.find(';')), body["csrf_token"]};
  const auto me = withSession("GET", "/api/auth/me", s);
  ASSERT_EQ(me.status, 200);
  EXPECT_EQ(json::parse(me.body)["user"]["username"], "dev");
  EXPECT_EQ(json::parse(me.body)["csrf_token"], s.csrf);
}

TEST_F(AuthenticationTest, BehindATlsProxyTheCookieIsSecure) {
  const auto r = call("POST", "/api/auth/login",
                      json{{"username", "dev"}, {"password", "battery staple"}}.dump(),
                      {{"x-forwarded-proto", "https"}});
  ASSERT_EQ(r.status, 200);
  EXPECT_NE(std::string(r.header("Set-Cookie").value_or("")).find("; Secure"), std::string::npos);
}

TEST_F(AuthenticationTest, WrongPasswordAndUnknownUserGetTheSameAnswer) {
  const auto wrong =
      call("POST", "/api/auth/login", json{{"username", "dev"}, {"password", "nope nope"}}.dump());
  const auto unknown = call("POST", "/api/auth/login",
                            json{{"username", "nobody"}, {"password", "nope nope"}}.dump());
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(wrong.status, unknown.status);
  EXPECT_EQ(wrong.body, unknown.body);
  EXPECT_FALSE(wrong.header("Set-Cookie"));
}

TEST_F(AuthenticationTest, BadLoginBodiesAre400NamingTheProblem) {
  EXPECT_EQ(post("/api/auth/login", "").status, 400);
  EXPECT_NE(post("/api/auth/login", R"({"username":"dev"})").body.find("password"),
            std::string::npos);
  EXPECT_NE(post("/api/auth/login", R"({"username":"dev","pasword":"x"})").body.find("pasword"),
            std::string::npos);
  EXPECT_EQ(post("/api/auth/login", R"({"username":1,"password":"x"})").status, 400);
}

TEST_F(AuthenticationTest, CookieRequestsThatChangeStateNeedTheCsrfToken) {
  const auto s = login("dev", "battery staple");
  const std::string target = "/api/projects/web/stages/staging/deploys";
  const auto forged = withSession("POST", target, s, R"({"tag":"v1"})", false);
  EXPECT_EQ(forged.status, 403);
  EXPECT_NE(forged.body.find("X-CSRF-Token"), std::string::npos);
  Session wrong = s;
  wrong.csrf = std::string(64, '0');
  EXPECT_EQ(withSession("POST", target, wrong, R"({"tag":"v1"})").status, 403);
  EXPECT_EQ(withSession("POST", target, s, R"({"tag":"v1"})").status, 202);
  EXPECT_EQ(withSession("GET", "/api/projects", s, "", false).status, 200) << "reads need none";
  // A token is never sent by a browser on its own: no CSRF token needed.
  EXPECT_NE(call("POST", target, R"({"tag":"v2"})", bearer(admin_token_)).status, 403);
}

TEST_F(AuthenticationTest, LogoutEndsTheSessionForWhoeverHoldsTheCookie) {
  const auto s = login("dev", "battery staple");
  EXPECT_EQ(withSession("POST", "/api/auth/logout", s).status, 200);
  EXPECT_EQ(withSession("GET", "/api/auth/me", s).status, 401) << "a stolen copy is dead too";
}

TEST_F(AuthenticationTest, ChangingThePasswordEndsOtherSessionsAndKeepsTheCallerIn) {
  const auto here = login("dev", "battery staple");
  const auto elsewhere = login("dev", "battery staple");
  const auto bad = withSession("PUT", "/api/auth/password", here,
                               R"({"current_password":"guess","new_password":"new password"})");
  EXPECT_EQ(bad.status, 403);
  const auto r =
      withSession("PUT", "/api/auth/password", here,
                  R"({"current_password":"battery staple","new_password":"new password"})");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(withSession("GET", "/api/auth/me", elsewhere).status, 401);
  EXPECT_EQ(withSession("GET", "/api/auth/me", here).status, 401) << "the old cookie is dead";
  const std::string cookie(r.header("Set-Cookie").value_or(""));
  const Session fresh{cookie.substr(0, cookie.find(';')), json::parse(r.body)["csrf_token"]};
  EXPECT_EQ(withSession("GET", "/api/auth/me", fresh).status, 200) << "the caller stays in";
  login("dev", "new password");
}

TEST_F(AuthenticationTest, OnlyAdminsManageUsersSettingsAndTheExport) {
  const auto dev = login("dev", "battery staple");
  for (const auto& [method, target] :
       std::vector<std::pair<std::string, std::string>>{{"GET", "/api/users"},
                                                        {"POST", "/api/users"},
                                                        {"PUT", "/api/users/1"},
                                                        {"DELETE", "/api/users/1"},
                                                        {"GET", "/api/settings/auth"},
                                                        {"PUT", "/api/settings/auth"},
                                                        {"GET", "/api/config/export"}}) {
    const auto r = withSession(method, target, dev, R"({"username":"x","password":"yyyyyyyy"})");
    EXPECT_EQ(r.status, 403) << method << " " << target << ": " << r.body;
  }
  EXPECT_EQ(withSession("GET", "/api/projects", dev).status, 200) << "reading is for everyone";
}

TEST_F(AuthenticationTest, AdminsAddChangeAndRemoveUsers) {
  const auto root = bearer(admin_token_);
  const auto added = call("POST", "/api/users",
                          R"({"username":"ops","password":"long enough","admin":true})", root);
  ASSERT_EQ(added.status, 201) << added.body;
  const auto id = json::parse(added.body)["user"]["id"].get<std::int64_t>();
  EXPECT_EQ(
      call("POST", "/api/users", R"({"username":"OPS","password":"long enough"})", root).status,
      409);
  EXPECT_EQ(
      call("POST", "/api/users", R"({"username":"x y","password":"long enough"})", root).status,
      400);
  EXPECT_EQ(call("POST", "/api/users", R"({"username":"weak","password":"short"})", root).status,
            400);
  const auto changed = call("PUT", "/api/users/" + std::to_string(id), R"({"admin":false})", root);
  ASSERT_EQ(changed.status, 200) << changed.body;
  EXPECT_FALSE(json::parse(changed.body)["user"]["admin"]);
  EXPECT_EQ(call("PUT", "/api/users/999", R"({"admin":true})", root).status, 404);
  // A weak password refuses the whole change: the role is not half-applied.
  EXPECT_EQ(
      call("PUT", "/api/users/" + std::to_string(id), R"({"admin":true,"password":"short"})", root)
          .status,
      400);
  EXPECT_FALSE(auth_->user(id)->admin);
  EXPECT_EQ(call("DELETE", "/api/users/" + std::to_string(id), "", root).status, 200);
  EXPECT_EQ(call("DELETE", "/api/users/" + std::to_string(id), "", root).status, 404);
  const auto users = json::parse(call("GET", "/api/users", "", root).body)["users"];
  EXPECT_EQ(users.size(), 2u);
}

TEST_F(AuthenticationTest, TokensAreShownOnceAndOnlyTheirOwnerOrAnAdminRevokesThem) {
  const auto dev = login("dev", "battery staple");
  const auto created = withSession("POST", "/api/tokens", dev, R"({"name":"laptop"})");
  ASSERT_EQ(created.status, 201) << created.body;
  const json body = json::parse(created.body);
  const std::string secret = body["secret"];
  const auto id = body["token"]["id"].get<std::int64_t>();
  EXPECT_EQ(call("GET", "/api/auth/me", "", bearer(secret)).status, 200);

  const auto listed = withSession("GET", "/api/tokens", dev);
  EXPECT_EQ(listed.body.find(secret), std::string::npos) << "the secret is never listed";
  EXPECT_EQ(json::parse(listed.body)["tokens"].size(), 1u) << "dev sees only dev's";
  EXPECT_EQ(json::parse(call("GET", "/api/tokens", "", bearer(admin_token_)).body)["tokens"].size(),
            2u);

  // dev cannot revoke root's token (it is "not found" to dev); root can revoke dev's.
  const auto roots = auth_->tokens(auth_->user("root")->id);
  EXPECT_EQ(withSession("DELETE", "/api/tokens/" + std::to_string(roots[0].id), dev).status, 404);
  EXPECT_EQ(call("DELETE", "/api/tokens/" + std::to_string(id), "", bearer(admin_token_)).status,
            200);
  EXPECT_EQ(call("GET", "/api/auth/me", "", bearer(secret)).status, 401);
}

TEST_F(AuthenticationTest, PasswordLoginCanBeTurnedOffWhenOidcIsTheWayIn) {
  EXPECT_EQ(json::parse(get("/api/auth/methods").body), (json{{"local", true}, {"oidc", false}}));
  EXPECT_EQ(get("/api/auth/oidc/start").status, 404) << "not configured";
  Config config = journal_->config();
  config.auth.mode = AuthMode::oidc;
  config.auth.oidc = {.discovery_url = "https://id.example/.well-known/openid-configuration",
                      .client_id = "berth"};
  config.auth.local_login = false;
  store_->replaceConfig(config);
  const std::string credentials = json{{"username", "dev"}, {"password", "battery staple"}}.dump();
  // Stored, but OIDC is not running in this process yet: password login stays open, or nobody
  // could log in until the restart.
  EXPECT_EQ(call("POST", "/api/auth/login", credentials).status, 200);

  // A process that runs OIDC refuses passwords.
  auth::OidcClient oidc(docker_.http(), clock_,
                        auth::OidcClientSettings{.discovery_url = config.auth.oidc.discovery_url,
                                                 .client_id = "berth",
                                                 .client_secret = "",
                                                 .redirect_uri = "http://x/cb"});
  http::Router with_oidc;
  addAuthentication(
      with_oidc,
      AuthDeps{.auth = *auth_, .config = [this] { return journal_->config(); }, .oidc = &oidc});
  http::Request login;
  login.method = "POST";
  login.target = login.path = "/api/auth/login";
  login.body = credentials;
  const auto refused = with_oidc.dispatch(login);
  EXPECT_EQ(refused.status, 403);
  EXPECT_NE(refused.body.find("local_login"), std::string::npos);
  http::Request methods;
  methods.method = "GET";
  methods.target = methods.path = "/api/auth/methods";
  EXPECT_EQ(json::parse(with_oidc.dispatch(methods).body),
            (json{{"local", false}, {"oidc", true}}));
}

TEST_F(AuthenticationTest, AdminsChangeAuthSettingsWithBerthYamlsRulesAndTheyAreExported) {
  const auto root = bearer(admin_token_);
  // Everything checked before anything is stored: oidc without a discovery URL is refused.
  const auto incomplete = call("PUT", "/api/settings/auth", R"({"mode":"oidc"})", root);
  EXPECT_EQ(incomplete.status, 400) << incomplete.body;
  EXPECT_NE(incomplete.body.find("auth.oidc"), std::string::npos) << incomplete.body;
  EXPECT_EQ(journal_->config().auth.mode, AuthMode::local);
  for (const char* bad : {R"({"session_lifetime":"forever"})", R"({"oidc":{"client":"x"}})",
                          R"({"oidc":{"scopes":["profile"]}})", R"({"local_login":"yes"})"}) {
    const auto r = call("PUT", "/api/settings/auth", bad, root);
    EXPECT_EQ(r.status, 400) << bad << ": " << r.body;
  }

  const std::string oidc_body = R"({"mode":"oidc","session_lifetime":"12h","oidc":{
      "discovery_url":"https://id.example/.well-known/openid-configuration",
      "client_id":"berth","client_secret_env":"OIDC_SECRET","admin_group":"ops"}})";
  const auto no_url = call("PUT", "/api/settings/auth", oidc_body, root);
  EXPECT_EQ(no_url.status, 400);
  EXPECT_NE(no_url.body.find("server.public_url"), std::string::npos) << no_url.body;
  Config with_url = journal_->config();
  with_url.server.public_url = "https://berth.example.com";
  store_->replaceConfig(with_url);

  const auto changed = call("PUT", "/api/settings/auth",
                            R"({"mode":"oidc","session_lifetime":"12h","oidc":{
                                "discovery_url":"https://id.example/.well-known/openid-configuration",
                                "client_id":"berth","client_secret_env":"OIDC_SECRET",
                                "admin_group":"ops"}})",
                            root);
  ASSERT_EQ(changed.status, 200) << changed.body;
  const json body = json::parse(changed.body);
  EXPECT_EQ(body["auth"]["mode"], "oidc");
  EXPECT_EQ(body["auth"]["session_lifetime"], "12h");
  EXPECT_TRUE(body["restart_required"]) << "the OIDC client is built at start-up";
  const auto exported = call("GET", "/api/config/export", "", root).body;
  EXPECT_NE(exported.find("client_secret_env: OIDC_SECRET"), std::string::npos) << exported;
  EXPECT_NE(exported.find("session_lifetime: 12h"), std::string::npos) << exported;
  // Taking effect at once: protect_metrics needs no restart.
  const auto metrics =
      call("PUT", "/api/settings/auth",
           R"({"mode":"local","session_lifetime":"1h","protect_metrics":true})", root);
  ASSERT_EQ(metrics.status, 200) << metrics.body;
  EXPECT_EQ(get("/metrics").status, 401);
  EXPECT_EQ(json::parse(metrics.body)["restart_required"], true) << "the OIDC block changed";
  EXPECT_EQ(call("PUT", "/api/settings/auth", "{}", bearer("berth_nope")).status, 401);
}

TEST_F(AuthenticationTest, MetricsAreOpenUnlessProtected) {
  EXPECT_EQ(get("/metrics").status, 200);
  Config config = journal_->config();
  config.auth.protect_metrics = true;
  store_->replaceConfig(config);
  EXPECT_EQ(get("/metrics").status, 401);
  EXPECT_EQ(call("GET", "/metrics", "", bearer(admin_token_)).status, 200);
}

TEST_F(AuthenticationTest, AdminsReadTheRegistriesAndTheProxyBySecretReferenceOnly) {
  Config config = journal_->config();
  config.registries = {
      {.host = "ghcr.io", .username = "bot", .password_env = "GHCR_TOKEN", .insecure = false}};
  config.proxy.driver = ProxyDriver::npm;
  config.proxy.url = "http://npm:81";
  config.proxy.identity = "admin@example.com";
  config.proxy.secret_env = "NPM_PASSWORD";
  journal_->replaceConfig(config);
  const auto r = call("GET", "/api/settings", "", bearer(admin_token_));
  ASSERT_EQ(r.status, 200) << r.body;
  const json body = json::parse(r.body);
  EXPECT_EQ(body["registries"][0]["host"], "ghcr.io");
  EXPECT_EQ(body["registries"][0]["password_env"], "GHCR_TOKEN");
  EXPECT_EQ(body["proxy"]["driver"], "npm");
  EXPECT_EQ(body["proxy"]["secret_env"], "NPM_PASSWORD");
  const auto dev = login("dev", "battery staple");
  EXPECT_EQ(withSession("GET", "/api/settings", dev).status, 403);
}

TEST_F(AuthenticationTest, TheExportNamesSecretsButNeverHoldsThem) {
  const auto r = call("GET", "/api/config/export", "", bearer(admin_token_));
  ASSERT_EQ(r.status, 200);
  EXPECT_NE(r.body.find("projects:"), std::string::npos);
  EXPECT_EQ(r.header("Content-Type").value_or(""), "application/yaml; charset=utf-8");
}

}  // namespace
}  // namespace berth::api::testing
