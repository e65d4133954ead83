#include "registry/link_header.h"

#include "registry/header_syntax.h"

namespace berth::registry {

std::vector<Link> parseLinkHeader(std::string_view value) {
  std::vector<Link> out;
  HeaderScanner s(value);
  while (true) {
    s.skipListSeparators();
    if (s.atEnd()) break;
    if (!s.consume('<')) {  // not a link: skip this element
      (void)s.until(',');
      continue;
    }
    Link link;
    link.target = std::string(s.until('>'));
    if (!s.consume('>')) break;  // unterminated target: nothing more can be trusted
    // link-params: *( OWS ";" OWS link-param )
    while (true) {
      s.skipWhitespace();
      if (!s.consume(';')) break;
      s.skipWhitespace();
      const std::string name = asciiLower(s.token());
      s.skipWhitespace();
      std::string param_value;
      if (s.consume('=')) {
        s.skipWhitespace();
        param_value = s.tokenOrQuoted();
      }
      if (!name.empty()) link.params.emplace(name, std::move(param_value));
    }
    // Anything else before the next comma is junk; the link itself is still good.
    s.skipWhitespace();
    if (!s.atEnd() && s.peek() != ',') (void)s.until(',');
    out.push_back(std::move(link));
  }
  return out;
}

std::optional<std::string> nextLinkTarget(const std::vector<std::string>& link_header_values) {
  for (const auto& value : link_header_values) {
    for (const auto& link : parseLinkHeader(value)) {
      const auto rel = link.params.find("rel");
      if (rel == link.params.end()) continue;
      HeaderScanner s(rel->second);
      while (true) {
        s.skipWhitespace();
        if (s.atEnd()) break;
        const std::string type(s.until(' '));
        if (asciiLower(type) == "next") return link.target;
      }
    }
  }
  return std::nullopt;
}

}  // namespace berth::registry
