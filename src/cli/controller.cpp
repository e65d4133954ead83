#include "cli/controller.h"

#include <algorithm>
#include <cstdlib>
#include <optional>

#include "api/api.h"
#include "api/authentication.h"
#include "api/webhook/webhook_handler.h"
#include "auth/auth_service.h"
#include "deploy/engine.h"
#include "docker/docker_client.h"
#include "docker/endpoint.h"
#include "docker/ensure_network.h"
#include "events/event_bus.h"
#include "http/router.h"
#include "http/server.h"
#include "net/curl_http_client.h"
#include "poller/poll_rules.h"
#include "poller/poller.h"
#include "proxy/command_runner.h"
#include "proxy/make_proxy.h"
#include "registry/credentials.h"
#include "registry/registry_client.h"
#include "web/static_files.h"

namespace berth {
namespace {

constexpr int kPollerHistory = 1000;

docker::DockerEndpoint dockerEndpoint(const Config& config) {
  auto endpoint = docker::parseDockerEndpoint(config.docker.host);
  if (!endpoint.ok()) throw StartupError("docker.host: " + endpoint.error());
  if (auto missing = docker::checkEndpointFiles(*endpoint))
    throw StartupError("cannot reach Docker at " + config.docker.host + ": " + *missing);
  return *endpoint;
}

std::unique_ptr<proxy::Proxy> buildProxy(const Config& config, net::HttpClient& http,
                                         proxy::CommandRunner& commands) {
  try {
    return proxy::makeProxy(config.proxy,
                            proxy::ProxyDeps{http, commands, systemClock(), proxy::processEnv()});
  } catch (const std::exception& e) {
    throw StartupError(std::string("proxy: ") + e.what());
  }
}

// With auth.mode oidc: the relying party, its callback under server.public_url and its secret
// read from the environment now, so a missing one stops the start instead of every login.
std::unique_ptr<auth::OidcClient> buildOidc(const Config& config, net::HttpClient& http) {
  if (config.auth.mode != AuthMode::oidc) return nullptr;
  const auto& oidc = config.auth.oidc;
  std::string public_url = config.server.public_url;
  while (public_url.ends_with('/'))
    public_url.pop_back();
  if (public_url.empty())
    throw StartupError(
        "auth.mode oidc needs server.public_url: the provider sends browsers back to "
        "<public_url>/api/auth/oidc/callback, which must be registered with it");
  std::string secret;
  if (!oidc.client_secret_env.empty()) {
    const char* value = std::getenv(oidc.client_secret_env.c_str());
    if (value == nullptr || *value == '\0')
      throw StartupError("auth.oidc.client_secret_env: the environment variable " +
                         oidc.client_secret_env + " is not set");
    secret = value;
  }
  return std::make_unique<auth::OidcClient>(
      http, systemClock(),
      auth::OidcClientSettings{.discovery_url = oidc.discovery_url,
                               .client_id = oidc.client_id,
                               .client_secret = secret,
                               .redirect_uri = public_url + "/api/auth/oidc/callback",
                               .scopes = oidc.scopes,
                               .admin_claim = oidc.admin_claim,
                               .admin_value = oidc.admin_group});
}

http::ServerOptions serverOptions(const Config& config, const ControllerOptions& options) {
  http::ServerOptions server;
  server.listen = options.listen.empty() ? config.server.listen : options.listen;
  return server;
}

// With no user yet, berth creates "admin": with $ADMIN_PASSWORD, or with a generated password
// that is logged this once (it is never stored or shown again; only its hash is kept).
void createFirstAdmin(auth::AuthService& auth, const Logger& log) {
  const char* given = std::getenv("ADMIN_PASSWORD");
  const bool first_start = auth.users().empty();
  std::optional<std::string> generated;
  try {
    generated = auth.ensureFirstAdmin(given ? std::optional<std::string>(given) : std::nullopt);
  } catch (const auth::AuthError& e) {
    throw StartupError(std::string("ADMIN_PASSWORD: ") + e.what());
  }
  if (generated) {
    log.warn(
        "created the first user, admin, with this generated password (shown only now; "
        "log in and change it, or set ADMIN_PASSWORD before the first start)",
        {{"username", "admin"}, {"password", *generated}});
  } else if (first_start) {
    log.info("created the first user, admin, with the password in ADMIN_PASSWORD");
  }
}

}  // namespace

// Members in construction order; destruction runs in reverse, so the server goes first and
// the Docker client last.
struct Controller::Parts {
  Parts(Store& store, const Logger& log, ControllerOptions opts)
      : options(std::move(opts)),
        config(store.loadConfig()),
        docker(http, dockerEndpoint(config)),
        proxy(buildProxy(config, http, commands)),
        journal(store, bus, log),
        // Its own connection to the database: logins never wait for the engine's lock.
        auth(Store::open(store.path()), systemClock(),
             auth::AuthOptions{.session_lifetime = config.auth.session_lifetime},
             log.with({{"component", "auth"}})),
        oidc(buildOidc(config, http)),
        engine(deploy::Services{docker, *proxy, http, systemClock(), journal}),
        registry(http, systemClock(),
                 registry::RegistryClientOptions{
                     .hosts = registry::hostSettingsFromConfig(config.registries)}),
        poller(registry, systemClock(), pollerDeps(), log.with({{"component", "poller"}})),
        webhooks(api::WebhookDeps{
            .config = [this] { return journal.config(); },
            .registry = registry,
            .enqueue = [this](const deploy::DeployRequest& r) { return engine.enqueue(r); },
            .env = registry::processEnvironment(),
            .clock = systemClock(),
            .log = log.with({{"component", "webhook"}})}) {}

