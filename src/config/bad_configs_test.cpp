// Every tests/data/bad/NN-what.yaml yields exactly the error its .expected file pins
// (format: tests/data/bad/README.md).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "config/config.h"

namespace berth {
namespace {

namespace fs = std::filesystem;

const fs::path kBadDir = fs::path(BERTH_SOURCE_DIR) / "tests/data/bad";

struct Expected {
  std::string at;  // "NN-what.yaml:LINE:COLUMN"
  std::string key;
  std::vector<std::string> phrases;
};

Expected readExpected(const fs::path& path) {
  Expected expected;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    const size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    const std::string field = line.substr(0, colon);
    std::string value = line.substr(colon + 1);
    if (value.starts_with(' ')) value.erase(0, 1);
    if (field == "at") expected.at = value;
    if (field == "key") expected.key = value;
    if (field == "message") expected.phrases.push_back(value);
  }
  return expected;
}

std::vector<fs::path> badConfigs() {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(kBadDir))
    if (entry.path().extension() == ".yaml") files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  return files;
}

TEST(BadConfigs, ThereAreEnoughToCoverTheDistinctDefects) {
  EXPECT_GE(badConfigs().size(), 10u);
}

TEST(BadConfigs, EachReportsItsOneExpectedError) {
  for (const auto& yaml : badConfigs()) {
    SCOPED_TRACE(yaml.filename().string());
    fs::path expected_path = yaml;
    expected_path.replace_extension(".expected");
    ASSERT_TRUE(fs::exists(expected_path)) << "missing " << expected_path;
    const Expected expected = readExpected(expected_path);
    ASSERT_FALSE(expected.at.empty());
    ASSERT_FALSE(expected.phrases.empty());

    const ParseResult result = loadConfigFile(yaml);
    EXPECT_FALSE(result.config.has_value());
    ASSERT_EQ(result.errors.size(), 1u) << [&] {
      std::string all;
      for (const auto& e : result.errors)
        all += e.str() + "\n";
      return all;
    }();
    const ConfigError& error = result.errors.front();
    const std::string at = yaml.filename().string() + ":" + std::to_string(error.line) + ":" +
                           std::to_string(error.column);
    EXPECT_EQ(at, expected.at) << error.str();
    EXPECT_EQ(error.key, expected.key) << error.str();
    for (const auto& phrase : expected.phrases)
      EXPECT_NE(error.message.find(phrase), std::string::npos)
          << "'" << phrase << "' not in: " << error.str();
    EXPECT_EQ(error.file, yaml.string());
  }
}

}  // namespace
}  // namespace berth
