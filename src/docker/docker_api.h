// DockerApi: everything berth asks of a Docker daemon, as one abstract seam, so the deploy
// engine is unit-tested against an in-process fake and integration-tested against the real
// daemon. The real implementation is DockerClient (docker_client.h), over the Engine API.
// DockerApiWrapper forwards every call to another DockerApi, so a test can override one
// method (inject a failure) and keep the rest real.
//
// Errors: every method throws DockerError (docker_error.h) and nothing else for daemon-side and
// transport failures; its kind says what happened (not_found, conflict, timeout, ...) and its
// message carries the daemon's own words. Every call is bounded by a timeout.
//
// Thread-safety: implementations must be safe to call from several threads at once (the
// engine runs deploys of different stages in parallel). Calls are blocking.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "core/image_ref.h"
#include "docker/docker_error.h"
#include "docker/docker_types.h"
#include "docker/event_stream.h"
#include "docker/pull_progress.h"
#include "net/http.h"

namespace berth::docker {

struct PullResult {
  std::string image{};      // what was pulled, canonical ("127.0.0.1:5000/acme/web:v2")
  std::string digest{};     // the registry digest the daemon reported ("sha256:...")
  bool downloaded = false;  // false: the image was already up to date
  PullProgress progress{};
  // "3 layers, 41.2 MB" or "1 layer (1 already present), 0 B, up to date".
  std::string summary() const;
};

// Why streamEvents returned.
enum class EventStreamEnd { stopped_by_callback, cancelled, closed_by_daemon };

class DockerApi {
 public:
  virtual ~DockerApi() = default;

  // Returns when the daemon answers GET /_ping. Use at start-up and for /healthz.
  virtual void ping() = 0;

  // The daemon's version report (GET /version).
  virtual DaemonVersion version() = 0;

  // The Engine API version in use: min(daemon's, 1.41), negotiated on first use and kept.
  // Throws DockerError(protocol) when daemon and berth share no version.
  virtual std::string apiVersion() = 0;

  // Pulls `image` (a digest wins over a tag), passing `auth` to the registry when given.
  // Calls `on_progress` (may be empty) on the calling thread after every progress message.
  // Fails with the registry's reason also when it arrives mid-stream after HTTP 200
  // (unauthorized for wrong credentials, not_found for a missing tag); with timeout when the
  // daemon reports no progress for DockerTimeouts::pull_idle; with cancelled within about a
  // second of `cancel` being set.
  virtual PullResult pullImage(const ImageRef& image, const std::optional<RegistryAuth>& auth,
                               const PullCallback& on_progress,
                               const net::CancelFlag* cancel = nullptr) = 0;

  // Inspects a local image by reference or id. not_found if the daemon does not have it.
  virtual ImageInfo inspectImage(const std::string& image) = 0;

  // Creates (does not start) a container. conflict if the name is taken, not_found if the
  // image is not local (pull first), bad_request for parameters the daemon refuses.
  virtual CreatedContainer createContainer(const ContainerSpec& spec) = 0;

  // Starts a created or stopped container; starting a running one is not an error.
  virtual void startContainer(const std::string& container) = 0;

  // State, health, published ports, labels of a container (by name or id).
  virtual ContainerInfo inspectContainer(const std::string& container) = 0;

  // Sends SIGTERM, then SIGKILL after `timeout`. Returns true if it was running, false if it
  // was already stopped (not an error).
  virtual bool stopContainer(const std::string& container, std::chrono::seconds timeout) = 0;

  // Removes a container; `force` also kills a running one. Never removes its volumes: named
  // volumes hold data that outlives deploys. not_found if it does not exist.
  virtual void removeContainer(const std::string& container, bool force) = 0;

  // Containers, running or not, matching every filter key ({"label": ["berth.project=web"]}).
  virtual std::vector<ContainerSummary> listContainers(const Filters& filters) = 0;

  // The container's output so far (not followed), stdout and stderr told apart unless it has a
  // TTY.
  virtual ContainerLogs containerLogs(const std::string& container, const LogOptions& options) = 0;

  // Streams daemon events matching `filter` into `on_event` (on the calling thread) until the
  // callback returns false, `cancel` is set (not an error), the daemon closes the stream
  // (after filter.until, or when it shuts down), or an error is thrown. Blocks meanwhile;
  // without a cancel flag or `until` it may block forever.
  virtual EventStreamEnd streamEvents(const EventFilter& filter, const EventCallback& on_event,
                                      const net::CancelFlag* cancel = nullptr) = 0;

  // A network by name or id. not_found if there is none.
  virtual NetworkInfo inspectNetwork(const std::string& network) = 0;

  // Creates a network, returning its id. conflict if one with that name exists. To create it
  // only if missing, use ensureNetwork (ensure_network.h).
  virtual std::string createNetwork(const NetworkSpec& spec) = 0;

  // Connects a container to a network under extra DNS `aliases`. conflict if it is already
  // connected.
  virtual void connectNetwork(const std::string& network, const std::string& container,
                              const std::vector<std::string>& aliases) = 0;

  // Disconnects a container from a network; `force` even if the container is not running.
  virtual void disconnectNetwork(const std::string& network, const std::string& container,
                                 bool force) = 0;
};

// Forwards every call to `target`. Derive from it to override only some methods in a test.
class DockerApiWrapper : public DockerApi {
 public:
  explicit DockerApiWrapper(DockerApi& target) : target_(target) {}
  DockerApi& target() const { return target_; }

  void ping() override { target_.ping(); }
  DaemonVersion version() override { return target_.version(); }
  std::string apiVersion() override { return target_.apiVersion(); }
  PullResult pullImage(const ImageRef& image, const std::optional<RegistryAuth>& auth,
                       const PullCallback& on_progress,
                       const net::CancelFlag* cancel = nullptr) override {
    return target_.pullImage(image, auth, on_progress, cancel);
  }
  ImageInfo inspectImage(const std::string& image) override { return target_.inspectImage(image); }
  CreatedContainer createContainer(const ContainerSpec& spec) override {
    return target_.createContainer(spec);
  }
  void startContainer(const std::string& container) override { target_.startContainer(container); }
  ContainerInfo inspectContainer(const std::string& container) override {
    return target_.inspectContainer(container);
  }
  bool stopContainer(const std::string& container, std::chrono::seconds timeout) override {
    return target_.stopContainer(container, timeout);
  }
  void removeContainer(const std::string& container, bool force) override {
    target_.removeContainer(container, force);
  }
  std::vector<ContainerSummary> listContainers(const Filters& filters) override {
    return target_.listContainers(filters);
  }
  ContainerLogs containerLogs(const std::string& container, const LogOptions& options) override {
    return target_.containerLogs(container, options);
  }
  EventStreamEnd streamEvents(const EventFilter& filter, const EventCallback& on_event,
                              const net::CancelFlag* cancel = nullptr) override {
    return target_.streamEvents(filter, on_event, cancel);
  }
  NetworkInfo inspectNetwork(const std::string& network) override {
    return target_.inspectNetwork(network);
  }
  std::string createNetwork(const NetworkSpec& spec) override {
    return target_.createNetwork(spec);
  }
  void connectNetwork(const std::string& network, const std::string& container,
                      const std::vector<std::string>& aliases) override {
    target_.connectNetwork(network, container, aliases);
  }
  void disconnectNetwork(const std::string& network, const std::string& container,
                         bool force) override {
    target_.disconnectNetwork(network, container, force);
  }

 private:
  DockerApi& target_;
};

}  // namespace berth::docker
