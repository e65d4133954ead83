// RegistryClient against recorded registry answers (ScriptedHttpClient): pagination, manifests,
// digests, blobs and redirects, retries on 429/5xx/network errors, rate-limit headers.
// Authentication has its own file (registry_client_auth_test.cpp).
#include "registry/registry_client.h"

#include <gtest/gtest.h>

#include "registry/content_digest.h"
#include "registry/image_config.h"
#include "registry/testing/scripted_http_client.h"

namespace berth::registry {
namespace {

using namespace std::chrono_literals;
using testing::response;
using Kind = RegistryError::Kind;
using Lines = std::vector<std::string>;

const RepositoryRef kGhcr{"ghcr.io", "acme/web"};
const RepositoryRef kLocal{"127.0.0.1:5000", "berth-test/app"};
const std::string kDigestA = "sha256:" + std::string(64, 'a');

// Recorded from Debian's docker-registry (sandbox) for berth-test/app:v1.
constexpr std::string_view kV2Manifest = R"({
   "schemaVersion": 2,
   "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
   "config": {
      "mediaType": "application/vnd.docker.container.image.v1+json",
      "size": 968,
      "digest": "sha256:4424cf4d2a761de3b17503cc0a2f726ed023cd0177012e9e988d608e680ed0b5"
   },
   "layers": [
      {
         "mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip",
         "size": 1065260,
         "digest": "sha256:942df2550c4820d43c4eee69b92cf99b5e39fb6fc49c7df654b4cc9bb86715c8"
      }
   ]
})";

class RegistryClientTest : public ::testing::Test {
 protected:
  RegistryClientOptions options() {
    RegistryClientOptions o;
    o.random = [] { return 0.5; };
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

  testing::ScriptedHttpClient http;
  FakeClock clock;
  RegistryClient client{http, clock, options()};
};

// --- tag listing -------------------------------------------------------------------------

TEST_F(RegistryClientTest, ListsAllTagsOverThreePagesWithRelativeAndAbsoluteLinks) {
  // Recorded from distribution 2.8 with n=2 (Link relative), then an absolute Link as Harbor
  // behind a proxy sends it, then the last page without Link.
  http.enqueue(response(200, R"({"name":"acme/web","tags":["v1.0.0","v1.1.0"]})",
                        {{"Content-Type", "application/json; charset=utf-8"},
                         {"Link", R"(</v2/acme/web/tags/list?last=v1.1.0&n=2>; rel="next")"}}));
  http.enqueue(response(
      200, R"({"name":"acme/web","tags":["v1.2.0","v2.0.0"]})",
      {{"Link", R"(<https://ghcr.io/v2/acme/web/tags/list?last=v2.0.0&n=2>; rel="next")"}}));
  http.enqueue(response(200, R"({"name":"acme/web","tags":["v2.1.0"]})"));

  EXPECT_EQ(client.listTags(kGhcr), (Lines{"v1.0.0", "v1.1.0", "v1.2.0", "v2.0.0", "v2.1.0"}));
  EXPECT_EQ(http.requestLines(),
            (Lines{"GET https://ghcr.io/v2/acme/web/tags/list?n=1000",
                   "GET https://ghcr.io/v2/acme/web/tags/list?last=v1.1.0&n=2",
                   "GET https://ghcr.io/v2/acme/web/tags/list?last=v2.0.0&n=2"}));
}

TEST_F(RegistryClientTest, ATagRepeatedAcrossPagesIsListedOnce) {
  http.enqueue(response(200, R"({"tags":["a","b"]})",
                        {{"Link", R"(</v2/acme/web/tags/list?last=b>; rel="next")"}}));
  http.enqueue(response(200, R"({"tags":["b","c"]})"));
  EXPECT_EQ(client.listTags(kGhcr), (Lines{"a", "b", "c"}));
}

TEST_F(RegistryClientTest, ALinkLoopIsAnErrorNotAHang) {
  http.enqueue(response(200, R"({"tags":["a"]})",
                        {{"Link", R"(</v2/acme/web/tags/list?last=a>; rel="next")"}}));
  http.enqueue(response(200, R"({"tags":["b"]})",
                        {{"Link", R"(</v2/acme/web/tags/list?last=a>; rel="next")"}}));
  const auto e = errorOf([&] { (void)client.listTags(kGhcr); });
  EXPECT_EQ(e.kind(), Kind::bad_response);
  EXPECT_STREQ(e.what(),
               "registry ghcr.io, repository acme/web: tag list: the next link repeats an earlier "
               "page ('https://ghcr.io/v2/acme/web/tags/list?last=a')");
}

TEST_F(RegistryClientTest, AFailedPageFailsTheWholeListing) {
  http.enqueue(response(200, R"({"tags":["a"]})",
                        {{"Link", R"(</v2/acme/web/tags/list?last=a>; rel="next")"}}));
  http.enqueue(response(404, ""));
  EXPECT_EQ(errorOf([&] { (void)client.listTags(kGhcr); }).kind(), Kind::not_found);
}

TEST_F(RegistryClientTest, UnknownRepositoryAndMalformedListing) {
  http.enqueue(response(
      404,
      R"({"errors":[{"code":"NAME_UNKNOWN","message":"repository name not known to registry","detail":{"name":"nope"}}]})"));
  auto e = errorOf([&] { (void)client.listTags(kLocal); });
  EXPECT_EQ(e.kind(), Kind::not_found);
  EXPECT_STREQ(e.what(),
               "registry 127.0.0.1:5000, repository berth-test/app: tag list: HTTP 404 not found "
               "(NAME_UNKNOWN: repository name not known to registry)");

  http.enqueue(response(200, R"({"name":"berth-test/app","tags":{"v1":1}})"));
  e = errorOf([&] { (void)client.listTags(kLocal); });
  EXPECT_EQ(e.kind(), Kind::bad_response);
  EXPECT_STREQ(e.what(),
               "registry 127.0.0.1:5000, repository berth-test/app: tag list: field 'tags' must "
               "be an array");
}

// --- manifests and digests ----------------------------------------------------------------

TEST_F(RegistryClientTest, DigestIsOneHeadReadingDockerContentDigest) {
  http.enqueue(response(200, "", {{"Docker-Content-Digest", kDigestA}}));
  EXPECT_EQ(client.manifestDigest(kLocal, "v1"), kDigestA);
  const auto requests = http.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].method, "HEAD");
  EXPECT_EQ(requests[0].url, "http://127.0.0.1:5000/v2/berth-test/app/manifests/v1");
  EXPECT_NE(requests[0].headers.get("Accept")->find("application/vnd.oci.image.index.v1+json"),
            std::string::npos);
}

