// Where the Docker daemon listens, as an operator writes it (docker.host in berth.yaml, or
// DOCKER_HOST + DOCKER_CERT_PATH): unix:///var/run/docker.sock, tcp://host:2375, or tcp with
// TLS client certificates from a DOCKER_CERT_PATH-style folder (ca.pem, cert.pem, key.pem).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"
#include "net/http.h"

namespace berth::docker {

inline constexpr std::string_view kDefaultDockerHost = "unix:///var/run/docker.sock";

struct DockerEndpoint {
  enum class Transport { unix_socket, tcp, tls };
  Transport transport = Transport::unix_socket;
  std::string socket_path{};  // unix_socket only
  std::string host{};         // tcp/tls: name or address; IPv6 without brackets
  int port = 0;               // tcp/tls
  net::TlsOptions tls{};      // tls only: ca_file, cert_file, key_file

  // The URL prefix requests use: "http://docker" (unix; the host is only a Host header),
  // "http://10.0.0.5:2375", "https://[::1]:2376".
  std::string baseUrl() const;
  // For messages: "unix:///var/run/docker.sock", "tcp://10.0.0.5:2376 (TLS)".
  std::string describe() const;
};

// Parses `host`. `cert_path`, when not empty, is a folder with ca.pem, cert.pem and key.pem and
// turns a tcp:// endpoint into TLS (as DOCKER_CERT_PATH does). A tcp:// endpoint without a port
// gets Docker's defaults: 2375, or 2376 with TLS. Pure: files are not checked here (see
// checkEndpointFiles). Failures read "docker host 'tcp://x:99999': port must be 1-65535".
Result<DockerEndpoint> parseDockerEndpoint(std::string_view host, std::string_view cert_path = "");

// For start-up checks: the socket or certificate files that do not exist, as one message, or
// nullopt when everything named is there.
std::optional<std::string> checkEndpointFiles(const DockerEndpoint& endpoint);

}  // namespace berth::docker
