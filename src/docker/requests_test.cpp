// Commands as data: the exact request each Docker call sends, asserted without a daemon.
#include "docker/requests.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace berth::docker {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

ApiTarget unixTarget() {
  ApiTarget api;
  api.endpoint = parseDockerEndpoint("unix:///run/test/docker.sock").value();
  api.api_version = "1.41";
  return api;
}

std::string decodeBase64Url(std::string_view text) {
  const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  std::uint32_t buffer = 0;
  int bits = 0;
  for (const char c : text) {
    if (c == '=') break;
    const auto v = alphabet.find(c);
    if (v == std::string::npos) throw std::invalid_argument("not base64url");
    buffer = (buffer << 6) | static_cast<std::uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buffer >> bits) & 0xff);
    }
  }
  return out;
}

TEST(Requests, PingAndVersionAreUnversionedOverTheUnixSocket) {
  const auto ping = pingRequest(unixTarget());
  EXPECT_EQ(ping.method, "GET");
  EXPECT_EQ(ping.url, "http://docker/_ping");
  EXPECT_EQ(ping.unix_socket, "/run/test/docker.sock");
  EXPECT_EQ(ping.timeout, 5s);
  EXPECT_EQ(versionRequest(unixTarget()).url, "http://docker/version");
}

TEST(Requests, TcpAndTlsTargetsUseHostPortAndCertificates) {
  ApiTarget api;
  api.endpoint = parseDockerEndpoint("tcp://10.0.0.5:2376", "/etc/docker/certs").value();
  const auto r = inspectContainerRequest(api, "web-1");
  EXPECT_EQ(r.url, "https://10.0.0.5:2376/v1.41/containers/web-1/json");
  EXPECT_EQ(r.unix_socket, "");
  EXPECT_EQ(r.tls.ca_file, "/etc/docker/certs/ca.pem");
  EXPECT_EQ(r.tls.cert_file, "/etc/docker/certs/cert.pem");
  EXPECT_EQ(r.tls.key_file, "/etc/docker/certs/key.pem");

  api.endpoint = parseDockerEndpoint("tcp://127.0.0.1:2375").value();
  EXPECT_EQ(pingRequest(api).url, "http://127.0.0.1:2375/_ping");
  EXPECT_EQ(pingRequest(api).tls.cert_file, "");
}

TEST(Requests, UsesTheNegotiatedVersion) {
  ApiTarget api = unixTarget();
  api.api_version = "1.40";
  EXPECT_EQ(inspectImageRequest(api, "app:v1").url, "http://docker/v1.40/images/app:v1/json");
}

TEST(Requests, PullSendsRepositoryAndTagWithoutAuthHeaderWhenAnonymous) {
  const auto ref = parseImageRef("127.0.0.1:5000/berth-test/app:v1").value();
  const auto r = pullImageRequest(unixTarget(), ref, std::nullopt);
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(
      r.url,
      "http://docker/v1.41/images/create?fromImage=127.0.0.1%3A5000%2Fberth-test%2Fapp&tag=v1");
  EXPECT_EQ(r.headers.get("X-Registry-Auth"), std::nullopt);
  EXPECT_EQ(r.body, "");
  EXPECT_EQ(r.timeout, 1h);
}

TEST(Requests, PullOfADigestPinnedReferenceAsksForTheDigest) {
  const std::string digest = "sha256:" + std::string(64, 'a');
  const auto ref = parseImageRef("ghcr.io/acme/web:v2@" + digest).value();
  const auto r = pullImageRequest(unixTarget(), ref, std::nullopt);
  EXPECT_NE(r.url.find("fromImage=ghcr.io%2Facme%2Fweb&tag=sha256%3A" + std::string(64, 'a')),
            std::string::npos)
      << r.url;
}

TEST(Requests, PullOfADockerHubImageUsesTheNormalisedName) {
  const auto r = pullImageRequest(unixTarget(), parseImageRef("nginx").value(), std::nullopt);
  EXPECT_NE(r.url.find("fromImage=docker.io%2Flibrary%2Fnginx&tag=latest"), std::string::npos);
}

TEST(Requests, PullCarriesCredentialsAsPaddedBase64UrlJson) {
  const auto ref = parseImageRef("127.0.0.1:5001/berth-test/app:v1").value();
  const auto r = pullImageRequest(unixTarget(), ref, RegistryAuth{"berth-test", "s3cr?t>>", ""});
  const auto header = r.headers.get("X-Registry-Auth");
  ASSERT_TRUE(header.has_value());
  EXPECT_EQ(header->find_first_of("+/"), std::string::npos) << *header;  // url alphabet
  EXPECT_EQ(header->size() % 4, 0u) << "the 20.10 daemon's decoder wants padding";
  const json decoded = json::parse(decodeBase64Url(*header));
  EXPECT_EQ(decoded, (json{{"username", "berth-test"},
                           {"password", "s3cr?t>>"},
                           {"serveraddress", "127.0.0.1:5001"}}));
}

