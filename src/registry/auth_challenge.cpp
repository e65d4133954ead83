#include "registry/auth_challenge.h"

#include "registry/header_syntax.h"

namespace berth::registry {
namespace {

bool isToken68Char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         std::string_view("-._~+/").find(c) != std::string_view::npos;
}

// Whether an auth-param ("name=") starts at the scanner's position. A comma-separated element
// that is not a param starts the next challenge ("Basic realm=x, Bearer realm=y").
bool paramFollows(HeaderScanner& s) {
  const size_t start = s.position();
  s.skipWhitespace();
  const bool is_param = !s.token().empty() && (s.skipWhitespace(), s.peek() == '=');
  s.rewind(start);
  return is_param;
}

// token68 := 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"=", alone in its element.
std::optional<std::string> token68(HeaderScanner& s) {
  const size_t start = s.position();
  std::string out;
  while (!s.atEnd() && isToken68Char(s.peek())) {
    out += s.peek();
    s.advance();
  }
  while (!s.atEnd() && s.peek() == '=') {
    out += '=';
    s.advance();
  }
  s.skipWhitespace();
  if (out.empty() || !(s.atEnd() || s.peek() == ',')) {
    s.rewind(start);
    return std::nullopt;
  }
  return out;
}

}  // namespace

std::string AuthChallenge::param(std::string_view name) const {
  const auto it = params.find(std::string(name));
  return it == params.end() ? "" : it->second;
}

std::vector<AuthChallenge> parseWwwAuthenticate(std::string_view header_value) {
  std::vector<AuthChallenge> out;
  HeaderScanner s(header_value);
  while (true) {
    s.skipListSeparators();
    if (s.atEnd()) break;
    const std::string_view scheme = s.token();
    if (scheme.empty()) {  // garbage: skip to the next element
      s.advance();
      (void)s.until(',');
      continue;
    }
    AuthChallenge challenge;
    challenge.scheme = asciiLower(scheme);
    s.skipWhitespace();
    if (!paramFollows(s)) {
      if (auto t = token68(s)) challenge.token68 = *t;
    } else {
      // auth-params, comma separated, until an element that is not "name=value".
      while (true) {
        s.skipWhitespace();
        const std::string name = asciiLower(s.token());
        s.skipWhitespace();
        s.consume('=');
        s.skipWhitespace();
        std::string value = s.tokenOrQuoted();
        // Keep the first occurrence; a repeated parameter is invalid and must not override.
        challenge.params.emplace(name, std::move(value));
        s.skipWhitespace();
        if (s.peek() != ',' || s.atEnd()) {
          // Junk after a value (e.g. an unquoted value with spaces): skip to the next comma.
          if (!s.atEnd()) (void)s.until(',');
          if (s.atEnd()) break;
        }
        const size_t before_comma = s.position();
        s.skipListSeparators();
        if (s.atEnd()) break;
        if (!paramFollows(s)) {
          s.rewind(before_comma);
          break;
        }
      }
    }
    out.push_back(std::move(challenge));
  }
  return out;
}

std::vector<AuthChallenge> parseWwwAuthenticate(const std::vector<std::string>& header_values) {
  std::vector<AuthChallenge> out;
  for (const auto& value : header_values)
    for (auto& c : parseWwwAuthenticate(value))
      out.push_back(std::move(c));
  return out;
}

std::optional<AuthChallenge> findChallenge(const std::vector<AuthChallenge>& challenges,
                                           std::string_view scheme) {
  for (const auto& c : challenges)
    if (c.scheme == scheme) return c;
  return std::nullopt;
}

}  // namespace berth::registry
