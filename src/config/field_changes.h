// Builds the "field before -> after, ..." text of one changed item of an import plan.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/model.h"

namespace berth {

class FieldChanges {
 public:
  // Records `name before -> after` when the values differ. Strings are shown as written, but
  // double-quoted when empty or when they hold a space or comma ("nginx -t"), so the arrow and
  // the separators stay unambiguous.
  void add(const std::string& name, const std::string& before, const std::string& after);
  // The same for values already rendered for display (e.g. "{order: semver}"): never quoted.
  void addRendered(const std::string& name, const std::string& before, const std::string& after);
  void add(const std::string& name, int before, int after);
  void add(const std::string& name, bool before, bool after);
  void add(const std::string& name, Duration before, Duration after);
  void add(const std::string& name, const std::vector<std::string>& before,
           const std::vector<std::string>& after);
  // Environment values may be secrets (database passwords...), so only the names of added (+),
  // changed (~) and removed (-) variables are shown: "env +NEW ~LOG_LEVEL -OLD".
  void addEnv(const std::string& name, const std::map<std::string, std::string>& before,
              const std::map<std::string, std::string>& after);
  // Records `name before -> after` for a list whose order alone changed (items present in both).
  void addOrder(const std::string& name, const std::vector<std::string>& before,
                const std::vector<std::string>& after);

  bool empty() const { return parts_.empty(); }
  // "replicas 1 -> 2, strategy recreate -> blue-green"
  std::string str() const;

 private:
  std::vector<std::string> parts_;
};

}  // namespace berth
