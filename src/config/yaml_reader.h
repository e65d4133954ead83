// Typed, position-aware access to one YAML map of berth.yaml. Every getter reports what is wrong
// at the offending node (file:line:col plus the dotted key path) and keeps going, so one run
// finds every mistake. Private to config/: yaml-cpp stays out of the public headers.
#pragma once

#include <yaml-cpp/yaml.h>

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/diagnostics.h"
#include "core/model.h"

namespace berth {

// yaml-cpp marks are 0-based; operators and editors count from 1.
Where whereOf(const YAML::Node& node);
// How a node reads in a message: "a map", "a list", "nothing", or the scalar quoted.
std::string describeNode(const YAML::Node& node);

class MapReader {
 public:
  // Reads `node` as a map whose keys must all be in `known`. Reports, at the key's position,
  // unknown keys (with the closest known key as a suggestion, or the secret-reference rule for
  // keys such as `password`), duplicate keys and non-scalar keys. If `node` is not a map, reports
  // "expected a map" at `fallback` (the key's position, for a missing value) and isMap() is false.
  MapReader(const YAML::Node& node, std::string path, Diagnostics& diag,
            std::vector<std::string> known, Where fallback = {});
  // Reads a map whose keys are data (environment variables), not settings: any key is accepted,
  // duplicates and non-scalar keys are still reported.
  static MapReader anyKeys(const YAML::Node& node, std::string path, Diagnostics& diag,
                           Where fallback);

  bool isMap() const { return is_map_; }
  Diagnostics& diagnostics() const { return diag_; }
  const std::string& path() const { return path_; }
  Where where() const { return where_; }
  std::string keyPath(std::string_view key) const { return childPath(path_, key); }

  // The value of `key`; nullopt when the key is absent or its value is null (`key:` or `key: ~`),
  // which every field treats as "use the default".
  std::optional<YAML::Node> get(std::string_view key) const;
  bool has(std::string_view key) const { return get(key).has_value(); }
  // Position of the value (or of the key when the value is null or absent: yaml-cpp places an
  // empty value on the next line).
  Where whereValue(std::string_view key) const;
  Where whereKey(std::string_view key) const;

  // Reports a problem with the value of `key`.
  void error(std::string_view key, std::string message) const;
  // Reports that a required key is missing (at the map's position) unless it is present.
  bool require(std::string_view key) const;

  // The map under `key` read with its own known keys; nullopt when absent or not a map (reported).
  std::optional<MapReader> child(std::string_view key, std::vector<std::string> known) const;
  // The list under `key`; nullopt when absent or not a list (reported).
  std::optional<YAML::Node> list(std::string_view key) const;

  // Each getter leaves `out` unchanged and returns false when the key is absent or the value is
  // wrong (the latter reported); it returns true after storing a valid value.
  // Any scalar: `listen: 80` is the string "80".
  bool string(std::string_view key, std::string& out) const;
  // Only plain true/false: "yes", "on" and quoted "true" are refused, because YAML 1.1 and 1.2
  // tools disagree about them.
  bool boolean(std::string_view key, bool& out) const;
  // A plain integer in [min, max].
  bool integer(std::string_view key, int& out, int min, int max) const;
  // A duration (core/duration.h) of at least `min` and at most `max`.
  bool duration(std::string_view key, Duration& out, Duration min,
                Duration max = Duration::max()) const;
  // The *name* of an environment variable holding a secret.
  bool envReference(std::string_view key, std::string& out) const;
  // A list of scalars; `check` (if given) validates each item, returning an error message or "".
  bool stringList(std::string_view key, std::vector<std::string>& out,
                  std::string (*check)(const std::string&) = nullptr) const;
  // An environment map: variable names to scalar values.
  bool envMap(std::string_view key, std::map<std::string, std::string>& out) const;
  // One of `allowed` (spelled exactly), turned into E by `parse`.
  template <class E>
  bool enumeration(std::string_view key, E& out, std::optional<E> (*parse)(std::string_view),
                   const std::vector<std::string>& allowed) const {
    std::string text;
    if (!string(key, text)) return false;
    if (auto value = parse(text)) {
      out = *value;
      return true;
    }
    reportBadEnum(key, text, allowed);
    return false;
  }

 private:
  MapReader(const YAML::Node& node, std::string path, Diagnostics& diag,
            std::vector<std::string> known, Where fallback, bool any_keys);

  struct Entry {
    std::string name;
    YAML::Node key;
    YAML::Node value;
  };
  const Entry* find(std::string_view key) const;
  void reportUnknownKey(const Entry& entry, const std::vector<std::string>& known) const;
  void reportBadEnum(std::string_view key, const std::string& text,
                     const std::vector<std::string>& allowed) const;

  std::string path_;
  Diagnostics& diag_;
  Where where_;
  bool is_map_ = false;
  std::vector<Entry> entries_;  // first occurrence of each known key, in file order
  size_t count_ = 0;            // every pair of the map, including repeated and odd keys
};

}  // namespace berth
