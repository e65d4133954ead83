// Manifest parsing against bodies recorded from real registries (trimmed).
#include "registry/manifest.h"

#include <gtest/gtest.h>

#include "registry/registry_error.h"

namespace berth::registry {
namespace {

const std::string kDigest = "sha256:" + std::string(64, 'd');
const std::string kCtx = "registry docker.io, repository library/nginx: manifest 'latest'";

// docker.io/library/nginx:latest as Docker Hub serves it: an OCI index with BuildKit
// attestation manifests (platform unknown/unknown) after the images.
constexpr std::string_view kOciIndexWithAttestations = R"({
  "manifests": [
    {"annotations": {"com.docker.official-images.bashbrew.arch": "amd64",
                     "org.opencontainers.image.base.name": "debian:bookworm-slim"},
     "digest": "sha256:1111111111111111111111111111111111111111111111111111111111111111",
     "mediaType": "application/vnd.oci.image.manifest.v1+json",
     "platform": {"architecture": "amd64", "os": "linux"}, "size": 2295},
    {"annotations": {"vnd.docker.reference.digest": "sha256:1111111111111111111111111111111111111111111111111111111111111111",
                     "vnd.docker.reference.type": "attestation-manifest"},
     "digest": "sha256:2222222222222222222222222222222222222222222222222222222222222222",
     "mediaType": "application/vnd.oci.image.manifest.v1+json",
     "platform": {"architecture": "unknown", "os": "unknown"}, "size": 841},
    {"digest": "sha256:3333333333333333333333333333333333333333333333333333333333333333",
     "mediaType": "application/vnd.oci.image.manifest.v1+json",
     "platform": {"architecture": "arm", "os": "linux", "variant": "v7"}, "size": 2297}
  ],
  "mediaType": "application/vnd.oci.image.index.v1+json",
  "schemaVersion": 2
})";

// A Docker manifest list (docker buildx, older pushes).
constexpr std::string_view kDockerManifestList = R"({
  "schemaVersion": 2,
  "mediaType": "application/vnd.docker.distribution.manifest.list.v2+json",
  "manifests": [
    {"mediaType": "application/vnd.docker.distribution.manifest.v2+json", "size": 528,
     "digest": "sha256:4444444444444444444444444444444444444444444444444444444444444444",
     "platform": {"architecture": "arm64", "os": "linux", "variant": "v8"}},
    {"mediaType": "application/vnd.docker.distribution.manifest.v2+json", "size": 528,
     "digest": "sha256:5555555555555555555555555555555555555555555555555555555555555555",
     "platform": {"architecture": "s390x", "os": "linux"}}
  ]
})";

// What Debian's docker-registry serves for an image pushed by the sandbox's docker 20.10.
constexpr std::string_view kDockerV2 = R"({
   "schemaVersion": 2,
   "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
   "config": {
      "mediaType": "application/vnd.docker.container.image.v1+json",
      "size": 968,
      "digest": "sha256:4424cf4d2a761de3b17503cc0a2f726ed023cd0177012e9e988d608e680ed0b5"
   },
   "layers": [
      {"mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip", "size": 1065260,
       "digest": "sha256:942df2550c4820d43c4eee69b92cf99b5e39fb6fc49c7df654b4cc9bb86715c8"}
   ]
})";

// An OCI image manifest without "mediaType" (allowed by the image spec), from ghcr.io.
constexpr std::string_view kOciManifestNoMediaType = R"({
  "schemaVersion": 2,
  "config": {"mediaType": "application/vnd.oci.image.config.v1+json",
             "digest": "sha256:6666666666666666666666666666666666666666666666666666666666666666",
             "size": 1470},
  "layers": []
})";

std::string parseError(std::string_view body, std::string_view content_type = "") {
  try {
    (void)parseManifest(body, content_type, kDigest, kCtx);
  } catch (const RegistryError& e) {
    EXPECT_EQ(e.kind(), RegistryError::Kind::bad_response);
    return e.what();
  }
  return "no error";
}

TEST(Manifest, OciIndexChildrenWithAttestationsMarked) {
  const Manifest m = parseManifest(kOciIndexWithAttestations,
                                   "application/vnd.oci.image.index.v1+json", kDigest, kCtx);
  EXPECT_TRUE(m.isIndex());
  EXPECT_EQ(m.digest, kDigest);
  ASSERT_EQ(m.children.size(), 3u);
  EXPECT_EQ(m.children[0].platform, (Platform{"linux", "amd64", ""}));
  EXPECT_FALSE(m.children[0].attestation);
  EXPECT_TRUE(m.children[1].attestation);
  EXPECT_EQ(m.children[2].platform, (Platform{"linux", "arm", "v7"}));
  EXPECT_TRUE(
      m.hasChild("sha256:3333333333333333333333333333333333333333333333333333333333333333"));
  EXPECT_FALSE(m.hasChild(kDigest));
  EXPECT_EQ(m.preferredChild()->digest, m.children[0].digest);
  EXPECT_TRUE(m.config_digest.empty());
}

