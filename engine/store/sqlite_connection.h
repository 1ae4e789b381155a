// A SQLite connection that keeps its prepared statements (through
// SQLiteCpp): the seam's SQLite side (internal to the storage library).
#ifndef FOCUS_STORE_SQLITE_CONNECTION_H_
#define FOCUS_STORE_SQLITE_CONNECTION_H_

#include <SQLiteCpp/Database.h>

#include <cstddef>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "sql_backend.h"

namespace SQLite {
class Statement;
}

namespace focus {

// A statement from SqliteConnection::Cached, ready to bind and step. When it is
// dropped it is reset and its bindings cleared, so it holds no snapshot and
// the next user starts clean.
class PreparedStatement {
 public:
  PreparedStatement(PreparedStatement&& other) noexcept;
  PreparedStatement& operator=(PreparedStatement&&) = delete;
  ~PreparedStatement();

  SQLite::Statement& operator*() const { return *statement_; }
  SQLite::Statement* operator->() const { return statement_; }

  // SQLite's index of the parameter named "$n", or 0 if there is none.
  int ParameterIndex(int n) const;

 private:
  friend class SqliteConnection;
  PreparedStatement(SQLite::Statement* cached, bool* busy,
                    const std::vector<int>* indexes,
                    std::unique_ptr<SQLite::Statement> own);

  SQLite::Statement* statement_;
  bool* busy_;  // The cache entry's flag, or null for a statement of its own.
  // The cache entry's ParameterIndex of each n, or null.
  const std::vector<int>* indexes_;
  std::unique_ptr<SQLite::Statement> own_;
};

// One SQLite connection and the statements prepared on it, kept for reuse:
// for the board's small queries, preparing costs more than running them.
class SqliteConnection : public SQLite::Database, public Connection {
 public:
  using SQLite::Database::Database;
  ~SqliteConnection() override;

  // The statement for `sql`, prepared on its first use on this connection.
  // A statement still in use (a query stepping while a nested call asks
  // for the same text) is never handed out twice: the nested call gets a
  // fresh one.
  PreparedStatement Cached(const std::string& sql);

  // The seam (sql_backend.h), on the cached statements.
  std::unique_ptr<store_internal::SqlQuery> Prepare(
      const std::string& sql) override;
  void Exec(const std::string& sql) override { exec(sql); }
  store_internal::Dialect dialect() const override {
    return store_internal::Dialect::kSqlite;
  }

 private:
  struct Entry {
    std::unique_ptr<SQLite::Statement> statement;
    // SQLite's index of each "$n", looked up once: a lookup by name scans
    // every parameter, and an import binds every value of every row.
    std::vector<int> indexes;
    bool busy = false;
  };
  // Bounded: filters make statements whose text varies.
  static constexpr std::size_t kMaxStatements = 64;
  std::unordered_map<std::string, Entry> statements_;
};

}  // namespace focus

#endif  // FOCUS_STORE_SQLITE_CONNECTION_H_
