#include "config/names.h"

#include <gtest/gtest.h>

namespace berth {
namespace {

TEST(SafeName, AcceptsContainerNameParts) {
  for (const char* ok : {"web", "api-v2", "a_b", "0day"})
    EXPECT_TRUE(isSafeName(ok)) << ok;
  EXPECT_TRUE(isSafeName(std::string(63, 'a')));
}

TEST(SafeName, RefusesWhatDockerOrUrlsWouldChokeOn) {
  for (const char* bad : {"", "Web", "-web", "_web", "my web", "web.app", "web/prod", "wéb"})
    EXPECT_FALSE(isSafeName(bad)) << bad;
  EXPECT_FALSE(isSafeName(std::string(64, 'a')));
}

TEST(EnvVarName, FollowsPosix) {
  EXPECT_TRUE(isEnvVarName("GHCR_TOKEN"));
  EXPECT_TRUE(isEnvVarName("_x1"));
  EXPECT_FALSE(isEnvVarName("1X"));
  EXPECT_FALSE(isEnvVarName("MY-VAR"));
  EXPECT_FALSE(isEnvVarName("hunter2!"));
  EXPECT_FALSE(isEnvVarName(""));
}

TEST(DomainName, AcceptsHostsAndWildcards) {
  for (const char* ok :
       {"example.com", "staging.example.com", "*.example.com", "localhost", "a-b.c"})
    EXPECT_TRUE(isDomainName(ok)) << ok;
  for (const char* bad : {"", "Example.com", "-a.com", "a-.com", "a..com", "http://a.com", "a.com/",
                          "a.*.com", "a com"})
    EXPECT_FALSE(isDomainName(bad)) << bad;
}

TEST(ListenAddress, NeedsAPortInRange) {
  for (const char* ok : {"127.0.0.1:8080", ":8080", "[::1]:8080", "localhost:1", "0.0.0.0:65535"})
    EXPECT_TRUE(isListenAddress(ok, false)) << ok;
  for (const char* bad :
       {"8080", "127.0.0.1", "127.0.0.1:0", "127.0.0.1:65536", "host:http", "[::1]"})
    EXPECT_FALSE(isListenAddress(bad, false)) << bad;
  EXPECT_TRUE(isListenAddress("80", true));
  EXPECT_FALSE(isListenAddress("0", true));
}

TEST(VolumeSpec, NamedVolumesAndBindMounts) {
  for (const char* ok : {"web-data:/data", "/srv/web:/data", "/srv/web:/data:ro", "x:/d:rw"})
    EXPECT_TRUE(isVolumeSpec(ok)) << ok;
  for (const char* bad : {"", "/data", "web-data", ":/data", "web-data:data", "x:/d:rx", "x:/"})
    EXPECT_FALSE(isVolumeSpec(bad)) << bad;
  // The source is a volume name ([A-Za-z0-9][A-Za-z0-9_.-]*) or an absolute host path; Docker
  // refuses anything else, but only when the deploy runs.
  for (const char* bad : {"../etc:/x", "$(id):/x", "a b:/x", "~/data:/x", ".hidden:/x", "-v:/x"})
    EXPECT_FALSE(isVolumeSpec(bad)) << bad;
  EXPECT_TRUE(isVolumeSpec("my.vol_1-a:/x"));
}

TEST(HttpUrl, NeedsSchemeAndHost) {
  for (const char* ok : {"http://npm:81", "https://id.example.com/.well-known/openid-configuration",
                         "http://127.0.0.1:8080", "http://[::1]:8080/x"})
    EXPECT_TRUE(isHttpUrl(ok)) << ok;
  for (const char* bad : {"", "npm:81", "ftp://x", "http://", "http://user:pw@host/", "http://a b"})
    EXPECT_FALSE(isHttpUrl(bad)) << bad;
}

TEST(Problems, EmptyWhenValidAndExplainedOtherwise) {
  EXPECT_EQ(nameProblem("web"), "");
  EXPECT_NE(nameProblem("Web").find("lowercase"), std::string::npos);
  EXPECT_EQ(domainProblem("example.com"), "");
  EXPECT_NE(domainProblem("Example.com").find("example.com"), std::string::npos);
  EXPECT_EQ(volumeProblem("a:/b"), "");
  EXPECT_NE(volumeProblem("a").find("name:/path"), std::string::npos);
}

}  // namespace
}  // namespace berth
