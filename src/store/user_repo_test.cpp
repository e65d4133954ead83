#include <gtest/gtest.h>

#include "store/store.h"
#include "store/test_support.h"

namespace berth::testing {
namespace {

class UserRepoTest : public ::testing::Test {
 protected:
  UserRepoTest() : store_(Store::open(dir_ / "berth.db", SteppingClock{})) {}
  std::int64_t addUser(const std::string& name, bool admin = false) {
    return store_->createUser(NewUser{
        .username = name, .password_hash = "$2b$12$hash", .oidc_subject = {}, .admin = admin});
  }
  TempDir dir_;
  std::unique_ptr<Store> store_;
};

TEST_F(UserRepoTest, UsernamesAreUniqueRegardlessOfCase) {
  const auto id = addUser("Admin", true);
  EXPECT_THROW(addUser("admin"), StoreError);
  const auto found = store_->findUser("ADMIN");
  ASSERT_TRUE(found);
  EXPECT_EQ(found->id, id);
  EXPECT_EQ(found->username, "Admin");
  EXPECT_TRUE(found->admin);
  EXPECT_EQ(store_->countUsers(), 1);
  EXPECT_EQ(store_->countAdmins(), 1);
}

TEST_F(UserRepoTest, AnAccountNeedsAPasswordOrAnOidcSubject) {
  EXPECT_THROW(store_->createUser(NewUser{.username = "ghost"}), StoreError);
  const auto id = store_->createUser(NewUser{.username = "sso", .oidc_subject = "sub-1"});
  EXPECT_EQ(store_->findUserBySubject("sub-1")->id, id);
  EXPECT_FALSE(store_->findUserBySubject("sub-2"));
}

TEST_F(UserRepoTest, PasswordChangeEndsEverySessionOfThatUserOnly) {
  const auto alice = addUser("alice");
  const auto bob = addUser("bob");
  const auto later = fromUnixMillis(4'000'000'000'000);
  store_->createSession(alice, "a1", later);
  store_->createSession(alice, "a2", later);
  store_->createSession(bob, "b1", later);
  const auto now = fromUnixMillis(1'800'000'000'000);
  ASSERT_TRUE(store_->findSession("a1", now));

  store_->setPasswordHash(alice, "$2b$12$other");
  EXPECT_FALSE(store_->findSession("a1", now));
  EXPECT_FALSE(store_->findSession("a2", now));
  EXPECT_TRUE(store_->findSession("b1", now));
  EXPECT_EQ(store_->findUserById(alice)->password_hash, "$2b$12$other");
}

TEST_F(UserRepoTest, ExpiredSessionsAreNotFoundAndAreSweptAway) {
  const auto alice = addUser("alice");
  store_->createSession(alice, "old", fromUnixMillis(1'000));
  store_->createSession(alice, "new", fromUnixMillis(4'000'000'000'000));
  const auto now = fromUnixMillis(2'000);
  EXPECT_FALSE(store_->findSession("old", now));
  const auto found = store_->findSession("new", now);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->second.username, "alice");
  EXPECT_EQ(store_->deleteExpiredSessions(now), 1);
  store_->deleteSession("new");
  EXPECT_FALSE(store_->findSession("new", now));
}

TEST_F(UserRepoTest, TokensHaveUniqueNamesPerUserAndGoWithTheirUser) {
  const auto alice = addUser("alice");
  const auto bob = addUser("bob");
  const auto ci = store_->createApiToken(alice, "ci", "hash-ci");
  EXPECT_THROW(store_->createApiToken(alice, "ci", "hash-other"), StoreError);
  store_->createApiToken(bob, "ci", "hash-bob");

  const auto found = store_->findApiToken("hash-ci");
  ASSERT_TRUE(found);
  EXPECT_EQ(found->first.id, ci);
  EXPECT_EQ(found->first.username, "alice");
  EXPECT_EQ(found->second.id, alice);
  EXPECT_FALSE(found->first.last_used_at);
  store_->touchApiToken(ci, fromUnixMillis(5'000));
  EXPECT_EQ(store_->findApiTokenById(ci)->last_used_at, fromUnixMillis(5'000));

  EXPECT_EQ(store_->listApiTokens().size(), 2u);
  ASSERT_EQ(store_->listApiTokens(bob).size(), 1u);
  EXPECT_EQ(store_->listApiTokens(bob)[0].username, "bob");

  EXPECT_TRUE(store_->removeUser(alice));
  EXPECT_FALSE(store_->findApiToken("hash-ci"));
  EXPECT_FALSE(store_->removeUser(alice));
  EXPECT_TRUE(store_->deleteApiToken(store_->listApiTokens()[0].id));
  EXPECT_TRUE(store_->listApiTokens().empty());
}

}  // namespace
}  // namespace berth::testing
