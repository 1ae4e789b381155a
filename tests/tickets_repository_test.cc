// Tests for the store's tickets repository: rows written are the rows read
// back, the queries select what they say, and the history of merged
// tickets comes with their survivor's.
#include "focus/tickets_repository.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "focus/forums_repository.h"
#include "focus/store.h"
#include "focus/store_testing.h"
#include "temp_dir.h"
#include "test_database.h"

namespace focus {
namespace {

class TicketsRepositoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    FOCUS_SKIP_WITHOUT_DATABASE();
    StoreOptions options;
    options.create_if_missing = true;
    store_ = std::make_unique<Store>(database_.name(), options);
  }

  static NewTicketRow Row(const std::string& title, const std::string& area) {
    NewTicketRow r;
    r.title = title;
    r.area = area;
    r.team = "PALS";
    r.state = "raised";
    r.raised_on = "2027-01-05";
    r.raised_by = 2;
    r.votes_total = 2;
    r.created_at = "2027-01-05T10:00:00Z";
    r.themes = {"communication", "access"};
    return r;
  }

  std::vector<TicketRow> Select(const TicketQuery& query) {
    std::vector<TicketRow> rows;
    store_->Read(
        [&](Connection& db) { rows = TicketsRepository(db).Select(query); });
    return rows;
  }

  TempDir temp_;
  TestDatabase database_{temp_.path()};
  std::unique_ptr<Store> store_;
};

TEST_F(TicketsRepositoryTest, ReadsBackWhatItWrote) {
  int64_t id = 0;
  store_->WriteTransaction([&](Connection& db) {
    TicketsRepository tickets(db);
    id = tickets.Insert(Row("Parking", "east-surrey"));
    tickets.Set(id, TicketColumn::kSentOn, std::string("2027-01-06"));
    tickets.Set(id, TicketColumn::kPausedWorkingDays, int64_t{3});
    tickets.AppendHistory(id, "2027-01-06T09:00:00Z", "jo", "sent-on", "",
                          "2027-01-06", "");
  });
  const std::vector<TicketRow> rows = Select({});
  ASSERT_EQ(rows.size(), 1u);
  const TicketRow& t = rows.front();
  EXPECT_EQ(t.id, id);
  EXPECT_EQ(t.title, "Parking");
  EXPECT_EQ(t.state, "raised");
  EXPECT_EQ(t.sent_on, "2027-01-06");
  EXPECT_FALSE(t.answered_on);
  EXPECT_EQ(t.paused_working_days, 3);
  EXPECT_EQ(t.themes, (std::vector<std::string>{"communication", "access"}));
  store_->Read([&](Connection& db) {
    TicketsRepository tickets(db);
    EXPECT_TRUE(tickets.Exists(id));
    EXPECT_FALSE(tickets.Exists(id + 1));
    ASSERT_EQ(tickets.HistoryOfFamily(id).size(), 1u);
    EXPECT_EQ(tickets.HistoryOfFamily(id)[0].field, "sent-on");
    EXPECT_TRUE(tickets.ChangedFrom("2027-01-06T00:00:00Z"));
    EXPECT_FALSE(tickets.ChangedFrom("2027-01-07T00:00:00Z"));
    EXPECT_EQ(
        tickets.ChangedBetween("2027-01-06T00:00:00Z", "2027-01-07T00:00:00Z"),
        std::vector<int64_t>{id});
  });
}

TEST_F(TicketsRepositoryTest, QueriesSelectWhatTheySay) {
  int64_t forum = 0, a = 0, b = 0, repeat = 0;
  store_->WriteTransaction([&](Connection& db) {
    ForumRow f;
    f.area = "east-surrey";
    f.held_on = "2027-01-04";
    f.format = "virtual";
    forum = ForumsRepository(db).Insert(f, "2027-01-04T20:00:00Z", "jo");
    TicketsRepository tickets(db);
    a = tickets.Insert(Row("Parking", "east-surrey"));
    NewTicketRow second = Row("Letters", "north-west-surrey");
    second.votes_total = 5;
    b = tickets.Insert(second);
    NewTicketRow merged = Row("Parking again", "east-surrey");
    merged.forum_id = forum;
    repeat = tickets.Insert(merged);
    tickets.Set(repeat, TicketColumn::kState, std::string("merged"));
    tickets.Set(repeat, TicketColumn::kMergedInto, a);
    tickets.InsertVotes(b, forum, 1, "", "2027-01-05T10:00:00Z", "jo");
  });
  auto ids = [](const std::vector<TicketRow>& rows) {
    std::vector<int64_t> out;
    for (const TicketRow& r : rows) out.push_back(r.id);
    return out;
  };
  TicketQuery q;
  q.exclude_merged = true;
  EXPECT_EQ(ids(Select(q)), (std::vector<int64_t>{a, b}));
  q.by_votes = true;
  EXPECT_EQ(ids(Select(q)), (std::vector<int64_t>{b, a}));
  TicketQuery area;
  area.area = "north-west-surrey";
  EXPECT_EQ(ids(Select(area)), std::vector<int64_t>{b});
  // At the forum: voted there, or through a merged repeat raised there.
  TicketQuery at_forum;
  at_forum.forum_id = forum;
  at_forum.exclude_merged = true;
  const std::vector<TicketRow> rows = Select(at_forum);
  EXPECT_EQ(ids(rows), (std::vector<int64_t>{a, b}));
  for (const TicketRow& r : rows) {
    EXPECT_EQ(r.forum_ids, std::vector<int64_t>{forum}) << r.id;
  }
  TicketQuery by_id;
  by_id.ids = std::vector<int64_t>{b, repeat};
  EXPECT_EQ(ids(Select(by_id)), (std::vector<int64_t>{b, repeat}));
  by_id.ids = std::vector<int64_t>{};
  EXPECT_TRUE(Select(by_id).empty());
}

