// The Docker token protocol (distribution's "token authentication specification"), as data:
// the request that asks a challenge's realm for a Bearer token, and the parsed answer.
//   GET https://auth.docker.io/token?service=registry.docker.io&scope=repository:library/nginx:pull
//   Authorization: Basic ...                  (only when credentials are configured)
//   -> {"token": "...", "access_token": "...", "expires_in": 300, "issued_at": "..."}
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/model.h"
#include "net/http.h"
#include "registry/auth_challenge.h"
#include "registry/credentials.h"

namespace berth::registry {

struct TokenGrant {
  std::string token{};
  // expires_in; 60 s when absent, as the specification says.
  Duration lifetime = std::chrono::seconds(60);
};

// The scope berth asks for: pull access to one repository.
std::string pullScope(std::string_view repository);

// The token request for a Bearer challenge. `scope` is the challenge's own scope if it named
// one, else pullScope(). The realm must be an absolute http(s) URL; otherwise RegistryError
// (bad_response) with `context`. The realm may carry its own query, which is kept.
net::HttpRequest buildTokenRequest(const AuthChallenge& bearer, std::string_view scope,
                                   const std::optional<Credentials>& credentials,
                                   const std::string& context);

// Reads "token" (or OAuth2's "access_token") and "expires_in". RegistryError(bad_response)
// naming `context` and the field when the body is not JSON or holds no token. The token itself
// never appears in a message.
TokenGrant parseTokenResponse(std::string_view body, const std::string& context);

}  // namespace berth::registry
