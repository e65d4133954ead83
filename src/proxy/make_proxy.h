// Builds the Proxy berth.yaml's `proxy:` section asks for. The composition root (main.cpp)
// owns the HTTP client, command runner and clock; the proxy only borrows them.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "core/clock.h"
#include "core/model.h"
#include "net/http.h"
#include "proxy/command_runner.h"
#include "proxy/npm_session.h"
#include "proxy/proxy.h"

namespace berth::proxy {

struct ProxyDeps {
  net::HttpClient& http;
  CommandRunner& commands;
  Clock& clock;
  EnvLookup env;  // for secret_env; processEnv() in production
};

// Knobs berth.yaml does not (yet) have; the defaults suit a proxy on this host.
struct ProxyTuning {
  std::string probe_address{};  // where berth reaches the proxy's listener; "" = derived
  std::chrono::milliseconds command_timeout{std::chrono::seconds(30)};
  std::chrono::milliseconds settle_timeout{std::chrono::seconds(10)};
};

// Throws ProxyError(unsupported) for settings the driver cannot work with:
// nginx without conf_dir, a test_cmd or reload_cmd that does not split (command_line.h), npm
// without url, identity or secret_env. The secret itself is read at login, not here.
std::unique_ptr<Proxy> makeProxy(const ProxySettings& settings, const ProxyDeps& deps,
                                 const ProxyTuning& tuning = {});

}  // namespace berth::proxy
