// Semantic versions (semver.org 2.0) as they appear in image tags.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace berth {

struct Semver {
  std::uint64_t major = 0;
  std::uint64_t minor = 0;
  std::uint64_t patch = 0;
  std::vector<std::string> prerelease;  // dot-separated identifiers after '-'
  std::vector<std::string> build;       // dot-separated identifiers after '+'; no precedence

  bool isPrerelease() const { return !prerelease.empty(); }
  // Canonical spelling: no 'v', all three numbers ("v1.2" -> "1.2.0").
  std::string str() const;
  // Structural equality (build included); use comparePrecedence to order versions.
  bool operator==(const Semver&) const = default;
};

// Parses MAJOR.MINOR.PATCH[-prerelease][+build] with an optional leading 'v'. Image tags often
// drop trailing numbers, so "1" and "v1.2" are read as 1.0.0 and 1.2.0 (a suffix may follow them:
// "1.25-alpine" is 1.25.0 with prerelease "alpine"). Otherwise strict: no leading zeros in
// numbers or numeric prerelease identifiers, no empty identifiers, numbers must fit in 64 bits.
// Returns nullopt for anything that is not a version; that is an answer, not an error.
std::optional<Semver> parseSemver(std::string_view text);

// semver.org §11 precedence: numbers numerically, a prerelease below its release, prerelease
// identifiers field by field (numeric < alphanumeric, numeric by value, others by ASCII), a shorter
// identifier list below a longer one with the same prefix; build metadata ignored. Hence a weak
// ordering: 1.0.0+a and 1.0.0+b are equivalent but not equal.
std::weak_ordering comparePrecedence(const Semver& a, const Semver& b);

}  // namespace berth
