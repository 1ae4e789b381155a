// Change detection for the server's response cache.
#include <SQLiteCpp/SQLiteCpp.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "focus/store.h"
#include "store_internal.h"

namespace focus {

using store_internal::Translating;

struct ChangeWatcher::Impl {
  SQLite::Database db;
  // Prepared once: Version() runs on every cacheable request.
  SQLite::Statement version;
  const int busy_timeout_ms;

  Impl(const std::string& path, int busy_timeout)
      : db(path, SQLite::OPEN_READWRITE, busy_timeout),
        version(db, "PRAGMA data_version"),
        busy_timeout_ms(busy_timeout) {}
};

ChangeWatcher::ChangeWatcher(const std::string& path, int busy_timeout_ms)
    : path_(path) {
  Translating(path_, "cannot open the board database",
              [&] { impl_ = std::make_unique<Impl>(path_, busy_timeout_ms); });
}

ChangeWatcher::~ChangeWatcher() = default;

int64_t ChangeWatcher::Version() {
  return Translating(path_, "cannot read the board database", [&] {
    impl_->version.executeStep();
    const int64_t version = impl_->version.getColumn(0).getInt64();
    impl_->version.reset();  // Holds nothing open between calls.
    return version;
  });
}

std::optional<int64_t> ChangeWatcher::TryVersion() {
  impl_->db.setBusyTimeout(0);
  std::optional<int64_t> version;
  try {
    version = Version();
  } catch (const Error& e) {
    if (e.kind() != ErrorKind::kBusy) {
      impl_->db.setBusyTimeout(impl_->busy_timeout_ms);
      throw;
    }
  }
  impl_->db.setBusyTimeout(impl_->busy_timeout_ms);
  return version;
}

}  // namespace focus
