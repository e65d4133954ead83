#include "config/yaml_text.h"

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>

#include <cstdio>
#include <sstream>

namespace berth {
namespace {

// The length of the UTF-8 sequence starting at `s[i]` and its code point, or length 0 when the
// bytes there are not UTF-8 (overlong forms, surrogates and values above U+10FFFF included).
struct Decoded {
  size_t length = 0;
  char32_t code_point = 0;
};

Decoded decodeUtf8(std::string_view s, size_t i) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char lead = byte(i);
  if (lead < 0x80) return {1, lead};
  size_t length = 0;
  char32_t value = 0;
  unsigned char low = 0x80, high = 0xBF;  // allowed range of the second byte
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
    value = lead & 0x1F;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    value = lead & 0x0F;
    if (lead == 0xE0) low = 0xA0;   // overlong
    if (lead == 0xED) high = 0x9F;  // surrogates
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    value = lead & 0x07;
    if (lead == 0xF0) low = 0x90;   // overlong
    if (lead == 0xF4) high = 0x8F;  // above U+10FFFF
  } else {
    return {};
  }
  if (i + length > s.size()) return {};
  for (size_t k = 1; k < length; ++k) {
    const unsigned char c = byte(i + k);
    if (c < (k == 1 ? low : 0x80) || c > (k == 1 ? high : 0xBF)) return {};
    value = (value << 6) | (c & 0x3F);
  }
  return {length, value};
}

// C0 controls but tab, line feed and carriage return. YAML also excludes U+007F and most of
// U+0080..U+009F, but yaml-cpp's emitter writes those unescaped, so berth's own exports hold
// them: refusing them would break export -> import.
bool isForbiddenControl(char32_t c) {
  if (c == '\t' || c == '\n' || c == '\r') return false;
  return c < 0x20;
}

std::string hex(unsigned value, int digits) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%0*X", digits, value);
  return buffer;
}

// Remembers where the last scalar started. A quote that is never closed makes its scalar run to
// the end of the file, so it is the last one the parser reports before it fails or ends.
class LastScalar : public YAML::EventHandler {
 public:
  std::optional<Where> at;

  void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t,
                const std::string&) override {
    at = Where{mark.line + 1, mark.column + 1};
  }
  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}
};

std::optional<Where> lastScalarStart(std::string_view text) {
  // Ending the text with a line break lets yaml-cpp finish the runaway string (see
  // loadYamlDocuments) and so report it; ended mid-line, it fails before reporting it.
  std::string completed(text);
  if (!completed.ends_with('\n')) completed += '\n';
  std::istringstream in{completed};
  YAML::Parser parser(in);
  LastScalar last;
  try {
    while (parser.HandleNextDocument(last)) {
    }
  } catch (const YAML::Exception&) {
    // Expected when the runaway string sits inside a flow collection; `last` has what we need.
  }
  return last.at;
}

Where whereOfMark(const YAML::Mark& mark) {
  return {mark.line + 1, mark.column + 1};
}

}  // namespace

std::optional<TextProblem> findForbiddenCharacter(std::string_view text) {
  size_t i = text.starts_with("\xEF\xBB\xBF") ? 3 : 0;
  int line = 1;
  size_t line_start = i;
  while (i < text.size()) {
    const Where at{line, static_cast<int>(i - line_start) + 1};
    const Decoded d = decodeUtf8(text, i);
    if (d.length == 0)
      return TextProblem{at, "the file is not valid UTF-8 (byte 0x" +
                                 hex(static_cast<unsigned char>(text[i]), 2) + ")"};
    if (isForbiddenControl(d.code_point)) {
      const std::string code = hex(static_cast<unsigned>(d.code_point), 2);
      return TextProblem{at, "control character U+" + hex(static_cast<unsigned>(d.code_point), 4) +
                                 " is not allowed in YAML; write it as an escape such as \\x" +
                                 code + " in a double-quoted string"};
    }
    if (text[i] == '\n') {
      ++line;
      line_start = i + 1;
    }
    i += d.length;
  }
  return std::nullopt;
}

namespace {

// yaml-cpp's messages name the parser's problem, not the operator's mistake. The two mistakes
// that produce its most puzzling messages get a hint.
std::string syntaxHint(std::string_view text, const YAML::ParserException& e) {
  if (e.msg.starts_with(YAML::ErrorMsg::INVALID_ESCAPE))
    return "; inside double quotes a backslash starts an escape: write regular expressions in "
           "single quotes, e.g. '^v\\d+$'";
  // Does the line of the error, or the one before it, start with a tab?
  size_t line_start = 0;
  for (int line = 0; line < e.mark.line - 1 && line_start != std::string_view::npos; ++line)
    line_start = text.find('\n', line_start) + 1;
  for (int n = 0; n < 2 && line_start != std::string_view::npos && line_start < text.size(); ++n) {
    const size_t end = text.find('\n', line_start);
    const std::string_view line = text.substr(line_start, end - line_start);
    const size_t indent_end = line.find_first_not_of(" \t");
    if (line.substr(0, indent_end).find('\t') != std::string_view::npos)
      return "; a line is indented with a tab: YAML indentation must use spaces";
    line_start = end == std::string_view::npos ? end : end + 1;
  }
  return "";
}

}  // namespace

std::optional<std::vector<YAML::Node>> loadYamlDocuments(std::string_view text, Diagnostics& diag) {
  if (auto problem = findForbiddenCharacter(text)) {
    diag.error(problem->at, "", problem->message);
    return std::nullopt;
  }
  // yaml-cpp fails on a quoted string still open at the end of the input only if that end is
  // mid-line. A last line "#" is a comment to YAML, but inside an open quote it is such an end.
  std::string guarded(text);
  if (guarded.ends_with('\n') || guarded.ends_with('\r')) guarded += '#';
  try {
    return YAML::LoadAll(guarded);
  } catch (const YAML::DeepRecursion& e) {
    diag.error(whereOfMark(e.mark), "",
               "YAML syntax error: nested too deeply for the YAML parser (berth.yaml needs only "
               "a few levels)");
  } catch (const YAML::ParserException& e) {
    if (e.msg == YAML::ErrorMsg::EOF_IN_SCALAR)
      diag.error(lastScalarStart(text).value_or(whereOfMark(e.mark)), "",
                 "YAML syntax error: this quoted string is never closed; add the closing quote");
    else
      diag.error(whereOfMark(e.mark), "", "YAML syntax error: " + e.msg + syntaxHint(text, e));
  } catch (const YAML::Exception& e) {
    diag.error({}, "", std::string("cannot read YAML: ") + e.what());
  }
  return std::nullopt;
}

}  // namespace berth
