// Endpoint parsing: what operators write for docker.host, and clear errors for what is wrong.
#include "docker/endpoint.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace berth::docker {
namespace {

using Transport = DockerEndpoint::Transport;

std::string errorOf(std::string_view host, std::string_view certs = "") {
  const auto r = parseDockerEndpoint(host, certs);
  return r.ok() ? "(ok)" : r.error();
}

TEST(DockerEndpoint, UnixSocket) {
  const auto e = parseDockerEndpoint(kDefaultDockerHost).value();
  EXPECT_EQ(e.transport, Transport::unix_socket);
  EXPECT_EQ(e.socket_path, "/var/run/docker.sock");
  EXPECT_EQ(e.baseUrl(), "http://docker");
  EXPECT_EQ(e.describe(), "unix:///var/run/docker.sock");
}

TEST(DockerEndpoint, TcpWithAndWithoutPort) {
  auto e = parseDockerEndpoint("tcp://10.0.0.5:2375").value();
  EXPECT_EQ(e.transport, Transport::tcp);
  EXPECT_EQ(e.host, "10.0.0.5");
  EXPECT_EQ(e.port, 2375);
  EXPECT_EQ(e.baseUrl(), "http://10.0.0.5:2375");
  EXPECT_EQ(parseDockerEndpoint("tcp://docker.internal").value().port, 2375);
  EXPECT_EQ(parseDockerEndpoint("tcp://docker.internal/").value().port, 2375);
  e = parseDockerEndpoint("tcp://[::1]:2375").value();
  EXPECT_EQ(e.host, "::1");
  EXPECT_EQ(e.baseUrl(), "http://[::1]:2375");
}

TEST(DockerEndpoint, TlsFromACertificateFolder) {
  const auto e = parseDockerEndpoint("tcp://docker.internal:2376", "/home/ops/.docker").value();
  EXPECT_EQ(e.transport, Transport::tls);
  EXPECT_EQ(e.baseUrl(), "https://docker.internal:2376");
  EXPECT_EQ(e.tls.ca_file, "/home/ops/.docker/ca.pem");
  EXPECT_EQ(e.tls.cert_file, "/home/ops/.docker/cert.pem");
  EXPECT_EQ(e.tls.key_file, "/home/ops/.docker/key.pem");
  EXPECT_EQ(e.describe(), "tcp://docker.internal:2376 (TLS)");
  EXPECT_EQ(parseDockerEndpoint("tcp://h", "/certs/").value().port, 2376);
  EXPECT_EQ(parseDockerEndpoint("tcp://h", "/certs/").value().tls.key_file, "/certs/key.pem");
}

TEST(DockerEndpoint, ClearErrors) {
  EXPECT_EQ(errorOf(""), "docker host is empty (e.g. unix:///var/run/docker.sock)");
  EXPECT_EQ(errorOf("/var/run/docker.sock"),
            "docker host '/var/run/docker.sock': write unix:///var/run/docker.sock");
  EXPECT_EQ(errorOf("localhost:2375"),
            "docker host 'localhost:2375': missing scheme: use unix:///path/to/docker.sock or "
            "tcp://host:port");
  EXPECT_EQ(errorOf("unix://"),
            "docker host 'unix://': missing socket path "
            "(unix:///var/run/docker.sock)");
  EXPECT_EQ(errorOf("unix://docker.sock"),
            "docker host 'unix://docker.sock': socket path must be absolute "
            "(unix:///docker.sock)");
  EXPECT_EQ(errorOf("unix:///x.sock", "/certs"),
            "docker host 'unix:///x.sock': a certificate folder applies only to tcp:// endpoints");
  EXPECT_EQ(errorOf("https://h:2376"),
            "docker host 'https://h:2376': use tcp://host:port (with a certificate folder for "
            "TLS)");
  EXPECT_EQ(errorOf("ssh://me@h"),
            "docker host 'ssh://me@h': unsupported scheme 'ssh' (berth speaks unix:// and "
            "tcp://, with TLS from a certificate folder)");
  EXPECT_EQ(errorOf("tcp://h:99999"), "docker host 'tcp://h:99999': port must be 1-65535");
  EXPECT_EQ(errorOf("tcp://h:0"), "docker host 'tcp://h:0': port must be 1-65535");
  EXPECT_EQ(errorOf("tcp://h:http"), "docker host 'tcp://h:http': port 'http' is not a number");
  EXPECT_EQ(errorOf("tcp://h:"), "docker host 'tcp://h:': empty port");
  EXPECT_EQ(errorOf("tcp://:2375"), "docker host 'tcp://:2375': missing host name");
  EXPECT_EQ(errorOf("tcp://h:2375/v1"),
            "docker host 'tcp://h:2375/v1': a path after host:port is not supported");
  EXPECT_EQ(errorOf("tcp://::1:2375"),
            "docker host 'tcp://::1:2375': write an IPv6 address in brackets: tcp://[::1]:2376");
  EXPECT_EQ(errorOf("tcp://[::1"), "docker host 'tcp://[::1': unclosed '[' in IPv6 address");
}

TEST(DockerEndpoint, CheckFilesNamesWhatIsMissing) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("berth-endpoint-test-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "ca.pem") << "x";
  const auto tls = parseDockerEndpoint("tcp://h", dir.string()).value();
  const auto missing = checkEndpointFiles(tls);
  ASSERT_TRUE(missing.has_value());
  EXPECT_EQ(*missing, "docker host tcp://h:2376 (TLS): missing " + (dir / "cert.pem").string() +
                          ", " + (dir / "key.pem").string());
  std::ofstream(dir / "cert.pem") << "x";
  std::ofstream(dir / "key.pem") << "x";
  EXPECT_EQ(checkEndpointFiles(tls), std::nullopt);
  EXPECT_TRUE(checkEndpointFiles(parseDockerEndpoint("unix:///nonexistent/docker.sock").value())
                  .has_value());
  EXPECT_EQ(checkEndpointFiles(parseDockerEndpoint("tcp://h").value()), std::nullopt);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace berth::docker
