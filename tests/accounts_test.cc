// Tests for web accounts: Argon2id hashes, sign-in checks, validation of
// names, roles, teams and passwords, disabling, and what each role may do.
#include "focus/accounts.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <string>

#include "focus/clock.h"
#include "focus/config.h"
#include "focus/error.h"
#include "focus/store.h"
#include "focus/store_testing.h"
#include "temp_dir.h"
#include "test_database.h"
#include "test_util.h"

namespace focus {
namespace {

namespace fs = std::filesystem;

const char kPassword[] = "correct horse battery";

class AccountsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    FOCUS_SKIP_WITHOUT_DATABASE();
    dir_ = tmp_.path();
    database_ = std::make_unique<TestDatabase>(dir_);
    config_ = ParseConfig(EmbeddedDefaultConfig(), "test");
    config_.board.teams = {"Crisis line", "Estates"};
    StoreOptions options;
    options.create_if_missing = true;
    store_ = std::make_unique<Store>(database_->name(), options);
    accounts_ = std::make_unique<Accounts>(*store_, config_, clock_);
  }
  void TearDown() override {
    accounts_.reset();
    store_.reset();
  }

  static NewAccount Make(const std::string& name, Role role,
                         const std::string& team = "",
                         const std::string& password = kPassword) {
    NewAccount a;
    a.name = name;
    a.role = role;
    a.team = team;
    a.password = password;
    a.password_cost = PasswordCost::kTestMinimum;
    return a;
  }

  TempDir tmp_;  // First: removed after everything that uses it.
  std::string dir_;
  std::unique_ptr<TestDatabase> database_;  // Outlives the store.
  Config config_;
  FixedClock clock_{Date(2027, 1, 6)};
  std::unique_ptr<Store> store_;
  std::unique_ptr<Accounts> accounts_;
};

TEST(PasswordHash, IsArgon2idAndVerifiesOnlyTheRightPassword) {
  const std::string hash = HashPassword(kPassword, PasswordCost::kTestMinimum);
  // Argon2id parameters in the hash string: memory in KiB, passes, lanes.
  EXPECT_EQ(hash.rfind("$argon2id$v=19$m=8,t=1,p=1$", 0), 0u) << hash;
  EXPECT_EQ(hash.find(kPassword), std::string::npos);
  EXPECT_TRUE(VerifyPassword(hash, kPassword));
  EXPECT_FALSE(VerifyPassword(hash, "correct horse batterY"));
  EXPECT_FALSE(VerifyPassword(hash, ""));
  EXPECT_FALSE(VerifyPassword("not a hash", kPassword));
  // A fresh salt every time.
  EXPECT_NE(HashPassword(kPassword, PasswordCost::kTestMinimum), hash);
}

TEST(PasswordHash, RealAccountsGetTheInteractiveCost) {
  const std::string hash = HashPassword(kPassword);
  EXPECT_EQ(hash.rfind("$argon2id$v=19$m=65536,t=2,p=1$", 0), 0u) << hash;
  EXPECT_TRUE(VerifyPassword(hash, kPassword));
  EXPECT_EQ(NewAccount().password_cost, PasswordCost::kInteractive);
}

TEST(Roles, ParseAndName) {
  for (Role r : {Role::kCoordinator, Role::kFacilitator, Role::kResponder,
                 Role::kEditor}) {
    EXPECT_EQ(ParseRole(RoleName(r)), r);
  }
  EXPECT_EQ(ErrorText([] { RoleFromName("admin"); }),
            "unknown role 'admin' (roles: coordinator, facilitator, "
            "responder, editor)");
}

TEST(Roles, WhatEachRoleMayDo) {
  struct Case {
    Role role;
    Action action;
    std::string ticket_team;
    bool allowed;
  };
  const Case cases[] = {
      {Role::kCoordinator, Action::kAnswer, "Estates", true},
      {Role::kCoordinator, Action::kMerge, "", true},
      {Role::kFacilitator, Action::kAddTicket, "", true},
      {Role::kFacilitator, Action::kVote, "Estates", true},
      {Role::kFacilitator, Action::kMove, "Estates", true},
      {Role::kFacilitator, Action::kMerge, "Estates", true},
      {Role::kFacilitator, Action::kAnswer, "Estates", false},
      {Role::kResponder, Action::kAnswer, "Estates", true},
      {Role::kResponder, Action::kAnswer, "estates", true},
      {Role::kResponder, Action::kMove, "Estates", true},
      {Role::kResponder, Action::kAnswer, "Crisis line", false},
      {Role::kResponder, Action::kMove, "Crisis line", false},
      {Role::kResponder, Action::kAddTicket, "", false},
      {Role::kResponder, Action::kMerge, "Estates", false},
      {Role::kResponder, Action::kViewBoard, "", true},
      {Role::kEditor, Action::kViewBoard, "", true},
      {Role::kEditor, Action::kVote, "Estates", false},
      {Role::kEditor, Action::kAddTicket, "", false},
  };
  for (const Case& c : cases) {
    Account a;
    a.role = c.role;
    a.team = c.role == Role::kResponder ? "Estates" : "";
    EXPECT_EQ(Allows(a, c.action, c.ticket_team), c.allowed)
        << RoleName(c.role) << " action " << static_cast<int>(c.action)
        << " team " << c.ticket_team;
  }
  Account disabled;
  disabled.role = Role::kCoordinator;
  disabled.disabled = true;
  EXPECT_FALSE(Allows(disabled, Action::kViewBoard));
}

