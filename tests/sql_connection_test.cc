// Tests for the storage library's SQLite connection (the internal
// engine/store/sqlite_connection.h): the statements it keeps for reuse. They
// look at SQLiteCpp statements, so tests/layering_test.py allows this file's
// SQLite includes.
#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "focus/store.h"
#include "sqlite_connection.h"
#include "temp_dir.h"

namespace focus {
namespace {

namespace fs = std::filesystem;

constexpr const char* kAddForum =
    "INSERT INTO forums (area, held_on, format, recorded_at, recorded_by) "
    "VALUES ('east-surrey', '2027-01-05', 'virtual', "
    "'2027-01-05T10:00:00Z', 'jo')";

void AddForum(Connection& db) { db.Exec(kAddForum); }

class SqlConnectionTest : public ::testing::Test {
 protected:
  static StoreOptions Create() {
    StoreOptions o;
    o.create_if_missing = true;
    return o;
  }

  TempDir temp_;
  const std::string path_ = (fs::path(temp_.path()) / "focus.db").string();
};

// SqliteConnection::Cached keeps statements for reuse; the tests below pin what
// reuse must never change.
int64_t FirstValue(SQLite::Statement& q) {
  EXPECT_TRUE(q.executeStep());
  return q.getColumn(0).isNull() ? -1 : q.getColumn(0).getInt64();
}

TEST(SqlConnection, PreparedStatementIsReusedWithItsBindingsCleared) {
  SqliteConnection db(":memory:", SQLite::OPEN_READWRITE);
  const SQLite::Statement* first = nullptr;
  {
    PreparedStatement p = db.Cached("SELECT ?");
    p->bind(1, 5);
    EXPECT_EQ(FirstValue(*p), 5);
    first = &*p;
  }
  PreparedStatement again = db.Cached("SELECT ?");
  EXPECT_EQ(&*again, first);
  EXPECT_EQ(FirstValue(*again), -1);  // NULL: the 5 is gone.
}

// "$n" is SQLite's parameter of that name, wherever it first appears:
// SQLite numbers parameters in order of appearance. The same on a kept
// statement's first and later uses, and on one of its own (nested).
TEST(SqlConnection, ParameterIndexFollowsTheNameNotThePosition) {
  struct Case {
    const char* sql;
    std::vector<int> indexes;  // ParameterIndex of $1, $2, $3, $4.
  };
  const Case cases[] = {
      {"SELECT $1, $2", {1, 2, 0, 0}},
      {"SELECT $2, $1", {2, 1, 0, 0}},
      {"SELECT $3, $1, $3", {2, 0, 1, 0}},  // A gap, and $3 used twice.
      {"SELECT 1", {0, 0, 0, 0}},
  };
  SqliteConnection db(":memory:", SQLite::OPEN_READWRITE);
  for (const Case& c : cases) {
    SCOPED_TRACE(c.sql);
    for (int use = 0; use < 2; ++use) {
      PreparedStatement kept = db.Cached(c.sql);
      PreparedStatement own = db.Cached(c.sql);  // The kept one is busy.
      for (int n = 1; n <= 4; ++n) {
        EXPECT_EQ(kept.ParameterIndex(n), c.indexes[n - 1]) << "$" << n;
        EXPECT_EQ(own.ParameterIndex(n), c.indexes[n - 1]) << "$" << n;
      }
    }
  }
}

TEST(SqlConnection, NestedUseOfTheSameTextGetsAStatementOfItsOwn) {
  SqliteConnection db(":memory:", SQLite::OPEN_READWRITE);
  db.exec("CREATE TABLE t(x); INSERT INTO t VALUES (1), (2), (3)");
  const std::string sql = "SELECT x FROM t WHERE x >= ? ORDER BY x";
  PreparedStatement outer = db.Cached(sql);
  outer->bind(1, 1);
  std::vector<int64_t> seen;
  while (outer->executeStep()) {
    seen.push_back(outer->getColumn(0).getInt64());
    PreparedStatement inner = db.Cached(sql);
    EXPECT_NE(&*inner, &*outer);
    inner->bind(1, 3);
    EXPECT_EQ(FirstValue(*inner), 3);
  }
  EXPECT_EQ(seen, (std::vector<int64_t>{1, 2, 3}));
}

TEST_F(SqlConnectionTest, DroppedStatementHoldsNoSnapshot) {
  Store store(path_, Create());
  store.WriteTransaction(AddForum);
  store.WriteTransaction(AddForum);
  // Dropped after one of two rows: were it not reset, it would keep its
  // read transaction open, and later reads would not see a later commit.
  store.Read([&](Connection& db) {
    PreparedStatement p = dynamic_cast<SqliteConnection&>(db).Cached(
        "SELECT id FROM forums ORDER BY id");
    EXPECT_TRUE(p->executeStep());
  });
  SQLite::Database other(path_, SQLite::OPEN_READWRITE);
  other.exec(kAddForum);
  int64_t count = 0;
  store.Read([&](Connection& db) {
    PreparedStatement p = dynamic_cast<SqliteConnection&>(db).Cached(
        "SELECT count(*) FROM forums");
    count = FirstValue(*p);
  });
  EXPECT_EQ(count, 3);
}

}  // namespace
}  // namespace focus
