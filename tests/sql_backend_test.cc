// Tests for the storage library's seam (the internal
// engine/store/sql_backend.h): what only the PostgreSQL side has, a query
// streamed in batches in a transaction's snapshot.
#include "sql_backend.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "focus/error.h"
#include "focus/store.h"
#include "temp_dir.h"
#include "test_database.h"

namespace focus {
namespace {

using store_internal::SqlQuery;
using store_internal::StreamPostgres;

constexpr const char* kNumbers = "SELECT x FROM numbers ORDER BY x";

class StreamTest : public ::testing::Test {
 protected:
  void SetUp() override {
    FOCUS_SKIP_WITHOUT_DATABASE();
    FOCUS_POSTGRES_ONLY("SQLite reads its scans on connections of its own");
    StoreOptions options;
    options.create_if_missing = true;
    store_ = std::make_unique<Store>(database_.name(), options);
    Add("CREATE TABLE numbers (x BIGINT NOT NULL)");
    for (int x = 1; x <= 10; ++x) Add(Insert(x));
  }

  static std::string Insert(int x) {
    return "INSERT INTO numbers VALUES (" + std::to_string(x) + ")";
  }
  void Add(const std::string& sql) {
    store_->WriteTransaction([&](Connection& db) { db.Exec(sql); });
  }

  // Every row of `q`, its first column.
  static std::vector<int64_t> All(SqlQuery& q) {
    std::vector<int64_t> out;
    while (q.Step()) out.push_back(q.Int(0));
    return out;
  }

  TempDir temp_;
  TestDatabase database_{temp_.path()};
  std::unique_ptr<Store> store_;
};

const std::vector<int64_t> kOneToTen = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};

// Batches of 1, 3 (the last one short), 10 (exactly one, then an empty
// one) and more than there are.
TEST_F(StreamTest, RowsCrossBatchesInOrder) {
  for (int batch : {1, 3, 10, 1000}) {
    SCOPED_TRACE(batch);
    store_->Read([&](Connection& db) {
      std::unique_ptr<SqlQuery> q = StreamPostgres(db, kNumbers, batch);
      EXPECT_EQ(All(*q), kOneToTen);
      EXPECT_FALSE(q->Step());
    });
  }
}

TEST_F(StreamTest, NoRowsIsNoStep) {
  store_->Read([&](Connection& db) {
    EXPECT_FALSE(
        StreamPostgres(db, "SELECT x FROM numbers WHERE x < 0")->Step());
  });
}

// Rows committed after the reader's snapshot was taken are not streamed,
// even while the stream is between batches.
TEST_F(StreamTest, StreamsTheSnapshotOfTheTransaction) {
  store_->Read([&](Connection& db) {
    std::unique_ptr<SqlQuery> q = StreamPostgres(db, kNumbers, 2);
    ASSERT_TRUE(q->Step());
    Store other(database_.name());
    other.WriteTransaction([](Connection& w) {
      w.Exec("INSERT INTO numbers VALUES (0); DELETE FROM numbers WHERE x = 9");
    });
    std::vector<int64_t> rest = All(*q);
    rest.insert(rest.begin(), 1);
    EXPECT_EQ(rest, kOneToTen);
  });
}

// A failure in a later batch reaches the reader after the rows before it,
// as the error it would have been on the store's connection. (No ORDER BY:
// a sort would work out every row before the first batch.)
TEST_F(StreamTest, AFailureInALaterBatchIsThrownByStep) {
  std::vector<int64_t> seen;
  try {
    store_->Read([&](Connection& db) {
      std::unique_ptr<SqlQuery> q = StreamPostgres(
          db, "SELECT 100 / (x - 5) FROM generate_series(1, 10) x", 2);
      while (q->Step()) seen.push_back(q->Int(0));
    });
    ADD_FAILURE() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("division by zero"), std::string::npos)
        << e.what();
  }
  EXPECT_EQ(seen, (std::vector<int64_t>{-25, -33, -50, -100}));
}

}  // namespace
}  // namespace focus
