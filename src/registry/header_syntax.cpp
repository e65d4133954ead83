#include "registry/header_syntax.h"

namespace berth::registry {

bool HeaderScanner::isTokenChar(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool HeaderScanner::consume(char c) {
  if (peek() != c || atEnd()) return false;
  ++pos_;
  return true;
}

void HeaderScanner::skipWhitespace() {
  while (!atEnd() && (text_[pos_] == ' ' || text_[pos_] == '\t'))
    ++pos_;
}

void HeaderScanner::skipListSeparators() {
  while (!atEnd() && (text_[pos_] == ' ' || text_[pos_] == '\t' || text_[pos_] == ','))
    ++pos_;
}

std::string_view HeaderScanner::token() {
  const size_t start = pos_;
  while (!atEnd() && isTokenChar(text_[pos_]))
    ++pos_;
  return text_.substr(start, pos_ - start);
}

std::string HeaderScanner::quotedString() {
  std::string out;
  ++pos_;  // opening quote
  while (!atEnd()) {
    const char c = text_[pos_++];
    if (c == '"') return out;
    if (c == '\\' && !atEnd()) {
      out += text_[pos_++];
      continue;
    }
    out += c;
  }
  return out;
}

std::string HeaderScanner::tokenOrQuoted() {
  if (peek() == '"' && !atEnd()) return quotedString();
  return std::string(token());
}

std::string_view HeaderScanner::until(char stop) {
  const size_t start = pos_;
  while (!atEnd() && text_[pos_] != stop)
    ++pos_;
  return text_.substr(start, pos_ - start);
}

std::string asciiLower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

}  // namespace berth::registry
