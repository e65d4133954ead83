// Link header fields (RFC 8288), for tag-list pagination: a registry with more tags than one
// page answers `Link: </v2/acme/web/tags/list?last=v1.9&n=100>; rel="next"`. The target may be
// relative (Docker Hub, distribution) or absolute (some proxies, Harbor, Artifactory).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace berth::registry {

struct Link {
  std::string target{};                         // as sent, between '<' and '>'
  std::map<std::string, std::string> params{};  // names lowercased, values unquoted
};

// Every link in one field value ("<a>; rel=next, <b>; rel=prev"). Lenient: a malformed link is
// skipped.
std::vector<Link> parseLinkHeader(std::string_view value);

// The target of the first link whose rel includes "next" (rel may list several space-separated
// relation types, compared case-insensitively), across all Link fields; nullopt if none.
std::optional<std::string> nextLinkTarget(const std::vector<std::string>& link_header_values);

}  // namespace berth::registry
