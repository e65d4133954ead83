#include "config/inline_secret.h"

#include <algorithm>
#include <array>
#include <cctype>

namespace berth {

bool looksLikeInlineSecret(std::string_view key) {
  std::string lower(key);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  constexpr std::array<std::string_view, 6> kWords{"password", "passwd",  "secret",
                                                   "token",    "api_key", "private_key"};
  return std::any_of(kWords.begin(), kWords.end(), [&](std::string_view word) {
    return std::string_view(lower).ends_with(word);
  });
}

std::string inlineSecretMessage(std::string_view key, const std::vector<std::string>& known) {
  std::string reference;
  const std::string same = std::string(key) + "_env";
  if (std::find(known.begin(), known.end(), same) != known.end()) {
    reference = same;
  } else {
    for (const auto& k : known) {
      if (std::string_view(k).ends_with("_env")) {
        reference = k;
        break;
      }
    }
  }
  std::string message =
      "inline secrets are not stored; put the value in an environment variable and ";
  if (reference.empty()) return message + "refer to it by name with an *_env key";
  return message + "use " + reference;
}

}  // namespace berth