TEST_F(RegistryClientTest, DigestFallsBackToGetAndHashingWhenTheHeaderIsMissing) {
  http.enqueue(response(200, "", {{"Content-Length", "527"}}));
  http.enqueue(
      response(200, std::string(kV2Manifest),
               {{"Content-Type", "application/vnd.docker.distribution.manifest.v2+json"}}));
  EXPECT_EQ(client.manifestDigest(kLocal, "v1"), sha256Digest(kV2Manifest));
  EXPECT_EQ(http.requestLines(),
            (Lines{"HEAD http://127.0.0.1:5000/v2/berth-test/app/manifests/v1",
                   "GET http://127.0.0.1:5000/v2/berth-test/app/manifests/v1"}));
}

TEST_F(RegistryClientTest, DigestErrors) {
  http.enqueue(response(404, ""));  // HEAD answers carry no body
  auto e = errorOf([&] { (void)client.manifestDigest(kLocal, "v9"); });
  EXPECT_EQ(e.kind(), Kind::not_found);
  EXPECT_STREQ(e.what(),
               "registry 127.0.0.1:5000, repository berth-test/app: manifest 'v9': HTTP 404 not "
               "found");
  http.enqueue(response(200, "", {{"Docker-Content-Digest", "md5:abc"}}));
  e = errorOf([&] { (void)client.manifestDigest(kLocal, "v1"); });
  EXPECT_EQ(e.kind(), Kind::bad_response);
  EXPECT_STREQ(e.what(),
               "registry 127.0.0.1:5000, repository berth-test/app: manifest 'v1': header "
               "Docker-Content-Digest is not a valid digest ('md5:abc')");
}

