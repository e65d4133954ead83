// The npm driver: routes a stage through an Nginx Proxy Manager proxy host, found by the
// stage's domains, created when missing. A switch changes only the host's forward scheme,
// host and port; everything else (certificate, access list, advanced config, locations) stays
// the operator's. After every change the host is read back until NPM reports the new forward
// address with meta.nginx_online == true.
//
// One forward address per proxy host: with several upstreams the route must carry a `shared`
// address (a Docker network alias held by all replicas of the active color, see
// docs/design-notes.md); without one, apply() throws unsupported rather than silently sending
// all traffic to one replica.
#pragma once

#include <chrono>
#include <mutex>
#include <string>

#include "core/clock.h"
#include "net/http.h"
#include "proxy/npm_api.h"
#include "proxy/npm_session.h"
#include "proxy/proxy.h"

namespace berth::proxy {

struct NpmOptions {
  NpmCredentials credentials{};
  // Where NPM's nginx serves proxy hosts, for probe(); empty: the host of credentials.url on
  // port 80 (NPM's admin API is :81 and its proxy :80 on the same machine).
  std::string probe_address{};
  // How long to read the host back waiting for nginx_online with the new forward address.
  std::chrono::milliseconds settle_timeout{std::chrono::seconds(10)};
  // NPM answers once it has *sent* nginx the reload signal; nginx's master then starts new
  // workers and lets the old ones accept for 100 ms more. Waiting this long after NPM
  // confirms makes "apply returned" mean "new connections get the new route".
  std::chrono::milliseconds reload_grace{std::chrono::milliseconds(300)};
};

class NpmProxy : public Proxy {
 public:
  // `http` and `clock` must outlive the proxy.
  NpmProxy(NpmOptions options, EnvLookup env, net::HttpClient& http, Clock& clock);

  std::string_view driver() const override { return "npm"; }
  void apply(const Route& route) override;
  std::optional<Route> current(const RouteKey& key) override;
  void remove(const RouteKey& key) override;
  ProbeResult probe(const Route& route, std::string_view path,
                    std::chrono::milliseconds timeout) override;

  const std::string& probeAddress() const { return probe_address_; }
  NpmSession& session() { return session_; }

 private:
  // The one proxy host holding the key's domains, nullopt if none; throws if they are
  // spread over several hosts.
  std::optional<npm::ProxyHost> findHost(const RouteKey& key);
  // Creates the host; after a 5xx first looks for one the failed create left behind.
  npm::ProxyHost create(const Route& route, const npm::Forward& forward);
  void putForward(const std::string& stage, int id, const npm::Forward& forward);
  void setEnabled(const std::string& stage, int id, bool enabled);
  // Reads the host back until it forwards to `want` and nginx_online is true.
  void confirm(const std::string& stage, int id, const npm::Forward& want);
  npm::ProxyHost getHost(const std::string& stage, int id);

  NpmOptions options_;
  NpmSession session_;
  Clock& clock_;
  net::HttpClient& http_;
  std::string probe_address_;
  std::mutex mutex_;  // one change at a time: find-then-create must not race
};

// "http://npm:81/" -> "npm:80"; "" if the URL has no host.
std::string npmProxyAddressFor(const std::string& url);

}  // namespace berth::proxy
