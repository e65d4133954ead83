#include "core/registry_host.h"

#include <gtest/gtest.h>

namespace berth {
namespace {

TEST(RegistryHost, LoopbackHostsWithAndWithoutPort) {
  for (const char* host : {"localhost", "localhost:5000", "LocalHost:5000", "127.0.0.1",
                           "127.0.0.1:5000", "127.1.2.3:443", "127.255.255.255", "[::1]",
                           "[::1]:5000", "::1", "[0:0:0:0:0:0:0:1]:5000", "[0000::0001]"})
    EXPECT_TRUE(isLoopbackRegistry(host)) << host;
}

TEST(RegistryHost, EverythingElseIsRemote) {
  for (const char* host : {"ghcr.io",
                           "docker.io",
                           "registry.local:5000",
                           "128.0.0.1",
                           "10.0.0.1:5000",
                           "0.0.0.0",
                           "126.0.0.1",
                           "127.0.0",
                           "127.0.0.1.5",
                           "127.0.0.256",
                           "localhost.example.com",
                           "mylocalhost",
                           "[::]:5000",
                           "[::2]",
                           "[1::1]",
                           "[::ffff:127.0.0.1]",
                           "",
                           "[]",
                           "127.0.0.1:5000:1",
                           "[::1:5000"})
    EXPECT_FALSE(isLoopbackRegistry(host)) << host;
}

TEST(RegistryHost, DockerHubApiLivesElsewhere) {
  EXPECT_EQ(registryApiHost("docker.io"), "registry-1.docker.io");
  EXPECT_EQ(registryApiHost("ghcr.io"), "ghcr.io");
  EXPECT_EQ(registryApiHost("127.0.0.1:5000"), "127.0.0.1:5000");
}

}  // namespace
}  // namespace berth
