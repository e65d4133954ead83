// Reading webhook JSON field by field, so that every refusal names the field that is wrong
// ("push_data.tag: expected a string, got number"). Internal to the webhook parsers: it includes
// nlohmann/json, which stays out of widely included headers.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "api/webhook/webhook_event.h"
#include "core/result.h"

namespace berth::api::payload {

using Json = nlohmann::json;

// The value at a dotted path ("registry_package.package_version"); nullptr when a step is
// missing or null. Fails when a step that must hold members is not an object.
Result<const Json*> find(const Json& root, std::string_view path);

// The string at `path`: nullopt when missing or null; fails for any other type.
Result<std::optional<std::string>> optionalString(const Json& root, std::string_view path);
// The string at `path`; fails when missing or not a string.
Result<std::string> requiredString(const Json& root, std::string_view path);

// Adds `tag` (read from `path`) to the event after checking it is a Docker tag. An empty tag is
// skipped: registries announce untagged manifests that way.
std::optional<Failure> addTag(WebhookEvent& event, const std::string& tag, std::string_view path);
// Sets the event's digest (read from `path`) after checking it; "" leaves it unset.
std::optional<Failure> setDigest(WebhookEvent& event, const std::string& digest,
                                 std::string_view path);

// Operator input quoted in a message, cut to a readable length.
std::string quote(std::string_view text);

}  // namespace berth::api::payload
