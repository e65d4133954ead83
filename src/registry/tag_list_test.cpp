#include "registry/tag_list.h"

#include <gtest/gtest.h>

#include "registry/registry_error.h"

namespace berth::registry {
namespace {

const std::string kCtx = "registry ghcr.io, repository acme/web: tag list";

std::string parseError(std::string_view body) {
  try {
    (void)parseTagList(body, kCtx);
  } catch (const RegistryError& e) {
    EXPECT_EQ(e.kind(), RegistryError::Kind::bad_response);
    return e.what();
  }
  return "no error";
}

TEST(TagList, ParsesTagsInRegistryOrder) {
  EXPECT_EQ(parseTagList(R"({"name":"berth-test/app","tags":["v1","crash","slow","v2"]})", kCtx),
            (std::vector<std::string>{"v1", "crash", "slow", "v2"}));
  EXPECT_TRUE(parseTagList(R"({"name":"a","tags":null})", kCtx).empty());
  EXPECT_TRUE(parseTagList(R"({"name":"a","tags":[]})", kCtx).empty());
}

TEST(TagList, MalformedBodiesNameRegistryRepositoryAndField) {
  EXPECT_EQ(parseError("<html>502</html>"), kCtx + ": tag list is not a JSON object");
  EXPECT_EQ(parseError(R"({"name":"a"})"), kCtx + ": tag list has no field 'tags'");
  EXPECT_EQ(parseError(R"({"tags":"v1"})"), kCtx + ": field 'tags' must be an array");
  EXPECT_EQ(parseError(R"({"tags":["v1",2]})"), kCtx + ": field 'tags[1]' must be a string");
}

TEST(TagList, NextPageUrlResolvesRelativeAndAbsoluteLinks) {
  net::Headers h;
  h.add("Link", R"(</v2/acme/web/tags/list?last=v9&n=1000>; rel="next")");
  EXPECT_EQ(nextPageUrl(h, "https://ghcr.io/v2/acme/web/tags/list?n=1000", kCtx),
            "https://ghcr.io/v2/acme/web/tags/list?last=v9&n=1000");
  net::Headers absolute;
  absolute.add("link", R"(<https://mirror.example/v2/acme/web/tags/list?last=v9>; rel=next)");
  EXPECT_EQ(nextPageUrl(absolute, "https://ghcr.io/v2/acme/web/tags/list", kCtx),
            "https://mirror.example/v2/acme/web/tags/list?last=v9");
  EXPECT_EQ(nextPageUrl(net::Headers(), "https://ghcr.io/x", kCtx), std::nullopt);
  net::Headers bad;
  bad.add("Link", "<ftp://x/y>; rel=next");
  EXPECT_THROW((void)nextPageUrl(bad, "https://ghcr.io/x", kCtx), RegistryError);
}

}  // namespace
}  // namespace berth::registry
