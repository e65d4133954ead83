// Pull progress: the recorded 20.10 stream, chunk splits, and errors that arrive after HTTP 200.
#include "docker/pull_progress.h"

#include <gtest/gtest.h>

#include "docker/docker_error.h"
#include "docker/fake_http_client.h"
#include "docker/recorded_responses.h"

namespace berth::docker {
namespace {

using testing::kPullStream;
using testing::pieces;

TEST(PullProgress, RecordedPullOfANewLayer) {
  std::vector<std::string> statuses;
  std::vector<std::int64_t> downloaded;
  PullStreamDecoder decoder("127.0.0.1:25000/berth-test/rec:one",
                            [&](const PullMessage& m, const PullProgress& p) {
                              statuses.push_back(m.status);
                              downloaded.push_back(p.bytesDownloaded());
                            });
  decoder.feed(kPullStream);
  decoder.finish();
  const PullProgress& p = decoder.progress();
  EXPECT_TRUE(p.finished());
  EXPECT_TRUE(p.downloadedNewer());
  EXPECT_EQ(p.digest(), "sha256:123b2faef31c1bb47aea09fa618bb4d97fccdd98f0e87c2e3d221a9cde65c9f3");
  ASSERT_EQ(p.layers().size(), 2u);
  EXPECT_EQ(p.layers()[0].id, "942df2550c48");
  EXPECT_TRUE(p.layers()[0].already_present);
  EXPECT_EQ(p.layers()[1].id, "80b8cfa85406");
  EXPECT_EQ(p.layers()[1].size, 3146839);
  EXPECT_TRUE(p.layers()[1].done);
  EXPECT_EQ(p.bytesDownloaded(), 3146839);
  EXPECT_EQ(p.bytesTotal(), 3146839);
  EXPECT_EQ(p.summary(), "2 layers (1 already present), 3.1 MB");
  EXPECT_EQ(statuses.size(), 11u);
  EXPECT_EQ(statuses.front(), "Pulling from berth-test/rec");
  EXPECT_EQ(downloaded[3], 36412) << "after the first Downloading message";
  EXPECT_TRUE(std::is_sorted(downloaded.begin(), downloaded.end()));
}

TEST(PullProgress, SameResultWhateverTheChunkSize) {
  for (const size_t size : {1, 2, 5, 17, 100, 1000}) {
    PullStreamDecoder decoder("x", {});
    for (const auto& piece : pieces(kPullStream, size))
      decoder.feed(piece);
    decoder.finish();
    EXPECT_EQ(decoder.progress().summary(), "2 layers (1 already present), 3.1 MB") << size;
    EXPECT_TRUE(decoder.progress().finished());
  }
}

TEST(PullProgress, UpToDate) {
  PullStreamDecoder decoder("x", {});
  decoder.feed(R"({"status":"Pulling from berth-test/app","id":"v2"}
{"status":"Digest: sha256:fa06"}
{"status":"Status: Image is up to date for 127.0.0.1:25000/berth-test/app:v2"}
)");
  decoder.finish();
  EXPECT_TRUE(decoder.progress().finished());
  EXPECT_FALSE(decoder.progress().downloadedNewer());
  EXPECT_EQ(decoder.progress().digest(), "sha256:fa06");
  EXPECT_EQ(decoder.progress().summary(), "0 layers, 0 B");
}

TEST(PullProgress, ErrorMidStreamAfterProgressThrows) {
  const std::string stream =
      R"({"status":"Pulling fs layer","progressDetail":{},"id":"aaa"}
{"status":"Downloading","progressDetail":{"current":100,"total":1000},"id":"aaa"}
{"errorDetail":{"message":"unauthorized: authentication required"},"error":"unauthorized: authentication required"}
)";
  for (const size_t size : {1, 13, 1000}) {
    int updates = 0;
    PullStreamDecoder decoder("127.0.0.1:5001/app:v1",
                              [&](const PullMessage&, const PullProgress&) { ++updates; });
    try {
      for (const auto& piece : pieces(stream, size))
        decoder.feed(piece);
      decoder.finish();
      FAIL() << "no error";
    } catch (const DockerError& e) {
      EXPECT_EQ(e.kind(), DockerError::Kind::unauthorized);
      EXPECT_EQ(std::string(e.what()),
                "docker: pull 127.0.0.1:5001/app:v1: unauthorized: unauthorized: authentication "
                "required");
    }
    EXPECT_EQ(updates, 2);
  }
}

TEST(PullProgress, ErrorInALastLineWithoutNewline) {
  PullStreamDecoder decoder("x", {});
  decoder.feed(R"({"error":"failed to register layer: no space left on device"})");
  try {
    decoder.finish();
    FAIL() << "no error";
  } catch (const DockerError& e) {
    EXPECT_EQ(e.kind(), DockerError::Kind::server);
  }
}

TEST(PullProgress, GarbageLineIsAProtocolError) {
  PullStreamDecoder decoder("x", {});
  try {
    decoder.feed("<html>\n");
    FAIL() << "no error";
  } catch (const DockerError& e) {
    EXPECT_EQ(e.kind(), DockerError::Kind::protocol);
  }
}

TEST(PullProgress, LayerStateMachine) {
  PullProgress p;
  p.apply({"l1", "Pulling fs layer", 0, 0, ""});
  p.apply({"l1", "Waiting", 0, 0, ""});
  EXPECT_EQ(p.layers()[0].size, 0);
  p.apply({"l1", "Downloading", 500, 2000, ""});
  EXPECT_EQ(p.bytesDownloaded(), 500);
  EXPECT_EQ(p.bytesTotal(), 2000);
  p.apply({"l1", "Verifying Checksum", 0, 0, ""});
  EXPECT_EQ(p.bytesDownloaded(), 2000);
  p.apply({"l1", "Extracting", 1000, 2000, ""});
  EXPECT_EQ(p.bytesDownloaded(), 2000) << "extraction does not count twice";
  EXPECT_FALSE(p.layers()[0].done);
  p.apply({"l1", "Pull complete", 0, 0, ""});
  EXPECT_TRUE(p.layers()[0].done);
  EXPECT_FALSE(p.finished());
  EXPECT_EQ(p.summary(), "1 layer, 2.0 kB");
}

TEST(PullProgress, FormatBytes) {
  EXPECT_EQ(formatBytes(0), "0 B");
  EXPECT_EQ(formatBytes(999), "999 B");
  EXPECT_EQ(formatBytes(36412), "36.4 kB");
  EXPECT_EQ(formatBytes(41'200'000), "41.2 MB");
  EXPECT_EQ(formatBytes(3'000'000'000), "3.0 GB");
}

}  // namespace
}  // namespace berth::docker
