// Change detection for the server's response cache.
#include <SQLiteCpp/SQLiteCpp.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "focus/store.h"
#include "sql_backend.h"
#include "store_internal.h"

namespace focus {

using store_internal::Translating;

struct ChangeWatcher::Impl {
  // One of the two.
  std::unique_ptr<SQLite::Database> db;
  std::unique_ptr<store_internal::PostgresChanges> postgres;
  // Prepared once: Version() runs on every cacheable request.
  std::unique_ptr<SQLite::Statement> version;
  int busy_timeout_ms = 0;

  Impl(const std::string& path, int busy_timeout) {
    busy_timeout_ms = busy_timeout;
    if (store_internal::IsPostgresUrl(path)) {
      postgres = store_internal::WatchPostgres(
          path, store_internal::DisplayName(path));
      return;
    }
    db = std::make_unique<SQLite::Database>(path, SQLite::OPEN_READWRITE,
                                            busy_timeout);
    version = std::make_unique<SQLite::Statement>(*db, "PRAGMA data_version");
  }
};

ChangeWatcher::ChangeWatcher(const std::string& path, int busy_timeout_ms)
    : path_(store_internal::DisplayName(path)) {
  Translating(path_, "cannot open the board database",
              [&] { impl_ = std::make_unique<Impl>(path, busy_timeout_ms); });
}

ChangeWatcher::~ChangeWatcher() = default;

int64_t ChangeWatcher::Version() {
  return Translating(path_, "cannot read the board database", [&] {
    if (impl_->postgres) return impl_->postgres->Version();
    impl_->version->executeStep();
    const int64_t version = impl_->version->getColumn(0).getInt64();
    impl_->version->reset();  // Holds nothing open between calls.
    return version;
  });
}

std::optional<int64_t> ChangeWatcher::TryVersion() {
  // PostgreSQL's notifications are read without waiting on any lock.
  if (impl_->postgres) return Version();
  impl_->db->setBusyTimeout(0);
  std::optional<int64_t> version;
  try {
    version = Version();
  } catch (const Error& e) {
    if (e.kind() != ErrorKind::kBusy) {
      impl_->db->setBusyTimeout(impl_->busy_timeout_ms);
      throw;
    }
  }
  impl_->db->setBusyTimeout(impl_->busy_timeout_ms);
  return version;
}

}  // namespace focus
