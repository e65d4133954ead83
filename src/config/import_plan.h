// What an import would change, computed before anything is written so `berth import --dry-run`
// can show it and a real import can report it.
#pragma once

#include <string>
#include <vector>

#include "core/model.h"

namespace berth {

struct ImportPlan {
  std::vector<std::string> added;    // e.g. "project web", "stage web/production", "registry ghcr.io"
  std::vector<std::string> changed;  // e.g. "stage web/production: replicas 1 -> 2"
  std::vector<std::string> removed;
  bool empty() const { return added.empty() && changed.empty() && removed.empty(); }
  // Human-readable, one line per item prefixed "+ ", "~ ", "- "; "no changes" when empty.
  std::string describe() const;
};

ImportPlan planImport(const Config& current, const Config& next);

}  // namespace berth
