// Which berth server the client talks to: --server, else $BERTH_SERVER, else the address
// `berth serve` listens on by default.
#pragma once

#include <string>

#include "client/token_source.h"

namespace berth::client {

inline constexpr const char* kDefaultServer = "http://127.0.0.1:8080";

// The base URL, normalised: "host:port" gets "http://", trailing slashes are dropped. `flag` is
// --server ("" when not given). Throws ClientError (kExitUsage) for anything but http or https.
std::string resolveServerUrl(const std::string& flag, const EnvLookup& env);

}  // namespace berth::client
