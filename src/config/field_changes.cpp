#include "config/field_changes.h"

#include <algorithm>

#include "config/diagnostics.h"
#include "config/suggest.h"
#include "core/duration.h"

namespace berth {
namespace {

// Control characters as escapes (diagnostics.h): a line break in a value must not start what
// would read as another line of the plan.
std::string shown(const std::string& value) {
  if (value.empty() || value.find_first_of(" \t\n,") != std::string::npos)
    return "\"" + printable(value) + "\"";
  return printable(value);
}

std::string shown(const std::vector<std::string>& items) {
  return "[" + joinList(items) + "]";
}

}  // namespace

void FieldChanges::add(const std::string& name, const std::string& before,
                       const std::string& after) {
  if (before != after) parts_.push_back(name + " " + shown(before) + " -> " + shown(after));
}

void FieldChanges::addRendered(const std::string& name, const std::string& before,
                               const std::string& after) {
  if (before != after) parts_.push_back(name + " " + printable(before) + " -> " + printable(after));
}

void FieldChanges::add(const std::string& name, int before, int after) {
  add(name, std::to_string(before), std::to_string(after));
}

void FieldChanges::add(const std::string& name, bool before, bool after) {
  add(name, std::string(before ? "true" : "false"), std::string(after ? "true" : "false"));
}

void FieldChanges::add(const std::string& name, Duration before, Duration after) {
  add(name, formatDuration(before), formatDuration(after));
}

void FieldChanges::add(const std::string& name, const std::vector<std::string>& before,
                       const std::vector<std::string>& after) {
  if (before != after) parts_.push_back(name + " " + shown(before) + " -> " + shown(after));
}

void FieldChanges::addEnv(const std::string& name, const std::map<std::string, std::string>& before,
                          const std::map<std::string, std::string>& after) {
  std::string keys;
  for (const auto& [key, value] : after) {
    const auto old = before.find(key);
    if (old == before.end())
      keys += " +" + key;
    else if (old->second != value)
      keys += " ~" + key;
  }
  for (const auto& [key, value] : before)
    if (!after.contains(key)) keys += " -" + key;
  if (!keys.empty()) parts_.push_back(name + keys);
}

void FieldChanges::addOrder(const std::string& name, const std::vector<std::string>& before,
                            const std::vector<std::string>& after) {
  auto common = [](const std::vector<std::string>& items, const std::vector<std::string>& other) {
    std::vector<std::string> kept;
    for (const auto& item : items)
      if (std::find(other.begin(), other.end(), item) != other.end()) kept.push_back(item);
    return kept;
  };
  const auto old_order = common(before, after);
  const auto new_order = common(after, before);
  if (old_order != new_order)
    parts_.push_back(name + " " + joinList(old_order) + " -> " + joinList(new_order));
}

std::string FieldChanges::str() const {
  return joinList(parts_);
}

}  // namespace berth
