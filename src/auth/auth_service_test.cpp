#include "auth/auth_service.h"

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <sstream>
#include <thread>
#include <vector>

#include "auth/password.h"

namespace berth::auth {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

class AuthServiceTest : public ::testing::Test {
 protected:
  AuthServiceTest() {
    dir_ = fs::temp_directory_path() /
           ("berth-auth-" + std::to_string(::getpid()) + "-" + std::to_string(counter_++));
    fs::create_directories(dir_);
    service_ = make();
  }
  ~AuthServiceTest() override {
    service_.reset();
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }
  std::unique_ptr<AuthService> make() {
    return std::make_unique<AuthService>(
        Store::open(dir_ / "berth.db"), clock_,
        AuthOptions{.session_lifetime = std::chrono::hours(1), .bcrypt_cost = 4},
        Logger(log_, LogLevel::debug, LogFormat::json));
  }
  LoginOutcome login(const std::string& user, const std::string& password,
                     const std::string& address = "127.0.0.1") {
    return service_->login(user, password, address);
  }

  static inline int counter_ = 0;
  fs::path dir_;
  FakeClock clock_;
  std::ostringstream log_;
  std::unique_ptr<AuthService> service_;
};

TEST_F(AuthServiceTest, LoginOpensASessionThatIdentifiesTheUser) {
  const auto alice = service_->addUser("alice", "correct horse", false);
  const auto outcome = login("alice", "correct horse");
  ASSERT_EQ(outcome.result, LoginOutcome::Result::ok);
  ASSERT_TRUE(outcome.user);
  EXPECT_EQ(outcome.user->id, alice.id);
  const auto who = service_->bySessionToken(outcome.session_token);
  ASSERT_TRUE(who);
  EXPECT_EQ(who->username, "alice");
  EXPECT_FALSE(who->admin);
  EXPECT_EQ(who->via, Principal::Via::session);
  EXPECT_FALSE(service_->bySessionToken(outcome.session_token + "x"));
  EXPECT_FALSE(service_->bySessionToken(""));
}

TEST_F(AuthServiceTest, UnknownUserAndWrongPasswordGetTheSameAnswer) {
  service_->addUser("alice", "correct horse", false);
  const auto wrong = login("alice", "wrong horse");
  const auto unknown = login("mallory", "correct horse");
  EXPECT_EQ(wrong.result, LoginOutcome::Result::refused);
  EXPECT_EQ(unknown.result, LoginOutcome::Result::refused);
  EXPECT_TRUE(wrong.session_token.empty());
  EXPECT_TRUE(unknown.session_token.empty());
  EXPECT_EQ(log_.str().find("correct horse"), std::string::npos) << "passwords are never logged";
  EXPECT_EQ(log_.str().find("wrong horse"), std::string::npos);
}

TEST_F(AuthServiceTest, RepeatedFailuresAreThrottledEvenWithTheRightPassword) {
  service_->addUser("alice", "correct horse", false);
  for (int i = 0; i < LoginThrottle::kFreeFailures + 1; ++i)
    EXPECT_EQ(login("alice", "guess " + std::to_string(i)).result, LoginOutcome::Result::refused);
  const auto blocked = login("alice", "correct horse");
  EXPECT_EQ(blocked.result, LoginOutcome::Result::throttled);
  EXPECT_EQ(blocked.retry_after, 1000ms);
  clock_.advance(1s);
  EXPECT_EQ(login("alice", "correct horse").result, LoginOutcome::Result::ok);
}

TEST_F(AuthServiceTest, SessionsExpireAndLogoutEndsThem) {
  service_->addUser("alice", "correct horse", false);
  const auto first = login("alice", "correct horse");
  const auto second = login("alice", "correct horse");
  service_->logout(first.session_token);
  EXPECT_FALSE(service_->bySessionToken(first.session_token));
  EXPECT_TRUE(service_->bySessionToken(second.session_token));
  clock_.advance(std::chrono::hours(1));
  EXPECT_FALSE(service_->bySessionToken(second.session_token)) << "lifetime is one hour";
}

TEST_F(AuthServiceTest, PasswordChangeEndsTheUsersSessions) {
  const auto alice = service_->addUser("alice", "correct horse", false);
  const auto session = login("alice", "correct horse");
  service_->setPassword(alice.id, "battery staple");
  EXPECT_FALSE(service_->bySessionToken(session.session_token));
  EXPECT_EQ(login("alice", "correct horse").result, LoginOutcome::Result::refused);
  EXPECT_EQ(login("alice", "battery staple").result, LoginOutcome::Result::ok);
  EXPECT_TRUE(service_->checkPassword(alice.id, "battery staple"));
  EXPECT_FALSE(service_->checkPassword(alice.id, "correct horse"));
}

TEST_F(AuthServiceTest, SessionsAndTokensSurviveARestart) {
  const auto alice = service_->addUser("alice", "correct horse", true);
  const auto session = login("alice", "correct horse");
  const auto token = service_->createToken(alice.id, "ci");
  service_ = make();
  EXPECT_TRUE(service_->bySessionToken(session.session_token));
  const auto who = service_->byApiToken(token.secret);
  ASSERT_TRUE(who);
  EXPECT_EQ(who->via, Principal::Via::token);
  EXPECT_TRUE(who->admin);
}

TEST_F(AuthServiceTest, ApiTokensAreShownOnceStoredHashedAndRevocable) {
  const auto alice = service_->addUser("alice", "correct horse", false);
  const auto token = service_->createToken(alice.id, "ci");
  EXPECT_EQ(token.secret.rfind("berth_", 0), 0u);
  EXPECT_THROW(service_->createToken(alice.id, "ci"), AuthError);
  EXPECT_THROW(service_->createToken(alice.id, ""), AuthError);
  EXPECT_FALSE(service_->byApiToken("berth_" + std::string(64, '0')));
  EXPECT_FALSE(service_->byApiToken(token.secret.substr(6))) << "the prefix is part of it";

  ASSERT_TRUE(service_->byApiToken(token.secret));
  const auto listed = service_->tokens(alice.id);
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_TRUE(listed[0].last_used_at) << "last use is recorded";

  // The database holds no copy of the secret.
  const auto db = Store::open(dir_ / "berth.db");
  EXPECT_FALSE(db->findApiToken(token.secret));

  EXPECT_TRUE(service_->revokeToken(token.record.id));
  EXPECT_FALSE(service_->byApiToken(token.secret));
  EXPECT_FALSE(service_->revokeToken(token.record.id));
}

TEST_F(AuthServiceTest, FirstStartCreatesAdminOnceWithTheGivenOrAGeneratedPassword) {
  const auto generated = service_->ensureFirstAdmin(std::nullopt);
  ASSERT_TRUE(generated);
  EXPECT_EQ(generated->size(), 24u);
  const auto admin = service_->user("admin");
  ASSERT_TRUE(admin);
  EXPECT_TRUE(admin->admin);
  EXPECT_EQ(login("admin", *generated).result, LoginOutcome::Result::ok);
  EXPECT_FALSE(service_->ensureFirstAdmin("another password")) << "never again";
  EXPECT_EQ(service_->users().size(), 1u);
}

TEST_F(AuthServiceTest, FirstStartUsesTheGivenPassword) {
  EXPECT_FALSE(service_->ensureFirstAdmin("from the environment"));
  EXPECT_EQ(login("admin", "from the environment").result, LoginOutcome::Result::ok);
}

TEST_F(AuthServiceTest, TheLastAdminCannotBeRemovedOrDemoted) {
  const auto admin = service_->addUser("admin", "correct horse", true);
  const auto bob = service_->addUser("bob", "correct horse", false);
  EXPECT_THROW(service_->removeUser(admin.id), AuthError);
  EXPECT_THROW(service_->setAdmin(admin.id, false), AuthError);
  service_->setAdmin(bob.id, true);
  service_->setAdmin(admin.id, false);
  service_->removeUser(admin.id);
  EXPECT_FALSE(service_->user("admin"));
  EXPECT_THROW(service_->removeUser(admin.id), AuthError);
}

TEST_F(AuthServiceTest, OidcAccountsAreLinkedBySubjectAndTheirRoleFollowsTheProvider) {
  service_->addUser("alice", "correct horse", false);  // a local account with the name
  const auto first = service_->oidcUser("https://id alice-sub", "alice", true);
  EXPECT_EQ(first.username, "alice-2") << "the local alice is someone else";
  EXPECT_TRUE(first.admin);
  EXPECT_FALSE(first.password_hash);
  const auto bob = service_->oidcUser("https://id bob-sub", "bob", true);
  // The same subject is the same account, whatever name the provider sends now.
  const auto again = service_->oidcUser("https://id alice-sub", "alice.renamed", false);
  EXPECT_EQ(again.id, first.id);
  EXPECT_FALSE(again.admin) << "removed from the admin group at the provider";
  // ...but never the last admin: berth would have nobody to manage it.
  const auto last = service_->oidcUser("https://id bob-sub", "bob", false);
  EXPECT_TRUE(last.admin);
  EXPECT_EQ(service_->oidcUser("https://id carol", "", std::nullopt).username, "user");
  EXPECT_EQ(login("alice-2", "").result, LoginOutcome::Result::refused) << "no password";
  (void)bob;
}

TEST_F(AuthServiceTest, UpdateUserChangesBothOrNeither) {
  const auto admin = service_->addUser("admin", "correct horse", true);
  const auto dev = service_->addUser("dev", "correct horse", false);
  EXPECT_THROW(service_->updateUser(dev.id, std::string("short"), true), AuthError);
  EXPECT_FALSE(service_->user(dev.id)->admin) << "a weak password refuses the role change too";
  EXPECT_THROW(service_->updateUser(admin.id, std::string("new password!"), false), AuthError);
  EXPECT_TRUE(service_->checkPassword(admin.id, "correct horse"))
      << "demoting the last admin refuses the password change too";
  service_->updateUser(dev.id, std::string("new password!"), true);
  EXPECT_TRUE(service_->user(dev.id)->admin);
  EXPECT_TRUE(service_->checkPassword(dev.id, "new password!"));
}

TEST_F(AuthServiceTest, BadNamesAndWeakPasswordsAreRefusedWithAReason) {
  try {
    service_->addUser("alice", "short", false);
    FAIL();
  } catch (const AuthError& e) {
    EXPECT_EQ(e.kind(), AuthError::Kind::invalid);
    EXPECT_NE(std::string(e.what()).find("at least 8"), std::string::npos);
  }
  for (const char* name : {"", "-alice", "al ice", "al/ice", "al\nice"})
    EXPECT_THROW(service_->addUser(name, "correct horse", false), AuthError) << name;
  service_->addUser("alice", "correct horse", false);
  EXPECT_THROW(service_->addUser("ALICE", "correct horse", false), AuthError);
}

TEST_F(AuthServiceTest, AFloodOfLoginsIsAnsweredBusyInsteadOfQueueing) {
  // Real cost-12 checks (the decoy hash): while the slots and the waiting room are full, any
  // further login is answered at once.
  std::atomic<int> busy{0}, refused{0};
  std::vector<std::thread> flood;
  for (int i = 0; i < 12; ++i) {
    flood.emplace_back([&, i] {
      const auto r =
          service_->login("nobody" + std::to_string(i), "guess", "10.0.0." + std::to_string(i));
      if (r.result == LoginOutcome::Result::busy) ++busy;
      if (r.result == LoginOutcome::Result::refused) ++refused;
    });
  }
  for (auto& t : flood)
    t.join();
  EXPECT_GT(busy.load(), 0);
  EXPECT_LE(refused.load(), 12 - busy.load());
  EXPECT_EQ(busy + refused, 12);
}

}  // namespace
}  // namespace berth::auth
