// Error mapping: HTTP status and transport failures to kinds, with the daemon's own message.
#include "docker/docker_error.h"

#include <gtest/gtest.h>

namespace berth::docker {
namespace {

using Kind = DockerError::Kind;

net::HttpResponse response(int status, std::string body) {
  net::HttpResponse r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

TEST(DockerError, MessageNamesOperationObjectKindAndDaemonMessage) {
  const auto e = errorFromResponse(
      response(
          409,
          R"({"message":"Conflict. The container name \"/web-production-blue\" is already in use by container \"ae3b\". You have to remove (or rename) that container to be able to reuse that name."})"),
      "create container", "web-production-blue");
  EXPECT_EQ(e.kind(), Kind::conflict);
  EXPECT_EQ(e.status(), 409);
  EXPECT_EQ(e.operation(), "create container");
  EXPECT_EQ(e.object(), "web-production-blue");
  EXPECT_TRUE(std::string(e.what()).starts_with(
      "docker: create container web-production-blue: conflict: Conflict. The container name "
      "\"/web-production-blue\" is already in use"))
      << e.what();
}

TEST(DockerError, StatusKinds) {
  EXPECT_EQ(
      errorFromResponse(response(404, R"({"message":"No such container: x"})"), "o", "x").kind(),
      Kind::not_found);
  EXPECT_EQ(errorFromResponse(response(400, R"({"message":"bad"})"), "o", "x").kind(),
            Kind::bad_request);
  EXPECT_EQ(errorFromResponse(response(401, ""), "o", "x").kind(), Kind::unauthorized);
  EXPECT_EQ(
      errorFromResponse(
          response(403,
                   R"({"message":"endpoint with name web-1 already exists in network berth"})"),
          "o", "x")
          .kind(),
      Kind::conflict);
  EXPECT_EQ(errorFromResponse(response(500, R"({"message":"disk full"})"), "o", "x").kind(),
            Kind::server);
  EXPECT_EQ(errorFromResponse(response(503, ""), "o", "x").kind(), Kind::server);
}

TEST(DockerError, RegistryAuthenticationFailureReportedAs500IsUnauthorized) {
  // What the 20.10 daemon answers for a pull with a wrong password, and with none.
  const auto wrong =
      errorFromResponse(response(500, R"({"message":"unauthorized: authentication required"})"),
                        "pull", "127.0.0.1:5001/app:v1");
  EXPECT_EQ(wrong.kind(), Kind::unauthorized);
  EXPECT_EQ(std::string(wrong.what()),
            "docker: pull 127.0.0.1:5001/app:v1: unauthorized: unauthorized: authentication "
            "required");
  const auto none = errorFromResponse(
      response(
          500,
          R"({"message":"Head \"http://127.0.0.1:5001/v2/app/manifests/v1\": no basic auth credentials"})"),
      "pull", "x");
  EXPECT_EQ(none.kind(), Kind::unauthorized);
}

TEST(DockerError, PlainTextAndEmptyBodies) {
  // 20.10 answers a version it does not serve in text/plain.
  const auto e = errorFromResponse(
      response(400, "client version 1.11 is too old. Minimum supported API version is 1.12\n"),
      "inspect container", "x");
  EXPECT_EQ(e.detail(), "client version 1.11 is too old. Minimum supported API version is 1.12");
  EXPECT_EQ(errorFromResponse(response(404, ""), "o", "x").detail(), "HTTP 404");
  EXPECT_EQ(daemonMessage(500, std::string(2000, 'x')).size(), 503u);
  EXPECT_EQ(daemonMessage(500, R"({"other": 1})"), R"({"other": 1})");
}

TEST(DockerError, UnexpectedSuccessStatusIsAProtocolError) {
  const auto e = errorFromResponse(response(200, "{}"), "create container", "web-1");
  EXPECT_EQ(e.kind(), Kind::protocol);
  EXPECT_EQ(e.detail(), "unexpected HTTP 200: {}");
}

TEST(DockerError, TransportKinds) {
  using HK = net::HttpError::Kind;
  const auto kind = [](HK k) {
    return errorFromTransport(net::HttpError(k, "GET http://docker/_ping: boom"), "ping", "")
        .kind();
  };
  EXPECT_EQ(kind(HK::connect), Kind::daemon_unreachable);
  EXPECT_EQ(kind(HK::tls), Kind::daemon_unreachable);
  EXPECT_EQ(kind(HK::timeout), Kind::timeout);
  EXPECT_EQ(kind(HK::cancelled), Kind::cancelled);
  EXPECT_EQ(kind(HK::protocol), Kind::protocol);
  EXPECT_EQ(kind(HK::too_large), Kind::protocol);
  const auto e = errorFromTransport(
      net::HttpError(HK::connect, "GET http://docker/_ping via /x.sock: Couldn't connect"), "ping",
      "unix:///x.sock");
  EXPECT_EQ(std::string(e.what()),
            "docker: ping unix:///x.sock: daemon unreachable: GET http://docker/_ping via "
            "/x.sock: Couldn't connect");
}

TEST(DockerError, TlsConnectionClosedByTheDaemonIsUnreachableNotMalformed) {
  using HK = net::HttpError::Kind;
  // What libcurl 7.88 (OpenSSL 3) reports when dockerd --tlsverify refuses the client
  // certificate under TLS 1.3: the alert arrives on the first read (CURLE_RECV_ERROR)...
  const auto e = errorFromTransport(
      net::HttpError(HK::protocol,
                     "GET https://127.0.0.1:2376/_ping: OpenSSL SSL_read: OpenSSL/3.0.19: "
                     "error:0A000412:SSL routines::sslv3 alert bad certificate, errno 0"),
      "ping", "tcp://127.0.0.1:2376 (TLS)");
  EXPECT_EQ(e.kind(), Kind::daemon_unreachable);
  EXPECT_EQ(std::string(e.what()),
            "docker: ping tcp://127.0.0.1:2376 (TLS): daemon unreachable: GET "
            "https://127.0.0.1:2376/_ping: OpenSSL SSL_read: OpenSSL/3.0.19: "
            "error:0A000412:SSL routines::sslv3 alert bad certificate, errno 0 (TLS: the daemon "
            "closed the connection; is the client certificate signed by the CA it trusts?)");
  const auto kind = [](const std::string& message) {
    return errorFromTransport(net::HttpError(HK::protocol, message), "ping", "").kind();
  };
  EXPECT_EQ(kind("GET https://h:2376/_ping: OpenSSL SSL_read: error:0A00045C:SSL "
                 "routines::tlsv13 alert certificate required, errno 0"),
            Kind::daemon_unreachable);
  // ...or, when the daemon's close wins the race with the request (CURLE_SEND_ERROR), only this.
  EXPECT_EQ(kind("GET https://127.0.0.1:2376/_ping: getpeername() failed with errno 107: "
                 "Transport endpoint is not connected"),
            Kind::daemon_unreachable);
  // Other transport-level protocol failures stay protocol errors, also over plain tcp.
  EXPECT_EQ(kind("GET http://docker/_ping: Weird server reply"), Kind::protocol);
  EXPECT_EQ(kind("GET http://10.0.0.5:2375/_ping: Recv failure: Connection reset by peer"),
            Kind::protocol);
}

TEST(DockerError, StreamErrorKinds) {
  EXPECT_EQ(kindForStreamError("unauthorized: authentication required"), Kind::unauthorized);
  EXPECT_EQ(kindForStreamError("denied: requested access to the resource is denied"),
            Kind::unauthorized);
  EXPECT_EQ(kindForStreamError("manifest for x:v9 not found: manifest unknown"), Kind::not_found);
  EXPECT_EQ(kindForStreamError("failed to register layer: no space left on device"), Kind::server);
}

}  // namespace
}  // namespace berth::docker
