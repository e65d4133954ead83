// What an import would change, computed before anything is written so `berth import --dry-run`
// can show it and a real import can report it.
#pragma once

#include <string>
#include <vector>

#include "core/model.h"

namespace berth {

struct ImportPlan {
  // e.g. "project web (stages staging, production)", "stage web/canary", "registry ghcr.io"
  std::vector<std::string> added;
  std::vector<std::string> changed;  // e.g. "stage web/production: replicas 1 -> 2"
  std::vector<std::string> removed;
  bool empty() const { return added.empty() && changed.empty() && removed.empty(); }
  // Human-readable, one line per item prefixed "+ ", "~ ", "- " (added, then changed, then
  // removed), each ending in "\n"; "no changes\n" when empty. Environment values are never shown,
  // only the names of changed variables ("env +NEW ~CHANGED -GONE").
  std::string describe() const;
};

ImportPlan planImport(const Config& current, const Config& next);

}  // namespace berth
