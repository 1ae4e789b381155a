// The seam between the repositories and a database engine (internal to the
// storage library). Repositories written against it hold their SQL once,
// in a portable subset that SQLite and PostgreSQL both run:
//   - parameters are $1, $2, ... (each index used at least once); a
//     parameter whose type the statement does not fix is CAST;
//   - a new row's id comes back through InsertedId() after the INSERT
//     (not RETURNING, which costs SQLite a statement journal per insert);
//   - no engine-specific functions, types or pragmas; where a query must
//     differ, both variants sit side by side, chosen by Connection::dialect().
// SqliteConnection (sqlite_connection.h) and PgConnection (pg_backend.cc)
// implement it.
#ifndef FOCUS_STORE_SQL_BACKEND_H_
#define FOCUS_STORE_SQL_BACKEND_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "focus/store.h"

namespace focus {

namespace store_internal {

enum class Dialect { kSqlite, kPostgres };

// A prepared statement with typed binds and rows. Dropping it resets it
// and clears its bindings, so it holds no snapshot.
class SqlQuery {
 public:
  virtual ~SqlQuery() = default;

  virtual SqlQuery& Bind(int index, int64_t value) = 0;
  virtual SqlQuery& Bind(int index, const std::string& value) = 0;
  // Without a copy: `value` must outlive the statement.
  virtual SqlQuery& BindRef(int index, const std::string& value) = 0;
  virtual SqlQuery& BindNull(int index) = 0;
  SqlQuery& Bind(int index, const std::optional<std::string>& value) {
    return value ? Bind(index, *value) : BindNull(index);
  }
  SqlQuery& Bind(int index, std::optional<int64_t> value) {
    return value ? Bind(index, *value) : BindNull(index);
  }

  // The next row; false after the last (a statement without rows runs).
  virtual bool Step() = 0;
  // Columns of the current row, from 0. A NULL text reads as "".
  virtual int Columns() const = 0;
  // Column `column`'s name (on PostgreSQL, once the statement has run).
  virtual std::string ColumnName(int column) const = 0;
  virtual int64_t Int(int column) const = 0;
  virtual std::string Text(int column) const = 0;
  virtual bool IsNull(int column) const = 0;
  // The text without a copy, or nullopt if NULL; valid until the next
  // Step().
  virtual std::optional<std::string_view> View(int column) const = 0;

  // After Step() of an INSERT into a table with an integer `id`: the new
  // row's id.
  virtual int64_t InsertedId() const = 0;
};

}  // namespace store_internal

// A database connection, in a transaction while a Store hands it out.
class Connection {
 public:
  virtual ~Connection() = default;
  // The statement for `sql`, prepared once per connection.
  virtual std::unique_ptr<store_internal::SqlQuery> Prepare(
      const std::string& sql) = 0;
  // Runs statements without parameters or rows (DDL, several at once).
  virtual void Exec(const std::string& sql) = 0;
  virtual store_internal::Dialect dialect() const = 0;
};

namespace store_internal {

// What Store needs of an engine: transactions on its connection, and where
// the schema version is kept.
class Backend {
 public:
  virtual ~Backend() = default;
  // Runs `body` in one transaction and commits it; rolls back if it throws.
  // A write takes the engine's write lock (SQLite) or runs SERIALIZABLE and
  // runs `body` again after a serialization failure (PostgreSQL). Errors
  // are not translated.
  virtual void Transaction(bool write,
                           const std::function<void(Connection&)>& body) = 0;
  // Inside Transaction: the schema version (0 for none), whether any table
  // exists, and setting the version.
  virtual int SchemaVersion(Connection& db) = 0;
  virtual bool HasTables(Connection& db) = 0;
  virtual void SetSchemaVersion(Connection& db, int version) = 0;
  // Outside a transaction: takes (or releases) a lock that serializes
  // migrations between processes, where write transactions alone do not.
  virtual void LockSchema(bool lock) = 0;
  // Outside a transaction, after many rows were written at once: brings
  // what the engine's planner knows of the tables up to date.
  virtual void AfterBulkLoad() = 0;
};

// Whether `name` is a PostgreSQL connection URL rather than a file.
bool IsPostgresUrl(const std::string& name);

// The name of the database for messages: a URL without its password.
std::string DisplayName(const std::string& name);

// The PostgreSQL backend for `url`. Throws Error(kIo) if the server cannot
// be reached or refuses the login, Error(kInvalidInput) if the database
// does not exist.
std::unique_ptr<Backend> OpenPostgres(const std::string& url,
                                      const std::string& display,
                                      int busy_timeout_ms);

// ChangeWatcher's PostgreSQL side: a connection that LISTENs for the
// notification every write transaction sends as it commits (delivered only
// on commit, and only within its database).
class PostgresChanges {
 public:
  virtual ~PostgresChanges() = default;
  // Differs after every write committed since the last call.
  virtual int64_t Version() = 0;
};
// After rows were written with ids of their own: PostgreSQL numbers new
// rows from a sequence those ids did not advance, so start it after the
// largest id of `table`. Nothing to do on SQLite.
void ContinueNumbering(Connection& db, const std::string& table);

// PostgreSQL: the rows of `sql` (no parameters) as they stand in the
// snapshot of `db`'s transaction, read through a cursor on a connection of
// its own and fetched a batch at a time by a thread of its own, so the
// server makes the next batch while the caller reads this one (enough rows
// per batch that the round trips cost little, few enough that the batches
// held stay small). A failure
// on that thread is thrown by the next Step(). REQUIRES: `db` is a
// PostgreSQL connection in a REPEATABLE READ transaction.
std::unique_ptr<SqlQuery> StreamPostgres(Connection& db, const std::string& sql,
                                         int batch_rows = 10000);

std::unique_ptr<PostgresChanges> WatchPostgres(const std::string& url,
                                               const std::string& display);

}  // namespace store_internal
}  // namespace focus

#endif  // FOCUS_STORE_SQL_BACKEND_H_
