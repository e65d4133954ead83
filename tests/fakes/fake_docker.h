// An in-memory DockerApi for the deploy engine's unit tests: images with scripted behaviour
// (healthy, never healthy, exits at once, Docker HEALTHCHECK), containers with published
// ports, a matching HttpClient that answers health checks for them, call recording and
// failure injection. Test-only; integration tests use the real DockerClient.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "docker/docker_api.h"
#include "net/http.h"

namespace berth::fakes {

enum class Behaviour {
  healthy,         // serves 200 on every path once started
  never_healthy,   // runs, answers 503
  exits_at_once,   // exits with code 3 right after start, printing two lines
  docker_healthy,  // declares a HEALTHCHECK that reports healthy; answers 503 over HTTP
};

class FakeDocker : public docker::DockerApi {
 public:
  struct Container {
    docker::ContainerSpec spec{};
    std::string id{};
    bool running = false;
    int exit_code = 0;
    int host_port = 0;
    Behaviour behaviour = Behaviour::healthy;
  };

  // `repository` as ImageRef::repositoryRef() ("127.0.0.1:5000/acme/web").
  void addImage(const std::string& repository, const std::string& tag, const std::string& digest,
                Behaviour behaviour = Behaviour::healthy);

  // Called (outside the fake's lock) before every call with its name ("pull", "create",
  // "start", "inspect", "stop", "remove", "list", "logs", "http") and its object. Throw a
  // DockerError from it to inject a failure; block in it to simulate a hang.
  std::function<void(const std::string& call, const std::string& object)> before_call{};

  // A container made outside the engine (e.g. left by a crashed berth).
  std::string addContainer(const docker::ContainerSpec& spec, bool running,
                           Behaviour behaviour = Behaviour::healthy);

  std::vector<Container> containers() const;
  std::vector<std::string> calls() const;
  int count(const std::string& call) const;
  // The HttpClient that answers GET http://127.0.0.1:<published port>/... for containers.
  net::HttpClient& http() { return http_; }

  void ping() override {}
  docker::DaemonVersion version() override { return {}; }
  std::string apiVersion() override { return "1.41"; }
  docker::PullResult pullImage(const ImageRef& image,
                               const std::optional<docker::RegistryAuth>& auth,
                               const docker::PullCallback& on_progress,
                               const net::CancelFlag* cancel = nullptr) override;
  docker::ImageInfo inspectImage(const std::string& image) override;
  docker::CreatedContainer createContainer(const docker::ContainerSpec& spec) override;
  void startContainer(const std::string& container) override;
  docker::ContainerInfo inspectContainer(const std::string& container) override;
  bool stopContainer(const std::string& container, std::chrono::seconds timeout) override;
  void removeContainer(const std::string& container, bool force) override;
  std::vector<docker::ContainerSummary> listContainers(const docker::Filters& filters) override;
  docker::ContainerLogs containerLogs(const std::string& container,
                                      const docker::LogOptions& options) override;
  docker::EventStreamEnd streamEvents(const docker::EventFilter&, const docker::EventCallback&,
                                      const net::CancelFlag* = nullptr) override {
    return docker::EventStreamEnd::cancelled;
  }
  docker::NetworkInfo inspectNetwork(const std::string& network) override;
  std::string createNetwork(const docker::NetworkSpec& spec) override { return spec.name; }
  void connectNetwork(const std::string&, const std::string&,
                      const std::vector<std::string>&) override {}
  void disconnectNetwork(const std::string&, const std::string&, bool) override {}

 private:
  class Http : public net::HttpClient {
   public:
    explicit Http(FakeDocker& docker) : docker_(docker) {}
    net::HttpResponse send(const net::HttpRequest& request,
                           const net::CancelFlag* cancel = nullptr) override;
    net::HttpResponse stream(const net::HttpRequest& request, const OnHeaders& on_headers,
                             const OnData& on_data,
                             const net::CancelFlag* cancel = nullptr) override;

   private:
    FakeDocker& docker_;
  };
  struct Image {
    std::string tag{};
    std::string digest{};
    Behaviour behaviour = Behaviour::healthy;
  };

  void hook(const std::string& call, const std::string& object);
  Container* find(const std::string& id_or_name);         // lock held
  Behaviour behaviourOf(const std::string& image) const;  // lock held

  mutable std::mutex mutex_;
  std::map<std::string, std::vector<Image>> images_;  // by repository
  std::vector<Container> containers_;
  std::vector<std::string> calls_;
  int next_id_ = 1;
  int next_port_ = 40000;
  Http http_{*this};
};

}  // namespace berth::fakes
