#include "client/token_source.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

#include "cli/exit_codes.h"
#include "client/client_error.h"

namespace berth::client {
namespace {

bool isSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

std::string trimmed(const std::string& text) {
  size_t begin = 0, end = text.size();
  while (begin < end && isSpace(text[begin]))
    ++begin;
  while (end > begin && isSpace(text[end - 1]))
    --end;
  return text.substr(begin, end - begin);
}

// A token goes into an Authorization header: spaces or control characters inside it would
// break the header, or smuggle another one in.
bool isOneWord(const std::string& token) {
  for (const char c : token)
    if (static_cast<unsigned char>(c) <= ' ' || c == '\x7f') return false;
  return true;
}

std::string octalMode(mode_t mode) {
  char text[8];
  std::snprintf(text, sizeof text, "%04o", static_cast<unsigned>(mode & 07777));
  return text;
}

ClientError tokenError(const std::string& message) {
  return ClientError(kExitUnauthorized, message);
}

}  // namespace

EnvLookup processEnvironment() {
  return [](const std::string& name) -> std::optional<std::string> {
    const char* value = std::getenv(name.c_str());
    if (value == nullptr || *value == '\0') return std::nullopt;
    return std::string(value);
  };
}

std::optional<std::filesystem::path> defaultTokenFile(const EnvLookup& env) {
  if (auto config_home = env("XDG_CONFIG_HOME"))
    return std::filesystem::path(*config_home) / "berth" / "token";
  if (auto home = env("HOME")) return std::filesystem::path(*home) / ".config" / "berth" / "token";
  return std::nullopt;
}

ApiToken readTokenFile(const std::filesystem::path& file) {
  const std::string name = file.string();
  struct stat info {};
  if (::stat(name.c_str(), &info) != 0)
    throw tokenError("cannot read the token file " + name + ": " + std::strerror(errno));
  if (!S_ISREG(info.st_mode)) throw tokenError("the token file " + name + " is not a file");
  if ((info.st_mode & 077) != 0)
    throw tokenError("the token file " + name + " is accessible by other users (mode " +
                     octalMode(info.st_mode) + "); make it private: chmod 600 " + name);
  std::ifstream in(file, std::ios::binary);
  if (!in.is_open()) throw tokenError("cannot read the token file " + name);
  std::ostringstream content;
  content << in.rdbuf();
  std::string token = trimmed(content.str());
  if (token.empty()) throw tokenError("the token file " + name + " is empty");
  if (!isOneWord(token))
    throw tokenError("the token file " + name +
                     " must hold one API token on one line, and nothing else");
  return ApiToken{std::move(token), name};
}

std::optional<ApiToken> findToken(const std::string& token_file, const EnvLookup& env) {
  if (!token_file.empty()) return readTokenFile(token_file);
  if (auto secret = env("BERTH_TOKEN")) {
    std::string token = trimmed(*secret);
    if (!isOneWord(token))
      throw tokenError("BERTH_TOKEN must hold one API token, without spaces or line breaks");
    if (!token.empty()) return ApiToken{std::move(token), "BERTH_TOKEN"};
  }
  const auto file = defaultTokenFile(env);
  std::error_code ignored;
  if (!file || !std::filesystem::exists(*file, ignored)) return std::nullopt;
  return readTokenFile(*file);
}

}  // namespace berth::client
