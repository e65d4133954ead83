#include "api/prometheus_text.h"

#include <charconv>
#include <cmath>

namespace berth::api {
namespace {

// Label values escape backslash, double quote and newline; HELP text backslash and newline.
std::string escaped(std::string_view text, bool quote) {
  std::string out;
  for (char c : text) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '"' && quote) {
      out += "\\\"";
    } else {
      out += c;
    }
  }
  return out;
}

std::string number(double value) {
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  if (std::isnan(value)) return "NaN";
  char buf[64];
  auto result = std::to_chars(buf, buf + sizeof buf, value);  // shortest exact form
  return std::string(buf, result.ptr);
}

}  // namespace

void PrometheusText::family(std::string_view name, std::string_view type, std::string_view help) {
  out_ += "# HELP " + std::string(name) + " " + escaped(help, false) + "\n";
  out_ += "# TYPE " + std::string(name) + " " + std::string(type) + "\n";
}

void PrometheusText::sample(std::string_view name, const Labels& labels, double value) {
  out_ += name;
  if (!labels.empty()) {
    out_ += '{';
    for (std::size_t i = 0; i < labels.size(); ++i) {
      if (i > 0) out_ += ',';
      out_ += labels[i].first + "=\"" + escaped(labels[i].second, true) + '"';
    }
    out_ += '}';
  }
  out_ += ' ' + number(value) + '\n';
}

}  // namespace berth::api
