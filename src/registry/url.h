// The little URL handling the registry client needs: split an absolute http(s) URL, resolve a
// reference against it (pagination links and redirects are often relative), and
// percent-encode query values (token scopes contain ':' and '/').
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace berth::registry {

struct Url {
  std::string scheme{};     // "http" or "https", lowercased
  std::string authority{};  // "ghcr.io", "127.0.0.1:5000", "[::1]:5000"; no userinfo
  std::string path{};       // "/v2/x/tags/list", at least "/"
  std::string query{};      // without '?', may be empty
  std::string str() const;
  std::string origin() const { return scheme + "://" + authority; }
};

// An absolute http or https URL; nullopt for anything else (other schemes, relative
// references, userinfo, which could smuggle credentials into logs). A fragment is dropped.
std::optional<Url> parseHttpUrl(std::string_view text);

// RFC 3986 §5.2 resolution of `reference` against the absolute `base`, for the forms registries
// send: absolute ("https://host/v2/..."), network-path ("//host/..."), absolute-path
// ("/v2/...?last=x"), query-only ("?n=100&last=x") and relative-path ("list?last=x").
// Dot segments are not removed (registries do not send them). nullopt if the result is not an
// http(s) URL.
std::optional<std::string> resolveUrl(std::string_view base, std::string_view reference);

// Percent-encodes everything except RFC 3986 unreserved characters.
std::string percentEncode(std::string_view text);

}  // namespace berth::registry
