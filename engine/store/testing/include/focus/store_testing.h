// Raw SQL for tests only (CMake target focus_store_testing): to fabricate a
// damaged or old database, or look at one the way another program would.
// Nothing in the engine or the command uses it; tests/layering_test.py
// allows it as the one way for a test to reach the database around Store.
#ifndef FOCUS_STORE_TESTING_H_
#define FOCUS_STORE_TESTING_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "focus/store.h"

namespace focus::testing {

// Rows of text; a NULL is "NULL".
using Rows = std::vector<std::vector<std::string>>;

// A connection of its own on the database file (or PostgreSQL URL, where
// each statement commits by itself), with no settings of the store's. Its
// failures are std::runtime_error with the engine's message.
class RawDatabase {
 public:
  enum class Mode { kReadOnly, kReadWrite, kCreate };
  explicit RawDatabase(const std::string& path, Mode mode = Mode::kReadWrite);
  ~RawDatabase();
  RawDatabase(const RawDatabase&) = delete;
  RawDatabase& operator=(const RawDatabase&) = delete;

  // Whether this is a PostgreSQL database.
  bool postgres() const;

  void Exec(const std::string& sql);
  Rows Query(const std::string& sql);
  // The first column of the first row; "NULL" for NULL.
  std::string Text(const std::string& sql);
  int64_t Int(const std::string& sql);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The same inside a Store transaction. Failures are thrown as SQLite's
// exceptions, for the store to translate as it translates its own.
void Exec(Connection& db, const std::string& sql);
Rows Query(Connection& db, const std::string& sql);
std::string Text(Connection& db, const std::string& sql);
int64_t Int(Connection& db, const std::string& sql);

// A statement run many times inside a Store transaction, for generating
// large boards quickly (tests/bench/make_bench_board.cc). Failures are
// std::runtime_error with SQLite's message.
class Insert {
 public:
  Insert(Connection& db, const char* sql);
  ~Insert();
  Insert(const Insert&) = delete;
  Insert& operator=(const Insert&) = delete;

  Insert& Int(int i, int64_t v);
  Insert& Text(int i, const std::string& v);
  Insert& Null(int i);
  // An empty `v` is NULL.
  Insert& OptText(int i, const std::string& v);
  void Run();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// A copy of a database file's contents, kept in memory, that Restore() puts
// back with SQLite's backup API. That is one commit on the file, which every
// other connection to it sees (the board's, a server's kept ones); copying
// the file under open connections would not be. For the fuzz targets.
class DatabaseSnapshot {
 public:
  // Takes the snapshot now. REQUIRES: no write to `path` is in flight.
  explicit DatabaseSnapshot(const std::string& path);
  ~DatabaseSnapshot();
  DatabaseSnapshot(const DatabaseSnapshot&) = delete;
  DatabaseSnapshot& operator=(const DatabaseSnapshot&) = delete;

  // Whether another connection has committed to the file since the snapshot
  // was taken or last restored.
  bool Changed();

  // Puts the snapshot back, if anything changed.
  void Restore();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// A fresh, empty PostgreSQL database on the server that `server_url` (the
// URL of any database there) names, dropped again by the destructor: one
// per test, so tests share nothing. Failures are std::runtime_error.
class TemporaryPostgresDatabase {
 public:
  explicit TemporaryPostgresDatabase(const std::string& server_url);
  ~TemporaryPostgresDatabase();
  TemporaryPostgresDatabase(const TemporaryPostgresDatabase&) = delete;
  TemporaryPostgresDatabase& operator=(const TemporaryPostgresDatabase&) =
      delete;

  // The new database's URL.
  const std::string& url() const { return url_; }

 private:
  std::string server_url_;
  std::string name_;
  std::string url_;
};

// `url` with its database name replaced by `name`.
std::string WithDatabaseName(const std::string& url, const std::string& name);

// Every row of every table, and the schema version, as text: equal before
// and after means the content did not change at all.
std::string Dump(const std::string& path);

}  // namespace focus::testing

#endif  // FOCUS_STORE_TESTING_H_
