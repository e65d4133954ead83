// Where the client finds its API token, in this order: --token-file FILE, else $BERTH_TOKEN,
// else the default token file $XDG_CONFIG_HOME/berth/token (~/.config/berth/token when
// XDG_CONFIG_HOME is unset) if it exists. None of them: no token (the server will answer 401).
//
// A token file must be private to its owner, as ssh insists for its keys: one that group or
// others may read or write is refused, so a token left world-readable is noticed at once rather
// than after it leaked. The token is never printed; messages name where it came from instead.
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>

namespace berth::client {

struct ApiToken {
  std::string secret;
  std::string origin;  // "BERTH_TOKEN" or the file's path: for messages
};

// Reads an environment variable; nullopt when unset or empty. Tests pass their own.
using EnvLookup = std::function<std::optional<std::string>(const std::string& name)>;
EnvLookup processEnvironment();

// The default token file for this environment, or nullopt when neither XDG_CONFIG_HOME nor HOME
// is set.
std::optional<std::filesystem::path> defaultTokenFile(const EnvLookup& env);

// Reads a token file: one line holding the token, surrounding whitespace ignored. Throws
// ClientError (kExitUnauthorized) when it cannot be read, is not a regular file, is accessible
// by group or others, is empty, or holds more than one word.
ApiToken readTokenFile(const std::filesystem::path& file);

// The token by the rules above. `token_file` is --token-file ("" when not given); a file named
// there must exist, the default one need not. Throws ClientError like readTokenFile.
std::optional<ApiToken> findToken(const std::string& token_file, const EnvLookup& env);

}  // namespace berth::client
