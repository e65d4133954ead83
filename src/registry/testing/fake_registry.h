// An in-memory Registry for unit tests of code above the registry client (update checks, the
// poller, the deploy engine): repositories with tags, digests, manifests and config times;
// call counts; and a hook to inject failures. Test-only.
#pragma once

#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "registry/registry.h"

namespace berth::registry::testing {

class FakeRegistry : public Registry {
 public:
  enum class Call { list_tags, manifest_digest, manifest, image_created };

  // Content. `repo` as RepositoryRef::str() ("127.0.0.1:5000/team/app").
  // An image tag: a manifest with its own config, created at `created`.
  void pushImage(const std::string& repo, const std::string& tag, const std::string& digest,
                 std::optional<std::chrono::system_clock::time_point> created = std::nullopt);
  // A multi-arch tag: an index over existing image digests (pushed with pushImage).
  void pushIndex(const std::string& repo, const std::string& tag, const std::string& digest,
                 const std::vector<ManifestChild>& children);
  void deleteTag(const std::string& repo, const std::string& tag);

  // Called before every call; throw a RegistryError from it to simulate a failure.
  std::function<void(Call call, std::string_view reference)> before_call{};
  std::optional<RateLimit> rate_limit{};

  int calls(Call call) const;

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
  struct Repo {
    std::vector<std::string> tag_order;
    std::map<std::string, std::string, std::less<>> tags;  // tag -> digest
    std::map<std::string, Manifest, std::less<>> manifests;
    std::map<std::string, std::optional<std::chrono::system_clock::time_point>, std::less<>>
        configs;
  };
  void enter(Call call, std::string_view reference);
  const Repo& find(const RepositoryRef& repo) const;

  mutable std::mutex mutex_;
  std::map<std::string, Repo> repos_;
  std::map<Call, int> calls_;
};

}  // namespace berth::registry::testing