  poller::PollerDeps pollerDeps() {
    return poller::PollerDeps{
        .config = [this] { return journal.config(); },
        .serving = [this](const std::string& project, const std::string& stage)
            -> std::optional<std::pair<std::string, std::string>> {
          auto serving = journal.serving(project, stage);
          if (!serving) return std::nullopt;
          return std::pair{serving->image_tag, serving->image_digest};
        },
        .deploy =
            [this](const std::string& project, const std::string& stage, const std::string& tag,
                   const std::string& digest) {
              return engine.enqueue(deploy::DeployRequest{.project = project,
                                                          .stage = stage,
                                                          .tag = tag,
                                                          .digest = digest,
                                                          .trigger = DeployTrigger::poller});
            },
        .deployed_before =
            [this](const std::string& project, const std::string& stage, const std::string& tag,
                   const std::string& digest) {
              // Asked only when the poller is about to deploy; the newest 1,000 deploys of
              // the stage bound the cost and cover any image it would still call new.
              const auto history = journal.list(
                  DeployQuery{.project = project, .stage = stage, .limit = kPollerHistory});
              const poller::ImageToDeploy image{tag, digest};
              return std::any_of(history.begin(), history.end(), [&](const DeployRecord& d) {
                return poller::hadImageBefore(image, d.image_tag, d.image_digest, d.state);
              });
            }};
  }

  ControllerOptions options;
  Config config;
  net::CurlHttpClient http;
  proxy::ProcessRunner commands;
  docker::DockerClient docker;
  std::unique_ptr<proxy::Proxy> proxy;
  events::EventBus bus;
  deploy::Journal journal;
  auth::AuthService auth;
  std::unique_ptr<auth::OidcClient> oidc;
  deploy::Engine engine;
  registry::RegistryClient registry;
  poller::Poller poller;
  api::WebhookHandler webhooks;
  http::Router router;
  std::unique_ptr<http::Server> server;
  bool shut_down = false;
};

Controller::Controller(Store& store, const Logger& log, ControllerOptions options)
    : parts_(std::make_unique<Parts>(store, log, std::move(options))) {
  Parts& p = *parts_;
  try {
    docker::ensureNetwork(p.docker, docker::NetworkSpec{
                                        .name = p.config.docker.network,
                                        .labels = {{"berth.managed", "true"}},
                                    });
    p.engine.reconcile();
  } catch (const std::exception& e) {
    throw StartupError("cannot reach Docker at " + p.config.docker.host + ": " + e.what());
  }

  api::addRoutes(
      p.router,
      api::ApiDeps{
          .engine = p.engine,
          .journal = p.journal,
          .bus = p.bus,
          .poller = p.options.poll ? &p.poller : nullptr,
          .webhook = [&p](const http::Request& r) { return p.webhooks.handle(r); },
          .open_connections = [&p] { return p.server ? p.server->connections() : std::size_t{0}; },
          .version = p.options.version,
          .clock = systemClock(),
          .registry = &p.registry,
      });
  api::addAuthentication(
      p.router,
      api::AuthDeps{.auth = p.auth,
                    .config = [&p] { return p.journal.config(); },
                    .oidc = p.oidc.get(),
                    .replace_config = [&p](const Config& c) { p.journal.replaceConfig(c); },
                    .started_with = p.config.auth});
  createFirstAdmin(p.auth, log);
  const web::StaticFiles dashboard(p.options.web_dir.empty()
                                       ? std::nullopt
                                       : std::optional<std::filesystem::path>(p.options.web_dir));
  if (!dashboard.available())
    log.warn(
        "no dashboard to serve",
        {{"web_dir", p.options.web_dir.empty() ? std::string("(built in)") : p.options.web_dir}});
  p.router.setFallback([dashboard](const http::Request& r) { return dashboard.serve(r); });
  try {
    p.server = std::make_unique<http::Server>(p.router, serverOptions(p.config, p.options),
                                              log.with({{"component", "http"}}));
  } catch (const std::exception& e) {
    throw StartupError(e.what());
  }
  if (p.options.poll) p.poller.start();
}

Controller::~Controller() {
  shutdown();
}

std::string Controller::address() const {
  return parts_->server->address();
}

bool Controller::shutdown() {
  Parts& p = *parts_;
  if (p.shut_down) return true;
  p.shut_down = true;
  p.poller.stop();
  // The server keeps answering while deploys finish: clients watch them end, and new deploy
  // requests are refused with 503 by the engine.
  const bool finished = p.engine.shutdown(p.options.shutdown_timeout);
  p.bus.closeAll();
  if (p.server) p.server->stop();
  return finished;
}

}  // namespace berth
