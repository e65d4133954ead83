// RegistryClient: the real Registry, speaking the OCI distribution API (Docker Registry HTTP
// API v2) through an net::HttpClient (CurlHttpClient in production, a scripted fake in tests).
//
// Authentication, per registry API host, learned from the registry itself:
//  - anonymous first; a 401 names the scheme in WWW-Authenticate;
//  - Basic: the configured credentials on every request to that host from then on;
//  - Bearer: a token from the challenge's realm (with the configured credentials as Basic auth,
//    if any), cached per (host, scope) until shortly before expires_in; later requests send
//    the cached token at once, and once it has expired fetch a new one before the request
//    instead of provoking another 401.
//  - a 401 after fresh credentials or a fresh token is RegistryError(auth) "authentication
//    failed for <registry> as <user>" (never the password).
// Requests carry credentials only to the registry's own origin: a next-page link or redirect to
// another host (object storage for blobs) is followed without them.
// Plain http only for loopback hosts or registries configured insecure (requests.h).
// Retries (retry_policy.h): network errors, 429 and 5xx, waiting on the Clock. Rate-limit
// headers are recorded from every response. Manifests fetched by digest and config creation
// times are cached (content-addressed, so never stale).
#pragma once

#include <map>
#include <memory>
#include <mutex>

#include "core/clock.h"
#include "net/http.h"
#include "registry/credentials.h"
#include "registry/digest_cache.h"
#include "registry/registry.h"
#include "registry/retry_policy.h"
#include "registry/token_cache.h"

namespace berth::registry {

struct RegistryClientOptions {
  HostSettingsProvider hosts{};  // empty: every registry anonymous and secure
  RetryPolicy retry{};
  RandomSource random{};  // empty: defaultRandomSource()
  int tag_page_size = 1000;
  // A registry whose next links never end must not hold a worker for ever: 1000 pages of
  // 1000 tags is far beyond any real repository.
  int max_tag_pages = 1000;
  size_t cache_entries = 1024;  // manifests, and config times, by digest
  int max_redirects = 5;
};

class RegistryClient : public Registry {
 public:
  // `http` and `clock` must outlive the client.
  RegistryClient(net::HttpClient& http, Clock& clock, RegistryClientOptions options = {});

  std::vector<std::string> listTags(const RepositoryRef& repo,
                                    const net::CancelFlag* cancel = nullptr) override;
  std::string manifestDigest(const RepositoryRef& repo, std::string_view reference,
                             const net::CancelFlag* cancel = nullptr) override;
  Manifest manifest(const RepositoryRef& repo, std::string_view reference,
                    const net::CancelFlag* cancel = nullptr) override;
  std::optional<std::chrono::system_clock::time_point> imageCreated(
      const RepositoryRef& repo, std::string_view config_digest,
      const net::CancelFlag* cancel = nullptr) override;
  std::optional<RateLimit> rateLimit(std::string_view registry) const override;

 private:
  struct Target;
  struct HostAuth;

  Target target(const RepositoryRef& repo) const;
  // Sends `request` for `target` with authentication and redirects handled; the response may
  // have any status (callers map unexpected ones to errors).
  net::HttpResponse exchange(const Target& target, net::HttpRequest request,
                             const std::string& context, const net::CancelFlag* cancel);
  // Sends once, retrying transient failures; records rate limits.
  net::HttpResponse sendWithRetry(const Target& target, const net::HttpRequest& request,
                                  const std::string& context, const net::CancelFlag* cancel);
  // Adds an Authorization header if berth knows how to authenticate to the host. Returns true
  // when the credentials were just obtained (so a 401 means they are wrong).
  bool authorize(const Target& target, net::HttpRequest& request, const std::string& context,
                 const net::CancelFlag* cancel);
  // Reacts to a 401: learns the challenge and adds fresh credentials, or throws.
  void reauthorize(const Target& target, const net::HttpResponse& unauthorized,
                   net::HttpRequest& request, const std::string& context,
                   const net::CancelFlag* cancel);
  std::string fetchToken(const Target& target, const HostAuth& auth, std::string_view scope,
                         const std::string& context, const net::CancelFlag* cancel);
  Manifest fetchManifest(const Target& target, std::string_view reference,
                         const net::CancelFlag* cancel);

  net::HttpClient& http_;
  Clock& clock_;
  RegistryClientOptions options_;
  TokenCache tokens_;
  DigestCache<Manifest> manifests_;
  DigestCache<std::optional<std::chrono::system_clock::time_point>> created_;

  mutable std::mutex mutex_;  // guards the two maps below
  std::map<std::string, std::shared_ptr<const HostAuth>, std::less<>> host_auth_;  // by API host
  std::map<std::string, RateLimit, std::less<>> rate_limits_;                      // by registry
};

}  // namespace berth::registry
