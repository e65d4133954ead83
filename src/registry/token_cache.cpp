#include "registry/token_cache.h"

#include <algorithm>

namespace berth::registry {

Duration TokenCache::usableFor(Duration lifetime) {
  constexpr Duration kMargin = std::chrono::seconds(10);
  return std::max(lifetime - kMargin, lifetime / 2);
}

std::optional<std::string> TokenCache::get(std::string_view host, std::string_view scope) const {
  std::lock_guard lock(mutex_);
  const auto it = entries_.find(std::make_pair(std::string(host), std::string(scope)));
  if (it == entries_.end() || clock_.now() >= it->second.use_until) return std::nullopt;
  return it->second.token;
}

void TokenCache::put(std::string_view host, std::string_view scope, std::string token,
                     Duration lifetime) {
  const auto now = clock_.now();
  std::lock_guard lock(mutex_);
  // Expired entries go now and then, so a long-running server does not accumulate them.
  std::erase_if(entries_, [now](const auto& e) { return now >= e.second.use_until; });
  entries_[std::make_pair(std::string(host), std::string(scope))] =
      Entry{std::move(token), now + usableFor(lifetime)};
}

void TokenCache::forget(std::string_view host, std::string_view scope) {
  std::lock_guard lock(mutex_);
  entries_.erase(std::make_pair(std::string(host), std::string(scope)));
}

}  // namespace berth::registry