TEST_F(AccountsTest, AddsListsAndAuthenticates) {
  accounts_->Add(Make("jo", Role::kCoordinator), "admin");
  NewAccount sam = Make("sam", Role::kResponder, "estates");
  sam.password_cost = PasswordCost::kInteractive;  // What real accounts get.
  accounts_->Add(sam, "admin");
  auto list = accounts_->List();
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0].name, "jo");
  EXPECT_EQ(list[1].name, "sam");
  EXPECT_EQ(list[1].role, Role::kResponder);
  EXPECT_EQ(list[1].team, "Estates");  // The configured spelling.
  EXPECT_EQ(list[0].created_at, "2027-01-06T12:00:00Z");

  auto ok = accounts_->Authenticate("jo", kPassword);
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->role, Role::kCoordinator);
  EXPECT_TRUE(accounts_->Authenticate("JO", kPassword));   // Any case.
  EXPECT_TRUE(accounts_->Authenticate("sam", kPassword));  // Any cost.
  EXPECT_FALSE(accounts_->Authenticate("jo", "wrong password!"));
  EXPECT_FALSE(accounts_->Authenticate("nobody", kPassword));
  EXPECT_FALSE(accounts_->Authenticate("", ""));

  // Only the hash is stored, at the cost asked for.
  const testing::Rows rows =
      testing::RawDatabase(store_->path())
          .Query(
              "SELECT password_hash, created_by FROM accounts ORDER BY name");
  ASSERT_EQ(rows.size(), 2u);
  size_t i = 0;
  for (const char* prefix :
       {"$argon2id$v=19$m=8,t=1,p=1$", "$argon2id$v=19$m=65536,t=2,p=1$"}) {
    EXPECT_EQ(rows[i][0].rfind(prefix, 0), 0u);
    EXPECT_EQ(rows[i][1], "admin");
    ++i;
  }
}

TEST_F(AccountsTest, RefusesBadInputWithClearMessages) {
  accounts_->Add(Make("jo", Role::kEditor), "admin");
  struct Case {
    NewAccount account;
    std::string error;
  };
  const Case cases[] = {
      {Make("jo", Role::kFacilitator), "account 'jo' already exists"},
      {Make("JO", Role::kFacilitator), "account 'JO' already exists"},
      {Make("", Role::kEditor),
       "account name '': give 1 to 64 letters, digits, '.', '_' or '-'"},
      {Make("jo smith", Role::kEditor),
       "account name 'jo smith': use only letters, digits, '.', '_' or '-'"},
      {Make("al", Role::kEditor, "", "short"),
       "password: at least 10 characters, please"},
      {Make("al", Role::kEditor, "", std::string(1025, 'x')),
       "password: longer than 1024 bytes"},
      {Make("al", Role::kResponder),
       "a responder needs the team they answer for"},
      {Make("al", Role::kResponder, "Pharmacy"),
       "unknown team 'Pharmacy' (teams: Crisis line, Estates)"},
      {Make("al", Role::kFacilitator, "Estates"),
       "a team is only for responders, not for a facilitator"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(ErrorText([&] { accounts_->Add(c.account, "admin"); }), c.error);
  }
  EXPECT_EQ(accounts_->List().size(), 1u);
}

TEST_F(AccountsTest, DisabledAccountsCannotSignIn) {
  accounts_->Add(Make("jo", Role::kFacilitator), "admin");
  accounts_->Disable("jo", "admin");
  EXPECT_FALSE(accounts_->Authenticate("jo", kPassword));
  auto jo = accounts_->Find("jo");
  ASSERT_TRUE(jo);
  EXPECT_TRUE(jo->disabled);
  EXPECT_EQ(ErrorText([&] { accounts_->Disable("jo", "admin"); }),
            "account 'jo' is already disabled");
  EXPECT_EQ(ErrorText([&] { accounts_->Disable("nobody", "admin"); }),
            "no account 'nobody'");
}

}  // namespace
}  // namespace focus
