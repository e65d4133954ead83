// Syntax flags for every std::regex berth runs on text it does not control (registry tags,
// configuration values). libstdc++'s default matcher backtracks, recursing once per character
// and trying every way a pattern can match: '(a+)+$' against 30 'a's and a '-' takes minutes,
// and a 100,000-digit string overflows the stack. Its documented __polynomial extension matches
// with a breadth-first automaton instead: time O(text × pattern), stack independent of the
// text. The price is that back-references (\1) are refused with regex_constants::
// error_complexity. Other standard libraries keep plain ECMAScript.
#pragma once

#include <regex>

namespace berth {

inline constexpr std::regex_constants::syntax_option_type kLinearEcmaScript =
#if defined(__GLIBCXX__)
    std::regex_constants::ECMAScript | std::regex_constants::__polynomial;
#else
    std::regex_constants::ECMAScript;
#endif

}  // namespace berth
