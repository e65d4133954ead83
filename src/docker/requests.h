// Every Docker Engine API call berth makes, as a value: pure functions that return the exact
// HTTP request (method, URL with path and query, headers, JSON body, timeout, socket or TLS
// files). Unit tests assert these without a daemon; DockerClient only sends them and reads the
// answers. Paths follow the Engine API 1.41 reference.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/image_ref.h"
#include "docker/api_version.h"
#include "docker/docker_types.h"
#include "docker/endpoint.h"
#include "net/http.h"

namespace berth::docker {

// How long each kind of call may take before it fails as a timeout.
struct DockerTimeouts {
  Duration connect = std::chrono::seconds(5);
  Duration ping = std::chrono::seconds(5);      // _ping, version
  Duration inspect = std::chrono::seconds(10);  // inspect and list
  Duration create = std::chrono::seconds(30);
  Duration start = std::chrono::seconds(60);       // networking and volume set-up can be slow
  Duration stop_grace = std::chrono::seconds(30);  // on top of the stop timeout itself
  Duration remove = std::chrono::seconds(60);
  Duration logs = std::chrono::seconds(30);
  Duration network = std::chrono::seconds(30);
  Duration pull = std::chrono::hours(1);         // whole pull, large images on slow links
  Duration pull_idle = std::chrono::minutes(2);  // no progress message for this long: stalled
};

// Where and how requests go: the daemon, the negotiated API version, the timeouts.
struct ApiTarget {
  DockerEndpoint endpoint{};
  std::string api_version = std::string(kNewestApiVersion);
  DockerTimeouts timeouts{};
};

// Percent-encodes everything but RFC 3986 unreserved characters and those in `keep`.
std::string percentEncode(std::string_view text, std::string_view keep = "");

// X-Registry-Auth: base64url (with padding, as the daemon's decoder expects) of
// {"username", "password", "serveraddress"}.
std::string encodeRegistryAuth(const RegistryAuth& auth);

// The JSON body of POST /containers/create.
std::string containerCreateBody(const ContainerSpec& spec);

// Unversioned: they work before the version is negotiated.
net::HttpRequest pingRequest(const ApiTarget& api);
net::HttpRequest versionRequest(const ApiTarget& api);

// POST /images/create?fromImage=<registry/repository>&tag=<tag or digest>. A digest wins over a
// tag (the daemon then pulls exactly that content). The timeout is the whole-pull one; the
// idle check is DockerClient's.
net::HttpRequest pullImageRequest(const ApiTarget& api, const ImageRef& image,
                                  const std::optional<RegistryAuth>& auth);
net::HttpRequest inspectImageRequest(const ApiTarget& api, std::string_view image);

net::HttpRequest createContainerRequest(const ApiTarget& api, const ContainerSpec& spec);
net::HttpRequest startContainerRequest(const ApiTarget& api, std::string_view container);
net::HttpRequest inspectContainerRequest(const ApiTarget& api, std::string_view container);
// The HTTP timeout is the stop timeout plus DockerTimeouts::stop_grace: the daemon answers only
// once the container is gone.
net::HttpRequest stopContainerRequest(const ApiTarget& api, std::string_view container,
                                      std::chrono::seconds timeout);
// Never sends v=1: removing a container must never delete its named volumes.
net::HttpRequest removeContainerRequest(const ApiTarget& api, std::string_view container,
                                        bool force);
// all=1: stopped containers too (a crashed instance is still berth's to clean up).
net::HttpRequest listContainersRequest(const ApiTarget& api, const Filters& filters);
net::HttpRequest containerLogsRequest(const ApiTarget& api, std::string_view container,
                                      const LogOptions& options);
// No timeout: the stream stays open until cancelled, the callback stops it, or `until`.
net::HttpRequest eventsRequest(const ApiTarget& api, const EventFilter& filter);

net::HttpRequest inspectNetworkRequest(const ApiTarget& api, std::string_view network);
net::HttpRequest createNetworkRequest(const ApiTarget& api, const NetworkSpec& spec);
net::HttpRequest connectNetworkRequest(const ApiTarget& api, std::string_view network,
                                       std::string_view container,
                                       const std::vector<std::string>& aliases);
net::HttpRequest disconnectNetworkRequest(const ApiTarget& api, std::string_view network,
                                          std::string_view container, bool force);

}  // namespace berth::docker
