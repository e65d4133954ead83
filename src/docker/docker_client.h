// The real DockerApi: Engine API requests (requests.h) sent through the HTTP seam (usually
// net::CurlHttpClient) to a unix socket, tcp or tcp+TLS endpoint, answers read by responses.h.
#pragma once

#include <mutex>
#include <string>

#include "docker/docker_api.h"
#include "docker/endpoint.h"
#include "docker/requests.h"
#include "net/http.h"

namespace berth::docker {

struct DockerClientOptions {
  // Empty: negotiate with the daemon (GET /version) on first use. Set it to skip that round
  // trip when the version is known (tests with scripted answers).
  std::string api_version{};
  DockerTimeouts timeouts{};
};

class DockerClient final : public DockerApi {
 public:
  // `http` must outlive the client and be safe to use from several threads (CurlHttpClient
  // is). The client itself is thread-safe: its only state is the negotiated version.
  DockerClient(net::HttpClient& http, DockerEndpoint endpoint, DockerClientOptions options = {});

  const DockerEndpoint& endpoint() const { return endpoint_; }

  void ping() override;
  DaemonVersion version() override;
  std::string apiVersion() override;
  PullResult pullImage(const ImageRef& image, const std::optional<RegistryAuth>& auth,
                       const PullCallback& on_progress,
                       const net::CancelFlag* cancel = nullptr) override;
  ImageInfo inspectImage(const std::string& image) override;
  CreatedContainer createContainer(const ContainerSpec& spec) override;
  void startContainer(const std::string& container) override;
  ContainerInfo inspectContainer(const std::string& container) override;
  bool stopContainer(const std::string& container, std::chrono::seconds timeout) override;
  void removeContainer(const std::string& container, bool force) override;
  std::vector<ContainerSummary> listContainers(const Filters& filters) override;
  ContainerLogs containerLogs(const std::string& container, const LogOptions& options) override;
  EventStreamEnd streamEvents(const EventFilter& filter, const EventCallback& on_event,
                              const net::CancelFlag* cancel = nullptr) override;
  NetworkInfo inspectNetwork(const std::string& network) override;
  std::string createNetwork(const NetworkSpec& spec) override;
  void connectNetwork(const std::string& network, const std::string& container,
                      const std::vector<std::string>& aliases) override;
  void disconnectNetwork(const std::string& network, const std::string& container,
                         bool force) override;

 private:
  // The target with the negotiated API version (negotiating first if needed).
  ApiTarget target();
  // Sends a buffered request; transport failures become DockerError.
  net::HttpResponse send(const net::HttpRequest& request, const std::string& operation,
                         const std::string& object);

  net::HttpClient& http_;
  DockerEndpoint endpoint_;
  DockerTimeouts timeouts_;
  std::mutex mutex_;
  std::string api_version_;  // guarded by mutex_; empty until negotiated
};

}  // namespace berth::docker
