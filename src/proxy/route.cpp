#include "proxy/route.h"

#include <algorithm>

namespace berth::proxy {
namespace {

bool isNameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

bool isSafeName(const std::string& name) {
  return !name.empty() && name.size() <= 63 && name[0] != '-' && name[0] != '_' &&
         std::all_of(name.begin(), name.end(), isNameChar);
}

// Lower-case DNS labels separated by dots; an optional leading "*." wildcard label.
bool isSafeDomain(const std::string& domain) {
  std::string_view rest = domain;
  if (rest.starts_with("*.")) rest.remove_prefix(2);
  if (rest.empty() || rest.size() > 253 || rest.front() == '.' || rest.back() == '.') return false;
  char previous = '.';
  for (char c : rest) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.';
    if (!ok || (c == '.' && previous == '.')) return false;
    previous = c;
  }
  return true;
}

// A host name, an IPv4 literal or an IPv6 literal without brackets. Container names and
// aliases may have upper case, '_' and '.', so this is looser than a domain.
bool isSafeHost(const std::string& host) {
  if (host.empty() || host.size() > 255) return false;
  const bool ipv6 = host.find(':') != std::string::npos;
  return std::all_of(host.begin(), host.end(), [ipv6](char c) {
    if (ipv6)
      return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') ||
             c == ':' || c == '.';
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_' || c == '.';
  });
}

std::string upstreamProblem(const Upstream& u, const std::string& what) {
  if (!isSafeHost(u.host)) return what + " host '" + u.host + "' is not a host name or IP address";
  if (u.port < 1 || u.port > 65535)
    return what + " " + u.host + " has port " + std::to_string(u.port) + ", not 1-65535";
  return "";
}

}  // namespace

std::string toString(const Upstream& upstream) {
  const bool ipv6 = upstream.host.find(':') != std::string::npos;
  return (ipv6 ? "[" + upstream.host + "]" : upstream.host) + ":" + std::to_string(upstream.port);
}

std::string stageName(const std::string& project, const std::string& stage) {
  return project + "/" + stage;
}

std::string routeProblem(const Route& route) {
  if (!isSafeName(route.project)) return "project name '" + route.project + "' is not valid";
  if (!isSafeName(route.stage)) return "stage name '" + route.stage + "' is not valid";
  for (const auto& d : route.domains)
    if (!isSafeDomain(d)) return "domain '" + d + "' is not a valid host name";
  if (route.upstreams.empty()) return "no upstream instance";
  for (const auto& u : route.upstreams)
    if (auto p = upstreamProblem(u, "upstream"); !p.empty()) return p;
  if (route.shared)
    if (auto p = upstreamProblem(*route.shared, "shared upstream"); !p.empty()) return p;
  return "";
}

std::string probeHostFor(const std::string& domain) {
  if (domain.starts_with("*.")) return "berth-probe" + domain.substr(1);
  return domain;
}

}  // namespace berth::proxy
