#include "core/semver.h"

#include <limits>

namespace berth {
namespace {

bool isDigit(char c) {
  return c >= '0' && c <= '9';
}
bool isIdentifierChar(char c) {
  return isDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-';
}
bool allDigits(std::string_view s) {
  for (char c : s)
    if (!isDigit(c)) return false;
  return true;
}

// A numeric field: digits, no leading zero unless it is "0", fitting in 64 bits.
std::optional<std::uint64_t> parseNumber(std::string_view s) {
  if (s.empty() || !allDigits(s) || (s.size() > 1 && s[0] == '0')) return std::nullopt;
  std::uint64_t value = 0;
  for (char c : s) {
    const std::uint64_t digit = static_cast<std::uint64_t>(c - '0');
    if (value > (std::numeric_limits<std::uint64_t>::max() - digit) / 10) return std::nullopt;
    value = value * 10 + digit;
  }
  return value;
}

std::optional<std::vector<std::string>> splitIdentifiers(std::string_view s,
                                                         bool forbid_leading_zeros) {
  std::vector<std::string> out;
  while (true) {
    const size_t dot = s.find('.');
    const std::string_view id = s.substr(0, dot);
    if (id.empty()) return std::nullopt;
    for (char c : id)
      if (!isIdentifierChar(c)) return std::nullopt;
    if (forbid_leading_zeros && id.size() > 1 && id[0] == '0' && allDigits(id)) return std::nullopt;
    out.emplace_back(id);
    if (dot == std::string_view::npos) return out;
    s.remove_prefix(dot + 1);
  }
}

std::string joinIdentifiers(const std::vector<std::string>& ids) {
  std::string out;
  for (const auto& id : ids) {
    if (!out.empty()) out += '.';
    out += id;
  }
  return out;
}

// Numeric identifiers have no leading zeros, so a longer one is larger: compares values of any
// length without overflow.
std::weak_ordering compareIdentifier(const std::string& a, const std::string& b) {
  const bool a_numeric = allDigits(a);
  const bool b_numeric = allDigits(b);
  if (a_numeric && b_numeric) {
    if (a.size() != b.size()) return a.size() <=> b.size();
    return a <=> b;
  }
  if (a_numeric != b_numeric)
    return a_numeric ? std::weak_ordering::less : std::weak_ordering::greater;
  return a <=> b;
}

}  // namespace

std::optional<Semver> parseSemver(std::string_view text) {
  if (text.starts_with('v')) text.remove_prefix(1);
  Semver v;

  const size_t plus = text.find('+');
  if (plus != std::string_view::npos) {
    auto build = splitIdentifiers(text.substr(plus + 1), /*forbid_leading_zeros=*/false);
    if (!build) return std::nullopt;
    v.build = std::move(*build);
    text = text.substr(0, plus);
  }
  const size_t dash = text.find('-');
  if (dash != std::string_view::npos) {
    auto pre = splitIdentifiers(text.substr(dash + 1), /*forbid_leading_zeros=*/true);
    if (!pre) return std::nullopt;
    v.prerelease = std::move(*pre);
    text = text.substr(0, dash);
  }

  std::uint64_t* fields[] = {&v.major, &v.minor, &v.patch};
  size_t field = 0;
  while (true) {
    if (field == 3) return std::nullopt;  // a fourth number: "1.2.3.4"
    const size_t dot = text.find('.');
    auto number = parseNumber(text.substr(0, dot));
    if (!number) return std::nullopt;
    *fields[field++] = *number;
    if (dot == std::string_view::npos) return v;
    text.remove_prefix(dot + 1);
  }
}

std::string Semver::str() const {
  std::string out =
      std::to_string(major) + "." + std::to_string(minor) + "." + std::to_string(patch);
  if (!prerelease.empty()) out += "-" + joinIdentifiers(prerelease);
  if (!build.empty()) out += "+" + joinIdentifiers(build);
  return out;
}

std::weak_ordering comparePrecedence(const Semver& a, const Semver& b) {
  if (a.major != b.major) return a.major <=> b.major;
  if (a.minor != b.minor) return a.minor <=> b.minor;
  if (a.patch != b.patch) return a.patch <=> b.patch;
  // A release ranks above any of its prereleases.
  if (a.prerelease.empty() != b.prerelease.empty())
    return a.prerelease.empty() ? std::weak_ordering::greater : std::weak_ordering::less;
  for (size_t i = 0; i < a.prerelease.size() && i < b.prerelease.size(); ++i) {
    const auto order = compareIdentifier(a.prerelease[i], b.prerelease[i]);
    if (order != 0) return order;
  }
  return a.prerelease.size() <=> b.prerelease.size();
}

}  // namespace berth
