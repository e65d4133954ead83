#include "registry/testing/fake_registry.h"

#include "core/reference_grammar.h"

namespace berth::registry::testing {

void FakeRegistry::pushImage(const std::string& repo, const std::string& tag,
                             const std::string& digest,
                             std::optional<std::chrono::system_clock::time_point> created) {
  std::lock_guard lock(mutex_);
  Repo& r = repos_[repo];
  Manifest m;
  m.digest = digest;
  m.media_type = std::string(media_type::kOciManifest);
  // A distinct, valid config digest per image: the image digest with its first hex digit
  // replaced, so two images never share a config.
  m.config_digest = "sha256:c" + digest.substr(8);
  r.manifests[digest] = m;
  r.configs[m.config_digest] = created;
  if (!tag.empty()) {
    if (!r.tags.contains(tag)) r.tag_order.push_back(tag);
    r.tags[tag] = digest;
  }
}

void FakeRegistry::pushIndex(const std::string& repo, const std::string& tag,
                             const std::string& digest,
                             const std::vector<ManifestChild>& children) {
  std::lock_guard lock(mutex_);
  Repo& r = repos_[repo];
  Manifest m;
  m.digest = digest;
  m.media_type = std::string(media_type::kOciIndex);
  m.children = children;
  r.manifests[digest] = m;
  if (!r.tags.contains(tag)) r.tag_order.push_back(tag);
  r.tags[tag] = digest;
}

void FakeRegistry::deleteTag(const std::string& repo, const std::string& tag) {
  std::lock_guard lock(mutex_);
  Repo& r = repos_[repo];
  r.tags.erase(tag);
  std::erase(r.tag_order, tag);
}

int FakeRegistry::calls(Call call) const {
  std::lock_guard lock(mutex_);
  const auto it = calls_.find(call);
  return it == calls_.end() ? 0 : it->second;
}

void FakeRegistry::enter(Call call, std::string_view reference) {
  {
    std::lock_guard lock(mutex_);
    ++calls_[call];
  }
  if (before_call) before_call(call, reference);
}

const FakeRegistry::Repo& FakeRegistry::find(const RepositoryRef& repo) const {
  const auto it = repos_.find(repo.str());
  if (it == repos_.end())
    throw RegistryError(RegistryError::Kind::not_found, repo.context() + ": HTTP 404 not found");
  return it->second;
}

std::vector<std::string> FakeRegistry::listTags(const RepositoryRef& repo, const net::CancelFlag*) {
  enter(Call::list_tags, "");
  std::lock_guard lock(mutex_);
  return find(repo).tag_order;
}

std::string FakeRegistry::manifestDigest(const RepositoryRef& repo, std::string_view reference,
                                         const net::CancelFlag*) {
  enter(Call::manifest_digest, reference);
  std::lock_guard lock(mutex_);
  const Repo& r = find(repo);
  if (isValidDigest(reference) && r.manifests.contains(reference)) return std::string(reference);
  const auto it = r.tags.find(reference);
  if (it == r.tags.end())
    throw RegistryError(
        RegistryError::Kind::not_found,
        repo.context() + ": manifest '" + std::string(reference) + "': HTTP 404 not found");
  return it->second;
}

Manifest FakeRegistry::manifest(const RepositoryRef& repo, std::string_view reference,
                                const net::CancelFlag*) {
  enter(Call::manifest, reference);
  std::lock_guard lock(mutex_);
  const Repo& r = find(repo);
  std::string digest(reference);
  if (const auto tag = r.tags.find(reference); tag != r.tags.end()) digest = tag->second;
  const auto it = r.manifests.find(digest);
  if (it == r.manifests.end())
    throw RegistryError(
        RegistryError::Kind::not_found,
        repo.context() + ": manifest '" + std::string(reference) + "': HTTP 404 not found");
  return it->second;
}

std::optional<std::chrono::system_clock::time_point> FakeRegistry::imageCreated(
    const RepositoryRef& repo, std::string_view config_digest, const net::CancelFlag*) {
  enter(Call::image_created, config_digest);
  std::lock_guard lock(mutex_);
  const Repo& r = find(repo);
  const auto it = r.configs.find(config_digest);
  if (it == r.configs.end())
    throw RegistryError(
        RegistryError::Kind::not_found,
        repo.context() + ": config blob " + std::string(config_digest) + ": HTTP 404 not found");
  return it->second;
}

std::optional<RateLimit> FakeRegistry::rateLimit(std::string_view) const {
  return rate_limit;
}

}  // namespace berth::registry::testing
