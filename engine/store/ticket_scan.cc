// Reads through SQLite's C API: over a million tickets, SQLiteCpp's
// per-column objects would cost more than the rest of the work.
#include "focus/ticket_scan.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "focus/sql_connection.h"

namespace focus {
namespace {

// A statement through SQLite's C API. Failures throw SQLite::Exception,
// which Store translates like any other.
class RawQuery {
 public:
  RawQuery(sqlite3* db, const char* sql) : db_(db) {
    const int rc = sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr);
    if (rc != SQLITE_OK) throw SQLite::Exception(db, rc);
  }
  ~RawQuery() { sqlite3_finalize(stmt_); }
  RawQuery(const RawQuery&) = delete;
  RawQuery& operator=(const RawQuery&) = delete;

  bool Step() {
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    throw SQLite::Exception(db_, rc);
  }
  int64_t Int(int column) const { return sqlite3_column_int64(stmt_, column); }
  // The column as text, or nullopt if NULL; valid until the next Step().
  //
  // Read through sqlite3_column_value(): each sqlite3_column_* call checks
  // the statement and enters and leaves the connection's mutex, and a text
  // column needs two of them (text, bytes); the sqlite3_value_* calls on the
  // value skip that, which saves a tenth of a million-ticket scan. The value
  // is "unprotected", which matters only if another thread used the
  // connection at the same time: the scans use a private one.
  std::optional<std::string_view> TextOrNull(int column) const {
    sqlite3_value* v = sqlite3_column_value(stmt_, column);
    const char* p = reinterpret_cast<const char*>(sqlite3_value_text(v));
    if (p == nullptr) return std::nullopt;
    return std::string_view(p, static_cast<size_t>(sqlite3_value_bytes(v)));
  }
  bool IsNull(int column) const {
    return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
  }
  // NULL reads as "", as SQLiteCpp's getString() does.
  std::string_view Text(int column) const {
    return TextOrNull(column).value_or(std::string_view());
  }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

// A reader waits for a writer only while the write-ahead log is being
// recovered; as long as the store's default for writers.
constexpr int kScanBusyTimeoutMs = 30000;

// A private read-only connection for a scan, in a read transaction, without
// SQLite's lock around every call (the store's connection is in serialized
// mode, which costs a fifth of a million-ticket scan). Its snapshot is taken
// by its first read.
std::unique_ptr<Connection> OpenScanConnection(const std::string& path) {
  auto db = std::make_unique<Connection>(
      path, SQLite::OPEN_READONLY | SQLITE_OPEN_NOMUTEX, kScanBusyTimeoutMs);
  // Mapped rather than copied page by page into SQLite's cache: the scan
  // reads each table once.
  db->exec("PRAGMA mmap_size = 2147418112");
  db->exec("BEGIN");
  return db;
}

}  // namespace

struct TicketScan::Impl {
  std::unique_ptr<Connection> tickets_db;
  std::unique_ptr<RawQuery> tickets;
  bool first_ticket = true;  // `tickets` is on its first row, if any.
  bool any_ticket = false;
  std::unique_ptr<Connection> themes_db;
  std::unique_ptr<RawQuery> themes;
  bool first_theme = true;
  bool any_theme = false;
};

TicketScan::TicketScan(Connection& db) : impl_(std::make_unique<Impl>()) {
  const std::string path = db.getFilename();
  impl_->tickets_db = OpenScanConnection(path);
  impl_->tickets = std::make_unique<RawQuery>(
      impl_->tickets_db->getHandle(),
      "SELECT id, area, team, state, raised_on, sent_on, answered_on, "
      "declined_on, merged_into, paused_working_days, paused_since, "
      "reopened_on FROM tickets WHERE state <> 'merged' ORDER BY id");
  // The first step takes the tickets' snapshot, before the themes'. The
  // themes come from the primary key's index, which holds both columns.
  impl_->any_ticket = impl_->tickets->Step();
  impl_->themes_db = OpenScanConnection(path);
  impl_->themes = std::make_unique<RawQuery>(
      impl_->themes_db->getHandle(),
      "SELECT ticket_id, theme FROM ticket_themes ORDER BY ticket_id");
  impl_->any_theme = impl_->themes->Step();
}

TicketScan::~TicketScan() = default;

bool TicketScan::NextTicket(ScannedTicket* t) {
  RawQuery& q = *impl_->tickets;
  if (impl_->first_ticket) {
    impl_->first_ticket = false;
    if (!impl_->any_ticket) return false;
  } else if (!q.Step()) {
    return false;
  }
  t->id = q.Int(0);
  t->area = q.Text(1);
  t->team = q.Text(2);
  t->state = q.Text(3);
  t->raised_on = q.TextOrNull(4);
  t->sent_on = q.TextOrNull(5);
  t->answered_on = q.TextOrNull(6);
  t->declined_on = q.TextOrNull(7);
  t->merged_into =
      q.IsNull(8) ? std::nullopt : std::optional<int64_t>(q.Int(8));
  t->paused_working_days = q.Int(9);
  t->paused_since = q.TextOrNull(10);
  t->reopened_on = q.TextOrNull(11);
  return true;
}

bool TicketScan::NextTheme(int64_t* ticket, std::string_view* theme) {
  RawQuery& q = *impl_->themes;
  if (impl_->first_theme) {
    impl_->first_theme = false;
    if (!impl_->any_theme) return false;
  } else if (!q.Step()) {
    return false;
  }
  *ticket = q.Int(0);
  *theme = q.Text(1);
  return true;
}

std::vector<TicketRow> TicketScan::SelectByIds(
    const std::vector<int64_t>& ids) {
  TicketQuery query;
  query.ids = ids;
  return TicketsRepository(*impl_->tickets_db).Select(query);
}

void TicketScan::Finish() {
  impl_->themes.reset();
  impl_->tickets.reset();
  impl_->themes_db->exec("COMMIT");
  impl_->tickets_db->exec("COMMIT");
}

}  // namespace focus
