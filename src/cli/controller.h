// The running controller of `berth serve`: every long-lived object (Docker client, proxy,
// event bus, engine, registry client, poller, webhook handler, HTTP server) built from the
// stored configuration in dependency order, and shut down in the order ARCHITECTURE.md §2
// gives: stop taking work, stop the poller, let in-flight deploys finish, close the event
// streams, stop the server. This file is the composition root; nothing else wires objects.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "log/logger.h"
#include "store/store.h"

namespace berth {

// A start-up failure the operator must fix (Docker unreachable, port in use, bad proxy
// settings). The message says what and where.
class StartupError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct ControllerOptions {
  std::string listen{};  // overrides server.listen when set ("host:port"; port 0: any free)
  std::chrono::milliseconds shutdown_timeout{std::chrono::seconds(60)};
  bool poll = true;  // false: no registry polling (webhooks and the API still deploy)
  std::string version{};
  std::string web_dir{};  // set: serve the dashboard from this directory, not the embedded copy
};

class Controller {
 public:
  // Builds everything, reconciles what Docker runs with the database, starts the poller and
  // the server. Throws StartupError. `store` and `log` must outlive the controller.
  Controller(Store& store, const Logger& log, ControllerOptions options);
  ~Controller();  // shutdown() if not done yet
  Controller(const Controller&) = delete;
  Controller& operator=(const Controller&) = delete;

  // Where the API listens, "127.0.0.1:8080".
  std::string address() const;

  // Graceful shutdown; true when every in-flight deploy finished within the timeout (else they
  // were cancelled and undone). Idempotent.
  bool shutdown();

 private:
  struct Parts;
  std::unique_ptr<Parts> parts_;
};

}  // namespace berth
