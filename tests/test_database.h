// The database a test runs on: a SQLite file by default, or, in ctest's
// `.postgresql` variant of a suite (FOCUS_TEST_BACKEND=postgresql), a fresh
// database on the PostgreSQL server that FOCUS_TEST_PG_URL names
// (scripts/pg-cluster starts one). Without that URL the variant skips,
// saying why, rather than passing on SQLite.
#ifndef FOCUS_TESTS_TEST_DATABASE_H_
#define FOCUS_TESTS_TEST_DATABASE_H_

#include <cstdlib>
#include <memory>
#include <string>

#include "focus/store_testing.h"

namespace focus {

class TestDatabase {
 public:
  // Whether this run is a suite's PostgreSQL variant.
  static bool Postgres() {
    const char* backend = std::getenv("FOCUS_TEST_BACKEND");
    return backend != nullptr && std::string(backend) == "postgresql";
  }

  // Why the database cannot be had, or "" if it can.
  static std::string Unavailable() {
    if (!Postgres() || std::getenv("FOCUS_TEST_PG_URL") != nullptr) return "";
    return "FOCUS_TEST_PG_URL is not set: run under scripts/pg-cluster run";
  }

  // A database for one test; the SQLite file goes in `dir`. (If the
  // database cannot be had, a SQLite path: the test skips in SetUp.)
  explicit TestDatabase(const std::string& dir) {
    if (!Postgres() || !Unavailable().empty()) {
      name_ = dir + "/focus.db";
      return;
    }
    pg_ = std::make_unique<testing::TemporaryPostgresDatabase>(
        std::getenv("FOCUS_TEST_PG_URL"));
    name_ = pg_->url();
  }

  // The path or URL to give Store.
  const std::string& name() const { return name_; }

 private:
  std::unique_ptr<testing::TemporaryPostgresDatabase> pg_;
  std::string name_;
};

}  // namespace focus

// In SetUp() or a test: skips the test if its database cannot be had.
#define FOCUS_SKIP_WITHOUT_DATABASE()                                       \
  if (std::string why = ::focus::TestDatabase::Unavailable(); !why.empty()) \
  GTEST_SKIP() << why

// In a test that looks at the SQLite file itself: skips the PostgreSQL
// variant, saying what it checks instead.
#define FOCUS_SQLITE_ONLY(why) \
  if (::focus::TestDatabase::Postgres()) GTEST_SKIP() << "SQLite only: " why

// The other way round, for what only the PostgreSQL side has.
#define FOCUS_POSTGRES_ONLY(why)          \
  if (!::focus::TestDatabase::Postgres()) \
  GTEST_SKIP() << "PostgreSQL only: " why

#endif  // FOCUS_TESTS_TEST_DATABASE_H_