TEST(Manifest, DockerManifestListWithoutAmd64PrefersTheFirstChild) {
  const Manifest m = parseManifest(kDockerManifestList, "", kDigest, kCtx);
  EXPECT_EQ(m.media_type, media_type::kDockerManifestList);
  ASSERT_EQ(m.children.size(), 2u);
  EXPECT_EQ(m.preferredChild()->platform.architecture, "arm64");
}

TEST(Manifest, IndexOfOnlyAttestationsHasNoPreferredChild) {
  const Manifest m = parseManifest(
      R"({"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[{"digest":"sha256:2222222222222222222222222222222222222222222222222222222222222222","platform":{"os":"unknown","architecture":"unknown"}}]})",
      "", kDigest, kCtx);
  EXPECT_EQ(m.preferredChild(), nullptr);
}

TEST(Manifest, DockerV2ManifestHasAConfigDigest) {
  const Manifest m = parseManifest(
      kDockerV2, "application/vnd.docker.distribution.manifest.v2+json", kDigest, kCtx);
  EXPECT_FALSE(m.isIndex());
  EXPECT_EQ(m.media_type, media_type::kDockerManifest);
  EXPECT_EQ(m.config_digest,
            "sha256:4424cf4d2a761de3b17503cc0a2f726ed023cd0177012e9e988d608e680ed0b5");
  EXPECT_EQ(m.preferredChild(), nullptr);
}

TEST(Manifest, OciManifestTypeFromHeaderOrShape) {
  Manifest m =
      parseManifest(kOciManifestNoMediaType,
                    "application/vnd.oci.image.manifest.v1+json; charset=utf-8", kDigest, kCtx);
  EXPECT_EQ(m.media_type, media_type::kOciManifest);
  m = parseManifest(kOciManifestNoMediaType, "application/json", kDigest, kCtx);
  EXPECT_EQ(m.media_type, media_type::kOciManifest);
  EXPECT_EQ(m.config_digest,
            "sha256:6666666666666666666666666666666666666666666666666666666666666666");
}

TEST(Manifest, MalformedBodiesNameRegistryRepositoryAndField) {
  EXPECT_EQ(parseError("not json"), kCtx + ": manifest is not valid JSON");
  EXPECT_EQ(parseError("[1,2]"), kCtx + ": manifest is not a JSON object");
  EXPECT_EQ(parseError(R"({"mediaType":"application/vnd.oci.image.index.v1+json"})"),
            kCtx + ": field 'manifests' must be an array");
  EXPECT_EQ(parseError(R"({"mediaType":"application/vnd.oci.image.index.v1+json",
                           "manifests":[{"digest":"sha256:11"}]})"),
            kCtx + ": field 'manifests[0].digest' is not a valid digest ('sha256:11')");
  EXPECT_EQ(parseError(R"({"mediaType":"application/vnd.oci.image.index.v1+json",
                           "manifests":[{"size":3}]})"),
            kCtx + ": field 'manifests[0].digest' is missing");
  EXPECT_EQ(parseError(R"({"mediaType":"application/vnd.oci.image.index.v1+json",
                           "manifests":[7]})"),
            kCtx + ": field 'manifests[0]' must be an object");
  EXPECT_EQ(parseError(R"({"mediaType":"application/vnd.oci.image.index.v1+json",
                           "manifests":[{"digest":"sha256:1111111111111111111111111111111111111111111111111111111111111111","platform":{"os":5}}]})"),
            kCtx + ": field 'manifests[0].platform.os' must be a string");
  EXPECT_EQ(
      parseError(R"({"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json"})"),
      kCtx + ": field 'config' must be an object");
  EXPECT_EQ(
      parseError(
          R"({"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"digest":7}})"),
      kCtx + ": field 'config.digest' must be a string");
  EXPECT_EQ(parseError(R"({"mediaType":"application/vnd.example.thing"})"),
            kCtx + ": unsupported manifest media type 'application/vnd.example.thing'");
  EXPECT_EQ(parseError(R"({"schemaVersion":1,"name":"x","fsLayers":[]})"),
            kCtx +
                ": schema 1 manifests are not supported (push the image again with a current "
                "Docker or buildx)");
}

}  // namespace
}  // namespace berth::registry
