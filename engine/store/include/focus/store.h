// The database behind the feedback board: the only door to the data.
//
// Either one SQLite file (default focus.db: WAL journal with
// synchronous=FULL, so an acknowledged write survives a crash or power loss,
// foreign keys on, and a busy timeout so two `focus` processes writing at
// once both succeed), or a PostgreSQL database named by a
// postgresql://user@host/dbname URL (SERIALIZABLE writes, retried after a
// serialization failure). Both hold the same versioned schema, upgraded in
// place by migrations. Every command runs in one write transaction: a
// command that fails changes nothing.
#ifndef FOCUS_STORE_H_
#define FOCUS_STORE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

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

// An open transaction on the store, handed to the body of
// Store::WriteTransaction and Store::Read and passed on to the repositories
// (focus/*_repository.h). Opaque outside the storage library.
class Connection;

namespace store_internal {
class Backend;
}

class Store {
 public:
  // Opens (and migrates) the database at `path`: a SQLite file, or a
  // postgresql:// (or postgres://) URL. Throws Error(kIo) if it cannot be
  // opened (or the server reached), Error(kInvalidInput) if it is missing
  // (or empty) and !create_if_missing, or if its schema is newer than this
  // build's.
  Store(const std::string& path, const StoreOptions& options = {});
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  const std::string& path() const { return path_; }
  int schema_version() const;

  // Runs `body` inside one write transaction and commits it; rolls back
  // if `body` throws. Database exceptions are translated to focus::Error.
  // On PostgreSQL `body` may run more than once (after a serialization
  // failure), each time in a fresh transaction: it must only write through
  // `Connection` and set what it returns, not append to what it captured.
  // REQUIRES: not called re-entrantly.
  void WriteTransaction(const std::function<void(Connection&)>& body);

  // Whether a write transaction rolled back leaves no trace. SQLite's new
  // ids follow the largest so far; PostgreSQL's sequences are not rolled
  // back, so there a refused write leaves a gap in the numbers.
  bool RollbackLeavesNoTrace() const;

  // Runs `body` with a consistent read snapshot.
  void Read(const std::function<void(Connection&)>& body) const;

  // After a bulk load (outside any transaction): on PostgreSQL, VACUUM
  // ANALYZE, so the planner knows the new rows and the first readers do not
  // pay for marking them visible; nothing on SQLite.
  void AfterBulkLoad();

  // Applies migrations 1..`version` only: for tests of in-place upgrades.
  static void CreateAtVersion(const std::string& path, int version);

 private:
  std::string path_;
  std::string name_;  // For messages: a URL without its password.
  std::unique_ptr<store_internal::Backend> backend_;
};

// The database `path` (a file or a postgresql:// URL) as messages name it:
// a URL without its password.
std::string DatabaseName(const std::string& path);

// Copies the whole board at `from` (every table, history, accounts and
// reminders included, ids kept) into `to`, created if missing, which must
// hold no board yet. Either may be a SQLite file or a PostgreSQL URL. One
// transaction on `to`, read from one snapshot of `from`: on any failure
// `to` is left as it was. Returns each table's name and rows copied, in
// the order copied. Throws Error(kInvalidInput) if `to` holds any row.
std::vector<std::pair<std::string, int64_t>> CopyBoard(const std::string& from,
                                                       const std::string& to);

// Tells when the database has changed, whoever changed it: another
// connection of this process or another process. It keeps one long-lived
// connection that never writes and asks it for SQLite's data_version, which
// differs between two calls iff another connection committed in between (a
// few microseconds: it only compares the WAL header); on PostgreSQL, it
// LISTENs for the notification each write transaction sends as it commits,
// and counts them (one round trip per call).
class ChangeWatcher {
 public:
  // Throws Error(kIo) if the database at `path` cannot be opened.
  ChangeWatcher(const std::string& path, int busy_timeout_ms);
  ~ChangeWatcher();
  ChangeWatcher(const ChangeWatcher&) = delete;
  ChangeWatcher& operator=(const ChangeWatcher&) = delete;

  // Differs after every commit by another connection. Not thread-safe.
  int64_t Version();
  // The same, or nullopt rather than wait while another connection holds
  // the database (for a thread that must never wait).
  std::optional<int64_t> TryVersion();

 private:
  struct Impl;
  std::string path_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace focus

#endif  // FOCUS_STORE_H_
