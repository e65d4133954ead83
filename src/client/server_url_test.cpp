#include "client/server_url.h"

#include <gtest/gtest.h>

#include "cli/exit_codes.h"
#include "client/client_error.h"

namespace berth::client {
namespace {

EnvLookup envWith(std::optional<std::string> server) {
  return
      [server](const std::string& name) { return name == "BERTH_SERVER" ? server : std::nullopt; };
}

TEST(ServerUrl, FlagThenEnvironmentThenTheDefaultListenAddress) {
  EXPECT_EQ(resolveServerUrl("", envWith(std::nullopt)), "http://127.0.0.1:8080");
  EXPECT_EQ(resolveServerUrl("", envWith("https://berth.example.com/")),
            "https://berth.example.com");
  EXPECT_EQ(resolveServerUrl("http://10.0.0.5:9000", envWith("https://berth.example.com")),
            "http://10.0.0.5:9000");
  EXPECT_EQ(resolveServerUrl("127.0.0.1:18080//", envWith(std::nullopt)), "http://127.0.0.1:18080");
}

TEST(ServerUrl, AnythingButHttpIsAUsageError) {
  for (const char* bad : {"ftp://x", "http://", "unix:///run/berth.sock"}) {
    try {
      resolveServerUrl(bad, envWith(std::nullopt));
      ADD_FAILURE() << bad;
    } catch (const ClientError& e) {
      EXPECT_EQ(e.exitCode(), kExitUsage) << bad;
      EXPECT_NE(std::string(e.what()).find("--server"), std::string::npos) << e.what();
    }
  }
}

}  // namespace
}  // namespace berth::client
