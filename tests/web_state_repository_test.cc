// Tests for the state the web server's processes share (sessions and rate
// events): what is written is found while it is live, expiry drops it, and
// a window counts only the events inside it.
#include "focus/web_state_repository.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "focus/store.h"
#include "temp_dir.h"
#include "test_database.h"

namespace focus {
namespace {

class WebStateRepositoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    FOCUS_SKIP_WITHOUT_DATABASE();
    StoreOptions options;
    options.create_if_missing = true;
    store_ = std::make_unique<Store>(db_.name(), options);
  }
  template <typename Repository, typename Body>
  void Write(Body body) {
    store_->WriteTransaction([&](Connection& db) {
      Repository r(db);
      body(r);
    });
  }
  std::optional<SessionRow> FindSession(const std::string& hash, int64_t now) {
    std::optional<SessionRow> row;
    store_->Read(
        [&](Connection& db) { row = SessionsRepository(db).Find(hash, now); });
    return row;
  }
  RateWindow Window(const std::string& subject, int64_t since) {
    RateWindow w;
    store_->Read([&](Connection& db) {
      w = RateEventsRepository(db).Window(subject, since);
    });
    return w;
  }

  TempDir tmp_;
  TestDatabase db_{tmp_.path()};
  std::unique_ptr<Store> store_;
};

TEST_F(WebStateRepositoryTest, ASessionIsFoundUntilItExpires) {
  Write<SessionsRepository>([](SessionsRepository& s) {
    s.Insert({"aa", "jo", 100});
    s.Insert({"bb", "fay", 200});
  });
  const struct {
    const char* hash;
    int64_t now;
    const char* account;  // nullptr: not found.
  } cases[] = {
      {"aa", 99, "jo"},   {"aa", 100, nullptr}, {"bb", 150, "fay"},
      {"cc", 0, nullptr}, {"", 0, nullptr},
  };
  for (const auto& c : cases) {
    std::optional<SessionRow> row = FindSession(c.hash, c.now);
    SCOPED_TRACE(std::string(c.hash) + " at " + std::to_string(c.now));
    ASSERT_EQ(row.has_value(), c.account != nullptr);
    if (row) {
      EXPECT_EQ(row->account, c.account);
    }
  }
}

TEST_F(WebStateRepositoryTest, RemoveAndRemoveExpiredDropOnlyTheirSessions) {
  Write<SessionsRepository>([](SessionsRepository& s) {
    s.Insert({"aa", "jo", 100});
    s.Insert({"bb", "fay", 200});
    s.Insert({"cc", "sam", 300});
    s.Remove("bb");
    s.RemoveExpired(100);
  });
  EXPECT_FALSE(FindSession("aa", 0));
  EXPECT_FALSE(FindSession("bb", 0));
  EXPECT_TRUE(FindSession("cc", 0));
}

TEST_F(WebStateRepositoryTest, AWindowCountsTheEventsAfterItsStart) {
  Write<RateEventsRepository>([](RateEventsRepository& e) {
    for (int64_t at : {10, 20, 20, 30}) e.Insert("ip:a", at, at + 1000);
    e.Insert("ip:b", 25, 1025);
  });
  const struct {
    const char* subject;
    int64_t since;
    RateWindow want;
  } cases[] = {
      {"ip:a", 0, {4, 10, 30}},  {"ip:a", 10, {3, 20, 30}},
      {"ip:a", 29, {1, 30, 30}}, {"ip:a", 30, {0, 0, 0}},
      {"ip:b", 0, {1, 25, 25}},  {"ip:c", 0, {0, 0, 0}},
  };
  for (const auto& c : cases) {
    const RateWindow w = Window(c.subject, c.since);
    SCOPED_TRACE(std::string(c.subject) + " since " + std::to_string(c.since));
    EXPECT_EQ(w.count, c.want.count);
    EXPECT_EQ(w.oldest, c.want.oldest);
    EXPECT_EQ(w.latest, c.want.latest);
  }
}

TEST_F(WebStateRepositoryTest, RemoveOneTakesOneEventAtThatMoment) {
  Write<RateEventsRepository>([](RateEventsRepository& e) {
    for (int64_t at : {20, 20, 30}) e.Insert("ip:a", at, at + 1000);
    e.RemoveOne("ip:a", 20);
    e.RemoveOne("ip:a", 99);  // None then: nothing happens.
  });
  EXPECT_EQ(Window("ip:a", 0).count, 2);
  EXPECT_EQ(Window("ip:a", 0).oldest, 20);
}

// Events are dropped once no window can count them, so the table stays
// as small as the limits need.
TEST_F(WebStateRepositoryTest, InsertDropsEventsPastTheirKeep) {
  Write<RateEventsRepository>([](RateEventsRepository& e) {
    e.Insert("ip:a", 10, 50);
    e.Insert("ip:b", 10, 500);
    e.Insert("ip:c", 60, 600);
  });
  EXPECT_EQ(Window("ip:a", 0).count, 0);
  EXPECT_EQ(Window("ip:b", 0).count, 1);
}

}  // namespace
}  // namespace focus
