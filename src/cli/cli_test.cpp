// The command line as an operator and a CI script use it: exit codes, messages, and the
// promise that a failed import leaves the database exactly as it was.
#include "cli/cli.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "cli/cli_run_for_test.h"
#include "cli/exit_codes.h"

namespace berth {
namespace {

namespace fs = std::filesystem;
const fs::path kSourceDir = BERTH_SOURCE_DIR;

using Result = testing::CliRun;
const auto run = testing::runCliForTest;

std::string readFile(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(f), {}};
}

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() /
           ("berth-cli-" + std::string(info->name()) + "-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string dataDir() const { return (dir_ / "data").string(); }
  std::string exportNow() {
    Result r = run({"--data-dir", dataDir(), "export"});
    EXPECT_EQ(r.code, kExitOk) << r.err;
    return r.out;
  }
  fs::path dir_;
};

std::vector<fs::path> filesIn(const fs::path& dir, const std::string& ext) {
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().extension() == ext) files.push_back(e.path());
  std::sort(files.begin(), files.end());
  return files;
}

TEST_F(CliTest, VersionAndUsageErrors) {
  Result v = run({"version"});
  EXPECT_EQ(v.code, kExitOk);
  EXPECT_TRUE(v.out.starts_with("berth ")) << v.out;

  Result bad = run({"frobnicate"});
  EXPECT_EQ(bad.code, kExitUsage);
  EXPECT_NE(bad.err.find("berth --help"), std::string::npos) << bad.err;

  Result missing = run({"validate"});
  EXPECT_EQ(missing.code, kExitUsage);
  EXPECT_NE(missing.err.find("berth validate --help"), std::string::npos) << missing.err;

  Result version_flag = run({"--version"});
  EXPECT_EQ(version_flag.code, kExitOk);
  EXPECT_EQ(version_flag.out, v.out);

  Result help = run({"--help"});
  EXPECT_EQ(help.code, kExitOk);
  EXPECT_NE(help.out.find("import"), std::string::npos);
  EXPECT_NE(help.out.find("Exit codes"), std::string::npos);
}

TEST_F(CliTest, ValidateAcceptsEveryExample) {
  for (const auto& file : filesIn(kSourceDir / "examples", ".yaml")) {
    Result r = run({"validate", file.string()});
    EXPECT_EQ(r.code, kExitOk) << file << "\n" << r.err;
    EXPECT_NE(r.out.find(": ok"), std::string::npos);
  }
}

TEST_F(CliTest, ValidateNamesFileLineAndColumnForBrokenConfigs) {
  const auto bad_files = filesIn(kSourceDir / "tests/data/bad", ".yaml");
  ASSERT_GE(bad_files.size(), 10u);
  for (const auto& file : bad_files) {
    Result r = run({"validate", file.string()});
    EXPECT_EQ(r.code, kExitInvalidConfig) << file;
    // First line: "<path>:<line>:<col>: ..."
    const std::string prefix = file.string() + ":";
    ASSERT_TRUE(r.err.starts_with(prefix)) << r.err;
    std::istringstream location(r.err.substr(prefix.size()));
    int line = 0, col = 0;
    char colon = 0;
    location >> line >> colon >> col;
    EXPECT_GT(line, 0) << r.err;
    EXPECT_GT(col, 0) << r.err;
  }
}

TEST_F(CliTest, FailedImportLeavesTheDatabaseUntouched) {
  const auto demo = (kSourceDir / "examples/demo.yaml").string();
  ASSERT_EQ(run({"--data-dir", dataDir(), "import", demo}).code, kExitOk);
  const std::string before_export = exportNow();
  const std::string before_bytes = readFile(fs::path(dataDir()) / "berth.db");

  for (const auto& file : filesIn(kSourceDir / "tests/data/bad", ".yaml")) {
    Result r = run({"--data-dir", dataDir(), "import", file.string()});
    EXPECT_EQ(r.code, kExitInvalidConfig) << file;
    EXPECT_NE(r.err.find("nothing was imported"), std::string::npos) << r.err;
    EXPECT_EQ(readFile(fs::path(dataDir()) / "berth.db"), before_bytes) << file;
  }
  EXPECT_EQ(exportNow(), before_export);
}

