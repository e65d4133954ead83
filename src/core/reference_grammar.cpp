#include "core/reference_grammar.h"

#include <array>

namespace berth {
namespace {

bool isLowerAlnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}
bool isUpper(char c) {
  return c >= 'A' && c <= 'Z';
}
bool isAlnum(char c) {
  return isLowerAlnum(c) || isUpper(c);
}
bool isWordChar(char c) {
  return isAlnum(c) || c == '_';
}
bool isLowerHex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}
bool isHex(char c) {
  return isLowerHex(c) || (c >= 'A' && c <= 'F');
}
// Not "'" + std::string(s) + "'": g++ 12 at -O3 warns -Wrestrict about that (a false positive).
// Not named quoted(): with a std::string argument, ADL would find std::quoted too.
std::string inQuotes(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  out += '\'';
  out += s;
  out += '\'';
  return out;
}

// [a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*, scanned by hand: std::regex is slow and recursive.
bool isValidPathComponent(std::string_view c) {
  size_t i = 0;
  while (true) {
    const size_t run_start = i;
    while (i < c.size() && isLowerAlnum(c[i]))
      ++i;
    if (i == run_start) return false;  // empty, or a separator at the start or doubled
    if (i == c.size()) return true;
    if (c[i] == '.') {
      ++i;
    } else if (c[i] == '_') {
      ++i;
      if (i < c.size() && c[i] == '_') ++i;
    } else if (c[i] == '-') {
      while (i < c.size() && c[i] == '-')
        ++i;
    } else {
      return false;
    }
  }
}

// ([a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])
bool isValidDomainComponent(std::string_view c) {
  if (c.empty() || !isAlnum(c.front()) || !isAlnum(c.back())) return false;
  for (char ch : c)
    if (!isAlnum(ch) && ch != '-') return false;
  return true;
}

bool isValidDomainName(std::string_view name) {
  while (true) {
    const size_t dot = name.find('.');
    if (!isValidDomainComponent(name.substr(0, dot))) return false;
    if (dot == std::string_view::npos) return true;
    name.remove_prefix(dot + 1);
  }
}

bool isValidPort(std::string_view port) {
  if (port.empty() || port.size() > 5) return false;
  unsigned value = 0;
  for (char c : port) {
    if (c < '0' || c > '9') return false;
    value = value * 10 + static_cast<unsigned>(c - '0');
  }
  return value >= 1 && value <= 65535;
}

struct DigestAlgorithm {
  std::string_view name;
  size_t hex_length;
};
constexpr std::array<DigestAlgorithm, 3> kDigestAlgorithms{
    {{"sha256", 64}, {"sha384", 96}, {"sha512", 128}}};

}  // namespace

std::optional<std::string> tagProblem(std::string_view tag) {
  if (tag.empty()) return "tag is empty";
  if (tag.size() > 128) return "tag is longer than 128 characters";
  if (!isWordChar(tag.front()))
    return "tag " + inQuotes(tag) + " must start with a letter, digit or '_'";
  for (char c : tag)
    if (!isWordChar(c) && c != '.' && c != '-')
      return "tag " + inQuotes(tag) + " may contain only letters, digits, '_', '.' and '-'";
  return std::nullopt;
}

bool isValidTag(std::string_view tag) {
  return !tagProblem(tag);
}

std::optional<std::string> digestProblem(std::string_view digest) {
  if (digest.empty()) return "digest is empty";
  const size_t colon = digest.find(':');
  if (colon == std::string_view::npos)
    return "digest " + inQuotes(digest) + " must be algorithm:hex, e.g. sha256:<64 hex digits>";
  const std::string_view algorithm = digest.substr(0, colon);
  const std::string_view hex = digest.substr(colon + 1);
  for (const auto& known : kDigestAlgorithms) {
    if (algorithm != known.name) continue;
    bool lower_hex = hex.size() == known.hex_length;
    for (char c : hex)
      lower_hex = lower_hex && isLowerHex(c);
    if (lower_hex) return std::nullopt;
    return std::string(known.name) + " digest must be " + std::to_string(known.hex_length) +
           " lowercase hex digits, got " + inQuotes(hex);
  }
  return "unsupported digest algorithm " + inQuotes(algorithm) +
         " (supported: sha256, sha384, sha512)";
}

bool isValidDigest(std::string_view digest) {
  return !digestProblem(digest);
}

std::optional<std::string> repositoryProblem(std::string_view path) {
  if (path.empty()) return "repository is empty";
  for (char c : path)
    if (isUpper(c)) return "repository must be lowercase";
  while (true) {
    const size_t slash = path.find('/');
    const std::string_view component = path.substr(0, slash);
    if (component.empty()) return "repository has an empty path component";
    if (!isValidPathComponent(component))
      return "repository component " + inQuotes(component) +
             " is not valid: use lowercase letters and digits, separated by '.', '_', '__' or "
             "dashes";
    if (slash == std::string_view::npos) return std::nullopt;
    path.remove_prefix(slash + 1);
  }
}

std::optional<std::string> registryHostProblem(std::string_view host) {
  const std::string problem = "registry host " + inQuotes(host) + " is not valid";
  std::string_view name = host;
  std::string_view port;
  bool has_port = false;
  if (host.starts_with('[')) {
    const size_t close = host.find(']');
    if (close == std::string_view::npos) return problem + ": missing ']' after the IPv6 address";
    const std::string_view address = host.substr(1, close - 1);
    if (address.empty()) return problem + ": empty IPv6 address";
    for (char c : address)
      if (!isHex(c) && c != ':') return problem + ": bad IPv6 address";
    const std::string_view rest = host.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') return problem + ": unexpected text after ']'";
      has_port = true;
      port = rest.substr(1);
    }
  } else {
    const size_t colon = host.find(':');
    if (colon != std::string_view::npos) {
      has_port = true;
      name = host.substr(0, colon);
      port = host.substr(colon + 1);
    }
    if (!isValidDomainName(name))
      return problem +
             ": a host is dot-separated letters, digits and inner hyphens, or [IPv6] in brackets";
  }
  if (has_port && !isValidPort(port)) return problem + ": port must be a number from 1 to 65535";
  return std::nullopt;
}

}  // namespace berth
