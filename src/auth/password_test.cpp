#include "auth/password.h"

#include <gtest/gtest.h>

#include "auth/secret_token.h"

namespace berth::auth {
namespace {

TEST(Password, HashIsBcrypt2bWithTheCostAndAFreshSalt) {
  const auto a = hashPassword("correct horse", 4);
  const auto b = hashPassword("correct horse", 4);
  EXPECT_EQ(a.rfind("$2b$04$", 0), 0u) << a;
  EXPECT_EQ(a.size(), 60u);
  EXPECT_NE(a, b) << "every hash has its own salt";
}

TEST(Password, VerifiesTheRightPasswordOnly) {
  const auto hash = hashPassword("correct horse", 4);
  EXPECT_TRUE(verifyPassword("correct horse", hash));
  EXPECT_FALSE(verifyPassword("correct horsE", hash));
  EXPECT_FALSE(verifyPassword("", hash));
}

TEST(Password, DefaultCostIs12) {
  EXPECT_EQ(hashPassword("correct horse").rfind("$2b$12$", 0), 0u);
}

TEST(Password, MalformedHashesNeverMatch) {
  for (const char* bad : {"", "*", "$1$abc$def", "$2b$12$short", "plain text"})
    EXPECT_FALSE(verifyPassword("anything", bad)) << bad;
}

TEST(Password, ProblemsAreNamed) {
  EXPECT_FALSE(passwordProblem("eight ch"));
  EXPECT_NE(passwordProblem("short").value_or("").find("at least 8"), std::string::npos);
  EXPECT_NE(passwordProblem(std::string(73, 'x')).value_or("").find("72"), std::string::npos);
  EXPECT_FALSE(passwordProblem(std::string(72, 'x')));
  EXPECT_TRUE(passwordProblem("tab\there!"));
  EXPECT_TRUE(passwordProblem(std::string("nul\0byte!", 9)));
}

TEST(SecretToken, TokensAreLongRandomAndHashedOneWay) {
  const auto a = randomToken("berth_");
  const auto b = randomToken("berth_");
  EXPECT_EQ(a.size(), 6u + 64u);
  EXPECT_EQ(a.rfind("berth_", 0), 0u);
  EXPECT_NE(a, b);
  EXPECT_EQ(tokenHash(a), tokenHash(a));
  EXPECT_NE(tokenHash(a), tokenHash(b));
  EXPECT_EQ(tokenHash(a).size(), 64u);
  EXPECT_EQ(tokenHash(a).find(a.substr(6)), std::string::npos);
  // SHA-256 of "abc".
  EXPECT_EQ(tokenHash("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(SecretToken, GeneratedPasswordsAreTypeableAndPassThePolicy) {
  const auto p = randomPassword();
  EXPECT_EQ(p.size(), 24u);
  EXPECT_FALSE(passwordProblem(p));
  for (char c : p)
    EXPECT_TRUE(std::isalnum(static_cast<unsigned char>(c))) << p;
  EXPECT_NE(p, randomPassword());
}

TEST(SecretToken, ConstantTimeEqualsComparesWholeStrings) {
  EXPECT_TRUE(constantTimeEquals("same", "same"));
  EXPECT_FALSE(constantTimeEquals("same", "sane"));
  EXPECT_FALSE(constantTimeEquals("same", "same "));
  EXPECT_TRUE(constantTimeEquals("", ""));
}

}  // namespace
}  // namespace berth::auth
