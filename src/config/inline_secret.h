// berth never stores a secret value: the database, exports and logs hold only the *name* of the
// environment variable that holds it. A key such as `password:` is therefore refused with a
// message that says what to write instead, rather than a bare "unknown key".
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace berth {

// True for keys that would carry a secret inline: password, secret, token, api_key, private_key,
// passwd, and keys ending in one of them (client_secret, webhook_secret, npm_password).
bool looksLikeInlineSecret(std::string_view key);

// "inline secrets are not stored; put the value in an environment variable and use X_env", where
// X_env is the reference key of the same map (`known`): `key`_env if it exists, else the first
// key ending in _env.
std::string inlineSecretMessage(std::string_view key, const std::vector<std::string>& known);

}  // namespace berth
