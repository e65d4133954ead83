// The image configuration blob (OCI image-spec config, Docker's container.image.v1), read only
// for its "created" time: `order: pushed` ranks tags by when their image was built.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace berth::registry {

// "created" as a time point; nullopt when the config has no "created" (it is optional in OCI;
// such a tag is then not ranked under `order: pushed`). Throws RegistryError(bad_response)
// naming `context` when the body is not a JSON object or "created" is not an RFC 3339 time.
std::optional<std::chrono::system_clock::time_point> parseImageCreated(std::string_view body,
                                                                       const std::string& context);

// RFC 3339 date-time: "2026-12-03T18:49:01Z", "2026-12-03T18:49:01.123456789+02:00" (fractions
// kept to the microsecond; 't'/'z' and a space separator accepted). nullopt when malformed.
std::optional<std::chrono::system_clock::time_point> parseRfc3339(std::string_view text);

}  // namespace berth::registry
