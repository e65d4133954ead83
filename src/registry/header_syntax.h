// A cursor over an HTTP header value with the pieces of RFC 9110 §5.6 syntax that the
// WWW-Authenticate and Link parsers share: tokens, quoted strings (with backslash escapes and
// commas inside), optional whitespace. Lenient by design: registries are not always strict,
// and a parser that gives up on one odd character loses the whole challenge or page link.
#pragma once

#include <string>
#include <string_view>

namespace berth::registry {

class HeaderScanner {
 public:
  explicit HeaderScanner(std::string_view text) : text_(text) {}

  bool atEnd() const { return pos_ >= text_.size(); }
  char peek() const { return atEnd() ? '\0' : text_[pos_]; }
  size_t position() const { return pos_; }
  void rewind(size_t pos) { pos_ = pos; }
  void advance() {
    if (!atEnd()) ++pos_;
  }
  // Consumes `c` if it is next.
  bool consume(char c);
  // Spaces and tabs.
  void skipWhitespace();
  // Whitespace and commas: what separates list elements ("a, , b").
  void skipListSeparators();
  // tchar+ (RFC 9110 §5.6.2); empty if none.
  std::string_view token();
  // A quoted string without its quotes and with escapes resolved. Precondition: peek() == '"'.
  // An unterminated string runs to the end of the text.
  std::string quotedString();
  // A token or a quoted string, whichever comes next.
  std::string tokenOrQuoted();
  // Everything up to (not including) `stop`, or to the end.
  std::string_view until(char stop);

  static bool isTokenChar(char c);

 private:
  std::string_view text_;
  size_t pos_ = 0;
};

// ASCII lowercase, for case-insensitive names (schemes, parameters).
std::string asciiLower(std::string_view s);

}  // namespace berth::registry
