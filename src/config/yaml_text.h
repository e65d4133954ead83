// From the bytes of berth.yaml to YAML documents, with what yaml-cpp 0.7 gets wrong put right:
// it silently replaces bytes that are not UTF-8, keeps control characters YAML forbids, accepts
// a quoted string that is never closed when the file ends with a line break (the string then
// swallows every following line), and calls nesting beyond its depth limit a "bad file".
// Private to config/.
#pragma once

#include <yaml-cpp/yaml.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/diagnostics.h"

namespace berth {

struct TextProblem {
  Where at;  // columns count bytes, as yaml-cpp's do
  std::string message;
};

// The first byte that is not UTF-8, or the first control character below U+0020 other than
// tab, line feed and carriage return. A byte order mark at the start is skipped, as yaml-cpp
// skips it.
std::optional<TextProblem> findForbiddenCharacter(std::string_view text);

// Every document of `text`; nullopt after reporting the problem (no key, as for any syntax
// error) to `diag`.
std::optional<std::vector<YAML::Node>> loadYamlDocuments(std::string_view text, Diagnostics& diag);

}  // namespace berth
