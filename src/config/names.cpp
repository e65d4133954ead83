#include "config/names.h"

#include <charconv>

namespace berth {
namespace {

bool isLower(char c) {
  return c >= 'a' && c <= 'z';
}
bool isUpper(char c) {
  return c >= 'A' && c <= 'Z';
}
bool isDigit(char c) {
  return c >= '0' && c <= '9';
}

bool allOf(std::string_view s, bool (*ok)(char)) {
  for (char c : s)
    if (!ok(c)) return false;
  return true;
}

bool isPort(std::string_view s) {
  if (s.empty() || s.size() > 5 || !allOf(s, isDigit)) return false;
  int port = 0;
  std::from_chars(s.data(), s.data() + s.size(), port);
  return port >= 1 && port <= 65535;
}

// One DNS label; `upper_ok` for registry hosts, which Docker compares case-insensitively.
bool isLabel(std::string_view label, bool upper_ok) {
  if (label.empty() || label.size() > 63) return false;
  if (label.front() == '-' || label.back() == '-') return false;
  for (char c : label)
    if (!(isLower(c) || isDigit(c) || c == '-' || (upper_ok && isUpper(c)))) return false;
  return true;
}

bool isHostName(std::string_view name, bool upper_ok) {
  if (name.empty() || name.size() > 253) return false;
  size_t start = 0;
  while (true) {
    const size_t dot = name.find('.', start);
    if (!isLabel(name.substr(start, dot == std::string_view::npos ? dot : dot - start), upper_ok))
      return false;
    if (dot == std::string_view::npos) return true;
    start = dot + 1;
  }
}

// "host:port" split at the last colon, with "[v6]" kept whole. Empty host allowed (":8080").
bool isHostAndPort(std::string_view text, bool port_required) {
  std::string_view host = text;
  std::string_view port;
  if (text.starts_with('[')) {
    const size_t close = text.find(']');
    if (close == std::string_view::npos || close == 1) return false;
    for (char c : text.substr(1, close - 1))
      if (!(isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == ':' || c == '.'))
        return false;
    const std::string_view rest = text.substr(close + 1);
    if (rest.empty()) return !port_required;
    return rest.front() == ':' && isPort(rest.substr(1));
  }
  const size_t colon = text.rfind(':');
  if (colon != std::string_view::npos) {
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
    if (!isPort(port)) return false;
  } else if (port_required) {
    return false;
  }
  return host.empty() || isHostName(host, true);
}

// Docker's rule for a named volume (the source of "name:/path"), at least one character.
bool isVolumeName(std::string_view name) {
  if (name.empty() || !(isLower(name[0]) || isUpper(name[0]) || isDigit(name[0]))) return false;
  for (char c : name)
    if (!(isLower(c) || isUpper(c) || isDigit(c) || c == '_' || c == '.' || c == '-')) return false;
  return true;
}

}  // namespace

bool isSafeName(std::string_view name) {
  if (name.empty() || name.size() > 63) return false;
  if (!(isLower(name[0]) || isDigit(name[0]))) return false;
  for (char c : name)
    if (!(isLower(c) || isDigit(c) || c == '_' || c == '-')) return false;
  return true;
}

bool isEnvVarName(std::string_view name) {
  if (name.empty() || isDigit(name[0])) return false;
  for (char c : name)
    if (!(isLower(c) || isUpper(c) || isDigit(c) || c == '_')) return false;
  return true;
}

bool isDomainName(std::string_view name) {
  if (name.starts_with("*.")) name.remove_prefix(2);
  return isHostName(name, false);
}

bool isListenAddress(std::string_view text, bool bare_port_ok) {
  if (bare_port_ok && isPort(text)) return true;
  return isHostAndPort(text, true);
}

bool isVolumeSpec(std::string_view spec) {
  const size_t first = spec.find(':');
  if (first == std::string_view::npos || first == 0) return false;
  const std::string_view source = spec.substr(0, first);
  if (!source.starts_with('/') && !isVolumeName(source)) return false;
  std::string_view target = spec.substr(first + 1);
  const size_t mode_colon = target.find(':');
  if (mode_colon != std::string_view::npos) {
    const std::string_view mode = target.substr(mode_colon + 1);
    if (mode != "ro" && mode != "rw") return false;
    target = target.substr(0, mode_colon);
  }
  return target.size() > 1 && target.front() == '/';
}

bool isHttpUrl(std::string_view url) {
  std::string_view rest;
  if (url.starts_with("http://"))
    rest = url.substr(7);
  else if (url.starts_with("https://"))
    rest = url.substr(8);
  else
    return false;
  const size_t end = rest.find_first_of("/?#");
  const std::string_view authority = rest.substr(0, end);
  if (authority.find('@') != std::string_view::npos) return false;  // no inline credentials
  return !authority.empty() && isHostAndPort(authority, false);
}

bool hasUserInfo(std::string_view url) {
  const size_t scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return false;
  const std::string_view rest = url.substr(scheme_end + 3);
  return rest.substr(0, rest.find_first_of("/?#")).find('@') != std::string_view::npos;
}

std::string nameProblem(const std::string& name) {
  if (isSafeName(name)) return "";
  return "'" + name +
         "' is not a valid name: use lowercase letters, digits, '-' and '_', starting with a "
         "letter or digit, at most 63 characters";
}

std::string domainProblem(const std::string& domain) {
  if (isDomainName(domain)) return "";
  return "expected a lowercase host name such as example.com, got '" + domain + "'";
}

std::string volumeProblem(const std::string& spec) {
  if (isVolumeSpec(spec)) return "";
  return "expected name:/path or /host/path:/path (optionally :ro or :rw), got '" + spec + "'";
}

}  // namespace berth
