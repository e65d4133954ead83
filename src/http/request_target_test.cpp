#include "http/request_target.h"

#include <gtest/gtest.h>

namespace berth::http {
namespace {

TEST(RequestTarget, SplitsAndDecodesPathAndQuery) {
  Request r;
  ASSERT_EQ(parseRequestTarget("/api/projects/my%20app?limit=5&q=a+b%2Bc&flag", r), std::nullopt);
  EXPECT_EQ(r.path, "/api/projects/my app");
  EXPECT_EQ(r.raw_query, "limit=5&q=a+b%2Bc&flag");
  EXPECT_EQ(r.queryParam("limit"), "5");
  EXPECT_EQ(r.queryParam("q"), "a b+c");
  EXPECT_EQ(r.queryParam("flag"), "");
}

TEST(RequestTarget, PlusIsLiteralInThePath) {
  Request r;
  ASSERT_EQ(parseRequestTarget("/tags/v1+build", r), std::nullopt);
  EXPECT_EQ(r.path, "/tags/v1+build");
}

TEST(RequestTarget, RepeatedQueryKeyKeepsTheLastValue) {
  Request r;
  ASSERT_EQ(parseRequestTarget("/x?a=1&&a=2", r), std::nullopt);
  EXPECT_EQ(r.queryParam("a"), "2");
}

TEST(RequestTarget, RefusesPathsThatClimbEvenWhenEncoded) {
  for (const char* target :
       {"/../etc/passwd", "/static/%2e%2e/secret", "/a/./b", "/a/..", "/static/%2E%2E%2Fx"}) {
    Request r;
    auto problem = parseRequestTarget(target, r);
    ASSERT_TRUE(problem.has_value()) << target;
    EXPECT_NE(problem->find(".."), std::string::npos) << target;
  }
}

TEST(RequestTarget, DotsInsideASegmentAreFine) {
  Request r;
  EXPECT_EQ(parseRequestTarget("/assets/app..js", r), std::nullopt);
  EXPECT_EQ(parseRequestTarget("/.well-known/x", r), std::nullopt);
}

TEST(RequestTarget, RefusesBadEscapesAndNul) {
  for (const char* target : {"/a%", "/a%4", "/a%zz", "/a%00b", "/x?k=%00", "/x?k=%G1"}) {
    Request r;
    auto problem = parseRequestTarget(target, r);
    ASSERT_TRUE(problem.has_value()) << target;
    EXPECT_NE(problem->find("percent escape"), std::string::npos) << target;
  }
}

TEST(RequestTarget, RefusesTargetsThatAreNotPaths) {
  Request r;
  EXPECT_TRUE(parseRequestTarget("http://example.com/x", r).has_value());
  EXPECT_TRUE(parseRequestTarget("*", r).has_value());
  EXPECT_TRUE(parseRequestTarget("", r).has_value());
}

TEST(RequestTarget, LogPathNeverIncludesTheQuery) {
  EXPECT_EQ(targetPathForLog("/api/webhook/web?token=s3cret"), "/api/webhook/web");
  EXPECT_EQ(targetPathForLog("/healthz"), "/healthz");
}

}  // namespace
}  // namespace berth::http
