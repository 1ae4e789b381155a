// The SQLite database behind the feedback board (through SQLiteCpp).
//
// One file (default focus.db), a versioned schema upgraded in place by
// migrations, WAL journal with synchronous=FULL (an acknowledged write
// survives a crash or power loss), foreign keys on, and a busy timeout so two
// `focus` processes writing at once both succeed. Every command runs in one
// write transaction: a command that fails changes nothing.
#ifndef FOCUS_STORE_H_
#define FOCUS_STORE_H_

#include <SQLiteCpp/Database.h>

#include <functional>
#include <memory>
#include <string>
#include <unordered_map>

namespace SQLite {
class Statement;
}

namespace focus {

struct StoreOptions {
  // Wait this long for another writer before giving up (milliseconds).
  int busy_timeout_ms = 30000;
  // Create the file and the schema if missing (focus init); otherwise a
  // missing database is an error telling the user to run `focus init`.
  bool create_if_missing = false;
};

// The schema version this build writes. Older databases are migrated to it
// when opened; a newer one is refused (this build would not understand it).
int CurrentSchemaVersion();

class Connection;

// A statement from Connection::Prepare, ready to bind and step. When it is
// dropped it is reset and its bindings cleared, so it holds no snapshot and
// the next user starts clean.
class PreparedStatement {
 public:
  PreparedStatement(PreparedStatement&& other) noexcept;
  PreparedStatement& operator=(PreparedStatement&&) = delete;
  ~PreparedStatement();

  SQLite::Statement& operator*() const { return *statement_; }
  SQLite::Statement* operator->() const { return statement_; }

 private:
  friend class Connection;
  PreparedStatement(SQLite::Statement* cached, bool* busy,
                    std::unique_ptr<SQLite::Statement> own);

  SQLite::Statement* statement_;
  bool* busy_;  // The cache entry's flag, or null for a statement of its own.
  std::unique_ptr<SQLite::Statement> own_;
};

// One SQLite connection and the statements prepared on it, kept for reuse:
// for the board's small queries, preparing costs more than running them.
class Connection : public SQLite::Database {
 public:
  using SQLite::Database::Database;
  ~Connection();

  // The statement for `sql`, prepared on its first use on this connection.
  // A statement still in use (a query stepping while a nested call asks
  // for the same text) is never handed out twice: the nested call gets a
  // fresh one.
  PreparedStatement Prepare(const std::string& sql);

 private:
  struct Entry {
    std::unique_ptr<SQLite::Statement> statement;
    bool busy = false;
  };
  // Bounded: filters make statements whose text varies.
  static constexpr std::size_t kMaxStatements = 64;
  std::unordered_map<std::string, Entry> statements_;
};

class Store {
 public:
  // Opens (and migrates) the database at `path`. Throws Error(kIo) if it
  // cannot be opened, Error(kInvalidInput) if it is missing and
  // !create_if_missing, or if its schema is newer than this build's.
  Store(const std::string& path, const StoreOptions& options = {});
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  const std::string& path() const { return path_; }
  int schema_version() const;

  // Runs `body` inside one IMMEDIATE transaction and commits it; rolls back
  // if `body` throws. SQLite exceptions are translated to focus::Error.
  // REQUIRES: not called re-entrantly.
  void WriteTransaction(const std::function<void(Connection&)>& body);

  // Runs `body` with a consistent read snapshot.
  void Read(const std::function<void(Connection&)>& body) const;

  // Applies migrations 1..`version` only: for tests of in-place upgrades.
  static void CreateAtVersion(const std::string& path, int version);

 private:
  std::string path_;
  std::unique_ptr<Connection> db_;
};

}  // namespace focus

#endif  // FOCUS_STORE_H_
