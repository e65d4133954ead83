// berth.yaml <-> Config. Parsing validates everything and reports every problem with
// file:line:column and the key; export writes the canonical YAML that re-imports to the same
// Config.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/model.h"

namespace berth {

struct ConfigError {
  std::string file;
  int line = 0;     // 1-based; 0 when unknown
  int column = 0;   // 1-based; 0 when unknown
  std::string key;  // dotted path, e.g. "projects[0].stages[1].promote_from"
  std::string message;
  // "file:line:col: key: message"
  std::string str() const;
};

struct ParseResult {
  std::optional<Config> config;  // set only when errors is empty
  // Every problem found, in file order (line, then column). Keys use list indexes
  // ("projects[1].stages[0].name"), so they stay exact when a name is missing or repeated.
  std::vector<ConfigError> errors;
};

// Parses and validates YAML text; `file_name` is used in error messages only.
ParseResult parseConfig(std::string_view yaml_text, const std::string& file_name);
// Reads and parses a file; an unreadable file is reported as an error, not thrown.
ParseResult loadConfigFile(const std::filesystem::path& path);

// Canonical YAML for `config`: secrets as references, deterministic order and spelling, so
// exportConfig(parse(exportConfig(c))) == exportConfig(c) byte for byte. Keys follow
// ARCHITECTURE.md §4; fields equal to the model's default are omitted (export.cpp says which
// fields are always written).
std::string exportConfig(const Config& config);

}  // namespace berth
