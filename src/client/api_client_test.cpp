// The API client against a scripted server: what it sends (the token, JSON bodies), and how
// each kind of failure becomes a message and an exit code.
#include "client/api_client.h"

#include <gtest/gtest.h>

#include "cli/exit_codes.h"
#include "client/client_test_support.h"
#include "net/curl_http_client.h"

namespace berth::client {
namespace {

using namespace testing;
using net::testing::TestServer;

constexpr const char* kSecret = "berth_feedfacefeedface";

ServerSettings settings(const std::string& url, bool with_token = true) {
  ServerSettings s{.url = url, .token = std::nullopt};
  if (with_token) s.token = ApiToken{kSecret, "/home/ci/.config/berth/token"};
  return s;
}

// The ClientError thrown by `f`.
template <class F>
ClientError errorOf(F f) {
  try {
    f();
  } catch (const ClientError& e) {
    EXPECT_EQ(std::string(e.what()).find(kSecret), std::string::npos) << "never the token";
    return e;
  }
  ADD_FAILURE() << "no ClientError";
  return ClientError(-1, "");
}

TEST(ApiClient, SendsTheTokenAndAJsonBody) {
  TestServer server([](const std::string&) { return jsonReply(202, R"({"deploy":{"id":42}})"); });
  net::CurlHttpClient http;
  const ApiClient api(http, settings(server.url("")));
  const Json answer = api.post("/api/projects/web/stages/staging/deploys", Json{{"tag", "v1"}});
  EXPECT_EQ(answer["deploy"]["id"], 42);
  const std::string seen = server.requests().at(0);
  EXPECT_TRUE(isRequest(seen, "POST /api/projects/web/stages/staging/deploys")) << seen;
  EXPECT_NE(seen.find(std::string("Authorization: Bearer ") + kSecret + "\r\n"), std::string::npos);
  EXPECT_TRUE(seen.ends_with("\r\n\r\n{\"tag\":\"v1\"}")) << seen;
}

TEST(ApiClient, SendsNoAuthorizationWithoutAToken) {
  TestServer server([](const std::string&) { return jsonReply(200, R"({"projects":[]})"); });
  net::CurlHttpClient http;
  ApiClient(http, settings(server.url(""), false)).get("/api/projects");
  EXPECT_EQ(server.requests().at(0).find("Authorization"), std::string::npos);
}

TEST(ApiClient, ShowsTheServersMessageWithAnExitCodePerKindOfRefusal) {
  struct Case {
    int status;
    int exit_code;
  };
  for (const Case c :
       {Case{400, kExitRefused}, Case{404, kExitRefused}, Case{409, kExitRefused},
        Case{503, kExitRefused}, Case{403, kExitUnauthorized}, Case{500, kExitFailure}}) {
    TestServer server([&](const std::string&) {
      return jsonReply(c.status, R"({"error":{"code":"x","message":"the server's sentence"}})");
    });
    net::CurlHttpClient http;
    const ApiClient api(http, settings(server.url("")));
    const ClientError e = errorOf([&] { api.get("/api/projects"); });
    EXPECT_EQ(e.exitCode(), c.exit_code) << c.status;
    EXPECT_NE(std::string(e.what()).find("the server's sentence"), std::string::npos) << e.what();
  }
}

TEST(ApiClient, UnauthorizedSaysWhereTheTokenCameFromOrHowToGetOne) {
  TestServer server([](const std::string&) {
    return jsonReply(401,
                     R"({"error":{"code":"unauthorized","message":"authentication required"}})");
  });
  net::CurlHttpClient http;
  const ClientError refused =
      errorOf([&] { ApiClient(http, settings(server.url(""))).get("/api/projects"); });
  EXPECT_EQ(refused.exitCode(), kExitUnauthorized);
  EXPECT_NE(std::string(refused.what())
                .find("refused the API token from "
                      "/home/ci/.config/berth/token"),
            std::string::npos)
      << refused.what();
  const ClientError missing =
      errorOf([&] { ApiClient(http, settings(server.url(""), false)).get("/api/projects"); });
  EXPECT_NE(std::string(missing.what()).find("needs an API token: set BERTH_TOKEN"),
            std::string::npos)
      << missing.what();
}

TEST(ApiClient, AnAnswerThatIsNotBerthsSaysSo) {
  TestServer server([](const std::string&) {
    return net::testing::ScriptedReply{
        {"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 9\r\nConnection: close\r\n\r\n<html/>\r\n"},
        std::chrono::milliseconds(0),
        std::chrono::milliseconds(0)};
  });
  net::CurlHttpClient http;
  const ApiClient api(http, settings(server.url("")));
  const ClientError e = errorOf([&] { api.get("/api/projects"); });
  EXPECT_EQ(e.exitCode(), kExitFailure);
  EXPECT_EQ(std::string(e.what()), "the server at " + server.url("") +
                                       " answered HTTP 502 without berth's error message: is "
                                       "--server the address of berth, and is it running?");
}

TEST(ApiClient, AServerThatCannotBeReachedIsNamed) {
  net::CurlHttpClient http;
  const ApiClient api(http, settings("http://127.0.0.1:1"));
  const ClientError e = errorOf([&] { api.get("/api/projects"); });
  EXPECT_EQ(e.exitCode(), kExitUnreachable);
  EXPECT_TRUE(
      std::string(e.what()).starts_with("cannot reach the berth server at "
                                        "http://127.0.0.1:1: "))
      << e.what();
}

TEST(ApiClient, AStreamThatIsRefusedThrowsTheServersMessage) {
  TestServer server([](const std::string&) {
    return jsonReply(404, R"({"error":{"code":"not_found","message":"no deploy with id 9"}})");
  });
  net::CurlHttpClient http;
  const ApiClient api(http, settings(server.url("")));
  const ClientError e = errorOf([&] {
    api.streamEvents(
        "/api/deploys/9/log", std::nullopt, [](const SseEvent&) { return true; }, nullptr, nullptr);
  });
  EXPECT_EQ(e.exitCode(), kExitRefused);
  EXPECT_STREQ(e.what(), "no deploy with id 9");
  EXPECT_NE(server.requests().at(0).find("Accept: text/event-stream\r\n"), std::string::npos);
}

TEST(ApiClient, PathSegmentsAreEscaped) {
  EXPECT_EQ(pathSegment("web-1.a_b~"), "web-1.a_b~");
  EXPECT_EQ(pathSegment("a b/c?"), "a%20b%2Fc%3F");
}

}  // namespace
}  // namespace berth::client
