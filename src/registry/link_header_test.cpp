#include "registry/link_header.h"

#include <gtest/gtest.h>

namespace berth::registry {
namespace {

TEST(LinkHeader, DistributionStyleRelativeNextLink) {
  const auto links = parseLinkHeader(R"(</v2/acme/web/tags/list?last=v1.9&n=100>; rel="next")");
  ASSERT_EQ(links.size(), 1u);
  EXPECT_EQ(links[0].target, "/v2/acme/web/tags/list?last=v1.9&n=100");
  EXPECT_EQ(links[0].params.at("rel"), "next");
}

TEST(LinkHeader, AbsoluteTargetsUnquotedRelAndSeveralLinks) {
  const auto links = parseLinkHeader(
      "<https://reg.example.com/v2/a/tags/list?n=2&last=b>; rel=next, "
      "<https://reg.example.com/v2/a/tags/list?n=2>; rel=\"first\"; title=\"x, y\"");
  ASSERT_EQ(links.size(), 2u);
  EXPECT_EQ(links[0].target, "https://reg.example.com/v2/a/tags/list?n=2&last=b");
  EXPECT_EQ(links[1].params.at("rel"), "first");
  EXPECT_EQ(links[1].params.at("title"), "x, y");
}

TEST(LinkHeader, NextTargetAcrossFieldsAndRelationLists) {
  EXPECT_EQ(nextLinkTarget({"<a>; rel=prev", "<b>; rel=\"next\""}), "b");
  EXPECT_EQ(nextLinkTarget({"<a>; rel=\"prev NEXT\""}), "a");
  EXPECT_EQ(nextLinkTarget({"<a>; rel=prev"}), std::nullopt);
  EXPECT_EQ(nextLinkTarget({}), std::nullopt);
  // A comma inside the target does not split the link.
  EXPECT_EQ(nextLinkTarget({"</v2/x/tags/list?last=a,b>; rel=next"}), "/v2/x/tags/list?last=a,b");
}

TEST(LinkHeader, MalformedLinksAreSkipped) {
  EXPECT_TRUE(parseLinkHeader("").empty());
  EXPECT_TRUE(parseLinkHeader("no-angle-brackets; rel=next").empty());
  EXPECT_TRUE(parseLinkHeader("<unterminated; rel=next").empty());
  const auto links = parseLinkHeader("garbage, <ok>; rel=next");
  ASSERT_EQ(links.size(), 1u);
  EXPECT_EQ(links[0].target, "ok");
}

}  // namespace
}  // namespace berth::registry
