// WWW-Authenticate challenges (RFC 9110 §11.6.1), as registries send them on a 401:
//   Bearer realm="https://auth.docker.io/token",service="registry.docker.io",
//          scope="repository:library/nginx:pull"
//   Basic realm="Registry Realm"
// Parameter values may be quoted strings holding commas ("repository:a/b:pull,push") and
// backslash escapes; one header may hold several challenges, and a response several headers.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace berth::registry {

struct AuthChallenge {
  std::string scheme{};                         // lowercased: "bearer", "basic"
  std::map<std::string, std::string> params{};  // names lowercased, values as sent (unquoted)
  std::string token68{};  // the rare token68 form ("Negotiate abc=="), else empty

  // The value of parameter `name` (lowercase), or "" when absent.
  std::string param(std::string_view name) const;
};

// Every challenge in one header value, in order. Malformed pieces are skipped, never thrown on:
// the caller decides what to do when no usable challenge remains.
std::vector<AuthChallenge> parseWwwAuthenticate(std::string_view header_value);

// Every challenge in all WWW-Authenticate fields of a response, in order.
std::vector<AuthChallenge> parseWwwAuthenticate(const std::vector<std::string>& header_values);

// The first challenge with `scheme` (lowercase), if any.
std::optional<AuthChallenge> findChallenge(const std::vector<AuthChallenge>& challenges,
                                           std::string_view scheme);

}  // namespace berth::registry
