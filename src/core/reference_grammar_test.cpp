#include "core/reference_grammar.h"

#include <gtest/gtest.h>

#include <string>

namespace berth {
namespace {

const std::string kHex64 = std::string(64, 'a');

TEST(ReferenceGrammar, TagsFollowDockersPattern) {
  for (const char* tag : {"latest", "v1.2.3", "1.25-alpine", "_private", "Uppercase", "a",
                          "main-abc1234", "1.0.0_rc.1"})
    EXPECT_TRUE(isValidTag(tag)) << tag;
  EXPECT_TRUE(isValidTag(std::string(128, 'a')));
}

TEST(ReferenceGrammar, TagRejectionsSayWhy) {
  EXPECT_EQ(tagProblem(""), "tag is empty");
  EXPECT_EQ(tagProblem(std::string(129, 'a')), "tag is longer than 128 characters");
  EXPECT_EQ(tagProblem(".hidden"), "tag '.hidden' must start with a letter, digit or '_'");
  EXPECT_EQ(tagProblem("-x"), "tag '-x' must start with a letter, digit or '_'");
  EXPECT_EQ(tagProblem("v1+build"),
            "tag 'v1+build' may contain only letters, digits, '_', '.' and '-'");
  for (const char* bad : {"a b", "a/b", "a:b", "a@b", "ümlaut", "a\n"})
    EXPECT_FALSE(isValidTag(bad)) << bad;
}

TEST(ReferenceGrammar, DigestsMustBeSupportedAndExactLength) {
  EXPECT_TRUE(isValidDigest("sha256:" + kHex64));
  EXPECT_TRUE(isValidDigest("sha384:" + std::string(96, '0')));
  EXPECT_TRUE(isValidDigest("sha512:" + std::string(128, 'f')));
  EXPECT_EQ(digestProblem(""), "digest is empty");
  EXPECT_EQ(digestProblem(kHex64),
            "digest '" + kHex64 + "' must be algorithm:hex, e.g. sha256:<64 hex digits>");
  EXPECT_EQ(digestProblem("sha256:abc"),
            "sha256 digest must be 64 lowercase hex digits, got 'abc'");
  EXPECT_EQ(digestProblem("sha256:" + kHex64 + "a"),
            "sha256 digest must be 64 lowercase hex digits, got '" + kHex64 + "a'");
  EXPECT_EQ(digestProblem("md5:d41d8cd98f00b204e9800998ecf8427e"),
            "unsupported digest algorithm 'md5' (supported: sha256, sha384, sha512)");
  EXPECT_FALSE(isValidDigest("sha256:" + std::string(64, 'A')));  // uppercase hex
  EXPECT_FALSE(isValidDigest("sha256:" + std::string(64, 'g')));
  EXPECT_FALSE(isValidDigest("SHA256:" + kHex64));
  EXPECT_FALSE(isValidDigest("sha512:" + kHex64));  // right hex, wrong algorithm length
}

TEST(ReferenceGrammar, PathComponentsAllowDockersSeparators) {
  for (const char* path : {"a", "library/nginx", "a.b", "a_b", "a__b", "a-b", "a--b", "a---b",
                           "a.b-c_d__e", "0/1/2", "acme/web/api", "test.example.com"})
    EXPECT_EQ(repositoryProblem(path), std::nullopt) << path;
}

TEST(ReferenceGrammar, PathRejectionsSayWhy) {
  EXPECT_EQ(repositoryProblem(""), "repository is empty");
  EXPECT_EQ(repositoryProblem("Acme/web"), "repository must be lowercase");
  EXPECT_EQ(repositoryProblem("acme//web"), "repository has an empty path component");
  EXPECT_EQ(repositoryProblem("acme/"), "repository has an empty path component");
  EXPECT_EQ(repositoryProblem("a..b"),
            "repository component 'a..b' is not valid: use lowercase letters and digits, "
            "separated by '.', '_', '__' or dashes");
  for (const char* bad : {"a___b", "a._b", "a-", "-a", "_a", "a.", ".a", "a b", "a$b", "a:b"})
    EXPECT_NE(repositoryProblem(bad), std::nullopt) << bad;
}

TEST(ReferenceGrammar, RegistryHosts) {
  for (const char* host : {"ghcr.io", "localhost", "localhost:5000", "127.0.0.1:5000", "[::1]:5000",
                           "[2001:db8::1]", "xn--n3h.com", "My-Registry.Example.com", "a:65535"})
    EXPECT_EQ(registryHostProblem(host), std::nullopt) << host;
  EXPECT_EQ(registryHostProblem("ghcr.io:0"),
            "registry host 'ghcr.io:0' is not valid: port must be a number from 1 to 65535");
  EXPECT_EQ(registryHostProblem("[::1"),
            "registry host '[::1' is not valid: missing ']' after the IPv6 address");
  for (const char* bad : {"-a.com", "a-.com", "a..com", ".a.com", "a.com.", "a_b.com", "a:",
                          "a:65536", "a:5000x", "[]", "[fe80::1%eth0]:5000", "[::1]5000", "a:1:2"})
    EXPECT_NE(registryHostProblem(bad), std::nullopt) << bad;
}

}  // namespace
}  // namespace berth
