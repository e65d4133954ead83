// Facts about a registry host as written in an image reference ("ghcr.io", "127.0.0.1:5000",
// "[::1]:5000"), needed before talking to it.
#pragma once

#include <string>
#include <string_view>

namespace berth {

// True for localhost, 127.0.0.0/8 and ::1 (any IPv6 spelling of it), with or without a port.
// Plain http is allowed only to these hosts unless the operator marks a registry insecure: traffic
// to them never leaves the machine. Names are not resolved; "*.localhost" and IPv4-mapped IPv6
// addresses are not treated as loopback.
bool isLoopbackRegistry(std::string_view host);

// The host serving the registry API: Docker Hub's images are named docker.io/... but its API
// lives at registry-1.docker.io. Every other host serves its own API.
std::string registryApiHost(std::string_view registry);

}  // namespace berth
