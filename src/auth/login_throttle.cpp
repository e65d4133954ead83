#include "auth/login_throttle.h"

#include <algorithm>
#include <cctype>

namespace berth::auth {
namespace {

using namespace std::chrono_literals;

constexpr auto kForgetAfter = 15min;
constexpr auto kMaxDelay = std::chrono::milliseconds(5min);

// Usernames are case-insensitive (the store's COLLATE NOCASE): "Admin" and "admin" share a count.
std::string userKey(std::string_view username) {
  std::string key = "u:";
  for (char c : username)
    key.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  return key;
}

std::string addressKey(std::string_view address) {
  return "a:" + std::string(address);
}

}  // namespace

std::optional<std::chrono::milliseconds> LoginThrottle::blocked(std::string_view username,
                                                                std::string_view address) {
  std::lock_guard lock(mutex_);
  const auto now = clock_.now();
  const auto by_user = wait(userKey(username), now);
  const auto by_address = wait(addressKey(address), now);
  if (!by_user) return by_address;
  if (!by_address) return by_user;
  return std::max(*by_user, *by_address);
}

void LoginThrottle::failed(std::string_view username, std::string_view address) {
  std::lock_guard lock(mutex_);
  const auto now = clock_.now();
  if (entries_.size() >= kMaxEntries) forgetStale(now);
  fail(userKey(username), kFreeFailures, now);
  fail(addressKey(address), kFreeFailuresPerAddress, now);
}

void LoginThrottle::succeeded(std::string_view username, std::string_view address) {
  std::lock_guard lock(mutex_);
  entries_.erase(userKey(username));
  entries_.erase(addressKey(address));
}

void LoginThrottle::fail(const std::string& key, int free_failures,
                         std::chrono::steady_clock::time_point now) {
  // Full of fresh entries even after forgetting stale ones: count nothing new rather than grow.
  if (entries_.size() >= kMaxEntries && !entries_.contains(key)) return;
  Entry& entry = entries_[key];
  if (entry.failures > 0 && now - entry.last_failure > kForgetAfter) entry = Entry{};
  ++entry.failures;
  entry.last_failure = now;
  const int over = entry.failures - free_failures;
  if (over > 0) {
    const auto delay = std::min<std::chrono::milliseconds>(
        std::chrono::milliseconds(1000LL << std::min(over - 1, 20)), kMaxDelay);
    entry.blocked_until = now + delay;
  }
}

std::optional<std::chrono::milliseconds> LoginThrottle::wait(
    const std::string& key, std::chrono::steady_clock::time_point now) {
  const auto it = entries_.find(key);
  if (it == entries_.end() || it->second.blocked_until <= now) return std::nullopt;
  return std::chrono::ceil<std::chrono::milliseconds>(it->second.blocked_until - now);
}

void LoginThrottle::forgetStale(std::chrono::steady_clock::time_point now) {
  std::erase_if(entries_, [&](const auto& item) {
    return now - item.second.last_failure > kForgetAfter && item.second.blocked_until <= now;
  });
}

}  // namespace berth::auth
