#include "core/registry_host.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <vector>

namespace berth {
namespace {

std::string_view withoutPort(std::string_view host) {
  if (host.starts_with('[')) {
    const size_t close = host.find(']');
    return close == std::string_view::npos ? host.substr(1) : host.substr(1, close - 1);
  }
  // Exactly one ':' separates a port; more than one is a bare IPv6 address.
  const size_t colon = host.find(':');
  if (colon != std::string_view::npos && host.find(':', colon + 1) == std::string_view::npos)
    return host.substr(0, colon);
  return host;
}

std::optional<std::uint16_t> parseHexGroup(std::string_view group) {
  if (group.empty() || group.size() > 4) return std::nullopt;
  std::uint16_t value = 0;
  for (char c : group) {
    int digit = -1;
    if (c >= '0' && c <= '9') digit = c - '0';
    if (c >= 'a' && c <= 'f') digit = c - 'a' + 10;
    if (c >= 'A' && c <= 'F') digit = c - 'A' + 10;
    if (digit < 0) return std::nullopt;
    value = static_cast<std::uint16_t>(value * 16 + digit);
  }
  return value;
}

std::optional<std::vector<std::uint16_t>> parseHexGroups(std::string_view text) {
  std::vector<std::uint16_t> groups;
  if (text.empty()) return groups;
  while (true) {
    const size_t colon = text.find(':');
    auto group = parseHexGroup(text.substr(0, colon));
    if (!group) return std::nullopt;
    groups.push_back(*group);
    if (colon == std::string_view::npos) return groups;
    text.remove_prefix(colon + 1);
  }
}

// The eight 16-bit groups of an IPv6 address in text form (no embedded IPv4, no zone).
std::optional<std::array<std::uint16_t, 8>> parseIpv6(std::string_view text) {
  const size_t gap = text.find("::");
  std::array<std::uint16_t, 8> out{};
  if (gap == std::string_view::npos) {
    auto groups = parseHexGroups(text);
    if (!groups || groups->size() != 8) return std::nullopt;
    std::copy(groups->begin(), groups->end(), out.begin());
    return out;
  }
  auto head = parseHexGroups(text.substr(0, gap));
  auto tail = parseHexGroups(text.substr(gap + 2));
  if (!head || !tail || head->size() + tail->size() > 7) return std::nullopt;
  std::copy(head->begin(), head->end(), out.begin());
  std::copy(tail->begin(), tail->end(), out.end() - static_cast<std::ptrdiff_t>(tail->size()));
  return out;
}

bool isIpv4Loopback(std::string_view text) {
  int octets = 0;
  int first = -1;
  while (true) {
    const size_t dot = text.find('.');
    const std::string_view octet = text.substr(0, dot);
    if (octet.empty() || octet.size() > 3) return false;
    int value = 0;
    for (char c : octet) {
      if (c < '0' || c > '9') return false;
      value = value * 10 + (c - '0');
    }
    if (value > 255) return false;
    if (first < 0) first = value;
    ++octets;
    if (dot == std::string_view::npos) break;
    text.remove_prefix(dot + 1);
  }
  return octets == 4 && first == 127;
}

bool equalsIgnoringCase(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                    [](char x, char y) { return (x >= 'A' && x <= 'Z' ? x - 'A' + 'a' : x) == y; });
}

}  // namespace

bool isLoopbackRegistry(std::string_view host) {
  const std::string_view name = withoutPort(host);
  if (equalsIgnoringCase(name, "localhost")) return true;
  if (isIpv4Loopback(name)) return true;
  const auto ipv6 = parseIpv6(name);
  return ipv6 && *ipv6 == std::array<std::uint16_t, 8>{0, 0, 0, 0, 0, 0, 0, 1};
}

std::string registryApiHost(std::string_view registry) {
  if (registry == "docker.io") return "registry-1.docker.io";
  return std::string(registry);
}

}  // namespace berth
