// How export spells a string so that any YAML reader (not only berth's) reads it back as the same
// string.
#pragma once

#include <string_view>

namespace berth {

// True when the plain (unquoted) spelling of `text` would be read as something other than a
// string by YAML 1.1 or 1.2 tools: null (~, null, ""), booleans (true, yes, on, n...), numbers
// (8080, 1.5, 0x1F, 1e3, .inf, 1:30 sexagesimal) or dates (2024-01-31). yaml-cpp's emitter writes
// these plain, so export quotes them itself.
bool readsAsNonString(std::string_view text);

// True when `text` holds a control character (newline, tab...), which single quotes cannot
// carry readably; such strings are double-quoted with escapes instead.
bool hasControlCharacter(std::string_view text);

}  // namespace berth