TEST_F(RegistryClientTest, ManifestByDigestIsVerifiedAndCached) {
  const std::string digest = sha256Digest(kV2Manifest);
  http.enqueue(response(200, std::string(kV2Manifest),
                        {{"Content-Type", "application/vnd.docker.distribution.manifest.v2+json"},
                         {"Docker-Content-Digest", digest}}));
  const Manifest m = client.manifest(kLocal, digest);
  EXPECT_EQ(m.digest, digest);
  EXPECT_EQ(m.config_digest,
            "sha256:4424cf4d2a761de3b17503cc0a2f726ed023cd0177012e9e988d608e680ed0b5");
  EXPECT_EQ(client.manifest(kLocal, digest), m);  // from the cache
  EXPECT_EQ(http.requests().size(), 1u);

  http.enqueue(response(200, std::string(kV2Manifest)));
  const auto e = errorOf([&] { (void)client.manifest(kLocal, kDigestA); });
  EXPECT_EQ(e.kind(), Kind::bad_response);
  EXPECT_STREQ(e.what(), ("registry 127.0.0.1:5000, repository berth-test/app: manifest '" +
                          kDigestA + "': content does not match its digest")
                             .c_str());
}

TEST_F(RegistryClientTest, ManifestByTagTrustsAMatchingHeaderAndCachesByDigest) {
  const std::string index =
      R"({"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":")" +
      kDigestA + R"(","size":1,"platform":{"architecture":"amd64","os":"linux"}}]})";
  http.enqueue(response(200, index,
                        {{"Content-Type", "application/vnd.oci.image.index.v1+json"},
                         {"Docker-Content-Digest", sha256Digest(index)}}));
  const Manifest m = client.manifest(kGhcr, "latest");
  EXPECT_TRUE(m.isIndex());
  EXPECT_TRUE(m.hasChild(kDigestA));
  EXPECT_EQ(client.manifest(kGhcr, sha256Digest(index)), m);
  EXPECT_EQ(http.requests().size(), 1u);

  http.enqueue(response(200, index, {{"Docker-Content-Digest", kDigestA}}));
  EXPECT_EQ(errorOf([&] { (void)client.manifest(kGhcr, "latest"); }).kind(), Kind::bad_response);
}

TEST_F(RegistryClientTest, ConfigBlobFollowsARedirectToStorageWithoutCredentials) {
  const std::string config = R"({"created":"2026-12-03T18:49:01Z","os":"linux"})";
  const std::string digest = sha256Digest(config);
  http.enqueue(response(
      307, "",
      {{"Location", "https://pkg-containers.githubusercontent.com/ghcr1/blobs/sha256:x?sig=abc"}}));
  http.enqueue(response(200, config));
  const auto created = client.imageCreated(kGhcr, digest);
  ASSERT_TRUE(created);
  EXPECT_EQ(*created, parseRfc3339("2026-12-03T18:49:01Z"));
  const auto requests = http.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].url, "https://ghcr.io/v2/acme/web/blobs/" + digest);
  EXPECT_EQ(requests[1].url,
            "https://pkg-containers.githubusercontent.com/ghcr1/blobs/sha256:x?sig=abc");
  EXPECT_FALSE(requests[1].headers.get("Authorization"));
  EXPECT_EQ(client.imageCreated(kGhcr, digest), created);  // cached
  EXPECT_EQ(http.requests().size(), 2u);
}

TEST_F(RegistryClientTest, RedirectToPlainHttpElsewhereIsRefused) {
  http.enqueue(response(302, "", {{"Location", "http://storage.example.com/blob"}}));
  const auto e = errorOf([&] { (void)client.imageCreated(kGhcr, kDigestA); });
  EXPECT_EQ(e.kind(), Kind::refused);
  EXPECT_NE(std::string(e.what()).find("refusing plain http to storage.example.com"),
            std::string::npos);
}

// --- scheme ----------------------------------------------------------------------------

TEST_F(RegistryClientTest, HttpsUnlessLoopbackOrInsecure) {
  http.route("HEAD", "https://registry-1.docker.io/v2/library/nginx/manifests/latest",
             response(200, "", {{"Docker-Content-Digest", kDigestA}}));
  http.route("HEAD", "http://localhost:5000/v2/app/manifests/v1",
             response(200, "", {{"Docker-Content-Digest", kDigestA}}));
  http.route("HEAD", "http://reg.lan:5000/v2/app/manifests/v1",
             response(200, "", {{"Docker-Content-Digest", kDigestA}}));
  http.route("HEAD", "https://reg.example.com/v2/app/manifests/v1",
             response(200, "", {{"Docker-Content-Digest", kDigestA}}));
  RegistryClientOptions o = options();
  o.hosts = [](std::string_view host) {
    HostSettings s;
    s.insecure = host == "reg.lan:5000";
    return s;
  };
  RegistryClient c(http, clock, o);
  EXPECT_EQ(c.manifestDigest({"docker.io", "library/nginx"}, "latest"), kDigestA);
  EXPECT_EQ(c.manifestDigest({"localhost:5000", "app"}, "v1"), kDigestA);
  EXPECT_EQ(c.manifestDigest({"reg.lan:5000", "app"}, "v1"), kDigestA);
  EXPECT_EQ(c.manifestDigest({"reg.example.com", "app"}, "v1"), kDigestA);
}

