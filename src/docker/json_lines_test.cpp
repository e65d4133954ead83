#include "docker/json_lines.h"

#include <gtest/gtest.h>

#include <vector>

namespace berth::docker {
namespace {

std::vector<std::string> splitAll(const std::vector<std::string>& chunks) {
  LineSplitter splitter;
  std::vector<std::string> lines;
  const auto collect = [&](std::string_view line) { lines.emplace_back(line); };
  for (const auto& c : chunks)
    splitter.feed(c, collect);
  splitter.finish(collect);
  return lines;
}

TEST(LineSplitter, LinesSplitAnywhereComeOutWhole) {
  const std::string text = "{\"a\":1}\n{\"b\":2}\r\n\n  \n{\"c\":3}\n";
  const std::vector<std::string> expected = {"{\"a\":1}", "{\"b\":2}", "{\"c\":3}"};
  for (size_t size = 1; size <= text.size(); ++size) {
    std::vector<std::string> chunks;
    for (size_t i = 0; i < text.size(); i += size)
      chunks.push_back(text.substr(i, size));
    EXPECT_EQ(splitAll(chunks), expected) << "chunk size " << size;
  }
}

TEST(LineSplitter, LastLineWithoutNewlineIsDeliveredByFinish) {
  EXPECT_EQ(splitAll({"a\nb", "c"}), (std::vector<std::string>{"a", "bc"}));
}

TEST(LineSplitter, RefusesEndlessLines) {
  LineSplitter splitter(8);
  const auto ignore = [](std::string_view) {};
  splitter.feed("1234", ignore);
  EXPECT_EQ(splitter.pending(), 4u);
  EXPECT_THROW(splitter.feed("56789", ignore), std::length_error);
}

}  // namespace
}  // namespace berth::docker