TEST(Requests, RegistryAuthEncodingHandlesEveryPaddingLength) {
  for (const std::string user : {"a", "ab", "abc", "abcd"}) {
    const std::string encoded = encodeRegistryAuth({user, "p", "r"});
    EXPECT_EQ(json::parse(decodeBase64Url(encoded))["username"], user);
    EXPECT_EQ(encoded.size() % 4, 0u);
  }
}

TEST(Requests, CreateContainerSendsTheWholeSpec) {
  ContainerSpec spec;
  spec.name = "web-production-blue";
  spec.image = "127.0.0.1:5000/acme/web@sha256:abc";
  spec.env = {{"LOG_LEVEL", "warn"}, {"A", "1"}};
  spec.labels = {{"berth.project", "web"}, {"berth.stage", "production"}};
  spec.exposed_ports = {"9000"};
  spec.port_bindings = {{"8080/tcp", "127.0.0.1", ""}};
  spec.mounts = {{Mount::Type::volume, "web-data", "/data", false},
                 {Mount::Type::bind, "/srv/config", "/config", true}};
  spec.restart = {RestartPolicy::Name::unless_stopped, 0};
  spec.network = "berth";
  spec.network_aliases = {"web-production", "web-production-blue"};
  spec.stop_timeout = 15s;
  spec.healthcheck = HealthcheckSpec{
      {"CMD-SHELL", "wget -q -O- http://127.0.0.1:8080/healthz"}, 500ms, 2s, 10s, 3};

  const auto r = createContainerRequest(unixTarget(), spec);
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.url, "http://docker/v1.41/containers/create?name=web-production-blue");
  EXPECT_EQ(r.headers.get("Content-Type"), "application/json");
  EXPECT_EQ(r.timeout, 30s);
  const json expected = json::parse(R"({
    "Image": "127.0.0.1:5000/acme/web@sha256:abc",
    "Env": ["A=1", "LOG_LEVEL=warn"],
    "Labels": {"berth.project": "web", "berth.stage": "production"},
    "ExposedPorts": {"8080/tcp": {}, "9000/tcp": {}},
    "Tty": false,
    "StopTimeout": 15,
    "Healthcheck": {"Test": ["CMD-SHELL", "wget -q -O- http://127.0.0.1:8080/healthz"],
                    "Interval": 500000000, "Timeout": 2000000000, "StartPeriod": 10000000000,
                    "Retries": 3},
    "HostConfig": {
      "PortBindings": {"8080/tcp": [{"HostIp": "127.0.0.1", "HostPort": ""}]},
      "RestartPolicy": {"Name": "unless-stopped", "MaximumRetryCount": 0},
      "Mounts": [
        {"Type": "volume", "Source": "web-data", "Target": "/data", "ReadOnly": false},
        {"Type": "bind", "Source": "/srv/config", "Target": "/config", "ReadOnly": true}],
      "NetworkMode": "berth"
    },
    "NetworkingConfig": {"EndpointsConfig": {
      "berth": {"Aliases": ["web-production", "web-production-blue"]}}}
  })");
  EXPECT_EQ(json::parse(r.body), expected) << json::parse(r.body).dump(2);
}

TEST(Requests, CreateContainerWithTheMinimumLeavesOptionalPartsOut) {
  ContainerSpec spec;
  spec.image = "app:v1";
  spec.cmd = {"sh", "-c", "echo out; echo err >&2"};
  const auto r = createContainerRequest(unixTarget(), spec);
  EXPECT_EQ(r.url, "http://docker/v1.41/containers/create");
  const json body = json::parse(r.body);
  EXPECT_EQ(body["Cmd"], (json{"sh", "-c", "echo out; echo err >&2"}));
  EXPECT_FALSE(body.contains("StopTimeout"));
  EXPECT_FALSE(body.contains("Healthcheck"));
  EXPECT_FALSE(body.contains("NetworkingConfig"));
  EXPECT_FALSE(body["HostConfig"].contains("NetworkMode"));
  EXPECT_EQ(body["HostConfig"]["RestartPolicy"]["Name"], "no");
  EXPECT_EQ(body["Env"], json::array());
}

TEST(Requests, ContainerLifecycle) {
  const auto api = unixTarget();
  const auto start = startContainerRequest(api, "abc123");
  EXPECT_EQ(start.method, "POST");
  EXPECT_EQ(start.url, "http://docker/v1.41/containers/abc123/start");
  EXPECT_EQ(start.body, "");

  const auto stop = stopContainerRequest(api, "web-1", 10s);
  EXPECT_EQ(stop.method, "POST");
  EXPECT_EQ(stop.url, "http://docker/v1.41/containers/web-1/stop?t=10");
  EXPECT_EQ(stop.timeout, 40s) << "the stop timeout plus a grace for the daemon to answer";

  const auto inspect = inspectContainerRequest(api, "web-1");
  EXPECT_EQ(inspect.method, "GET");
  EXPECT_EQ(inspect.timeout, 10s);
}

