#include "proxy/command_line.h"

namespace berth::proxy {

std::optional<std::vector<std::string>> splitCommandLine(std::string_view command,
                                                         std::string* why) {
  std::vector<std::string> words;
  std::string word;
  bool in_word = false;  // also true for a word that is so far only '' (empty but present)
  for (size_t i = 0; i < command.size(); ++i) {
    const char c = command[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      if (in_word) words.push_back(std::move(word));
      word.clear();
      in_word = false;
    } else if (c == '\'') {
      const size_t end = command.find('\'', i + 1);
      if (end == std::string_view::npos) {
        if (why) *why = "unterminated single quote";
        return std::nullopt;
      }
      word.append(command.substr(i + 1, end - i - 1));
      in_word = true;
      i = end;
    } else if (c == '"') {
      size_t j = i + 1;
      for (; j < command.size() && command[j] != '"'; ++j) {
        if (command[j] == '\\' && j + 1 < command.size() &&
            (command[j + 1] == '"' || command[j + 1] == '\\'))
          ++j;
        word.push_back(command[j]);
      }
      if (j >= command.size()) {
        if (why) *why = "unterminated double quote";
        return std::nullopt;
      }
      in_word = true;
      i = j;
    } else if (c == '\\') {
      if (i + 1 >= command.size()) {
        if (why) *why = "trailing backslash";
        return std::nullopt;
      }
      word.push_back(command[++i]);
      in_word = true;
    } else {
      word.push_back(c);
      in_word = true;
    }
  }
  if (in_word) words.push_back(std::move(word));
  if (words.empty()) {
    if (why) *why = "empty command";
    return std::nullopt;
  }
  return words;
}

std::string joinCommandLine(const std::vector<std::string>& argv) {
  std::string out;
  for (const auto& word : argv) {
    if (!out.empty()) out += ' ';
    const bool plain = !word.empty() && word.find_first_of(" \t\n\r'\"\\") == std::string::npos;
    if (plain) {
      out += word;
      continue;
    }
    out += '\'';
    for (char c : word) {
      if (c == '\'')
        out += "'\\''";
      else
        out += c;
    }
    out += '\'';
  }
  return out;
}

}  // namespace berth::proxy
