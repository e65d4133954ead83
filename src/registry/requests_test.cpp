// Commands as data: what each registry operation sends, asserted without a network.
#include "registry/requests.h"

#include <gtest/gtest.h>

#include "registry/manifest.h"

namespace berth::registry {
namespace {

TEST(Requests, HttpOnlyForLoopbackOrInsecure) {
  EXPECT_EQ(apiBaseUrl("docker.io", false), "https://registry-1.docker.io");
  EXPECT_EQ(apiBaseUrl("ghcr.io", false), "https://ghcr.io");
  EXPECT_EQ(apiBaseUrl("127.0.0.1:5000", false), "http://127.0.0.1:5000");
  EXPECT_EQ(apiBaseUrl("localhost:5000", false), "http://localhost:5000");
  EXPECT_EQ(apiBaseUrl("[::1]:5000", false), "http://[::1]:5000");
  EXPECT_EQ(apiBaseUrl("reg.lan:5000", false), "https://reg.lan:5000");
  EXPECT_EQ(apiBaseUrl("reg.lan:5000", true), "http://reg.lan:5000");
  EXPECT_EQ(apiBaseUrl("10.0.0.5:5000", false), "https://10.0.0.5:5000");
  EXPECT_TRUE(plainHttpAllowed("127.0.0.2", false));
  EXPECT_FALSE(plainHttpAllowed("localhost.example.com", false));
}

TEST(Requests, TagList) {
  const auto r = tagListRequest("https://ghcr.io", "acme/web");
  EXPECT_EQ(r.method, "GET");
  EXPECT_EQ(r.url, "https://ghcr.io/v2/acme/web/tags/list?n=1000");
  EXPECT_EQ(r.headers.get("Accept"), "application/json");
  EXPECT_EQ(tagListRequest("http://127.0.0.1:5000", "a", 50).url,
            "http://127.0.0.1:5000/v2/a/tags/list?n=50");
  EXPECT_EQ(tagListPageRequest("https://ghcr.io/v2/acme/web/tags/list?last=x").url,
            "https://ghcr.io/v2/acme/web/tags/list?last=x");
}

TEST(Requests, ManifestHeadAcceptsIndexAndManifestTypes) {
  const auto r = manifestRequest("HEAD", "https://registry-1.docker.io", "library/nginx", "latest");
  EXPECT_EQ(r.method, "HEAD");
  EXPECT_EQ(r.url, "https://registry-1.docker.io/v2/library/nginx/manifests/latest");
  const std::string accept = r.headers.get("Accept").value_or("");
  for (auto type : {media_type::kOciIndex, media_type::kOciManifest,
                    media_type::kDockerManifestList, media_type::kDockerManifest})
    EXPECT_NE(accept.find(type), std::string::npos) << type;
  EXPECT_EQ(accept.find("v1+prettyjws"), std::string::npos);
  EXPECT_EQ(r.headers.get("Authorization"), std::nullopt);  // added by the client
  EXPECT_EQ(r.max_body_bytes, kMaxManifestBytes);
}

TEST(Requests, ManifestByDigestAndBlob) {
  const std::string digest = "sha256:" + std::string(64, 'a');
  EXPECT_EQ(manifestRequest("GET", "https://ghcr.io", "acme/web", digest).url,
            "https://ghcr.io/v2/acme/web/manifests/" + digest);
  const auto b = blobRequest("https://ghcr.io", "acme/web", digest);
  EXPECT_EQ(b.method, "GET");
  EXPECT_EQ(b.url, "https://ghcr.io/v2/acme/web/blobs/" + digest);
  EXPECT_EQ(b.max_body_bytes, kMaxConfigBytes);
}

}  // namespace
}  // namespace berth::registry
