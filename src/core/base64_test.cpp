#include "core/base64.h"

#include <gtest/gtest.h>

namespace berth {
namespace {

// RFC 4648 section 10 test vectors.
TEST(Base64, EncodesTheRfcVectors) {
  EXPECT_EQ(base64Encode(""), "");
  EXPECT_EQ(base64Encode("f"), "Zg==");
  EXPECT_EQ(base64Encode("fo"), "Zm8=");
  EXPECT_EQ(base64Encode("foo"), "Zm9v");
  EXPECT_EQ(base64Encode("foob"), "Zm9vYg==");
  EXPECT_EQ(base64Encode("fooba"), "Zm9vYmE=");
  EXPECT_EQ(base64Encode("foobar"), "Zm9vYmFy");
}

TEST(Base64, UrlAlphabetReplacesPlusAndSlashButKeepsPadding) {
  const std::string bytes("\xfb\xff\xfe", 3);
  EXPECT_EQ(base64Encode(bytes), "+//+");
  EXPECT_EQ(base64Encode(bytes, Base64Alphabet::url), "-__-");
  EXPECT_EQ(base64Encode("\xfb", Base64Alphabet::url), "-w==");
}

TEST(Base64, UrlEncodingWithoutPaddingRoundTrips) {
  for (const std::string text : {"", "f", "fo", "foo", "foob", "fooba", "foobar", "\xfb\xff\xfe"}) {
    const auto encoded = base64UrlEncode(text);
    EXPECT_EQ(encoded.find('='), std::string::npos) << encoded;
    EXPECT_EQ(base64UrlDecode(encoded), text) << encoded;
  }
  EXPECT_EQ(base64UrlDecode("Zm9vYg=="), "foob") << "padding is tolerated";
  EXPECT_EQ(base64UrlDecode("-__-"), std::string("\xfb\xff\xfe", 3));
}

TEST(Base64, UrlDecodingRefusesOtherAlphabetsAndImpossibleLengths) {
  EXPECT_FALSE(base64UrlDecode("+//+"));
  EXPECT_FALSE(base64UrlDecode("ab cd"));
  EXPECT_FALSE(base64UrlDecode("abcde"));
}

}  // namespace
}  // namespace berth
