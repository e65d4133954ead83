#include <strings.h>

#include "net/http.h"

namespace berth::net {
namespace {

bool sameName(std::string_view a, std::string_view b) {
  return a.size() == b.size() && strncasecmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace

void Headers::add(std::string name, std::string value) {
  fields_.emplace_back(std::move(name), std::move(value));
}

std::optional<std::string> Headers::get(std::string_view name) const {
  for (const auto& [n, v] : fields_)
    if (sameName(n, name)) return v;
  return std::nullopt;
}

std::vector<std::string> Headers::getAll(std::string_view name) const {
  std::vector<std::string> values;
  for (const auto& [n, v] : fields_)
    if (sameName(n, name)) values.push_back(v);
  return values;
}

}  // namespace berth::net
