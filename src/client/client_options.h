// The options every client command shares (docs/cli.md), as the command line gives them.
#pragma once

#include <chrono>
#include <optional>
#include <string>

namespace berth::client {

struct ClientOptions {
  std::string server{};              // --server; "" means $BERTH_SERVER, else http://127.0.0.1:8080
  std::string token_file{};          // --token-file; "" means the rules of token_source.h
  bool json = false;                 // --output json: machine-readable JSON on stdout
  bool wait = false;                 // --wait: follow the deploy to its end
  std::string wait_timeout = "15m";  // --wait-timeout; "0s" means no limit
};

// When --wait (or logs --follow) gives up: now + --wait-timeout, nullopt for "0s". Throws
// ClientError (kExitUsage) when it is not a duration.
std::optional<std::chrono::steady_clock::time_point> waitDeadline(const ClientOptions& options);

}  // namespace berth::client