TEST_F(CliTest, DryRunShowsThePlanAndChangesNothing) {
  const auto demo = (kSourceDir / "examples/demo.yaml").string();
  Result dry = run({"--data-dir", dataDir(), "import", "--dry-run", demo});
  ASSERT_EQ(dry.code, kExitOk) << dry.err;
  EXPECT_NE(dry.out.find("+ project demo"), std::string::npos) << dry.out;
  EXPECT_NE(dry.out.find("not created"), std::string::npos) << dry.out;
  EXPECT_FALSE(fs::exists(fs::path(dataDir()) / "berth.db"));

  const auto minimal = (kSourceDir / "examples/minimal.yaml").string();
  ASSERT_EQ(run({"--data-dir", dataDir(), "import", minimal}).code, kExitOk);
  const std::string before = exportNow();
  Result switch_plan = run({"--data-dir", dataDir(), "import", "--dry-run", demo});
  EXPECT_NE(switch_plan.out.find("+ project demo"), std::string::npos) << switch_plan.out;
  EXPECT_NE(switch_plan.out.find("was not changed"), std::string::npos);
  EXPECT_EQ(exportNow(), before);

  ASSERT_EQ(run({"--data-dir", dataDir(), "import", demo}).code, kExitOk);
  Result again = run({"--data-dir", dataDir(), "import", "--dry-run", demo});
  EXPECT_NE(again.out.find("no changes"), std::string::npos) << again.out;
}

TEST_F(CliTest, EveryExampleRoundTripsExportImportExportByteForByte) {
  for (const auto& file : filesIn(kSourceDir / "examples", ".yaml")) {
    SCOPED_TRACE(file.string());
    fs::remove_all(dataDir());
    ASSERT_EQ(run({"--data-dir", dataDir(), "import", file.string()}).code, kExitOk);
    const auto exported = dir_ / "exported.yaml";
    ASSERT_EQ(run({"--data-dir", dataDir(), "export", "-o", exported.string()}).code, kExitOk);
    const std::string first = readFile(exported);
    ASSERT_FALSE(first.empty());

    fs::remove_all(dataDir());
    ASSERT_EQ(run({"--data-dir", dataDir(), "import", exported.string()}).code, kExitOk);
    EXPECT_EQ(exportNow(), first);
  }
}

TEST_F(CliTest, GlobalOptionsAreAcceptedAfterTheCommand) {
  const auto demo = (kSourceDir / "examples/demo.yaml").string();
  Result r = run({"import", demo, "--data-dir", dataDir()});
  ASSERT_EQ(r.code, kExitOk) << r.err;
  EXPECT_NE(r.out.find("creating a new database at " + dataDir()), std::string::npos) << r.out;
  EXPECT_TRUE(fs::exists(fs::path(dataDir()) / "berth.db"));
}

TEST_F(CliTest, MissingConfigFileIsAnInvalidConfigurationForEveryCommand) {
  const std::string missing = (dir_ / "nope.yaml").string();
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"validate", missing},
           {"--data-dir", dataDir(), "import", missing},
           {"--data-dir", dataDir(), "serve", "--config", missing}}) {
    Result r = run(args);
    EXPECT_EQ(r.code, kExitInvalidConfig) << args.back() << "\n" << r.err;
  }
  EXPECT_FALSE(fs::exists(dataDir())) << "a failed start must not create a database";
}

TEST_F(CliTest, ExportWithoutADatabaseSaysSoAndCreatesNothing) {
  Result r = run({"--data-dir", dataDir(), "export"});
  EXPECT_EQ(r.code, kExitFailure);
  EXPECT_NE(r.err.find("no database at"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dataDir()));
}

// The temporary file used to be "<output>.tmp", opened following symlinks: whoever could create
// that name in a shared directory such as /tmp chose which file `berth export -o` overwrote.
TEST_F(CliTest, ExportNeverWritesThroughAPlantedTemporaryFile) {
  const auto minimal = (kSourceDir / "examples/minimal.yaml").string();
  ASSERT_EQ(run({"--data-dir", dataDir(), "import", minimal}).code, kExitOk);
  const fs::path output = dir_ / "out.yaml";
  const fs::path victim = dir_ / "victim";
  std::ofstream(victim) << "precious";
  fs::create_symlink(victim, output.string() + ".tmp");

  Result r = run({"--data-dir", dataDir(), "export", "-o", output.string()});
  EXPECT_EQ(r.code, kExitOk) << r.err;
  EXPECT_EQ(readFile(victim), "precious");
  EXPECT_EQ(readFile(output), exportNow());
}

TEST_F(CliTest, FailedExportLeavesNoTemporaryFileBehind) {
  const auto minimal = (kSourceDir / "examples/minimal.yaml").string();
  ASSERT_EQ(run({"--data-dir", dataDir(), "import", minimal}).code, kExitOk);
  const fs::path output = dir_ / "out";
  fs::create_directories(output / "not-empty");  // a directory cannot be replaced by a file

  Result r = run({"--data-dir", dataDir(), "export", "-o", output.string()});
  EXPECT_EQ(r.code, kExitFailure);
  EXPECT_NE(r.err.find("export failed"), std::string::npos) << r.err;
  for (const auto& entry : fs::directory_iterator(dir_))
    EXPECT_EQ(entry.path().string().find(".tmp"), std::string::npos) << entry.path();
}

}  // namespace
}  // namespace berth
