// The database behind the feedback board: the only door to the data.
//
// One file (default focus.db), a versioned schema upgraded in place by
// migrations, WAL journal with synchronous=FULL (an acknowledged write
// survives a crash or power loss), foreign keys on, and a busy timeout so two
// `focus` processes writing at once both succeed. Every command runs in one
// write transaction: a command that fails changes nothing.
#ifndef FOCUS_STORE_H_
#define FOCUS_STORE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

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
  // if `body` throws. Database exceptions are translated to focus::Error.
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

// Tells when the database has changed, whoever changed it: another
// connection of this process or another process. It keeps one long-lived
// connection that never writes and asks it for SQLite's data_version, which
// differs between two calls iff another connection committed in between (a
// few microseconds: it only compares the WAL header).
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
