// Where the API token comes from, and the refusal of a token file others can read: the token
// must never be printed, in any message.
#include "client/token_source.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <map>

#include "cli/exit_codes.h"
#include "client/client_error.h"

namespace berth::client {
namespace {

namespace fs = std::filesystem;
constexpr const char* kSecret = "berth_0123456789abcdef";

class TokenSourceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() /
           ("berth-token-" + std::string(info->name()) + "-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  fs::path writeToken(const fs::path& file, const std::string& content, mode_t mode) {
    fs::create_directories(file.parent_path());
    std::ofstream(file) << content;
    ::chmod(file.c_str(), mode);
    return file;
  }
  EnvLookup env() const {
    return [this](const std::string& name) -> std::optional<std::string> {
      auto it = vars_.find(name);
      if (it == vars_.end()) return std::nullopt;
      return it->second;
    };
  }
  // The message of the ClientError that `f` throws; fails the test if it throws none.
  template <class F>
  std::string errorOf(F f) {
    try {
      f();
    } catch (const ClientError& e) {
      EXPECT_EQ(e.exitCode(), kExitUnauthorized);
      EXPECT_EQ(std::string(e.what()).find(kSecret), std::string::npos) << "never the token";
      return e.what();
    }
    ADD_FAILURE() << "no ClientError";
    return "";
  }

  fs::path dir_;
  std::map<std::string, std::string> vars_;
};

TEST_F(TokenSourceTest, TokenFileFlagThenEnvironmentThenTheDefaultFile) {
  vars_["XDG_CONFIG_HOME"] = (dir_ / "xdg").string();
  EXPECT_EQ(findToken("", env()), std::nullopt) << "no token anywhere is not an error";

  const auto default_file = writeToken(dir_ / "xdg/berth/token", "berth_default\n", 0600);
  auto token = findToken("", env());
  ASSERT_TRUE(token);
  EXPECT_EQ(token->secret, "berth_default");
  EXPECT_EQ(token->origin, default_file.string());

  vars_["BERTH_TOKEN"] = "  berth_from_env\n";
  EXPECT_EQ(findToken("", env())->secret, "berth_from_env");
  EXPECT_EQ(findToken("", env())->origin, "BERTH_TOKEN");

  const auto flag_file = writeToken(dir_ / "ci-token", "berth_from_flag", 0400);
  EXPECT_EQ(findToken(flag_file.string(), env())->secret, "berth_from_flag");
}

TEST_F(TokenSourceTest, DefaultFileIsUnderHomeWithoutXdgConfigHome) {
  EXPECT_EQ(defaultTokenFile(env()), std::nullopt);
  vars_["HOME"] = "/home/ci";
  EXPECT_EQ(defaultTokenFile(env()), fs::path("/home/ci/.config/berth/token"));
  vars_["XDG_CONFIG_HOME"] = "/etc/xdg-ci";
  EXPECT_EQ(defaultTokenFile(env()), fs::path("/etc/xdg-ci/berth/token"));
}

TEST_F(TokenSourceTest, RefusesATokenFileOthersCanReadAndSaysHowToFixIt) {
  for (const mode_t mode : {0644, 0640, 0604, 0620}) {
    const auto file = writeToken(dir_ / "token", kSecret, mode);
    const std::string message = errorOf([&] { readTokenFile(file); });
    EXPECT_NE(message.find("accessible by other users"), std::string::npos) << message;
    EXPECT_NE(message.find("chmod 600 " + file.string()), std::string::npos) << message;
  }
  // The default file too: a world-readable token is refused wherever it was found.
  vars_["XDG_CONFIG_HOME"] = (dir_ / "xdg").string();
  writeToken(dir_ / "xdg/berth/token", kSecret, 0644);
  errorOf([&] { findToken("", env()); });
}

TEST_F(TokenSourceTest, RefusesMissingEmptyAndMultiWordTokenFiles) {
  EXPECT_NE(errorOf([&] { findToken((dir_ / "nope").string(), env()); }).find("cannot read"),
            std::string::npos);
  EXPECT_NE(errorOf([&] { readTokenFile(writeToken(dir_ / "empty", " \n", 0600)); }).find("empty"),
            std::string::npos);
  const auto two = writeToken(dir_ / "two", std::string(kSecret) + "\nX-Evil: 1\n", 0600);
  EXPECT_NE(errorOf([&] { readTokenFile(two); }).find("one API token"), std::string::npos);
  fs::create_directories(dir_ / "dir");
  ::chmod((dir_ / "dir").c_str(), 0700);
  EXPECT_NE(errorOf([&] { readTokenFile(dir_ / "dir"); }).find("not a file"), std::string::npos);
  vars_["BERTH_TOKEN"] = std::string(kSecret) + " extra";
  errorOf([&] { findToken("", env()); });
}

}  // namespace
}  // namespace berth::client
