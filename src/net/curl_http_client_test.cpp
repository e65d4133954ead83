// The real libcurl client against a scripted loopback server: what it sends, what it returns,
// and how it fails. Streams are the delicate part: chunks split anywhere, early stop, cancel.
#include "net/curl_http_client.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <thread>

#include "net/test_server.h"

namespace berth::net {
namespace {

using namespace std::chrono_literals;
using testing::ScriptedReply;
using testing::TestServer;

ScriptedReply reply(std::string whole) {
  return ScriptedReply{{std::move(whole)}, 0ms, 0ms};
}

TEST(CurlHttpClient, ReturnsStatusCaseInsensitiveHeadersAndBody) {
  TestServer server([](const std::string&) {
    return reply(
        "HTTP/1.1 404 Not Found\r\nContent-Length: 5\r\nDocker-Content-Digest: sha256:ab\r\n"
        "Link: <a>\r\nLink: <b>\r\n\r\nnope!");
  });
  CurlHttpClient client;
  const HttpResponse r = client.send({.url = server.url("/v2/x")});
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.body, "nope!");
  EXPECT_EQ(r.headers.get("docker-content-digest"), "sha256:ab");
  EXPECT_EQ(r.headers.getAll("LINK"), (std::vector<std::string>{"<a>", "<b>"}));
  EXPECT_EQ(r.headers.get("X-Missing"), std::nullopt);
}

TEST(CurlHttpClient, SendsMethodHeadersAndBody) {
  TestServer server([](const std::string&) {
    return reply("HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n");
  });
  CurlHttpClient client;
  HttpRequest request{.method = "POST", .url = server.url("/containers/create?name=web")};
  request.headers.add("Content-Type", "application/json");
  request.body = R"({"Image":"app"})";
  EXPECT_EQ(client.send(request).status, 201);
  const std::string seen = server.requests().at(0);
  EXPECT_TRUE(seen.starts_with("POST /containers/create?name=web HTTP/1.1\r\n")) << seen;
  EXPECT_NE(seen.find("Content-Type: application/json\r\n"), std::string::npos);
  EXPECT_TRUE(seen.ends_with("\r\n\r\n{\"Image\":\"app\"}")) << seen;
  EXPECT_EQ(seen.find("Expect:"), std::string::npos);
}

TEST(CurlHttpClient, HeadReturnsHeadersWithoutWaitingForABody) {
  TestServer server([](const std::string&) {
    return reply(
        "HTTP/1.1 200 OK\r\nContent-Length: 1234\r\nDocker-Content-Digest: sha256:cd\r\n\r\n");
  });
  CurlHttpClient client;
  const HttpResponse r = client.send({.method = "HEAD", .url = server.url("/v2/x/manifests/v1")});
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.headers.get("Docker-Content-Digest"), "sha256:cd");
  EXPECT_TRUE(server.requests().at(0).starts_with("HEAD "));
}

TEST(CurlHttpClient, TalksOverAUnixSocket) {
  const std::string path = "/tmp/berth-net-test-" + std::to_string(::getpid()) + ".sock";
  TestServer server(
      [](const std::string&) { return reply("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nOK"); },
      path);
  CurlHttpClient client;
  const HttpResponse r = client.send({.url = "http://docker/_ping", .unix_socket = path});
  EXPECT_EQ(r.body, "OK");
  EXPECT_TRUE(server.requests().at(0).starts_with("GET /_ping HTTP/1.1\r\n"));
}

TEST(CurlHttpClient, StreamsChunksAsTheyArriveAfterTheHeaders) {
  TestServer server([](const std::string&) {
    return ScriptedReply{{"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n",
                          "5\r\n{\"a\":\r\n", "3\r\n1}\n\r\n", "0\r\n\r\n"},
                         50ms,
                         0ms};
  });
  CurlHttpClient client;
  std::vector<std::string> events;
  const HttpResponse r = client.stream(
      {.url = server.url("/events")},
      [&](const HttpResponse& head) {
        events.push_back("headers " + std::to_string(head.status));
        return true;
      },
      [&](std::string_view chunk) {
        events.push_back(std::string(chunk));
        return true;
      });
  EXPECT_EQ(r.status, 200);
  ASSERT_GE(events.size(), 3u);
  EXPECT_EQ(events[0], "headers 200");
  std::string body;
  for (size_t i = 1; i < events.size(); ++i)
    body += events[i];
  EXPECT_EQ(body, "{\"a\":1}\n");
}

