// Multiplexed log frames, split across reads everywhere (also inside the 8-byte header).
#include "docker/log_demux.h"

#include <gtest/gtest.h>

#include <vector>

namespace berth::docker {
namespace {

std::string frame(int stream, std::string_view payload) {
  std::string f(8, '\0');
  f[0] = static_cast<char>(stream);
  const auto n = static_cast<std::uint32_t>(payload.size());
  f[4] = static_cast<char>((n >> 24) & 0xff);
  f[5] = static_cast<char>((n >> 16) & 0xff);
  f[6] = static_cast<char>((n >> 8) & 0xff);
  f[7] = static_cast<char>(n & 0xff);
  return f + std::string(payload);
}

std::vector<LogChunk> demux(bool tty, const std::vector<std::string>& reads) {
  LogDemuxer d(tty);
  std::vector<LogChunk> out;
  for (const auto& r : reads)
    d.feed(r, [&](LogStream s, std::string_view t) { out.push_back({s, std::string(t)}); });
  d.finish();
  return out;
}

TEST(LogDemux, RecordedBodyFromThe20_10Daemon) {
  // `sh -c 'echo out; echo err >&2; echo out2'`, as GET /containers/{id}/logs returned it.
  const std::string body(
      "\x01\0\0\0\0\0\0\x04"
      "out\n"
      "\x01\0\0\0\0\0\0\x05"
      "out2\n"
      "\x02\0\0\0\0\0\0\x04"
      "err\n",
      37);
  EXPECT_EQ(demux(false, {body}), (std::vector<LogChunk>{{LogStream::stdout_stream, "out\n"},
                                                         {LogStream::stdout_stream, "out2\n"},
                                                         {LogStream::stderr_stream, "err\n"}}));
}

TEST(LogDemux, FramesSplitAtEveryPossiblePlace) {
  const std::string big(70000, 'x');  // size needs more than the low byte
  const std::string body =
      frame(1, "hello\n") + frame(2, "oops\n") + frame(1, "") + frame(1, big) + frame(2, "end");
  const std::vector<LogChunk> expected = {{LogStream::stdout_stream, "hello\n"},
                                          {LogStream::stderr_stream, "oops\n"},
                                          {LogStream::stdout_stream, ""},
                                          {LogStream::stdout_stream, big},
                                          {LogStream::stderr_stream, "end"}};
  // Two reads, cut at every offset of the first 40 bytes (inside headers and payloads)...
  for (size_t cut = 0; cut <= 40; ++cut)
    EXPECT_EQ(demux(false, {body.substr(0, cut), body.substr(cut)}), expected) << "cut " << cut;
  // ...and byte by byte, and in odd sizes.
  for (const size_t size : {1, 3, 7, 8, 9, 4096}) {
    std::vector<std::string> reads;
    for (size_t i = 0; i < body.size(); i += size)
      reads.push_back(body.substr(i, size));
    EXPECT_EQ(demux(false, reads), expected) << "size " << size;
  }
}

TEST(LogDemux, TtyOutputIsRawText) {
  EXPECT_EQ(demux(true, {"out\r\n", "err\r\n"}),
            (std::vector<LogChunk>{{LogStream::stdout_stream, "out\r\n"},
                                   {LogStream::stdout_stream, "err\r\n"}}));
}

TEST(LogDemux, TruncatedBodyIsAnError) {
  const std::string f = frame(1, "hello");
  for (const size_t cut : {3, 8, 10}) {
    LogDemuxer d(false);
    d.feed(f.substr(0, cut), [](LogStream, std::string_view) {});
    EXPECT_THROW(d.finish(), std::runtime_error) << cut;
  }
}

TEST(LogDemux, RawTextReadAsMultiplexedIsAnError) {
  LogDemuxer d(false);
  EXPECT_THROW(d.feed("hello world\n", [](LogStream, std::string_view) {}), std::runtime_error);
}

TEST(LogDemux, OversizedFrameIsRefused) {
  LogDemuxer d(false, 16);
  EXPECT_THROW(d.feed(frame(1, std::string(17, 'x')), [](LogStream, std::string_view) {}),
               std::runtime_error);
}

}  // namespace
}  // namespace berth::docker
