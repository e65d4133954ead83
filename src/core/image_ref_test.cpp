#include "core/image_ref.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace berth {
namespace {

const std::string kDigest = "sha256:" + std::string(64, 'f');

// The canonical form, or the failure message, so each expectation reads as one line.
std::string canonical(std::string_view text) {
  auto ref = parseImageRef(text);
  return ref ? ref->str() : "error: " + ref.error();
}

TEST(ImageRef, OfficialImagesLiveUnderDockerHubLibrary) {
  EXPECT_EQ(canonical("nginx"), "docker.io/library/nginx:latest");
  EXPECT_EQ(canonical("nginx:1.25"), "docker.io/library/nginx:1.25");
  EXPECT_EQ(canonical("library/nginx"), "docker.io/library/nginx:latest");
  EXPECT_EQ(canonical("docker.io/nginx"), "docker.io/library/nginx:latest");
  EXPECT_EQ(canonical("index.docker.io/library/nginx"), "docker.io/library/nginx:latest");
  EXPECT_EQ(canonical("registry-1.docker.io/acme/web"), "docker.io/acme/web:latest");
  EXPECT_EQ(canonical("acme/web:v2"), "docker.io/acme/web:v2");
}

TEST(ImageRef, FirstComponentIsAHostOnlyWithDotColonOrLocalhost) {
  EXPECT_EQ(canonical("ghcr.io/acme/web:v2"), "ghcr.io/acme/web:v2");
  EXPECT_EQ(canonical("localhost/app"), "localhost/app:latest");
  EXPECT_EQ(canonical("localhost:5000/x"), "localhost:5000/x:latest");
  EXPECT_EQ(canonical("127.0.0.1:5000/app:v1"), "127.0.0.1:5000/app:v1");
  EXPECT_EQ(canonical("[::1]:5000/x"), "[::1]:5000/x:latest");
  EXPECT_EQ(canonical("[2001:db8::1]/repo"), "[2001:db8::1]/repo:latest");
  EXPECT_EQ(canonical("test:5000/repo"), "test:5000/repo:latest");
  EXPECT_EQ(canonical("acme/web"), "docker.io/acme/web:latest");  // "acme": no dot, no colon
  EXPECT_EQ(canonical("b.gcr.io/test.example.com/my-app:test.example.com"),
            "b.gcr.io/test.example.com/my-app:test.example.com");
}

TEST(ImageRef, ColonWithoutSlashIsATagNotAPort) {
  auto ref = parseImageRef("test.com:5000");
  ASSERT_TRUE(ref);
  EXPECT_EQ(ref->registry, "docker.io");
  EXPECT_EQ(ref->repository, "library/test.com");
  EXPECT_EQ(ref->tag, "5000");
  EXPECT_EQ(canonical("foo/foo_bar.com:8080"), "docker.io/foo/foo_bar.com:8080");
}

TEST(ImageRef, HostsAreLowercasedButTagsKeepTheirCase) {
  EXPECT_EQ(canonical("GHCR.io/acme/web:V2"), "ghcr.io/acme/web:V2");
  EXPECT_EQ(canonical("Docker.IO/nginx"), "docker.io/library/nginx:latest");
}

TEST(ImageRef, DigestsPinContentWithOrWithoutTag) {
  auto pinned = parseImageRef("ghcr.io/acme/web@" + kDigest);
  ASSERT_TRUE(pinned);
  EXPECT_EQ(pinned->tag, "");  // no default tag next to a digest, as Docker does
  EXPECT_EQ(pinned->digest, kDigest);
  EXPECT_EQ(canonical("test:5000/repo:tag@" + kDigest), "test:5000/repo:tag@" + kDigest);
  EXPECT_EQ(canonical("nginx@" + kDigest), "docker.io/library/nginx@" + kDigest);
}

TEST(ImageRef, FieldsOfAFullReference) {
  auto ref = parseImageRef("localhost:5000/team/app:1.0@" + kDigest);
  ASSERT_TRUE(ref);
  EXPECT_EQ(ref->registry, "localhost:5000");
  EXPECT_EQ(ref->repository, "team/app");
  EXPECT_EQ(ref->tag, "1.0");
  EXPECT_EQ(ref->digest, kDigest);
  EXPECT_EQ(ref->repositoryRef(), "localhost:5000/team/app");
}

TEST(ImageRef, FamiliarFormIsWhatDockerShows) {
  auto familiar = [](std::string_view text) { return parseImageRef(text)->familiar(); };
  EXPECT_EQ(familiar("docker.io/library/nginx:1.25"), "nginx:1.25");
  EXPECT_EQ(familiar("nginx"), "nginx:latest");
  EXPECT_EQ(familiar("docker.io/acme/web:v2"), "acme/web:v2");
  EXPECT_EQ(familiar("docker.io/library/a/b:x"), "library/a/b:x");
  EXPECT_EQ(familiar("ghcr.io/acme/web:v2"), "ghcr.io/acme/web:v2");
  EXPECT_EQ(familiar("nginx@" + kDigest), "nginx@" + kDigest);
}

TEST(ImageRef, RegistryApiHost) {
  EXPECT_EQ(parseImageRef("nginx")->registryApiHost(), "registry-1.docker.io");
  EXPECT_EQ(parseImageRef("ghcr.io/acme/web")->registryApiHost(), "ghcr.io");
  EXPECT_EQ(parseImageRef("127.0.0.1:5000/app")->registryApiHost(), "127.0.0.1:5000");
}

TEST(ImageRef, WithTagDropsTheDigestWithDigestKeepsTheTag) {
  const ImageRef base = *parseImageRef("ghcr.io/acme/web:v1@" + kDigest);
  EXPECT_EQ(base.withTag("v2").str(), "ghcr.io/acme/web:v2");
  const std::string other = "sha256:" + std::string(64, '1');
  EXPECT_EQ(base.withTag("v2").withDigest(other).str(), "ghcr.io/acme/web:v2@" + other);
  EXPECT_EQ(base, *parseImageRef(base.str()));  // str() round-trips
}

TEST(ImageRef, WithTagAndWithDigestRefuseInvalidInput) {
  const ImageRef base = *parseImageRef("ghcr.io/acme/web");
  try {
    (void)base.withTag("bad tag");
    FAIL() << "expected std::invalid_argument";
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(),
                 "image reference 'ghcr.io/acme/web': tag 'bad tag' may contain only letters, "
                 "digits, '_', '.' and '-'");
  }
  EXPECT_THROW((void)base.withDigest("sha256:abc"), std::invalid_argument);
}

