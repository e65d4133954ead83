#include "config/scalar_style.h"

#include <regex>
#include <string>

#include "core/linear_regex.h"

namespace berth {

bool readsAsNonString(std::string_view text) {
  // YAML 1.1 (the superset) resolution rules for plain scalars, from yaml.org/type/.
  static const std::regex kNonString(
      "~|null|Null|NULL"
      "|y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF"
      "|[-+]?(\\.[0-9]+|[0-9][0-9_]*(\\.[0-9_]*)?)([eE][-+]?[0-9]+)?"
      "|[-+]?0x[0-9a-fA-F_]+|[-+]?0o?[0-7_]+|[-+]?0b[01_]+"
      "|[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\\.[0-9_]*)?"
      "|[-+]?\\.(inf|Inf|INF)|\\.(nan|NaN|NAN)"
      "|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([Tt ].*)?",
      kLinearEcmaScript);  // env values can be megabytes long
  return text.empty() || std::regex_match(text.begin(), text.end(), kNonString);
}

bool hasControlCharacter(std::string_view text) {
  for (unsigned char c : text)
    if (c < 0x20 || c == 0x7f) return true;
  return false;
}

}  // namespace berth
