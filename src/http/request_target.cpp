#include "http/request_target.h"

namespace berth::http {
namespace {

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Percent-decodes `text`; nullopt on a malformed escape or a decoded NUL.
std::optional<std::string> percentDecode(std::string_view text, bool plus_is_space) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '%') {
      if (i + 2 >= text.size()) return std::nullopt;  // "%" or "%4" at the end
      int high = hexValue(text[i + 1]), low = hexValue(text[i + 2]);
      if (high < 0 || low < 0) return std::nullopt;
      c = static_cast<char>(high * 16 + low);
      i += 2;
    } else if (c == '+' && plus_is_space) {
      c = ' ';
    }
    if (c == '\0') return std::nullopt;
    out.push_back(c);
  }
  return out;
}

bool climbs(std::string_view path) {
  for (;;) {
    auto slash = path.find('/');
    auto segment = path.substr(0, slash);
    if (segment == "." || segment == "..") return true;
    if (slash == std::string_view::npos) return false;
    path.remove_prefix(slash + 1);
  }
}

}  // namespace

std::optional<std::string> parseRequestTarget(std::string_view target, Request& request) {
  if (!target.starts_with('/')) return "request target must be a path starting with '/'";
  auto question = target.find('?');
  auto raw_path = target.substr(0, question);
  auto path = percentDecode(raw_path, false);
  if (!path) return "request path has a malformed percent escape or a NUL byte";
  if (climbs(*path)) return "request path must not contain '.' or '..' segments";
  request.path = std::move(*path);

  request.raw_query.clear();
  request.query.clear();
  if (question == std::string_view::npos) return std::nullopt;
  std::string_view query = target.substr(question + 1);
  request.raw_query = std::string(query);
  while (!query.empty()) {
    auto amp = query.find('&');
    auto pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (pair.empty()) continue;  // "a=1&&b=2"
    auto equals = pair.find('=');
    auto key = percentDecode(pair.substr(0, equals), true);
    auto value = percentDecode(
        equals == std::string_view::npos ? std::string_view() : pair.substr(equals + 1), true);
    if (!key || !value) return "query string has a malformed percent escape or a NUL byte";
    request.query[std::move(*key)] = std::move(*value);
  }
  return std::nullopt;
}

std::string_view targetPathForLog(std::string_view target) {
  return target.substr(0, target.find('?'));
}

}  // namespace berth::http
