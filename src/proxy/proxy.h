// Proxy: what the deploy engine asks of the reverse proxy in front of a stage, as one
// abstract seam, so the engine is unit-tested against an in-process fake and
// integration-tested against the sandbox nginx. The real implementations are NginxProxy
// (config file + test + reload, nginx_proxy.h), NpmProxy (Nginx Proxy Manager's REST API,
// npm_proxy.h) and NoneProxy (no proxy, none_proxy.h); makeProxy() (make_proxy.h) picks one
// from berth.yaml's `proxy:` section. ProxyWrapper forwards every call, so a test can override
// one method (inject a failure) and keep the rest real.
//
// Blue-green with a Proxy, as the engine does it:
//   start + health-check the new instances
//   proxy.apply(new_route)                 // throws ProxyError: old route still serves
//   proxy.probe(new_route, health_path)    // the new version answers *through the proxy*
//   drain, then stop the old instances
//
// Errors: every method throws ProxyError (proxy_error.h) and nothing else; its kind says what
// happened and its message names the driver, the stage and the proxy's own words. Every call
// is bounded in time (command timeouts, HTTP timeouts, settle timeouts).
//
// Thread-safety: implementations are safe to call from several threads at once (stages deploy
// in parallel). Changes (apply, remove) are serialized inside a driver where the proxy's
// configuration is global (nginx tests and reloads everything at once). Calls block.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "proxy/proxy_error.h"
#include "proxy/route.h"

namespace berth::proxy {

// One answer received through the proxy.
struct ProbeResult {
  int status = 0;  // HTTP status of the answer
  std::string body{};
  std::string url{};  // what was requested, for log lines ("http://127.0.0.1:80/healthz")
  std::string via{};  // "nginx at 127.0.0.1:80 (Host: example.com)", or "direct"
};

class Proxy {
 public:
  virtual ~Proxy() = default;

  // "nginx", "npm" or "none": the driver's name, as in berth.yaml.
  virtual std::string_view driver() const = 0;

  // Makes the stage's domains forward to exactly `route.upstreams`, replacing whatever the
  // stage routed before, and returns only once the proxy serves the new route as far as the
  // driver can observe it:
  //   nginx: the new file passed `test_cmd`, `reload_cmd` succeeded, and a request on a fresh
  //          connection was answered by the new configuration (a marker header, see
  //          nginx_config.h);
  //   npm:   NPM's read-back of the proxy host shows the new forward address and
  //          meta.nginx_online == true;
  //   none:  at once (there is nothing to switch).
  // On failure throws ProxyError and leaves the previous route serving where the driver can:
  // nginx restores the previous file (or removes the new one) and reloads nothing; npm puts
  // the previous forward address back. Applying the route that is already current is cheap
  // and harmless (the deploy engine re-applies at start-up).
  // A route without domains is "not routed": apply() then does what remove() does.
  // Throws invalid_route for a route routeProblem() refuses, before touching anything.
  virtual void apply(const Route& route) = 0;

  // What the proxy routes for the stage now, for reconciliation at start-up; nullopt when it
  // routes nothing for it. nginx reads back the file it wrote; npm finds the proxy host by
  // `key.domains` and reports its single forward address as the one upstream. none: nullopt.
  virtual std::optional<Route> current(const RouteKey& key) = 0;

  // Stops routing the stage's domains. nginx removes the file (test + reload); npm disables
  // the proxy host, keeping the operator's settings (certificate, access list, advanced
  // config) for a later apply(), which enables it again. Removing what is not routed is not
  // an error.
  virtual void remove(const RouteKey& key) = 0;

  // GET `path` through the proxy's own listen address with `Host: <first domain>` on a new
  // connection, so the engine can confirm the new version answers through the proxy before
  // it stops the old instances. Without a proxy (driver none, or a route without domains) it
  // goes straight to the first upstream. Any HTTP answer, 5xx included, is returned; only a
  // failed exchange (refused, timed out) throws, as ProxyError(unreachable).
  virtual ProbeResult probe(const Route& route, std::string_view path,
                            std::chrono::milliseconds timeout) = 0;
};

// Forwards every call to `target`. Derive from it to override only some methods in a test.
class ProxyWrapper : public Proxy {
 public:
  explicit ProxyWrapper(Proxy& target) : target_(target) {}
  std::string_view driver() const override { return target_.driver(); }
  void apply(const Route& route) override { target_.apply(route); }
  std::optional<Route> current(const RouteKey& key) override { return target_.current(key); }
  void remove(const RouteKey& key) override { target_.remove(key); }
  ProbeResult probe(const Route& route, std::string_view path,
                    std::chrono::milliseconds timeout) override {
    return target_.probe(route, path, timeout);
  }

 private:
  Proxy& target_;
};

}  // namespace berth::proxy
