// One page of a tag listing (GET /v2/<name>/tags/list), and where the next page is.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "net/http.h"

namespace berth::registry {

// The "tags" of a listing page. "tags": null (a repository whose tags were all deleted) is an
// empty page. Throws RegistryError(bad_response) naming `context` and the field otherwise.
std::vector<std::string> parseTagList(std::string_view body, const std::string& context);

// The absolute URL of the next page: the Link rel="next" target resolved against the URL of
// the page just read. nullopt when there is no next link (the listing is complete). Throws
// RegistryError(bad_response) when the link cannot be resolved to an http(s) URL.
std::optional<std::string> nextPageUrl(const net::Headers& headers, std::string_view page_url,
                                       const std::string& context);

}  // namespace berth::registry
