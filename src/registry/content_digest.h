// Content digests ("sha256:<hex>") of bytes a registry served, to name a manifest when the
// registry omitted Docker-Content-Digest and to check that content fetched by digest is what
// it claims to be.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace berth::registry {

// "sha256:<64 lowercase hex>" of `bytes`.
std::string sha256Digest(std::string_view bytes);

// Whether `bytes` hash to `digest` (sha256, sha384 or sha512). nullopt when the algorithm is
// not one of those, so the caller can decide whether unverifiable content is acceptable.
std::optional<bool> matchesDigest(std::string_view digest, std::string_view bytes);

}  // namespace berth::registry
