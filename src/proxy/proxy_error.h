// Why a proxy operation failed, typed so the engine can decide what to tell the operator and
// whether a retry can help. The message always names the driver, the stage and the cause
// ("nginx: web/production: config rejected: nginx: [emerg] invalid port ..."), and never
// contains a secret.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

namespace berth::proxy {

class ProxyError : public std::runtime_error {
 public:
  enum class Kind {
    invalid_route,    // the route cannot be expressed (bad name, no upstream): a bug upstream
    unsupported,      // the driver cannot do this (npm: several upstreams without a shared one)
    config_rejected,  // the proxy refused the new configuration (nginx -t, npm nginx_online false)
    command_failed,   // test or reload command could not run, failed or timed out
    not_effective,    // the change was accepted but the proxy still serves the old route
    io,               // a configuration file could not be written, renamed or removed
    auth,             // npm: login refused, token renewal failed, secret variable unset
    api,              // npm: an answer the driver cannot use (unexpected status, bad JSON)
    unreachable,      // the proxy's API or listen address did not answer
  };

  // `stage` is "project/stage", or empty for operations not tied to one stage.
  ProxyError(Kind kind, std::string driver, std::string stage, std::string detail);

  Kind kind() const { return kind_; }
  const std::string& driver() const { return driver_; }
  const std::string& stage() const { return stage_; }
  // The cause without the "driver: stage: kind:" prefix (nginx's own message, NPM's error).
  const std::string& detail() const { return detail_; }

 private:
  Kind kind_;
  std::string driver_;
  std::string stage_;
  std::string detail_;
};

// "config rejected", "not effective", ... as used in messages.
std::string_view kindName(ProxyError::Kind kind);

}  // namespace berth::proxy
