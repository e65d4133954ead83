// Bearer tokens by (registry API host, scope), kept until shortly before they expire, so a poll
// of an unchanged repository costs one request instead of a token round-trip each time.
// Thread-safe: workers polling different stages share one cache.
#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "core/clock.h"

namespace berth::registry {

class TokenCache {
 public:
  explicit TokenCache(Clock& clock) : clock_(clock) {}

  // A token that is still usable, if any.
  std::optional<std::string> get(std::string_view host, std::string_view scope) const;

  // Remembers `token`, valid for `lifetime` from now (the token response's expires_in).
  void put(std::string_view host, std::string_view scope, std::string token, Duration lifetime);

  // Drops a token the registry refused (revoked, or expired early).
  void forget(std::string_view host, std::string_view scope);

  // How long a token is used: its lifetime minus a margin, so it never expires between our
  // check and the registry's (clock skew, slow requests): lifetime - 10 s, but at least half
  // of the lifetime for short-lived tokens.
  static Duration usableFor(Duration lifetime);

 private:
  struct Entry {
    std::string token;
    std::chrono::steady_clock::time_point use_until;
  };
  Clock& clock_;
  mutable std::mutex mutex_;
  std::map<std::pair<std::string, std::string>, Entry, std::less<>> entries_;
};

}  // namespace berth::registry
