#include "fs/atomic_file.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

namespace berth {
namespace {

namespace fs = std::filesystem;

class AtomicFile : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("berth-atomic-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST_F(AtomicFile, WritesReplacesAndLeavesNoTemporaryFile) {
  const auto path = dir_ / "berth.web.production.conf";
  writeFileAtomically(path, "one");
  writeFileAtomically(path, "two");
  EXPECT_EQ(readFileIfExists(path), "two");
  int files = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir_))
    ++files;
  EXPECT_EQ(files, 1);
}

TEST_F(AtomicFile, RestoreWritesBackOrRemoves) {
  const auto path = dir_ / "a.conf";
  writeFileAtomically(path, "new");
  restoreFile(path, std::string("old"));
  EXPECT_EQ(readFileIfExists(path), "old");
  restoreFile(path, std::nullopt);
  EXPECT_EQ(readFileIfExists(path), std::nullopt);
  restoreFile(path, std::nullopt);  // removing what is gone is fine
}

TEST_F(AtomicFile, FailsLoudlyInAMissingDirectory) {
  try {
    writeFileAtomically(dir_ / "missing" / "a.conf", "x");
    ADD_FAILURE() << "expected std::system_error";
  } catch (const std::system_error& e) {
    EXPECT_EQ(
        std::string(e.what()).rfind("cannot write " + (dir_ / "missing" / "a.conf").string(), 0),
        0u)
        << e.what();
  }
}

TEST_F(AtomicFile, NeverWritesThroughAPlantedSymlink) {
  const auto victim = dir_ / "victim";
  writeFileAtomically(victim, "precious");
  // Every name an older, predictable scheme might have used.
  fs::create_symlink(victim, dir_ / "out.yaml.tmp");
  fs::create_symlink(victim, dir_ / ".out.yaml.berth-tmp");
  writeFileAtomically(dir_ / "out.yaml", "new");
  EXPECT_EQ(readFileIfExists(victim), "precious");
  EXPECT_EQ(readFileIfExists(dir_ / "out.yaml"), "new");
}

}  // namespace
}  // namespace berth
