// The seam between the repositories and a database engine (internal to the
// storage library). Repositories written against it hold their SQL once,
// in a portable subset that SQLite and PostgreSQL both run:
//   - parameters are $1, $2, ... (each index used at least once);
//   - a new row's id comes back through InsertedId() after the INSERT
//     (not RETURNING, which costs SQLite a statement journal per insert);
//   - no engine-specific functions, types or pragmas.
// SqliteSession implements it on the store's SQLite connection; a
// PostgreSQL one (libpqxx) is to follow.
#ifndef FOCUS_STORE_SQL_BACKEND_H_
#define FOCUS_STORE_SQL_BACKEND_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "focus/store.h"

namespace focus::store_internal {

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
  virtual int64_t Int(int column) const = 0;
  virtual std::string Text(int column) const = 0;
  virtual bool IsNull(int column) const = 0;

  // After Step() of an INSERT into a table with an integer `id`: the new
  // row's id (SQLite's last rowid; a PostgreSQL backend adds RETURNING id).
  virtual int64_t InsertedId() const = 0;
};

// A connection in a transaction.
class SqlSession {
 public:
  virtual ~SqlSession() = default;
  // The statement for `sql`, prepared once per connection.
  virtual std::unique_ptr<SqlQuery> Prepare(const std::string& sql) = 0;
};

// The store's SQLite connection behind the seam.
class SqliteSession : public SqlSession {
 public:
  explicit SqliteSession(Connection& db) : db_(db) {}
  std::unique_ptr<SqlQuery> Prepare(const std::string& sql) override;

 private:
  Connection& db_;
};

}  // namespace focus::store_internal

#endif  // FOCUS_STORE_SQL_BACKEND_H_