TEST(Requests, RemoveNeverDeletesVolumes) {
  for (const bool force : {false, true}) {
    const auto r = removeContainerRequest(unixTarget(), "web-1", force);
    EXPECT_EQ(r.method, "DELETE");
    EXPECT_EQ(r.url, std::string("http://docker/v1.41/containers/web-1?force=") +
                         (force ? "true" : "false"));
    EXPECT_EQ(r.url.find("v="), std::string::npos);
  }
}

TEST(Requests, ListByLabelIncludesStoppedContainers) {
  const auto r = listContainersRequest(unixTarget(), {{"label", {"berth.project=web"}}});
  EXPECT_EQ(r.method, "GET");
  EXPECT_EQ(r.url,
            "http://docker/v1.41/containers/json?all=true&filters="
            "%7B%22label%22%3A%5B%22berth.project%3Dweb%22%5D%7D");
  EXPECT_EQ(listContainersRequest(unixTarget(), {}).url,
            "http://docker/v1.41/containers/json?all=true");
}

TEST(Requests, LogsAskForBothStreamsAndATail) {
  LogOptions options;
  options.tail = 50;
  EXPECT_EQ(containerLogsRequest(unixTarget(), "web-1", options).url,
            "http://docker/v1.41/containers/web-1/logs?stdout=1&stderr=1&tail=50");
  options.tail.reset();
  options.timestamps = true;
  options.since = 1700000000;
  options.stderr_stream = false;
  EXPECT_EQ(containerLogsRequest(unixTarget(), "web-1", options).url,
            "http://docker/v1.41/containers/web-1/logs?stdout=1&stderr=0&tail=all&timestamps=1"
            "&since=1700000000");
}

TEST(Requests, EventsHaveNoTimeoutAndEncodeFilters) {
  EventFilter filter;
  filter.filters = {{"type", {"container"}}, {"label", {"berth.project=web", "berth.managed"}}};
  filter.since = 100;
  filter.until = 200;
  const auto r = eventsRequest(unixTarget(), filter);
  EXPECT_EQ(r.url,
            "http://docker/v1.41/events?since=100&until=200&filters="
            "%7B%22label%22%3A%5B%22berth.project%3Dweb%22%2C%22berth.managed%22%5D%2C"
            "%22type%22%3A%5B%22container%22%5D%7D");
  EXPECT_EQ(r.timeout, 0ms);
  EXPECT_EQ(eventsRequest(unixTarget(), {}).url, "http://docker/v1.41/events");
}

TEST(Requests, Networks) {
  const auto api = unixTarget();
  EXPECT_EQ(inspectNetworkRequest(api, "berth").url, "http://docker/v1.41/networks/berth");

  NetworkSpec spec;
  spec.name = "berth";
  spec.labels = {{"berth.managed", "true"}};
  const auto create = createNetworkRequest(api, spec);
  EXPECT_EQ(create.method, "POST");
  EXPECT_EQ(create.url, "http://docker/v1.41/networks/create");
  EXPECT_EQ(json::parse(create.body), json::parse(R"({"Name": "berth", "Driver": "bridge",
      "CheckDuplicate": true, "Internal": false, "Attachable": false,
      "Labels": {"berth.managed": "true"}})"));

  const auto connect = connectNetworkRequest(api, "berth", "web-1", {"web", "web-prod"});
  EXPECT_EQ(connect.url, "http://docker/v1.41/networks/berth/connect");
  EXPECT_EQ(
      json::parse(connect.body),
      json::parse(R"({"Container": "web-1", "EndpointConfig": {"Aliases": ["web", "web-prod"]}})"));

  const auto disconnect = disconnectNetworkRequest(api, "berth", "web-1", true);
  EXPECT_EQ(disconnect.url, "http://docker/v1.41/networks/berth/disconnect");
  EXPECT_EQ(json::parse(disconnect.body), json::parse(R"({"Container": "web-1", "Force": true})"));
}

TEST(Requests, PathSegmentsAreEncoded) {
  EXPECT_EQ(inspectContainerRequest(unixTarget(), "a b/c").url,
            "http://docker/v1.41/containers/a%20b%2Fc/json");
  EXPECT_EQ(inspectImageRequest(unixTarget(), "127.0.0.1:5000/acme/web@sha256:ab").url,
            "http://docker/v1.41/images/127.0.0.1:5000/acme/web@sha256:ab/json");
  EXPECT_EQ(percentEncode("a-z_0.9~ %/"), "a-z_0.9~%20%25%2F");
}

}  // namespace
}  // namespace berth::docker
