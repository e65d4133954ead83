#include "registry/tag_list.h"

#include <nlohmann/json.hpp>

#include "registry/link_header.h"
#include "registry/registry_error.h"
#include "registry/url.h"

namespace berth::registry {

std::vector<std::string> parseTagList(std::string_view body, const std::string& context) {
  using Kind = RegistryError::Kind;
  const auto json = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (!json.is_object())
    throw RegistryError(Kind::bad_response, context + ": tag list is not a JSON object");
  if (!json.contains("tags"))
    throw RegistryError(Kind::bad_response, context + ": tag list has no field 'tags'");
  const auto& tags = json["tags"];
  if (tags.is_null()) return {};
  if (!tags.is_array())
    throw RegistryError(Kind::bad_response, context + ": field 'tags' must be an array");
  std::vector<std::string> out;
  out.reserve(tags.size());
  for (size_t i = 0; i < tags.size(); ++i) {
    if (!tags[i].is_string())
      throw RegistryError(Kind::bad_response,
                          context + ": field 'tags[" + std::to_string(i) + "]' must be a string");
    out.push_back(tags[i].get<std::string>());
  }
  return out;
}

std::optional<std::string> nextPageUrl(const net::Headers& headers, std::string_view page_url,
                                       const std::string& context) {
  const auto target = nextLinkTarget(headers.getAll("Link"));
  if (!target) return std::nullopt;
  auto url = resolveUrl(page_url, *target);
  if (!url)
    throw RegistryError(RegistryError::Kind::bad_response,
                        context + ": cannot follow the tag list's next link '" + *target + "'");
  return url;
}

}  // namespace berth::registry
