// RegistryClient authentication against recorded challenges and token answers: Bearer tokens
// (challenge → token → retry, reuse, refresh on expiry, revoked tokens), Basic auth, failures
// with clear messages that never contain a secret.
#include <gtest/gtest.h>

#include <thread>

#include "registry/registry_client.h"
#include "registry/testing/scripted_http_client.h"

namespace berth::registry {
namespace {

using namespace std::chrono_literals;
using testing::response;
using Kind = RegistryError::Kind;
using Lines = std::vector<std::string>;

const RepositoryRef kGhcr{"ghcr.io", "acme/web"};
const RepositoryRef kHub{"docker.io", "library/nginx"};
const std::string kDigest = "sha256:" + std::string(64, 'a');
constexpr std::string_view kPassword = "hunter2-very-secret";

net::HttpResponse ghcrChallenge() {
  return response(
      401, R"({"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]})",
      {{"WWW-Authenticate",
        R"(Bearer realm="https://ghcr.io/token",service="ghcr.io",scope="repository:acme/web:pull")"}});
}

net::HttpResponse token(std::string value, int expires_in = 300) {
  return response(
      200, R"({"token":")" + value + R"(","expires_in":)" + std::to_string(expires_in) + "}");
}

net::HttpResponse digestOk() {
  return response(200, "", {{"Docker-Content-Digest", kDigest}});
}

class RegistryClientAuthTest : public ::testing::Test {
 protected:
  RegistryClientOptions options(bool with_credentials) {
    RegistryClientOptions o;
    o.random = [] { return 0.5; };
    if (with_credentials)
      o.hosts = [](std::string_view) {
        HostSettings s;
        s.credentials = Credentials{"acme-bot", std::string(kPassword)};
        return s;
      };
    return o;
  }
  RegistryError errorOf(const std::function<void()>& call) {
    try {
      call();
    } catch (const RegistryError& e) {
      return e;
    }
    ADD_FAILURE() << "expected a RegistryError";
    return RegistryError(Kind::bad_response, "none");
  }
  std::optional<std::string> authorization(size_t request) {
    return http.requests().at(request).headers.get("Authorization");
  }

  testing::ScriptedHttpClient http;
  FakeClock clock;
};

TEST_F(RegistryClientAuthTest, AnonymousBearerChallengeThenTokenThenRetry) {
  RegistryClient client(http, clock, options(false));
  http.enqueue(ghcrChallenge());
  http.enqueue(token("tok-1"));
  http.enqueue(digestOk());
  EXPECT_EQ(client.manifestDigest(kGhcr, "v1"), kDigest);
  EXPECT_EQ(http.requestLines(),
            (Lines{"HEAD https://ghcr.io/v2/acme/web/manifests/v1",
                   "GET https://ghcr.io/token?service=ghcr.io&scope=repository%3Aacme%2Fweb%3Apull",
                   "HEAD https://ghcr.io/v2/acme/web/manifests/v1"}));
  EXPECT_EQ(authorization(0), std::nullopt);
  EXPECT_EQ(authorization(1), std::nullopt);  // anonymous token
  EXPECT_EQ(authorization(2), "Bearer tok-1");
}

TEST_F(RegistryClientAuthTest, CachedTokenIsReusedUntilItExpiresThenFetchedBeforeTheRequest) {
  RegistryClient client(http, clock, options(false));
  http.enqueue(ghcrChallenge());
  http.enqueue(token("tok-1", 300));
  http.enqueue(digestOk());
  (void)client.manifestDigest(kGhcr, "v1");
  http.clearRequests();

  // Within the lifetime: exactly one request, carrying the cached token.
  clock.advance(280s);
  http.enqueue(digestOk());
  (void)client.manifestDigest(kGhcr, "v1");
  EXPECT_EQ(http.requestLines(), (Lines{"HEAD https://ghcr.io/v2/acme/web/manifests/v1"}));
  EXPECT_EQ(authorization(0), "Bearer tok-1");
  http.clearRequests();

  // Past expiry minus the margin: a new token first (the realm is known), no 401 round trip.
  clock.advance(11s);
  http.enqueue(token("tok-2", 300));
  http.enqueue(digestOk());
  (void)client.manifestDigest(kGhcr, "v1");
  EXPECT_EQ(http.requestLines(),
            (Lines{"GET https://ghcr.io/token?service=ghcr.io&scope=repository%3Aacme%2Fweb%3Apull",
                   "HEAD https://ghcr.io/v2/acme/web/manifests/v1"}));
  EXPECT_EQ(authorization(1), "Bearer tok-2");
}

TEST_F(RegistryClientAuthTest, ARevokedCachedTokenIsReplacedOnce) {
  RegistryClient client(http, clock, options(false));
  http.enqueue(ghcrChallenge());
  http.enqueue(token("tok-1"));
  http.enqueue(digestOk());
  (void)client.manifestDigest(kGhcr, "v1");
  http.clearRequests();

  http.enqueue(ghcrChallenge());  // tok-1 refused
  http.enqueue(token("tok-2"));
  http.enqueue(digestOk());
  EXPECT_EQ(client.manifestDigest(kGhcr, "v1"), kDigest);
  EXPECT_EQ(authorization(0), "Bearer tok-1");
  EXPECT_EQ(authorization(2), "Bearer tok-2");
}

TEST_F(RegistryClientAuthTest, EachRepositoryGetsATokenForItsOwnScope) {
  RegistryClient client(http, clock, options(false));
  http.enqueue(ghcrChallenge());
  http.enqueue(token("tok-web"));
  http.enqueue(digestOk());
  (void)client.manifestDigest(kGhcr, "v1");
  http.clearRequests();
  http.enqueue(token("tok-api"));
  http.enqueue(digestOk());
  (void)client.manifestDigest({"ghcr.io", "acme/api"}, "v1");
  EXPECT_EQ(http.requestLines(),
            (Lines{"GET https://ghcr.io/token?service=ghcr.io&scope=repository%3Aacme%2Fapi%3Apull",
                   "HEAD https://ghcr.io/v2/acme/api/manifests/v1"}));
  EXPECT_EQ(authorization(1), "Bearer tok-api");
}

TEST_F(RegistryClientAuthTest, DockerHubTokenFromAuthDockerIoWithCredentials) {
  RegistryClient client(http, clock, options(true));
  http.enqueue(response(
      401, "",
      {{"www-authenticate",
        R"(Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/nginx:pull")"}}));
  http.enqueue(response(
      200,
      R"({"token":"hub-tok","access_token":"hub-tok","expires_in":300,"issued_at":"2026-01-01T00:00:00.000000000Z"})"));
  http.enqueue(digestOk());
  EXPECT_EQ(client.manifestDigest(kHub, "latest"), kDigest);
  EXPECT_EQ(http.requestLines(),
            (Lines{"HEAD https://registry-1.docker.io/v2/library/nginx/manifests/latest",
                   "GET https://auth.docker.io/token?service=registry.docker.io&scope=repository%"
                   "3Alibrary%2Fnginx%3Apull&account=acme-bot",
                   "HEAD https://registry-1.docker.io/v2/library/nginx/manifests/latest"}));
  EXPECT_EQ(authorization(1), "Basic YWNtZS1ib3Q6aHVudGVyMi12ZXJ5LXNlY3JldA==");
  EXPECT_EQ(authorization(2), "Bearer hub-tok");
}

TEST_F(RegistryClientAuthTest, UnauthorizedWithAFreshTokenIsAClearErrorWithoutSecrets) {
  RegistryClient client(http, clock, options(true));
  http.enqueue(ghcrChallenge());
  http.enqueue(token("secret-token-value"));
  http.enqueue(ghcrChallenge());
  const auto e = errorOf([&] { (void)client.manifestDigest(kGhcr, "v1"); });
  EXPECT_EQ(e.kind(), Kind::auth);
  EXPECT_STREQ(e.what(),
               "registry ghcr.io, repository acme/web: authentication failed for ghcr.io as "
               "acme-bot (HTTP 401 with fresh credentials): UNAUTHORIZED: authentication "
               "required");
  EXPECT_EQ(std::string(e.what()).find(kPassword), std::string::npos);
  EXPECT_EQ(std::string(e.what()).find("secret-token-value"), std::string::npos);
  EXPECT_EQ(http.requests().size(), 3u);  // no retry loop
}

TEST_F(RegistryClientAuthTest, TokenServiceRefusingTheCredentials) {
  RegistryClient client(http, clock, options(true));
  http.enqueue(ghcrChallenge());
  http.enqueue(response(401, R"({"errors":[{"code":"DENIED","message":"invalid credentials"}]})"));
  const auto e = errorOf([&] { (void)client.listTags(kGhcr); });
  EXPECT_EQ(e.kind(), Kind::auth);
  EXPECT_STREQ(e.what(),
               "registry ghcr.io, repository acme/web: authentication failed for ghcr.io as "
               "acme-bot (token service https://ghcr.io answered HTTP 401): DENIED: invalid "
               "credentials");
}

TEST_F(RegistryClientAuthTest, AnonymousAccessToAPrivateRepositorySaysToConfigureCredentials) {
  RegistryClient client(http, clock, options(false));
  http.enqueue(ghcrChallenge());
  http.enqueue(token("anon"));
  http.enqueue(ghcrChallenge());
  const auto e = errorOf([&] { (void)client.listTags(kGhcr); });
  EXPECT_EQ(e.kind(), Kind::auth);
  EXPECT_NE(std::string(e.what()).find("authentication failed for ghcr.io anonymously"),
            std::string::npos);
  EXPECT_NE(std::string(e.what()).find("configure credentials for ghcr.io under `registries:`"),
            std::string::npos);
}

TEST_F(RegistryClientAuthTest, ForbiddenIsAnAuthError) {
  RegistryClient client(http, clock, options(true));
  http.enqueue(response(
      403,
      R"({"errors":[{"code":"DENIED","message":"requested access to the resource is denied"}]})"));
  const auto e = errorOf([&] { (void)client.listTags(kGhcr); });
  EXPECT_EQ(e.kind(), Kind::auth);
  EXPECT_STREQ(e.what(),
               "registry ghcr.io, repository acme/web: tag list: HTTP 403 access denied (DENIED: "
               "requested access to the resource is denied)");
}

TEST_F(RegistryClientAuthTest, BasicChallengeThenCredentialsSentUpFrontAfterwards) {
  RegistryClient client(http, clock, options(true));
  const RepositoryRef repo{"127.0.0.1:5001", "berth-test/app"};
  // Recorded from the sandbox's htpasswd docker-registry.
  http.enqueue(response(
      401,
      R"({"errors":[{"code":"UNAUTHORIZED","message":"authentication required","detail":[{"Type":"repository","Class":"","Name":"berth-test/app","Action":"pull"}]}]})",
      {{"Www-Authenticate", R"(Basic realm="berth-sandbox")"}}));
  http.enqueue(response(200, R"({"name":"berth-test/app","tags":["v1"]})"));
  EXPECT_EQ(client.listTags(repo), Lines{"v1"});
  EXPECT_EQ(authorization(0), std::nullopt);
  EXPECT_EQ(authorization(1), "Basic YWNtZS1ib3Q6aHVudGVyMi12ZXJ5LXNlY3JldA==");
  http.clearRequests();

  http.enqueue(digestOk());
  (void)client.manifestDigest(repo, "v1");
  EXPECT_EQ(http.requests().size(), 1u);  // one HEAD, credentials sent at once
  EXPECT_EQ(authorization(0), "Basic YWNtZS1ib3Q6aHVudGVyMi12ZXJ5LXNlY3JldA==");
}

TEST_F(RegistryClientAuthTest, BasicWithWrongOrMissingCredentials) {
  const RepositoryRef repo{"127.0.0.1:5001", "berth-test/app"};
  const auto basic401 = [] {
    return response(401,
                    R"({"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]})",
                    {{"Www-Authenticate", R"(Basic realm="berth-sandbox")"}});
  };
  {
    RegistryClient client(http, clock, options(true));
    http.enqueue(basic401());
    http.enqueue(basic401());
    const auto e = errorOf([&] { (void)client.listTags(repo); });
    EXPECT_EQ(e.kind(), Kind::auth);
    EXPECT_STREQ(e.what(),
                 "registry 127.0.0.1:5001, repository berth-test/app: authentication failed for "
                 "127.0.0.1:5001 as acme-bot (HTTP 401 with fresh credentials): UNAUTHORIZED: "
                 "authentication required");
    // Credentials are known wrong now; the next call fails after one request, not two.
    http.clearRequests();
    http.enqueue(basic401());
    EXPECT_EQ(errorOf([&] { (void)client.listTags(repo); }).kind(), Kind::auth);
    EXPECT_EQ(http.requests().size(), 1u);
  }
  {
    RegistryClient client(http, clock, options(false));
    http.enqueue(basic401());
    const auto e = errorOf([&] { (void)client.listTags(repo); });
    EXPECT_EQ(e.kind(), Kind::auth);
    EXPECT_STREQ(e.what(),
                 "registry 127.0.0.1:5001, repository berth-test/app: authentication failed for "
                 "127.0.0.1:5001 anonymously (the registry requires a username and password): "
                 "UNAUTHORIZED: authentication required; the repository may be private or not "
                 "exist: configure credentials for 127.0.0.1:5001 under `registries:`");
  }
}

TEST_F(RegistryClientAuthTest, UnauthorizedWithoutAUsableChallenge) {
  RegistryClient client(http, clock, options(true));
  http.enqueue(response(401, ""));
  const auto e = errorOf([&] { (void)client.listTags(kGhcr); });
  EXPECT_EQ(e.kind(), Kind::auth);
  EXPECT_NE(std::string(e.what()).find("HTTP 401 without a Basic or Bearer challenge"),
            std::string::npos);
}

TEST_F(RegistryClientAuthTest, CredentialsNeverLeaveTheRegistrysOrigin) {
  RegistryClient client(http, clock, options(true));
  http.enqueue(ghcrChallenge());
  http.enqueue(token("tok"));
  http.enqueue(response(
      200, R"({"tags":["a"]})",
      {{"Link", R"(<https://mirror.example.com/v2/acme/web/tags/list?last=a>; rel="next")"}}));
  http.enqueue(response(200, R"({"tags":["b"]})"));
  EXPECT_EQ(client.listTags(kGhcr), (Lines{"a", "b"}));
  EXPECT_EQ(authorization(2), "Bearer tok");
  EXPECT_EQ(authorization(3), std::nullopt);
}

TEST_F(RegistryClientAuthTest, AnotherOriginAskingForCredentialsGetsNone) {
  RegistryClient client(http, clock, options(true));
  http.enqueue(response(
      200, R"({"tags":["a"]})",
      {{"Link", R"(<https://evil.example.com/v2/acme/web/tags/list?last=a>; rel="next")"}}));
  http.enqueue(response(401, "", {{"WWW-Authenticate", R"(Basic realm="give me")"}}));
  const auto e = errorOf([&] { (void)client.listTags(kGhcr); });
  EXPECT_EQ(e.kind(), Kind::refused);
  EXPECT_STREQ(e.what(),
               "registry ghcr.io, repository acme/web: tag list: https://evil.example.com asks for "
               "credentials, which berth sends only to https://ghcr.io");
  EXPECT_EQ(http.requests().size(), 2u);
  EXPECT_EQ(authorization(1), std::nullopt);
}

TEST_F(RegistryClientAuthTest, TokenRealmOverPlainHttpIsRefusedForARemoteRegistry) {
  RegistryClient client(http, clock, options(true));
  http.enqueue(response(
      401, "",
      {{"WWW-Authenticate", R"(Bearer realm="http://auth.example.com/token",service="x")"}}));
  const auto e = errorOf([&] { (void)client.listTags(kGhcr); });
  EXPECT_EQ(e.kind(), Kind::refused);
  EXPECT_STREQ(e.what(),
               "registry ghcr.io, repository acme/web: tag list: token: refusing plain http to "
               "auth.example.com (only loopback hosts and registries marked insecure: true)");
  EXPECT_EQ(http.requests().size(), 1u);  // the credentials were never sent
}

TEST_F(RegistryClientAuthTest, MalformedTokenAnswerNamesTheField) {
  RegistryClient client(http, clock, options(false));
  http.enqueue(ghcrChallenge());
  http.enqueue(response(200, R"({"expires_in":300})"));
  const auto e = errorOf([&] { (void)client.listTags(kGhcr); });
  EXPECT_EQ(e.kind(), Kind::bad_response);
  EXPECT_STREQ(e.what(),
               "registry ghcr.io, repository acme/web: tag list: token: token response has no "
               "field 'token' or 'access_token'");
}

TEST_F(RegistryClientAuthTest, MissingPasswordEnvironmentVariableIsAnAuthError) {
  RegistryClientOptions o = options(false);
  o.hosts = hostSettingsFromConfig({{"ghcr.io", "acme-bot", "GHCR_TOKEN", false}},
                                   [](const std::string&) { return std::nullopt; });
  RegistryClient client(http, clock, o);
  const auto e = errorOf([&] { (void)client.listTags(kGhcr); });
  EXPECT_EQ(e.kind(), Kind::auth);
  EXPECT_STREQ(e.what(),
               "registry ghcr.io: password for acme-bot: environment variable GHCR_TOKEN is not "
               "set");
  EXPECT_TRUE(http.requests().empty());
}

TEST_F(RegistryClientAuthTest, ConcurrentPollsShareOneClientAndItsToken) {
  RegistryClient client(http, clock, options(false));
  const std::string head = "https://ghcr.io/v2/acme/web/manifests/v1";
  const std::string token_url =
      "https://ghcr.io/token?service=ghcr.io&scope=repository%3Aacme%2Fweb%3Apull";
  http.route("GET", token_url, token("tok"));
  http.route("HEAD", head, digestOk());
  http.enqueue(ghcrChallenge());
  ASSERT_EQ(client.manifestDigest(kGhcr, "v1"), kDigest);  // learns the challenge, gets a token
  http.clearRequests();

  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int t = 0; t < 8; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 50; ++i)
        if (client.manifestDigest(kGhcr, "v1") == kDigest) ++ok;
    });
  for (auto& t : threads)
    t.join();
  EXPECT_EQ(ok.load(), 400);
  const auto requests = http.requests();
  EXPECT_EQ(requests.size(), 400u);  // no token requests: all share the cached one
  for (const auto& r : requests) {
    EXPECT_EQ(r.url, head);
    EXPECT_EQ(r.headers.get("Authorization"), "Bearer tok");
  }
}

}  // namespace
}  // namespace berth::registry
