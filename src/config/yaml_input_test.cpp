// berth.yaml text that yaml-cpp mishandles, or that could crash or stall the parser: each gets a
// clear error at its position instead of a silent change, a vague message or a crash.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "config/config.h"

namespace berth {
namespace {

using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

ParseResult parse(std::string_view yaml) {
  return parseConfig(yaml, "berth.yaml");
}

std::vector<std::string> errorsOf(std::string_view yaml) {
  std::vector<std::string> lines;
  for (const auto& e : parse(yaml).errors)
    lines.push_back(e.str());
  return lines;
}

// yaml-cpp 0.7 accepts a quote that is never closed when the file ends with a line break: the
// string silently swallowed every following line ("foo: bar" became part of conf_dir).
TEST(YamlInput, AQuoteNeverClosedIsASyntaxErrorAtTheQuote) {
  EXPECT_THAT(errorsOf("projects: []\nproxy:\n  driver: nginx\n  conf_dir: \"/etc/nginx\n"
                       "foo: bar\n"),
              ElementsAre("berth.yaml:4:13: YAML syntax error: this quoted string is never "
                          "closed; add the closing quote"));
  EXPECT_THAT(errorsOf("projects: []\nproxy:\n  driver: nginx\n  conf_dir: '/etc/nginx\n"),
              ElementsAre(HasSubstr("berth.yaml:4:13: YAML syntax error: this quoted string")));
  EXPECT_THAT(errorsOf("projects: []\nproxy: { conf_dir: '/etc/nginx"),  // no final line break
              ElementsAre(HasSubstr("berth.yaml:2:20: YAML syntax error: this quoted string")));
  EXPECT_THAT(errorsOf("projects: [ \"web\n"),
              ElementsAre(HasSubstr("YAML syntax error: this quoted string is never closed")));
}

// yaml-cpp's own words ("illegal block entry", "unknown escape character: d") do not tell an
// operator what to change; the two usual causes get a hint.
TEST(YamlInput, TabIndentationAndRegexesInDoubleQuotesGetAHint) {
  EXPECT_THAT(errorsOf("projects:\n\t- name: web\n"),
              ElementsAre(HasSubstr("indented with a tab: YAML indentation must use spaces")));
  EXPECT_THAT(errorsOf("projects:\n  - name: web\n    image: x\n    stages:\n"
                       "      - { name: s, tags: { match: \"^v\\d+\" } }\n"),
              ElementsAre(AllOf(HasSubstr("unknown escape character: d"),
                                HasSubstr("write regular expressions in single quotes"))));
  EXPECT_THAT(errorsOf("projects: [\n"), ElementsAre(Not(HasSubstr("tab"))));
}

TEST(YamlInput, BlockScalarsAtTheEndOfTheFileKeepTheirTrailingLines) {
  const ParseResult result = parse(
      "projects: []\nproxy:\n  driver: nginx\n  conf_dir: /x\n  test_cmd: |+\n    nginx -t\n\n");
  ASSERT_TRUE(result.config) << result.errors.front().str();
  EXPECT_EQ(result.config->proxy.test_cmd, "nginx -t\n\n");
}

// yaml-cpp stops at a few hundred levels and calls it "bad file".
TEST(YamlInput, DeepNestingIsRefusedWithAClearMessage) {
  const std::string deep = "projects: " + std::string(5000, '[') + std::string(5000, ']') + "\n";
  const auto errors = errorsOf(deep);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_THAT(errors[0], HasSubstr("nested too deeply"));
  EXPECT_THAT(errors[0], Not(HasSubstr("bad file")));
}

// Marking an unknown key's value as "ignore" must not change the document: the value may be an
// anchor that another key aliases.
TEST(YamlInput, AnUnknownKeyDoesNotEraseWhatItsAnchorIsAliasedTo) {
  EXPECT_THAT(errorsOf("x: &none []\nprojects: *none\n"),
              ElementsAre(HasSubstr("berth.yaml:1:1: x: unknown key 'x'")));
}

TEST(YamlInput, MergeKeysAreNamedAsUnsupported) {
  EXPECT_THAT(errorsOf("projects:\n  - <<: { image: ghcr.io/acme/web }\n    name: web\n"
                       "    image: ghcr.io/acme/web\n    stages: [ { name: s } ]\n"),
              ElementsAre(HasSubstr("projects[0].<<: merge keys (<<) are not supported")));
}

// yaml-cpp replaces a byte that is not UTF-8 with U+FFFD, silently changing the value.
TEST(YamlInput, InvalidUtf8IsReportedWhereItIs) {
  EXPECT_THAT(errorsOf("projects: []\nserver: { data_dir: \"a\xff"
                       "b\" }\n"),
              ElementsAre("berth.yaml:2:23: the file is not valid UTF-8 (byte 0xFF)"));
  EXPECT_THAT(errorsOf("projects: []\n# \xc3\n"), ElementsAre(HasSubstr("berth.yaml:2:3:")));
  EXPECT_THAT(errorsOf("projects: []\n# \xed\xa0\x80\n"),  // a UTF-16 surrogate
              ElementsAre(HasSubstr("not valid UTF-8")));
  EXPECT_TRUE(parse("projects: []\n# caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x9a\x80\n").config);
  EXPECT_TRUE(parse("\xef\xbb\xbfprojects: []\n").config);  // a byte order mark
}

// YAML forbids them; yaml-cpp kept them in the value, where a NUL cuts an env value short.
TEST(YamlInput, RawControlCharactersAreReportedWhereTheyAre) {
  EXPECT_THAT(errorsOf(std::string("projects: []\nserver: { data_dir: \"a") + '\0' + "b\" }\n"),
              ElementsAre("berth.yaml:2:23: control character U+0000 is not allowed in YAML; "
                          "write it as an escape such as \\x00 in a double-quoted string"));
  EXPECT_THAT(errorsOf("projects: []\n# \x1b[31m\n"), ElementsAre(HasSubstr("U+001B")));
  EXPECT_TRUE(parse("projects: []\r\nserver:\r\n\t\r\n  listen: \"127.0.0.1:1\"\r\n").config);
}

// A value can still hold a newline or an ESC written as an escape; echoed raw, it would split
// the error over lines or recolour the operator's terminal.
TEST(YamlInput, ControlCharactersInValuesAreEscapedInMessages) {
  const auto errors = errorsOf("projects: []\nproxy: { driver: \"n\\npm\\e[2J\" }\n");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_THAT(errors[0], HasSubstr("unknown value 'n\\npm\\x1b[2J'"));
}

TEST(LoadConfigFile, AnEndlessFileIsRefusedInsteadOfFillingMemory) {
  const ParseResult result = loadConfigFile("/dev/zero");
  ASSERT_EQ(result.errors.size(), 1u);
  EXPECT_EQ(result.errors[0].str(),
            "/dev/zero: cannot read the file: it is larger than 4 MiB, which no berth.yaml "
            "needs");
}

}  // namespace
}  // namespace berth
