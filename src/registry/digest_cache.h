// A small bounded map for content addressed by digest. Content under a digest never changes,
// so entries never go stale; the bound only limits memory (oldest inserted goes first).
// Thread-safe.
#pragma once

#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace berth::registry {

template <class V>
class DigestCache {
 public:
  explicit DigestCache(size_t capacity) : capacity_(capacity) {}

  std::optional<V> get(std::string_view digest) const {
    std::lock_guard lock(mutex_);
    const auto it = entries_.find(digest);
    if (it == entries_.end()) return std::nullopt;
    return it->second;
  }

  void put(const std::string& digest, V value) {
    if (capacity_ == 0) return;
    std::lock_guard lock(mutex_);
    if (entries_.insert_or_assign(digest, std::move(value)).second) order_.push_back(digest);
    while (order_.size() > capacity_) {
      entries_.erase(order_.front());
      order_.pop_front();
    }
  }

 private:
  size_t capacity_;
  mutable std::mutex mutex_;
  std::map<std::string, V, std::less<>> entries_;
  std::deque<std::string> order_;
};

}  // namespace berth::registry
