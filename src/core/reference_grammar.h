// The lexical pieces of an image reference, after the Docker reference grammar
// (github.com/distribution/reference, regexp.go). Each *Problem function returns nullopt when the
// text is valid and otherwise a short sentence saying what is wrong, for error messages such as
// "image reference 'x': <problem>" or a webhook's 400 answer.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace berth {

// tag := [\w][\w.-]{0,127}
std::optional<std::string> tagProblem(std::string_view tag);
bool isValidTag(std::string_view tag);

// digest := algorithm ":" hex, where algorithm is sha256, sha384 or sha512 and hex is exactly
// 64, 96 or 128 lowercase hex digits. Other algorithms are refused, as Docker refuses them.
std::optional<std::string> digestProblem(std::string_view digest);
bool isValidDigest(std::string_view digest);

// A repository path: components separated by '/', each
// [a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*.
std::optional<std::string> repositoryProblem(std::string_view path);

// host[:port], host a DNS name (letters, digits, inner hyphens, dot-separated), an IPv4 address
// or a bracketed IPv6 address; port 1-65535.
std::optional<std::string> registryHostProblem(std::string_view host);

}  // namespace berth
