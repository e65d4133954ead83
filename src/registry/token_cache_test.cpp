#include "registry/token_cache.h"

#include <gtest/gtest.h>

namespace berth::registry {
namespace {

using namespace std::chrono_literals;

TEST(TokenCache, KeepsTokensPerHostAndScopeUntilShortlyBeforeExpiry) {
  FakeClock clock;
  TokenCache cache(clock);
  cache.put("ghcr.io", "repository:a:pull", "tok-a", 300s);
  cache.put("ghcr.io", "repository:b:pull", "tok-b", 300s);
  EXPECT_EQ(cache.get("ghcr.io", "repository:a:pull"), "tok-a");
  EXPECT_EQ(cache.get("ghcr.io", "repository:b:pull"), "tok-b");
  EXPECT_EQ(cache.get("other.io", "repository:a:pull"), std::nullopt);
  clock.advance(289s);
  EXPECT_EQ(cache.get("ghcr.io", "repository:a:pull"), "tok-a");
  clock.advance(1s);  // 300 s - 10 s margin
  EXPECT_EQ(cache.get("ghcr.io", "repository:a:pull"), std::nullopt);
}

TEST(TokenCache, MarginNeverEatsMoreThanHalfOfAShortLifetime) {
  EXPECT_EQ(TokenCache::usableFor(60s), Duration(50s));
  EXPECT_EQ(TokenCache::usableFor(300s), Duration(290s));
  EXPECT_EQ(TokenCache::usableFor(10s), Duration(5s));
}

TEST(TokenCache, ForgetAndReplace) {
  FakeClock clock;
  TokenCache cache(clock);
  cache.put("h", "s", "old", 60s);
  cache.put("h", "s", "new", 60s);
  EXPECT_EQ(cache.get("h", "s"), "new");
  cache.forget("h", "s");
  EXPECT_EQ(cache.get("h", "s"), std::nullopt);
}

}  // namespace
}  // namespace berth::registry
