// Splits a configured command ("nginx -t", "/usr/sbin/nginx -p '/srv/my nginx/' -s reload")
// into an argv, so berth runs it without a shell: no variable expansion, globbing, pipes or
// redirections, hence nothing in berth.yaml can smuggle shell syntax into a root process.
//
// Quoting rules (a subset of POSIX sh; docs/design-notes.md, "Proxy drivers"):
//   - words are separated by spaces, tabs or newlines;
//   - '...' keeps everything inside literally;
//   - "..." keeps everything inside, except that \" and \\ stand for " and \ ;
//   - outside quotes, a backslash makes the next character literal;
//   - quotes may join pieces of one word (a'b c'd is the word "ab cd"); '' is an empty word.
// Anything else ($, *, |, >, ;) is an ordinary character.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace berth::proxy {

// The words of `command`, or nullopt with *why set for an unterminated quote, a trailing
// backslash, or no words at all.
std::optional<std::vector<std::string>> splitCommandLine(std::string_view command,
                                                         std::string* why);

// The argv back as one line for log and error messages, quoting words that need it.
std::string joinCommandLine(const std::vector<std::string>& argv);

}  // namespace berth::proxy