// --- retries and rate limits -------------------------------------------------------------

TEST_F(RegistryClientTest, RateLimitHeadersAreRecordedPerRegistry) {
  EXPECT_EQ(client.rateLimit("docker.io"), std::nullopt);
  http.enqueue(response(200, "",
                        {{"Docker-Content-Digest", kDigestA},
                         {"ratelimit-limit", "100;w=21600"},
                         {"ratelimit-remaining", "76;w=21600"},
                         {"docker-ratelimit-source", "203.0.113.7"}}));
  (void)client.manifestDigest({"docker.io", "library/nginx"}, "latest");
  const auto limit = client.rateLimit("docker.io");
  ASSERT_TRUE(limit);
  EXPECT_EQ(limit->limit, 100);
  EXPECT_EQ(limit->remaining, 76);
  EXPECT_EQ(limit->window, std::chrono::seconds(21600));
  EXPECT_EQ(limit->observed, clock.wallNow());
  EXPECT_EQ(client.rateLimit("ghcr.io"), std::nullopt);
}

TEST_F(RegistryClientTest, TooManyRequestsWaitsRetryAfterSecondsOnTheClock) {
  http.enqueue(response(429, R"({"errors":[{"code":"TOOMANYREQUESTS","message":"slow down"}]})",
                        {{"Retry-After", "7"}}));
  http.enqueue(response(200, "", {{"Docker-Content-Digest", kDigestA}}));
  EXPECT_EQ(client.manifestDigest(kGhcr, "v1"), kDigestA);
  EXPECT_EQ(clock.sleeps(), 1);
  EXPECT_EQ(clock.slept(), Duration(7s));
}

TEST_F(RegistryClientTest, TooManyRequestsWaitsUntilAnHttpDate) {
  // FakeClock's wall time starts at 2026-01-01T00:00:00Z.
  http.enqueue(response(429, "", {{"Retry-After", "Thu, 01 Jan 2026 00:00:42 GMT"}}));
  http.enqueue(response(200, "", {{"Docker-Content-Digest", kDigestA}}));
  EXPECT_EQ(client.manifestDigest(kGhcr, "v1"), kDigestA);
  EXPECT_EQ(clock.slept(), Duration(42s));
}

TEST_F(RegistryClientTest, RetryAfterBeyondTheCapGivesUpAtOnceAndSaysHowLong) {
  http.enqueue(response(
      429,
      R"({"errors":[{"code":"TOOMANYREQUESTS","message":"You have reached your pull rate limit."}]})",
      {{"Retry-After", "3600"}}));
  const auto e = errorOf([&] { (void)client.manifestDigest(kGhcr, "v1"); });
  EXPECT_EQ(e.kind(), Kind::rate_limited);
  EXPECT_EQ(e.retryAfter(), Duration(3600s));
  EXPECT_STREQ(e.what(),
               "registry ghcr.io, repository acme/web: manifest 'v1': HTTP 429 too many requests "
               "(TOOMANYREQUESTS: You have reached your pull rate limit.); retry after 3600 s "
               "(after 1 attempt)");
  EXPECT_EQ(clock.sleeps(), 0);
  EXPECT_EQ(http.requests().size(), 1u);
}

TEST_F(RegistryClientTest, PersistentTooManyRequestsGivesUpAfterTheAttemptBound) {
  for (int i = 0; i < 4; ++i)
    http.enqueue(response(429, ""));
  const auto e = errorOf([&] { (void)client.listTags(kGhcr); });
  EXPECT_EQ(e.kind(), Kind::rate_limited);
  EXPECT_EQ(http.requests().size(), 4u);
  EXPECT_EQ(clock.sleeps(), 3);
}

TEST_F(RegistryClientTest, ServerErrorsBackOffWithBoundedJitter) {
  http.enqueue(response(503, ""));
  http.enqueue(response(502, ""));
  http.enqueue(response(500, ""));
  http.enqueue(response(200, "", {{"Docker-Content-Digest", kDigestA}}));
  EXPECT_EQ(client.manifestDigest(kGhcr, "v1"), kDigestA);
  // random 0.5: 375 ms + 750 ms + 1500 ms
  EXPECT_EQ(clock.sleeps(), 3);
  EXPECT_EQ(clock.slept(), Duration(2625ms));
}

