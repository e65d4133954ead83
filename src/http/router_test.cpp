#include "http/router.h"

#include <gtest/gtest.h>

#include <stdexcept>

namespace berth::http {
namespace {

Request request(std::string method, std::string path) {
  Request r;
  r.method = std::move(method);
  r.path = std::move(path);
  return r;
}

Handler answer(std::string text) {
  return [text](const Request&) { return Response::text(200, text); };
}

TEST(Router, CallsTheRouteWhosePatternAndMethodMatch) {
  Router router;
  router.get("/api/projects", answer("list"));
  router.post("/api/projects", answer("create"));
  auto get = request("GET", "/api/projects");
  auto post = request("POST", "/api/projects");
  EXPECT_EQ(router.dispatch(get).body, "list");
  EXPECT_EQ(router.dispatch(post).body, "create");
}

TEST(Router, FillsPathParametersFromTheirSegments) {
  Router router;
  router.get("/api/projects/{p}/stages/{s}", [](const Request& r) {
    return Response::text(200, r.param("p") + "|" + r.param("s"));
  });
  auto r = request("GET", "/api/projects/web/stages/prod uction");
  EXPECT_EQ(router.dispatch(r).body, "web|prod uction");
  EXPECT_EQ(r.params.at("p"), "web");
}

TEST(Router, AParameterNeverMatchesAnEmptySegmentOrSeveralSegments) {
  Router router;
  router.get("/api/projects/{p}", answer("one"));
  auto empty = request("GET", "/api/projects/");
  auto two = request("GET", "/api/projects/a/b");
  EXPECT_EQ(router.dispatch(empty).status, 404);
  EXPECT_EQ(router.dispatch(two).status, 404);
}

TEST(Router, TheFirstMatchingRouteWins) {
  Router router;
  router.get("/api/deploys/{id}", answer("by id"));
  router.get("/api/deploys/latest", answer("latest"));
  auto r = request("GET", "/api/deploys/latest");
  EXPECT_EQ(router.dispatch(r).body, "by id");
}

TEST(Router, UnknownPathIs404WithJsonError) {
  Router router;
  router.get("/healthz", answer("ok"));
  auto r = request("GET", "/nope");
  auto response = router.dispatch(r);
  EXPECT_EQ(response.status, 404);
  EXPECT_NE(response.body.find("\"not_found\""), std::string::npos);
  EXPECT_EQ(response.header("content-type"), "application/json");
}

TEST(Router, KnownPathWithOtherMethodIs405ListingTheAllowedOnes) {
  Router router;
  router.get("/api/tokens", answer("list"));
  router.post("/api/tokens", answer("create"));
  router.del("/api/tokens/{id}", answer("delete"));
  auto r = request("PUT", "/api/tokens");
  auto response = router.dispatch(r);
  EXPECT_EQ(response.status, 405);
  EXPECT_EQ(response.header("Allow"), "GET, POST, HEAD");
  EXPECT_NE(response.body.find("\"method_not_allowed\""), std::string::npos);
}

TEST(Router, HeadIsServedByTheGetRoute) {
  Router router;
  router.get("/api/projects", answer("list"));
  auto r = request("HEAD", "/api/projects");
  auto response = router.dispatch(r);
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, "list");  // the server drops it
}

TEST(Router, RootPathMatchesOnlyTheRootPattern) {
  Router router;
  router.get("/", answer("root"));
  auto root = request("GET", "/");
  auto other = request("GET", "/x");
  EXPECT_EQ(router.dispatch(root).body, "root");
  EXPECT_EQ(router.dispatch(other).status, 404);
}

TEST(Router, RefusesMalformedPatternsAtStartUp) {
  Router router;
  EXPECT_THROW(router.get("api/x", answer("")), std::invalid_argument);
  EXPECT_THROW(router.get("/api/x{id}", answer("")), std::invalid_argument);
  EXPECT_THROW(router.get("/api/{}", answer("")), std::invalid_argument);
}

}  // namespace
}  // namespace berth::http
