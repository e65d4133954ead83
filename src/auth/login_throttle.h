// Slows down password guessing. Failures are counted per username and per client address
// separately (a guesser trying many names from one address, or one name from many addresses,
// is slowed either way). The first kFreeFailures failures of a name (kFreeFailuresPerAddress
// of an address: behind a reverse proxy every user shares the proxy's address, and a few typos
// must not lock everyone out) cost nothing; each further one blocks further attempts for a
// delay that doubles, from 1 s up to 5 min. A success clears the
// username's and the address's count; a quiet period of 15 min forgets them too.
// In memory only: a restart forgets (an attacker who can restart berth has won already).
// Thread-safe.
#pragma once

#include <chrono>
#include <cstddef>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/clock.h"

namespace berth::auth {

class LoginThrottle {
 public:
  static constexpr int kFreeFailures = 5;
  static constexpr int kFreeFailuresPerAddress = 20;
  static constexpr std::size_t kMaxEntries = 50'000;  // bounded memory under a flood

  explicit LoginThrottle(Clock& clock) : clock_(clock) {}

  // How long the caller must wait before this attempt would be considered; nullopt: go ahead.
  std::optional<std::chrono::milliseconds> blocked(std::string_view username,
                                                   std::string_view address);
  void failed(std::string_view username, std::string_view address);
  void succeeded(std::string_view username, std::string_view address);

 private:
  struct Entry {
    int failures = 0;
    std::chrono::steady_clock::time_point last_failure{};
    std::chrono::steady_clock::time_point blocked_until{};
  };
  void fail(const std::string& key, int free_failures, std::chrono::steady_clock::time_point now);
  std::optional<std::chrono::milliseconds> wait(const std::string& key,
                                                std::chrono::steady_clock::time_point now);
  void forgetStale(std::chrono::steady_clock::time_point now);

  Clock& clock_;
  std::mutex mutex_;
  std::unordered_map<std::string, Entry> entries_;  // "u:<lowercased name>", "a:<address>"
};

}  // namespace berth::auth