TEST_F(RegistryClientTest, JitterStaysWithinItsBoundsForAnyRandomValue) {
  for (double r : {0.0, 0.999}) {
    testing::ScriptedHttpClient h;
    FakeClock c;
    RegistryClientOptions o;
    o.random = [r] { return r; };
    RegistryClient client_r(h, c, o);
    for (int i = 0; i < 4; ++i)
      h.enqueue(response(503, ""));
    EXPECT_EQ(errorOf([&] { (void)client_r.manifestDigest(kGhcr, "v1"); }).kind(),
              Kind::unavailable);
    // Three waits: [250,500) + [500,1000) + [1000,2000) ms.
    EXPECT_GE(c.slept(), Duration(1750ms));
    EXPECT_LT(c.slept(), Duration(3500ms));
  }
}

TEST_F(RegistryClientTest, NetworkErrorsAreRetriedTlsErrorsAreNot) {
  http.enqueueError(net::HttpError::Kind::connect, "HEAD https://ghcr.io/...: connection refused");
  http.enqueueError(net::HttpError::Kind::timeout, "HEAD https://ghcr.io/...: timed out");
  http.enqueue(response(200, "", {{"Docker-Content-Digest", kDigestA}}));
  EXPECT_EQ(client.manifestDigest(kGhcr, "v1"), kDigestA);
  EXPECT_EQ(clock.sleeps(), 2);

  http.enqueueError(net::HttpError::Kind::tls, "SSL certificate problem");
  const auto e = errorOf([&] { (void)client.manifestDigest(kGhcr, "v1"); });
  EXPECT_EQ(e.kind(), Kind::unavailable);
  EXPECT_EQ(clock.sleeps(), 2);
}

TEST_F(RegistryClientTest, ExhaustedRetriesSayHowManyAttempts) {
  for (int i = 0; i < 4; ++i)
    http.enqueueError(net::HttpError::Kind::connect, "GET http://127.0.0.1:5000/v2/x: refused");
  const auto e = errorOf([&] { (void)client.listTags(kLocal); });
  EXPECT_EQ(e.kind(), Kind::unavailable);
  EXPECT_STREQ(e.what(),
               "registry 127.0.0.1:5000, repository berth-test/app: tag list: GET "
               "http://127.0.0.1:5000/v2/x: refused (after 4 attempts)");
}

TEST_F(RegistryClientTest, ClientErrorsAreNotRetried) {
  http.enqueue(response(
      400,
      R"({"errors":[{"code":"PAGINATION_NUMBER_INVALID","message":"invalid number of results requested"}]})"));
  EXPECT_EQ(errorOf([&] { (void)client.listTags(kGhcr); }).kind(), Kind::bad_response);
  EXPECT_EQ(http.requests().size(), 1u);
  EXPECT_EQ(clock.sleeps(), 0);
}

TEST_F(RegistryClientTest, CancelStopsRequestsAndBackOff) {
  net::CancelFlag cancel{true};
  EXPECT_EQ(errorOf([&] { (void)client.manifestDigest(kGhcr, "v1", &cancel); }).kind(),
            Kind::cancelled);

  // Cancelled while a 503 is being answered: the back-off wait returns at once.
  struct CancellingHttp : net::HttpClient {
    net::CancelFlag* flag = nullptr;
    net::HttpResponse send(const net::HttpRequest&, const net::CancelFlag*) override {
      *flag = true;
      return response(503, "");
    }
    net::HttpResponse stream(const net::HttpRequest&, const OnHeaders&, const OnData&,
                             const net::CancelFlag*) override {
      throw std::logic_error("unused");
    }
  } cancelling;
  net::CancelFlag later{false};
  cancelling.flag = &later;
  RegistryClient c(cancelling, clock, options());
  const auto e = errorOf([&] { (void)c.manifestDigest(kGhcr, "v1", &later); });
  EXPECT_EQ(e.kind(), Kind::cancelled);
  EXPECT_STREQ(e.what(), "registry ghcr.io, repository acme/web: manifest 'v1': cancelled");
  EXPECT_EQ(clock.slept(), Duration(0));
}

}  // namespace
}  // namespace berth::registry