TEST(CurlHttpClient, StreamWithEmptyBodyStillReportsItsStatus) {
  TestServer server([](const std::string&) { return reply("HTTP/1.1 204 No Content\r\n\r\n"); });
  CurlHttpClient client;
  int status = 0;
  client.stream(
      {.url = server.url("/x")},
      [&](const HttpResponse& head) {
        status = head.status;
        return true;
      },
      [](std::string_view) { return true; });
  EXPECT_EQ(status, 204);
}

TEST(CurlHttpClient, CallerCanStopAStreamEarlyWithoutAnError) {
  TestServer server([](const std::string&) {
    return ScriptedReply{{"HTTP/1.1 200 OK\r\n\r\n", "first\n", "second\n"}, 300ms, 2s};
  });
  CurlHttpClient client;
  std::string seen;
  const auto started = std::chrono::steady_clock::now();
  EXPECT_NO_THROW(client.stream(
      {.url = server.url("/logs")}, [](const HttpResponse&) { return true; },
      [&](std::string_view chunk) {
        seen += chunk;
        return false;
      }));
  EXPECT_EQ(seen, "first\n");
  EXPECT_LT(std::chrono::steady_clock::now() - started, 2s);
}

TEST(CurlHttpClient, CancelFlagAbortsAnIdleStream) {
  TestServer server([](const std::string&) {
    return ScriptedReply{{"HTTP/1.1 200 OK\r\n\r\n"}, 0ms, 10s};
  });
  CurlHttpClient client;
  CancelFlag cancel{false};
  std::thread canceller([&] {
    std::this_thread::sleep_for(200ms);
    cancel = true;
  });
  const auto started = std::chrono::steady_clock::now();
  try {
    client.stream(
        {.url = server.url("/events"), .timeout = 0ms}, [](const HttpResponse&) { return true; },
        [](std::string_view) { return true; }, &cancel);
    ADD_FAILURE() << "expected HttpError";
  } catch (const HttpError& e) {
    EXPECT_EQ(e.kind(), HttpError::Kind::cancelled) << e.what();
  }
  canceller.join();
  EXPECT_LT(std::chrono::steady_clock::now() - started, 3s);
}

TEST(CurlHttpClient, TimeoutIsATypedError) {
  TestServer server([](const std::string&) { return ScriptedReply{{}, 0ms, 3s}; });
  CurlHttpClient client;
  try {
    client.send({.url = server.url("/slow"), .timeout = 300ms});
    ADD_FAILURE() << "expected HttpError";
  } catch (const HttpError& e) {
    EXPECT_EQ(e.kind(), HttpError::Kind::timeout) << e.what();
    EXPECT_NE(std::string(e.what()).find("/slow"), std::string::npos);
  }
}

TEST(CurlHttpClient, RefusedConnectionIsAConnectError) {
  CurlHttpClient client;
  try {
    // Port 1 on loopback: nothing listens there on a test machine.
    client.send({.url = "http://127.0.0.1:1/x", .timeout = 2s});
    ADD_FAILURE() << "expected HttpError";
  } catch (const HttpError& e) {
    EXPECT_EQ(e.kind(), HttpError::Kind::connect) << e.what();
  }
}

TEST(CurlHttpClient, MissingUnixSocketIsAConnectErrorNamingTheSocket) {
  CurlHttpClient client;
  try {
    client.send({.url = "http://docker/_ping", .unix_socket = "/nonexistent/docker.sock"});
    ADD_FAILURE() << "expected HttpError";
  } catch (const HttpError& e) {
    EXPECT_EQ(e.kind(), HttpError::Kind::connect) << e.what();
    EXPECT_NE(std::string(e.what()).find("/nonexistent/docker.sock"), std::string::npos);
  }
}

TEST(CurlHttpClient, OversizedBodyFailsInsteadOfExhaustingMemory) {
  TestServer server([](const std::string&) {
    return reply("HTTP/1.1 200 OK\r\nContent-Length: 4096\r\n\r\n" + std::string(4096, 'x'));
  });
  CurlHttpClient client;
  try {
    client.send({.url = server.url("/big"), .max_body_bytes = 1000});
    ADD_FAILURE() << "expected HttpError";
  } catch (const HttpError& e) {
    EXPECT_EQ(e.kind(), HttpError::Kind::too_large) << e.what();
  }
}

}  // namespace
}  // namespace berth::net