// The CREATE INDEX of every index the store made, by name.
std::vector<std::string> IndexSql(Connection& db) {
  std::vector<std::string> sql;
  const bool pg = TestDatabase::Postgres();
  for (const std::vector<std::string>& row : testing::Query(
           db, pg ? "SELECT indexname || ': ' || indexdef FROM pg_indexes "
                    "WHERE schemaname = current_schema() ORDER BY indexname"
                  : "SELECT name || ': ' || sql FROM sqlite_master WHERE "
                    "type = 'index' AND sql IS NOT NULL ORDER BY name")) {
    sql.push_back(row.at(0));
  }
  return sql;
}

TEST_F(TicketsRepositoryTest, LargeWriteMakesTheIndexesAgain) {
  std::vector<std::string> before;
  store_->Read([&](Connection& db) { before = IndexSql(db); });
  ASSERT_GT(before.size(), 5u);
  // An import larger than the board drops them while it writes (on
  // SQLite; PostgreSQL keeps them: it has no cheap rebuild in a
  // transaction)...
  store_->WriteTransaction([&](Connection& db) {
    LargeWrite bulk(db, 2);
    if (TestDatabase::Postgres()) {
      EXPECT_EQ(IndexSql(db), before);
    } else {
      EXPECT_LT(IndexSql(db).size(), before.size());
    }
    TicketsRepository(db).Insert(Row("Parking", "east-surrey"));
    bulk.Finish();
    EXPECT_EQ(IndexSql(db), before);
  });
  // ... a failed one leaves them as they were ...
  EXPECT_THROW(store_->WriteTransaction([&](Connection& db) {
    LargeWrite bulk(db, 5);
    throw std::runtime_error("refused");
  }),
               std::exception);
  store_->Read([&](Connection& db) { EXPECT_EQ(IndexSql(db), before); });
  // ... and one smaller than the board leaves them alone.
  store_->WriteTransaction([&](Connection& db) {
    LargeWrite bulk(db, 1);
    EXPECT_EQ(IndexSql(db), before);
    bulk.Finish();
  });
  TicketQuery by_area;
  by_area.area = "east-surrey";
  EXPECT_EQ(Select(by_area).size(), 1u);
}

TEST_F(TicketsRepositoryTest, KeepsAGivenNumberAndReadsVoteRows) {
  store_->WriteTransaction([&](Connection& db) {
    TicketsRepository tickets(db);
    NewTicketRow row = Row("Parking", "east-surrey");
    row.id = 7;
    EXPECT_EQ(tickets.Insert(row), 7);
    EXPECT_EQ(tickets.Insert(Row("Lift", "east-surrey")), 8);
    tickets.InsertVotes(7, std::nullopt, 2, "again", "2027-01-06T10:00:00Z",
                        "jo");
    tickets.InsertVotes(7, std::nullopt, 1, "", "2027-01-07T10:00:00Z", "al");
    const std::vector<VoteRow> votes = tickets.VotesOf(7);
    ASSERT_EQ(votes.size(), 2u);
    EXPECT_EQ(votes[0].count, 2);
    EXPECT_EQ(votes[0].note, "again");
    EXPECT_EQ(votes[0].at, "2027-01-06T10:00:00Z");
    EXPECT_EQ(votes[0].actor, "jo");
    EXPECT_FALSE(votes[0].forum_id.has_value());
    EXPECT_EQ(votes[1].actor, "al");
    EXPECT_TRUE(tickets.VotesOf(8).empty());
  });
}

}  // namespace
}  // namespace focus
