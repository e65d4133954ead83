#include "proxy/npm_proxy.h"

#include "proxy/http_probe.h"

namespace berth::proxy {
namespace {

using Kind = ProxyError::Kind;

std::string describe(const npm::Forward& f) {
  return f.scheme + "://" + f.host + ":" + std::to_string(f.port);
}

ProxyError apiError(const std::string& stage, const std::string& what,
                    const net::HttpResponse& response) {
  return ProxyError(
      Kind::api, "npm", stage,
      what + ": HTTP " + std::to_string(response.status) + ": " + npm::errorMessage(response));
}

}  // namespace

std::string npmProxyAddressFor(const std::string& url) {
  auto rest = url.substr(url.find("://") == std::string::npos ? 0 : url.find("://") + 3);
  rest = rest.substr(0, rest.find('/'));
  if (rest.empty()) return "";
  if (rest.front() == '[') return rest.substr(0, rest.find(']') + 1) + ":80";
  return rest.substr(0, rest.find(':')) + ":80";
}

NpmProxy::NpmProxy(NpmOptions options, EnvLookup env, net::HttpClient& http, Clock& clock)
    : options_(std::move(options)),
      session_(options_.credentials, std::move(env), http, clock),
      clock_(clock),
      http_(http) {
  probe_address_ = options_.probe_address.empty() ? npmProxyAddressFor(options_.credentials.url)
                                                  : options_.probe_address;
}

std::optional<npm::ProxyHost> NpmProxy::findHost(const RouteKey& key) {
  const std::string stage = stageName(key.project, key.stage);
  const auto& url = session_.url();
  const auto response = session_.send(
      [&](const std::string& token) { return npm::listHostsRequest(url, token); }, true, stage);
  if (response.status != 200) throw apiError(stage, "list proxy hosts", response);
  std::string why;
  const auto hosts = npm::parseHostList(response.body, &why);
  if (!hosts) throw ProxyError(Kind::api, "npm", stage, "list proxy hosts: " + why);
  const auto found = npm::hostsForDomains(*hosts, key.domains);
  if (found.empty()) return std::nullopt;
  if (found.size() > 1) {
    std::string ids;
    for (const auto& h : found)
      ids += (ids.empty() ? "" : ", ") + std::to_string(h.id);
    throw ProxyError(Kind::unsupported, "npm", stage,
                     "the stage's domains are spread over NPM proxy hosts " + ids +
                         "; keep them on one proxy host");
  }
  return found.front();
}

npm::ProxyHost NpmProxy::getHost(const std::string& stage, int id) {
  const auto& url = session_.url();
  const auto response = session_.send(
      [&](const std::string& token) { return npm::getHostRequest(url, token, id); }, true, stage);
  if (response.status != 200)
    throw apiError(stage, "read proxy host " + std::to_string(id), response);
  std::string why;
  auto host = npm::parseHost(response.body, &why);
  if (!host) throw ProxyError(Kind::api, "npm", stage, "read proxy host: " + why);
  return *host;
}

npm::ProxyHost NpmProxy::create(const Route& route, const npm::Forward& forward) {
  const std::string stage = stageName(route.project, route.stage);
  const auto& url = session_.url();
  for (int attempt = 1;; ++attempt) {
    const auto response = session_.send(
        [&](const std::string& token) {
          return npm::createHostRequest(url, token, route.domains, forward);
        },
        false, stage);
    if (response.status == 200 || response.status == 201) {
      std::string why;
      auto host = npm::parseHost(response.body, &why);
      if (!host) throw ProxyError(Kind::api, "npm", stage, "create proxy host: " + why);
      return *host;
    }
    // A create that failed on NPM's side may have inserted the host before failing (NPM
    // writes the row, then configures nginx), and a concurrent creator may have won ("is
    // already in use"): either way the host to use is the one that now holds the domains.
    const bool maybe_left = response.status >= 500 ||
                            (response.status == 400 && npm::errorMessage(response).find(
                                                           "already in use") != std::string::npos);
    if (!maybe_left) throw apiError(stage, "create proxy host", response);
    if (auto existing = findHost(route.key())) return *existing;
    if (attempt >= 2) throw apiError(stage, "create proxy host (twice)", response);
  }
}

void NpmProxy::putForward(const std::string& stage, int id, const npm::Forward& forward) {
  const auto& url = session_.url();
  const auto response = session_.send(
      [&](const std::string& token) { return npm::updateForwardRequest(url, token, id, forward); },
      true, stage);
  if (response.status != 200)
    throw apiError(stage, "update proxy host " + std::to_string(id), response);
}

void NpmProxy::setEnabled(const std::string& stage, int id, bool enabled) {
  const auto& url = session_.url();
  const auto response = session_.send(
      [&](const std::string& token) { return npm::setEnabledRequest(url, token, id, enabled); },
      true, stage);
  // NPM answers 400 "Host is already enabled/disabled": the state we want.
  if (response.status != 200 &&
      !(response.status == 400 && npm::errorMessage(response).find("already") != std::string::npos))
    throw apiError(
        stage, std::string(enabled ? "enable" : "disable") + " proxy host " + std::to_string(id),
        response);
}

void NpmProxy::confirm(const std::string& stage, int id, const npm::Forward& want) {
  const auto deadline = clock_.now() + options_.settle_timeout;
  for (;;) {
    const auto host = getHost(stage, id);
    if (host.forward == want && host.nginx_online == std::optional<bool>(false))
      throw ProxyError(
          Kind::config_rejected, "npm", stage,
          "NPM took proxy host " + std::to_string(id) + " offline: nginx_err: " + host.nginx_err);
    if (host.forward == want && host.nginx_online == std::optional<bool>(true) && host.enabled)
      return;
    if (clock_.now() >= deadline)
      throw ProxyError(
          Kind::not_effective, "npm", stage,
          "proxy host " + std::to_string(id) + " still forwards to " + describe(host.forward) +
              " (wanted " + describe(want) + ", nginx_online " +
              (host.nginx_online ? (*host.nginx_online ? "true" : "false") : "absent") + ")");
    clock_.sleepFor(std::chrono::milliseconds(100));
  }
}

void NpmProxy::apply(const Route& route) {
  const std::string stage = stageName(route.project, route.stage);
  if (auto problem = routeProblem(route); !problem.empty())
    throw ProxyError(Kind::invalid_route, "npm", stage, problem);
  if (route.domains.empty()) {
    remove(route.key());
    return;
  }
  npm::Forward want;
  if (route.upstreams.size() == 1) {
    want.host = route.upstreams.front().host;
    want.port = route.upstreams.front().port;
  } else if (route.shared) {
    want.host = route.shared->host;
    want.port = route.shared->port;
  } else {
    throw ProxyError(Kind::unsupported, "npm", stage,
                     "an NPM proxy host forwards to one address, but the route has " +
                         std::to_string(route.upstreams.size()) +
                         " upstreams and no shared address (use reach: network, where the "
                         "replicas share a network alias)");
  }

  std::lock_guard lock(mutex_);
  std::optional<npm::Forward> previous;
  int id = 0;
  if (auto host = findHost(route.key())) {
    id = host->id;
    previous = host->forward;
    if (!(host->forward == want)) putForward(stage, id, want);
    if (!host->enabled) setEnabled(stage, id, true);
  } else {
    id = create(route, want).id;
    // A host left behind by a failed create may forward elsewhere.
    const auto created = getHost(stage, id);
    if (!(created.forward == want)) putForward(stage, id, want);
  }
  try {
    confirm(stage, id, want);
    clock_.sleepFor(options_.reload_grace);
  } catch (const ProxyError& e) {
    if (!previous || *previous == want) throw;
    // Put the previous forward address back, so the old instances keep serving.
    std::string detail = e.detail();
    try {
      putForward(stage, id, *previous);
      detail += "; forward address restored to " + describe(*previous);
    } catch (const ProxyError& restore) {
      detail += "; restoring " + describe(*previous) + " failed: " + restore.detail();
    }
    throw ProxyError(e.kind(), "npm", stage, detail);
  }
}

std::optional<Route> NpmProxy::current(const RouteKey& key) {
  if (key.domains.empty()) return std::nullopt;
  std::lock_guard lock(mutex_);
  const auto host = findHost(key);
  if (!host || !host->enabled) return std::nullopt;
  Route r;
  r.project = key.project;
  r.stage = key.stage;
  r.domains = host->domain_names;
  r.upstreams.push_back(Upstream{host->forward.host, host->forward.port});
  return r;
}

void NpmProxy::remove(const RouteKey& key) {
  if (key.domains.empty()) return;
  std::lock_guard lock(mutex_);
  const auto host = findHost(key);
  if (!host || !host->enabled) return;
  setEnabled(stageName(key.project, key.stage), host->id, false);
  clock_.sleepFor(options_.reload_grace);
}

ProbeResult NpmProxy::probe(const Route& route, std::string_view path,
                            std::chrono::milliseconds timeout) {
  const std::string stage = stageName(route.project, route.stage);
  if (route.domains.empty()) {
    if (route.upstreams.empty())
      throw ProxyError(Kind::invalid_route, "npm", stage, "no upstream instance");
    return sendProbe(http_, "npm", stage, toString(route.upstreams.front()), path, "", timeout);
  }
  return sendProbe(http_, "npm", stage, probe_address_, path, probeHostFor(route.domains.front()),
                   timeout);
}

}  // namespace berth::proxy