TEST(ImageRef, RejectionsNameTheInputAndTheProblem) {
  EXPECT_EQ(canonical(""), "error: image reference is empty");
  EXPECT_EQ(canonical("Foo/bar"), "error: image reference 'Foo/bar': repository must be lowercase");
  EXPECT_EQ(canonical("Uppercase:tag"),
            "error: image reference 'Uppercase:tag': repository must be lowercase");
  EXPECT_EQ(canonical("test:5000/Uppercase/lowercase:tag"),
            "error: image reference 'test:5000/Uppercase/lowercase:tag': repository must be "
            "lowercase");
  EXPECT_EQ(canonical(":justtag"), "error: image reference ':justtag': repository is empty");
  EXPECT_EQ(canonical("@" + kDigest),
            "error: image reference '@" + kDigest + "': repository is empty");
  EXPECT_EQ(canonical("repo@sha256:ffff"),
            "error: image reference 'repo@sha256:ffff': sha256 digest must be 64 lowercase hex "
            "digits, got 'ffff'");
  EXPECT_EQ(canonical("repo@"), "error: image reference 'repo@': digest is empty");
  EXPECT_EQ(canonical("repo:"), "error: image reference 'repo:': tag is empty");
  EXPECT_EQ(canonical("https://ghcr.io/acme/web"),
            "error: image reference 'https://ghcr.io/acme/web': must not include a URL scheme; "
            "write host/path, e.g. ghcr.io/acme/web");
  EXPECT_EQ(canonical(std::string(64, 'a')),
            "error: image reference '" + std::string(64, 'a') +
                "': is an image ID, not a name; pin a digest as name@sha256:<hex>");
  EXPECT_EQ(canonical("ghcr.io:99999/x"),
            "error: image reference 'ghcr.io:99999/x': registry host 'ghcr.io:99999' is not "
            "valid: port must be a number from 1 to 65535");
}

TEST(ImageRef, RejectsWhatDockerRejects) {
  for (const std::string& bad : std::vector<std::string>{
           "aa/asdf$$^/aa", "a..b/c", "ghcr.io/", "ghcr.io//x", "-a/b", "a/b-", "a b",
           "repo:tag:tag", "repo:" + std::string(129, 'a'),
           "validname@invaliddigest:" + std::string(64, 'f'), "repo@sha256:" + std::string(64, 'F'),
           "[fe80::1%eth0]:5000/repo", "a@b@" + kDigest, "localhost:/x", "ghcr.io/acme/web:v1 "})
    EXPECT_FALSE(parseImageRef(bad)) << bad;
}

TEST(ImageRef, NameLengthIsLimitedTo255) {
  // "docker.io/" (10) + "a/" (2) + components: total exactly 255 is fine, 256 is not.
  const std::string ok = "a/" + std::string(243, 'b');
  EXPECT_TRUE(parseImageRef(ok)) << canonical(ok);
  const std::string too_long = "a/" + std::string(244, 'b');
  EXPECT_EQ(canonical(too_long),
            "error: image reference '" + too_long + "': name is longer than 255 characters");
  EXPECT_TRUE(parseImageRef("repo:" + std::string(128, 'a')));
}

}  // namespace
}  // namespace berth
