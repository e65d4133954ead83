#include "registry/url.h"

#include "registry/header_syntax.h"

namespace berth::registry {
namespace {

bool hasScheme(std::string_view ref) {
  const size_t colon = ref.find(':');
  if (colon == std::string_view::npos || colon == 0) return false;
  for (size_t i = 0; i < colon; ++i) {
    const char c = ref[i];
    const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    if (!(alpha || (i > 0 && ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.'))))
      return false;
  }
  return true;
}

}  // namespace

std::string Url::str() const {
  return origin() + path + (query.empty() ? "" : "?" + query);
}

std::optional<Url> parseHttpUrl(std::string_view text) {
  if (const size_t hash = text.find('#'); hash != std::string_view::npos)
    text = text.substr(0, hash);
  const size_t sep = text.find("://");
  if (sep == std::string_view::npos) return std::nullopt;
  Url url;
  url.scheme = asciiLower(text.substr(0, sep));
  if (url.scheme != "http" && url.scheme != "https") return std::nullopt;
  std::string_view rest = text.substr(sep + 3);
  const size_t end = rest.find_first_of("/?");
  const std::string_view authority = rest.substr(0, end);
  if (authority.empty() || authority.find('@') != std::string_view::npos) return std::nullopt;
  for (char c : authority)
    if (c == ' ' || c == '\t' || c == '\\') return std::nullopt;
  url.authority = asciiLower(authority);
  rest = end == std::string_view::npos ? std::string_view() : rest.substr(end);
  const size_t q = rest.find('?');
  url.path = std::string(rest.substr(0, q));
  if (url.path.empty()) url.path = "/";
  if (q != std::string_view::npos) url.query = std::string(rest.substr(q + 1));
  return url;
}

std::optional<std::string> resolveUrl(std::string_view base_text, std::string_view reference) {
  if (const size_t hash = reference.find('#'); hash != std::string_view::npos)
    reference = reference.substr(0, hash);
  if (hasScheme(reference)) {
    auto url = parseHttpUrl(reference);
    return url ? std::optional(url->str()) : std::nullopt;
  }
  auto base = parseHttpUrl(base_text);
  if (!base) return std::nullopt;
  std::string joined;
  if (reference.starts_with("//")) {
    joined = base->scheme + ":" + std::string(reference);
  } else if (reference.starts_with("/")) {
    joined = base->origin() + std::string(reference);
  } else if (reference.empty()) {
    joined = base->str();
  } else if (reference.starts_with("?")) {
    joined = base->origin() + base->path + std::string(reference);
  } else {
    const std::string dir = base->path.substr(0, base->path.rfind('/') + 1);
    joined = base->origin() + dir + std::string(reference);
  }
  auto url = parseHttpUrl(joined);
  return url ? std::optional(url->str()) : std::nullopt;
}

std::string percentEncode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '.' || c == '_' || c == '~') {
      out += c;
    } else {
      out += '%';
      out += kHex[u >> 4];
      out += kHex[u & 0xF];
    }
  }
  return out;
}

}  // namespace berth::registry
