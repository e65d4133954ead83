#include "web/static_files.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "http/request_target.h"
#include "web/embedded_assets.h"

namespace berth::web {
namespace {

namespace fs = std::filesystem;

class StaticFilesTest : public ::testing::Test {
 protected:
  StaticFilesTest() {
    dir_ = fs::temp_directory_path() / ("berth-web-" + std::to_string(::getpid()));
    fs::create_directories(dir_ / "_app/immutable/entry");
    std::ofstream(dir_ / "index.html") << "<!doctype html><title>berth</title>";
    std::ofstream(dir_ / "_app/immutable/entry/start.abc123.js") << "console.log(1)";
    std::ofstream(dir_ / "favicon.svg") << "<svg/>";
  }
  ~StaticFilesTest() override { fs::remove_all(dir_); }

  http::Response get(const StaticFiles& files, const std::string& target,
                     std::vector<std::pair<std::string, std::string>> headers = {}) {
    http::Request request;
    request.method = "GET";
    request.target = target;
    EXPECT_FALSE(http::parseRequestTarget(target, request));
    request.headers = std::move(headers);
    return files.serve(request);
  }
  fs::path dir_;
};

TEST_F(StaticFilesTest, HashedAssetsAreImmutableAndTheRestIsRevalidated) {
  const StaticFiles files(dir_);
  const auto js = get(files, "/_app/immutable/entry/start.abc123.js");
  EXPECT_EQ(js.status, 200);
  EXPECT_EQ(js.body, "console.log(1)");
  EXPECT_EQ(js.header("Content-Type"), "text/javascript; charset=utf-8");
  EXPECT_EQ(js.header("Cache-Control"), "public, max-age=31536000, immutable");
  const auto index = get(files, "/");
  EXPECT_EQ(index.header("Content-Type"), "text/html; charset=utf-8");
  EXPECT_EQ(index.header("Cache-Control"), "no-cache");
  EXPECT_EQ(get(files, "/favicon.svg").header("Content-Type"), "image/svg+xml");
}

TEST_F(StaticFilesTest, ClientRoutesFallBackToIndexButApiAndAssetsNever) {
  const StaticFiles files(dir_);
  const auto route = get(files, "/projects/web/stages/production");
  EXPECT_EQ(route.status, 200);
  EXPECT_NE(route.body.find("<title>berth</title>"), std::string::npos);
  const auto api = get(files, "/api/nothing");
  EXPECT_EQ(api.status, 404);
  EXPECT_EQ(api.header("Content-Type").value_or("").rfind("application/json", 0), 0u);
  EXPECT_EQ(get(files, "/_app/immutable/entry/missing.js").status, 404)
      << "HTML in place of a script would be run as one";
}

TEST_F(StaticFilesTest, WithoutADashboardTheAnswerSaysSo) {
  const StaticFiles files(dir_ / "nothing-here");
  EXPECT_FALSE(files.available());
  const auto r = get(files, "/");
  EXPECT_EQ(r.status, 404);
  EXPECT_NE(r.body.find("without the dashboard"), std::string::npos);
}

TEST(EmbeddedFiles, ServeGzipToClientsThatAcceptIt) {
  const StaticFiles files;
  if (!files.available())
    GTEST_SKIP() << "this build has no dashboard (web/ absent or BERTH_WEB=OFF)";
  http::Request request;
  request.method = "GET";
  request.target = "/";
  http::parseRequestTarget("/", request);
  const auto plain = files.serve(request);
  ASSERT_EQ(plain.status, 200);
  EXPECT_FALSE(plain.header("Content-Encoding"));
  request.headers = {{"accept-encoding", "gzip, deflate, br"}};
  const auto packed = files.serve(request);
  EXPECT_EQ(packed.header("Content-Encoding"), "gzip");
  EXPECT_EQ(packed.header("Vary"), "Accept-Encoding");
  EXPECT_LT(packed.body.size(), plain.body.size());
  // Every embedded file is byte for byte what web/build holds (no re-encoding on the way).
  for (const auto& asset : embeddedAssets()) {
    std::ifstream in(std::string(BERTH_WEB_BUILD_DIR) + std::string(asset.path), std::ios::binary);
    const std::string disk((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_EQ(disk, asset.body) << asset.path;
    if (!asset.gzip.empty()) {
      EXPECT_EQ(asset.gzip.substr(0, 2), "\x1f\x8b") << asset.path;
    }
  }
}

}  // namespace
}  // namespace berth::web
