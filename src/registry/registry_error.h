// The one exception the registry client throws, with a kind the poller can act on (back off on
// rate_limited, alert on auth) and a message an operator can act on. Messages name the registry
// and repository and never contain a password or token.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "core/model.h"

namespace berth::registry {

class RegistryError : public std::runtime_error {
 public:
  enum class Kind {
    auth,          // 401/403, a refused token, credentials missing or wrong
    not_found,     // 404: no such repository, tag, manifest or blob
    rate_limited,  // 429 after the allowed retries, or a Retry-After beyond the cap
    unavailable,   // 5xx or network errors after the allowed retries; TLS failures
    bad_response,  // malformed JSON, headers or digests; an unexpected status
    refused,       // berth refuses to send: plain http to a non-loopback host, a bad redirect
    cancelled,     // the caller's cancel flag was set
  };

  RegistryError(Kind kind, const std::string& message,
                std::optional<Duration> retry_after = std::nullopt)
      : std::runtime_error(message), kind_(kind), retry_after_(retry_after) {}

  Kind kind() const { return kind_; }
  // For rate_limited: how long the registry asked us to wait, when it said so.
  std::optional<Duration> retryAfter() const { return retry_after_; }

 private:
  Kind kind_;
  std::optional<Duration> retry_after_;
};

std::string_view toString(RegistryError::Kind kind);

// The registry's own explanation from an error body ({"errors":[{"code","message"}]}), e.g.
// "MANIFEST_UNKNOWN: manifest unknown"; empty when the body has none. Bounded in length.
std::string registryErrorDetail(std::string_view body);

// The error for a response whose status is not what the operation expected: 401/403 auth,
// 404 not_found, 429 rate_limited, 5xx unavailable, anything else bad_response. `context` starts
// the message ("registry ghcr.io, repository acme/web: HEAD manifest v2").
RegistryError errorForStatus(int status, std::string_view body, const std::string& context);

}  // namespace berth::registry
