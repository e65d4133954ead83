#include "registry/content_digest.h"

#include <gtest/gtest.h>

namespace berth::registry {
namespace {

TEST(ContentDigest, Sha256OfBytes) {
  EXPECT_EQ(sha256Digest(""),
            "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256Digest("abc"),
            "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(ContentDigest, MatchesKnownAlgorithmsOnly) {
  EXPECT_EQ(matchesDigest(sha256Digest("abc"), "abc"), true);
  EXPECT_EQ(matchesDigest(sha256Digest("abc"), "abd"), false);
  EXPECT_EQ(matchesDigest("sha512:ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
                          "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f",
                          "abc"),
            true);
  EXPECT_EQ(matchesDigest("md5:900150983cd24fb0d6963f7d28e17f72", "abc"), std::nullopt);
  EXPECT_EQ(matchesDigest("nonsense", "abc"), std::nullopt);
}

}  // namespace
}  // namespace berth::registry
