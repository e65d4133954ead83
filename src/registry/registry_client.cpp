#include "registry/registry_client.h"

#include <unordered_set>

#include "core/reference_grammar.h"
#include "core/registry_host.h"
#include "registry/auth_challenge.h"
#include "registry/content_digest.h"
#include "registry/header_syntax.h"
#include "registry/image_config.h"
#include "registry/requests.h"
#include "registry/tag_list.h"
#include "registry/token_request.h"
#include "registry/url.h"

namespace berth::registry {

using Kind = RegistryError::Kind;

// Everything a request for one repository needs to know about where it goes and as whom.
struct RegistryClient::Target {
  RepositoryRef repo;
  HostSettings settings;
  std::string api_host;  // "registry-1.docker.io"
  std::string base_url;  // "https://registry-1.docker.io"
  std::string scope;     // "repository:library/nginx:pull"
};

// How a registry API host wants to be authenticated, learned from its first 401.
struct RegistryClient::HostAuth {
  enum class Scheme { basic, bearer } scheme = Scheme::basic;
  AuthChallenge bearer{};  // realm and service, for fetching tokens before a request
};

namespace {

std::string who(const HostSettings& settings) {
  return settings.credentials ? "as " + settings.credentials->username : "anonymously";
}

RegistryError authFailed(const RepositoryRef& repo, const HostSettings& settings,
                         std::string_view body, const std::string& why) {
  const std::string detail = registryErrorDetail(body);
  std::string message = repo.context() + ": authentication failed for " + repo.registry + " " +
                        who(settings) + " (" + why + ")";
  if (!detail.empty()) message += ": " + detail;
  // Docker Hub answers 401, not 404, for a repository that does not exist.
  if (!settings.credentials)
    message += "; the repository may be private or not exist: configure credentials for " +
               repo.registry + " under `registries:`";
  return RegistryError(Kind::auth, message);
}

net::Headers withoutAuthorization(const net::Headers& headers) {
  net::Headers out;
  for (const auto& [name, value] : headers.fields())
    if (asciiLower(name) != "authorization") out.add(name, value);
  return out;
}

std::string originOf(std::string_view url) {
  auto parsed = parseHttpUrl(url);
  return parsed ? parsed->origin() : "";
}

// Plain http only where requests.h allows it; applies to every URL berth is sent to (token
// realms, next-page links, redirects), not only to the registry's own base URL.
void checkTransport(std::string_view url, const HostSettings& settings,
                    const std::string& context) {
  auto parsed = parseHttpUrl(url);
  if (!parsed)
    throw RegistryError(Kind::refused,
                        context + ": not an http(s) URL: '" + std::string(url) + "'");
  if (parsed->scheme == "http" && !plainHttpAllowed(parsed->authority, settings.insecure))
    throw RegistryError(Kind::refused,
                        context + ": refusing plain http to " + parsed->authority +
                            " (only loopback hosts and registries marked insecure: true)");
}

bool isRedirect(int status) {
  return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

RegistryError withAttempts(const RegistryError& e, int attempts) {
  return RegistryError(e.kind(),
                       std::string(e.what()) + " (after " + std::to_string(attempts) +
                           (attempts == 1 ? " attempt)" : " attempts)"),
                       e.retryAfter());
}

std::string seconds(Duration d) {
  return std::to_string(std::chrono::ceil<std::chrono::seconds>(d).count()) + " s";
}

}  // namespace

RegistryClient::RegistryClient(net::HttpClient& http, Clock& clock, RegistryClientOptions options)
    : http_(http),
      clock_(clock),
      options_(std::move(options)),
      tokens_(clock),
      manifests_(options_.cache_entries),
      created_(options_.cache_entries) {
  if (!options_.hosts) options_.hosts = [](std::string_view) { return HostSettings{}; };
  if (!options_.random) options_.random = defaultRandomSource();
}

RegistryClient::Target RegistryClient::target(const RepositoryRef& repo) const {
  Target t;
  t.repo = repo;
  t.settings = options_.hosts(repo.registry);
  t.api_host = registryApiHost(repo.registry);
  t.base_url = apiBaseUrl(repo.registry, t.settings.insecure);
  t.scope = pullScope(repo.repository);
  return t;
}

net::HttpResponse RegistryClient::sendWithRetry(const Target& target,
                                                const net::HttpRequest& request,
                                                const std::string& context,
                                                const net::CancelFlag* cancel) {
  for (int attempt = 1;; ++attempt) {
    std::optional<RegistryError> failure;
    std::optional<Duration> retry_after;
    net::HttpResponse response;
    try {
      response = http_.send(request, cancel);
    } catch (const net::HttpError& e) {
      switch (e.kind()) {
        case net::HttpError::Kind::cancelled:
          throw RegistryError(Kind::cancelled, context + ": cancelled");
        case net::HttpError::Kind::too_large:
          throw RegistryError(Kind::bad_response, context + ": " + e.what());
        case net::HttpError::Kind::tls:  // a certificate problem will not go away by itself
          throw RegistryError(Kind::unavailable, context + ": " + e.what());
        default:
          failure = RegistryError(Kind::unavailable, context + ": " + e.what());
      }
    }
    if (!failure) {
      if (auto limit = parseRateLimit(response.headers, clock_.wallNow())) {
        std::lock_guard lock(mutex_);
        rate_limits_.insert_or_assign(target.repo.registry, *limit);
      }
      if (!isRetryableStatus(response.status)) return response;
      if (auto value = response.headers.get("Retry-After"))
        retry_after = parseRetryAfter(*value, clock_.wallNow());
      failure = errorForStatus(response.status, response.body, context);
      if (response.status == 429 && retry_after)
        failure = RegistryError(
            Kind::rate_limited,
            std::string(failure->what()) + "; retry after " + seconds(*retry_after), retry_after);
    }
    const RetryDecision decision =
        decideRetry(options_.retry, attempt, retry_after, options_.random());
    if (!decision.retry) throw withAttempts(*failure, attempt);
    if (!clock_.sleepFor(decision.delay, cancel))
      throw RegistryError(Kind::cancelled, context + ": cancelled");
  }
}

std::string RegistryClient::fetchToken(const Target& target, const HostAuth& auth,
                                       std::string_view scope, const std::string& context,
                                       const net::CancelFlag* cancel) {
  const std::string token_context = context + ": token";
  net::HttpRequest request =
      buildTokenRequest(auth.bearer, scope, target.settings.credentials, token_context);
  checkTransport(request.url, target.settings, token_context);
  const net::HttpResponse response = sendWithRetry(target, request, token_context, cancel);
  if (response.status == 401 || response.status == 403)
    throw authFailed(target.repo, target.settings, response.body,
                     "token service " + originOf(request.url) + " answered HTTP " +
                         std::to_string(response.status));
  if (response.status != 200) throw errorForStatus(response.status, response.body, token_context);
  TokenGrant grant = parseTokenResponse(response.body, token_context);
  tokens_.put(target.api_host, target.scope, grant.token, grant.lifetime);
  return std::move(grant.token);
}

bool RegistryClient::authorize(const Target& target, net::HttpRequest& request,
                               const std::string& context, const net::CancelFlag* cancel) {
  // Credentials go to the registry's own origin only.
  if (originOf(request.url) != originOf(target.base_url)) return false;
  std::shared_ptr<const HostAuth> auth;
  {
    std::lock_guard lock(mutex_);
    const auto it = host_auth_.find(target.api_host);
    if (it != host_auth_.end()) auth = it->second;
  }
  if (!auth) return false;  // not learned yet: ask anonymously, the 401 will say how
  if (auth->scheme == HostAuth::Scheme::basic) {
    if (!target.settings.credentials) return false;
    request.headers.add("Authorization", basicAuthorization(*target.settings.credentials));
    return true;
  }
  if (auto token = tokens_.get(target.api_host, target.scope)) {
    request.headers.add("Authorization", "Bearer " + *token);
    return false;  // cached: the registry may have revoked it, so a 401 earns one refresh
  }
  request.headers.add("Authorization",
                      "Bearer " + fetchToken(target, *auth, target.scope, context, cancel));
  return true;
}

void RegistryClient::reauthorize(const Target& target, const net::HttpResponse& unauthorized,
                                 net::HttpRequest& request, const std::string& context,
                                 const net::CancelFlag* cancel) {
  const auto challenges = parseWwwAuthenticate(unauthorized.headers.getAll("WWW-Authenticate"));
  auto learned = std::make_shared<HostAuth>();
  std::string authorization;
  if (auto bearer = findChallenge(challenges, "bearer")) {
    learned->scheme = HostAuth::Scheme::bearer;
    learned->bearer = *bearer;
    // The challenge's own scope is what this request needs; later requests for other
    // repositories ask for their own scope with the same realm and service.
    learned->bearer.params.erase("scope");
    learned->bearer.params.erase("error");
    const std::string scope =
        bearer->param("scope").empty() ? target.scope : bearer->param("scope");
    tokens_.forget(target.api_host, target.scope);
    authorization = "Bearer " + fetchToken(target, *learned, scope, context, cancel);
  } else if (findChallenge(challenges, "basic")) {
    learned->scheme = HostAuth::Scheme::basic;
    if (!target.settings.credentials) {
      std::lock_guard lock(mutex_);
      host_auth_.insert_or_assign(target.api_host, learned);
      throw authFailed(target.repo, target.settings, unauthorized.body,
                       "the registry requires a username and password");
    }
    authorization = basicAuthorization(*target.settings.credentials);
  } else {
    throw authFailed(target.repo, target.settings, unauthorized.body,
                     "HTTP 401 without a Basic or Bearer challenge");
  }
  {
    std::lock_guard lock(mutex_);
    host_auth_.insert_or_assign(target.api_host, learned);
  }
  request.headers = withoutAuthorization(request.headers);
  request.headers.add("Authorization", authorization);
}

net::HttpResponse RegistryClient::exchange(const Target& target, net::HttpRequest request,
                                           const std::string& context,
                                           const net::CancelFlag* cancel) {
  checkTransport(request.url, target.settings, context);
  const bool fresh = authorize(target, request, context, cancel);
  net::HttpResponse response = sendWithRetry(target, request, context, cancel);
  if (response.status == 401) {
    // Answering another host's challenge would hand it the registry's credentials.
    if (originOf(request.url) != originOf(target.base_url))
      throw RegistryError(Kind::refused, context + ": " + originOf(request.url) +
                                             " asks for credentials, which berth sends only to " +
                                             originOf(target.base_url));
    if (fresh)
      throw authFailed(target.repo, target.settings, response.body,
                       "HTTP 401 with fresh credentials");
    reauthorize(target, response, request, context, cancel);
    response = sendWithRetry(target, request, context, cancel);
    if (response.status == 401) {
      tokens_.forget(target.api_host, target.scope);
      throw authFailed(target.repo, target.settings, response.body,
                       "HTTP 401 with fresh credentials");
    }
  }
  for (int redirects = 0; isRedirect(response.status); ++redirects) {
    const auto location = response.headers.get("Location");
    if (!location) return response;
    if (redirects >= options_.max_redirects)
      throw RegistryError(
          Kind::bad_response,
          context + ": more than " + std::to_string(options_.max_redirects) + " redirects");
    auto next = resolveUrl(request.url, *location);
    if (!next)
      throw RegistryError(Kind::refused,
                          context + ": cannot follow redirect to '" + *location + "'");
    checkTransport(*next, target.settings, context);
    // Object storage behind a redirect gets a signed URL, never the registry's credentials.
    if (originOf(*next) != originOf(request.url))
      request.headers = withoutAuthorization(request.headers);
    request.url = std::move(*next);
    if (response.status == 303) request.method = "GET";
    response = sendWithRetry(target, request, context, cancel);
  }
  return response;
}

std::vector<std::string> RegistryClient::listTags(const RepositoryRef& repo,
                                                  const net::CancelFlag* cancel) {
  const Target t = target(repo);
  const std::string context = repo.context() + ": tag list";
  net::HttpRequest request = tagListRequest(t.base_url, repo.repository, options_.tag_page_size);
  std::vector<std::string> tags;
  std::unordered_set<std::string> seen_tags;
  std::unordered_set<std::string> seen_pages{request.url};
  for (int page = 1; page <= options_.max_tag_pages; ++page) {
    const net::HttpResponse response = exchange(t, request, context, cancel);
    if (response.status != 200) throw errorForStatus(response.status, response.body, context);
    // Tags added while we page may shift pages; each tag is reported once.
    for (auto& tag : parseTagList(response.body, context))
      if (seen_tags.insert(tag).second) tags.push_back(std::move(tag));
    auto next = nextPageUrl(response.headers, request.url, context);
    if (!next) return tags;
    if (!seen_pages.insert(*next).second)
      throw RegistryError(Kind::bad_response,
                          context + ": the next link repeats an earlier page ('" + *next + "')");
    request = tagListPageRequest(std::move(*next));
  }
  throw RegistryError(
      Kind::bad_response,
      context + ": more than " + std::to_string(options_.max_tag_pages) + " pages of tags");
}

std::string RegistryClient::manifestDigest(const RepositoryRef& repo, std::string_view reference,
                                           const net::CancelFlag* cancel) {
  const Target t = target(repo);
  const std::string context = repo.context() + ": manifest '" + std::string(reference) + "'";
  const net::HttpResponse response =
      exchange(t, manifestRequest("HEAD", t.base_url, repo.repository, reference), context, cancel);
  if (response.status == 200) {
    if (auto digest = response.headers.get("Docker-Content-Digest")) {
      if (!isValidDigest(*digest))
        throw RegistryError(
            Kind::bad_response,
            context + ": header Docker-Content-Digest is not a valid digest ('" + *digest + "')");
      return *digest;
    }
    // Some registries and proxies omit the header: the digest of the bytes is the answer.
    return fetchManifest(t, reference, cancel).digest;
  }
  if (response.status == 405) return fetchManifest(t, reference, cancel).digest;  // no HEAD
  throw errorForStatus(response.status, response.body, context);
}

Manifest RegistryClient::manifest(const RepositoryRef& repo, std::string_view reference,
                                  const net::CancelFlag* cancel) {
  if (isValidDigest(reference))
    if (auto cached = manifests_.get(reference)) return *cached;
  return fetchManifest(target(repo), reference, cancel);
}

Manifest RegistryClient::fetchManifest(const Target& t, std::string_view reference,
                                       const net::CancelFlag* cancel) {
  const std::string context = t.repo.context() + ": manifest '" + std::string(reference) + "'";
  const net::HttpResponse response = exchange(
      t, manifestRequest("GET", t.base_url, t.repo.repository, reference), context, cancel);
  if (response.status != 200) throw errorForStatus(response.status, response.body, context);

  std::string digest;
  const auto header = response.headers.get("Docker-Content-Digest");
  if (isValidDigest(reference)) {
    if (matchesDigest(reference, response.body) == false)
      throw RegistryError(Kind::bad_response, context + ": content does not match its digest");
    digest = std::string(reference);
  } else if (header && isValidDigest(*header)) {
    if (matchesDigest(*header, response.body) == false)
      throw RegistryError(Kind::bad_response,
                          context + ": content does not match Docker-Content-Digest " + *header);
    digest = *header;
  } else {
    digest = sha256Digest(response.body);
  }
  Manifest m = parseManifest(response.body, response.headers.get("Content-Type").value_or(""),
                             digest, context);
  manifests_.put(m.digest, m);
  return m;
}

std::optional<std::chrono::system_clock::time_point> RegistryClient::imageCreated(
    const RepositoryRef& repo, std::string_view config_digest, const net::CancelFlag* cancel) {
  if (auto cached = created_.get(config_digest)) return *cached;
  const std::string context = repo.context() + ": config blob " + std::string(config_digest);
  if (!isValidDigest(config_digest))
    throw RegistryError(Kind::bad_response, context + ": not a valid digest");
  const Target t = target(repo);
  const net::HttpResponse response =
      exchange(t, blobRequest(t.base_url, repo.repository, config_digest), context, cancel);
  if (response.status != 200) throw errorForStatus(response.status, response.body, context);
  if (matchesDigest(config_digest, response.body) == false)
    throw RegistryError(Kind::bad_response, context + ": content does not match its digest");
  auto created = parseImageCreated(response.body, context);
  created_.put(std::string(config_digest), created);
  return created;
}

std::optional<RateLimit> RegistryClient::rateLimit(std::string_view registry) const {
  std::lock_guard lock(mutex_);
  const auto it = rate_limits_.find(registry);
  if (it == rate_limits_.end()) return std::nullopt;
  return it->second;
}

}  // namespace berth::registry
