// One table per enum maps values to their spelling in berth.yaml, the API and the database, so
// toString and parse can never disagree.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace berth::detail {

template <class E>
struct EnumName {
  E value;
  std::string_view name;
};

template <class E, std::size_t N>
std::string nameOf(const std::array<EnumName<E>, N>& table, E value) {
  for (const auto& entry : table)
    if (entry.value == value) return std::string(entry.name);
  // Only reachable through a cast from an out-of-range integer.
  return "unknown";
}

template <class E, std::size_t N>
std::optional<E> valueOf(const std::array<EnumName<E>, N>& table, std::string_view name) {
  for (const auto& entry : table)
    if (entry.name == name) return entry.value;
  return std::nullopt;
}

}  // namespace berth::detail
