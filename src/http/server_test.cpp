// The server as a client sees it: routing over a socket, limits, timeouts, keep-alive, HEAD,
// handler failures and the access log. Event streams: server_stream_test.cpp.
#include "http/server.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <stdexcept>

#include "http/server_test_support.h"
#include "net/curl_http_client.h"

namespace berth::http {
namespace {

using namespace std::chrono_literals;
using testing::bodyOf;
using testing::RawClient;
using testing::ServerHarness;
using testing::statusOf;

void echoRoutes(Router& router) {
  router.get("/api/projects/{p}", [](const Request& r) {
    nlohmann::json body = {{"project", r.param("p")},
                           {"limit", std::string(r.queryParam("limit").value_or(""))},
                           {"agent", std::string(r.header("user-agent").value_or(""))},
                           {"remote", r.remote_address}};
    return Response::jsonText(200, body.dump());
  });
  router.post("/api/echo", [](const Request& r) { return Response::text(201, r.body); });
}

TEST(Server, ServesARouteWithParamsQueryAndLowerCasedHeaders) {
  ServerHarness harness(echoRoutes);
  net::CurlHttpClient client;
  net::HttpRequest request{.url = harness.url("/api/projects/my%20app?limit=5")};
  request.headers.add("User-Agent", "berth-test");
  auto response = client.send(request);
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.headers.get("content-type"), "application/json");
  auto body = nlohmann::json::parse(response.body);
  EXPECT_EQ(body["project"], "my app");
  EXPECT_EQ(body["limit"], "5");
  EXPECT_EQ(body["agent"], "berth-test");
  EXPECT_EQ(body["remote"], "127.0.0.1");
}

TEST(Server, PostBodyReachesTheHandler) {
  ServerHarness harness(echoRoutes);
  net::CurlHttpClient client;
  std::string payload(200'000, 'x');
  auto response = client.send({.method = "POST", .url = harness.url("/api/echo"), .body = payload});
  EXPECT_EQ(response.status, 201);
  EXPECT_EQ(response.body, payload);
}

TEST(Server, UnknownPathIsA404JsonError) {
  ServerHarness harness(echoRoutes);
  net::CurlHttpClient client;
  auto response = client.send({.url = harness.url("/nope")});
  EXPECT_EQ(response.status, 404);
  EXPECT_EQ(nlohmann::json::parse(response.body)["error"]["code"], "not_found");
}

TEST(Server, KeepAliveServesTwoRequestsOnOneConnection) {
  ServerHarness harness(echoRoutes);
  RawClient client(harness.port());
  client.send("GET /api/projects/a HTTP/1.1\r\nHost: x\r\n\r\n");
  auto first = client.readResponse();
  EXPECT_EQ(statusOf(first), 200) << first;
  EXPECT_EQ(harness.server().connections(), 1u);
  client.send("GET /api/projects/b HTTP/1.1\r\nHost: x\r\n\r\n");
  auto second = client.readResponse();
  EXPECT_EQ(statusOf(second), 200) << second;
  EXPECT_NE(bodyOf(second).find("\"b\""), std::string::npos);
  EXPECT_FALSE(client.closedWithin(50ms));
}

TEST(Server, ConnectionCloseRequestIsAnsweredThenClosed) {
  ServerHarness harness(echoRoutes);
  RawClient client(harness.port());
  client.send("GET /api/projects/a HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(statusOf(client.readResponse()), 200);
  EXPECT_TRUE(client.closedWithin(2s));
}

TEST(Server, HeadAnswersGetsHeadersWithoutTheBody) {
  ServerHarness harness(echoRoutes);
  auto contentLength = [](const std::string& response) {
    auto at = response.find("Content-Length: ");
    return at == std::string::npos ? "" : response.substr(at, response.find('\r', at) - at);
  };
  RawClient client(harness.port());
  client.send("GET /api/projects/abc HTTP/1.1\r\nHost: x\r\n\r\n");
  auto get = client.readResponse();
  client.send("HEAD /api/projects/abc HTTP/1.1\r\nHost: x\r\n\r\n");
  auto head = client.readResponse(/*head=*/true);
  EXPECT_EQ(statusOf(head), 200) << head;
  EXPECT_EQ(bodyOf(head), "");
  EXPECT_NE(contentLength(get), "");
  EXPECT_EQ(contentLength(head), contentLength(get));
  // Had any body bytes been sent, they would now be read as the next response's start.
  client.send("GET /api/projects/abc HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(client.readResponse(), get);
}

TEST(Server, OversizedHeaderIs431ThenClosed) {
  ServerOptions options;
  options.max_header_bytes = 1024;
  ServerHarness harness(echoRoutes, options);
  RawClient client(harness.port());
  client.send("GET /api/projects/a HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(8000, 'a') +
              "\r\n\r\n");
  auto response = client.readResponse();
  EXPECT_EQ(statusOf(response), 431) << response;
  EXPECT_EQ(nlohmann::json::parse(bodyOf(response))["error"]["code"], "header_too_large");
  EXPECT_TRUE(client.closedWithin(2s));
}

TEST(Server, OversizedBodyIs413ThenClosed) {
  ServerOptions options;
  options.max_body_bytes = 1000;
  ServerHarness harness(echoRoutes, options);
  RawClient client(harness.port());
  client.send("POST /api/echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\n" +
              std::string(5000, 'b'));
  auto response = client.readResponse();
  EXPECT_EQ(statusOf(response), 413) << response;
  EXPECT_EQ(nlohmann::json::parse(bodyOf(response))["error"]["code"], "body_too_large");
  EXPECT_TRUE(client.closedWithin(2s));
}

TEST(Server, MalformedRequestIs400ThenClosed) {
  ServerHarness harness(echoRoutes);
  RawClient client(harness.port());
  client.send("GET /x HTTP/1.1\r\nBad Header Without Colon\r\n\r\n");
  auto response = client.readResponse();
  EXPECT_EQ(statusOf(response), 400) << response;
  EXPECT_EQ(nlohmann::json::parse(bodyOf(response))["error"]["code"], "bad_request");
  EXPECT_TRUE(client.closedWithin(2s));
}

TEST(Server, PathThatClimbsIs400NamingTheProblem) {
  ServerHarness harness(echoRoutes);
  RawClient client(harness.port());
  client.send("GET /api/projects/%2e%2e HTTP/1.1\r\nHost: x\r\n\r\n");
  auto response = client.readResponse();
  EXPECT_EQ(statusOf(response), 400) << response;
  auto message = nlohmann::json::parse(bodyOf(response))["error"]["message"].get<std::string>();
  EXPECT_NE(message.find(".."), std::string::npos) << message;
}

TEST(Server, IdleConnectionIsClosedAfterTheIdleTimeout) {
  ServerOptions options;
  options.idle_timeout = 100ms;
  ServerHarness harness(echoRoutes, options);
  RawClient client(harness.port());
  client.send("GET /api/projects/a HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(statusOf(client.readResponse()), 200);
  auto waited_from = std::chrono::steady_clock::now();
  EXPECT_TRUE(client.closedWithin(3s));
  EXPECT_GE(std::chrono::steady_clock::now() - waited_from, 90ms);
}

TEST(Server, HalfSentRequestIsClosedAfterTheReadTimeout) {
  ServerOptions options;
  options.read_timeout = 150ms;
  ServerHarness harness(echoRoutes, options);
  RawClient client(harness.port());
  client.send("GET /api/projects/a HTTP/1.1\r\nHo");
  EXPECT_TRUE(client.closedWithin(3s));
  EXPECT_EQ(client.received(), "");
}

TEST(Server, HandlerExceptionIs500WithoutItsTextAndTheServerKeepsServing) {
  ServerHarness harness([](Router& router) {
    router.get("/boom", [](const Request&) -> Response {
      throw std::runtime_error("database password is hunter2");
    });
    router.get("/ok", [](const Request&) { return Response::text(200, "fine"); });
  });
  net::CurlHttpClient client;
  auto failed = client.send({.url = harness.url("/boom")});
  EXPECT_EQ(failed.status, 500);
  EXPECT_EQ(nlohmann::json::parse(failed.body)["error"]["code"], "internal_error");
  EXPECT_EQ(failed.body.find("hunter2"), std::string::npos);
  EXPECT_EQ(client.send({.url = harness.url("/ok")}).body, "fine");
  // The operator still learns what went wrong.
  EXPECT_NE(harness.stopAndReadLog().find("hunter2"), std::string::npos);
}

TEST(Server, HeadersThatWouldSplitTheResponseAreDropped) {
  ServerHarness harness([](Router& router) {
    router.get("/x", [](const Request&) {
      auto response = Response::text(200, "ok");
      response.headers.emplace_back("X-Evil", "a\r\nSet-Cookie: stolen=1");
      response.headers.emplace_back("X-Fine", "yes");
      return response;
    });
  });
  net::CurlHttpClient client;
  auto response = client.send({.url = harness.url("/x")});
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.headers.get("set-cookie"), std::nullopt);
  EXPECT_EQ(response.headers.get("x-evil"), std::nullopt);
  EXPECT_EQ(response.headers.get("x-fine"), "yes");
}

TEST(Server, AccessLogNamesTheRequestButNeverItsQuery) {
  ServerHarness harness(echoRoutes);
  net::CurlHttpClient client;
  EXPECT_EQ(client.send({.url = harness.url("/api/projects/web?token=s3cret")}).status, 200);
  auto log = harness.stopAndReadLog();
  EXPECT_EQ(log.find("s3cret"), std::string::npos) << log;
  auto line = nlohmann::json::parse(log.substr(0, log.find('\n')));
  EXPECT_EQ(line["method"], "GET");
  EXPECT_EQ(line["path"], "/api/projects/web");
  EXPECT_EQ(line["status"], 200);
  EXPECT_GT(line["bytes"].get<int>(), 0);
  EXPECT_TRUE(line["duration_ms"].is_number());
  EXPECT_EQ(line["remote"], "127.0.0.1");
}

TEST(Server, ConnectionsAboveTheLimitAreClosedAtOnce) {
  ServerOptions options;
  options.max_connections = 1;
  ServerHarness harness(echoRoutes, options);
  RawClient first(harness.port());
  first.send("GET /api/projects/a HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(statusOf(first.readResponse()), 200);
  RawClient second(harness.port());
  second.send("GET /api/projects/a HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_TRUE(second.closedWithin(2s));
  EXPECT_EQ(second.received(), "");
}

TEST(Server, BadListenAddressesAreRefusedNamingTheAddress) {
  Router router;
  std::ostringstream log;
  for (std::string listen : {"nonsense", "127.0.0.1:99999", "example.com:80", "[::1:80"}) {
    ServerOptions options;
    options.listen = listen;
    try {
      Server server(router, options, Logger(log, LogLevel::info, LogFormat::json));
      ADD_FAILURE() << listen << " was accepted";
    } catch (const std::runtime_error& e) {
      EXPECT_NE(std::string(e.what()).find(listen), std::string::npos) << e.what();
    }
  }
}

TEST(Server, PortInUseIsRefusedNamingTheAddress) {
  ServerHarness first(echoRoutes);
  Router router;
  std::ostringstream log;
  ServerOptions options;
  options.listen = "127.0.0.1:" + std::to_string(first.port());
  EXPECT_THROW(Server(router, options, Logger(log, LogLevel::info, LogFormat::json)),
               std::runtime_error);
}

TEST(Server, StopIsIdempotent) {
  ServerHarness harness(echoRoutes);
  harness.server().stop();
  harness.server().stop(0ms);
  EXPECT_EQ(harness.server().connections(), 0u);
}

}  // namespace
}  // namespace berth::http
