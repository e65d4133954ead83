// The Registry seam: what berth asks of an OCI distribution registry (Docker Hub, GHCR, GitLab,
// Harbor, a private `registry:2`). Abstract so the poller and the deploy engine are unit-tested
// with a fake (registry/testing/fake_registry.h); RegistryClient is the real one, on HTTP.
//
// Like LevelDB's Env: each method's contract is written above it. All methods:
//  - are thread-safe: one instance serves every stage's poll;
//  - throw RegistryError (kind + a message naming registry and repository, never a secret) and
//    nothing else;
//  - block, on a worker thread, for as long as retries and back-off take (bounded);
//  - return early with RegistryError(cancelled) when `cancel` becomes true.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "net/http.h"
#include "registry/manifest.h"
#include "registry/rate_limit.h"
#include "registry/registry_error.h"
#include "registry/repository_ref.h"

namespace berth::registry {

class Registry {
 public:
  virtual ~Registry() = default;

  // Every tag of `repo`, in the order the registry listed them, following pagination (n/last
  // and Link rel="next") to the end. A listing cut short by an error throws; it never returns
  // a partial list. not_found when the repository does not exist.
  virtual std::vector<std::string> listTags(const RepositoryRef& repo,
                                            const net::CancelFlag* cancel = nullptr) = 0;

  // The digest `reference` (a tag or a digest) resolves to, as `docker pull` records it in
  // RepoDigests: for a multi-arch tag the index digest, not a platform's. Uses HEAD (free on
  // Docker Hub's pull limit). not_found when the tag does not exist.
  virtual std::string manifestDigest(const RepositoryRef& repo, std::string_view reference,
                                     const net::CancelFlag* cancel = nullptr) = 0;

  // The manifest or index `reference` names, parsed. Content fetched by digest is verified
  // against that digest, and may be served from a cache (it cannot change).
  virtual Manifest manifest(const RepositoryRef& repo, std::string_view reference,
                            const net::CancelFlag* cancel = nullptr) = 0;

  // The "created" time in the image config blob `config_digest` (from an image manifest's
  // config_digest); nullopt when the config has none. May be cached (content-addressed).
  virtual std::optional<std::chrono::system_clock::time_point> imageCreated(
      const RepositoryRef& repo, std::string_view config_digest,
      const net::CancelFlag* cancel = nullptr) = 0;

  // The rate limit the registry reported on its latest response to us, if it reports one
  // (Docker Hub does). `registry` as in RepositoryRef. Never blocks on the network.
  virtual std::optional<RateLimit> rateLimit(std::string_view registry) const = 0;
};

// Forwards every call to another Registry. Derive from it to override part of the behaviour in
// a test (fail the third manifest request, count calls) without re-implementing the rest.
class RegistryWrapper : public Registry {
 public:
  explicit RegistryWrapper(Registry& target) : target_(target) {}
  Registry& target() const { return target_; }

  std::vector<std::string> listTags(const RepositoryRef& repo,
                                    const net::CancelFlag* cancel = nullptr) override {
    return target_.listTags(repo, cancel);
  }
  std::string manifestDigest(const RepositoryRef& repo, std::string_view reference,
                             const net::CancelFlag* cancel = nullptr) override {
    return target_.manifestDigest(repo, reference, cancel);
  }
  Manifest manifest(const RepositoryRef& repo, std::string_view reference,
                    const net::CancelFlag* cancel = nullptr) override {
    return target_.manifest(repo, reference, cancel);
  }
  std::optional<std::chrono::system_clock::time_point> imageCreated(
      const RepositoryRef& repo, std::string_view config_digest,
      const net::CancelFlag* cancel = nullptr) override {
    return target_.imageCreated(repo, config_digest, cancel);
  }
  std::optional<RateLimit> rateLimit(std::string_view registry) const override {
    return target_.rateLimit(registry);
  }

 private:
  Registry& target_;
};

}  // namespace berth::registry
