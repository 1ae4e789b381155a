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

#include "sql_backend.h"
#include "sqlite_connection.h"

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
std::unique_ptr<SqliteConnection> OpenScanConnection(const std::string& path) {
  auto db = std::make_unique<SqliteConnection>(
      path, SQLite::OPEN_READONLY | SQLITE_OPEN_NOMUTEX, kScanBusyTimeoutMs);
  // Mapped rather than copied page by page into SQLite's cache: the scan
  // reads each table once.
  db->exec("PRAGMA mmap_size = 2147418112");
  db->exec("BEGIN");
  return db;
}

// The same reads on PostgreSQL: the rows of the store's own snapshot,
// each streamed on a connection and thread of its own (StreamPostgres), so
// the server makes both while the report reads them.
class SeamQuery {
 public:
  SeamQuery(Connection& db, const char* sql)
      : q_(store_internal::StreamPostgres(db, sql)) {}
  bool Step() { return q_->Step(); }
  int64_t Int(int column) const { return q_->Int(column); }
  std::optional<std::string_view> TextOrNull(int column) const {
    return q_->View(column);
  }
  bool IsNull(int column) const { return q_->IsNull(column); }
  std::string_view Text(int column) const {
    return TextOrNull(column).value_or(std::string_view());
  }

 private:
  std::unique_ptr<store_internal::SqlQuery> q_;
};

constexpr const char* kTicketsSql =
    "SELECT id, area, team, state, raised_on, sent_on, answered_on, "
    "declined_on, merged_into, paused_working_days, paused_since, "
    "reopened_on FROM tickets WHERE state <> 'merged' ORDER BY id";
// The themes come from the primary key's index, which holds both columns.
constexpr const char* kThemesSql =
    "SELECT ticket_id, theme FROM ticket_themes ORDER BY ticket_id";

template <typename Query>
void ReadTicket(const Query& q, ScannedTicket* t) {
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
}

}  // namespace

// On SQLite the raw cursors; on PostgreSQL streams in `db`'s snapshot.
struct TicketScan::Impl {
  std::unique_ptr<SqliteConnection> tickets_db;
  std::unique_ptr<RawQuery> tickets;
  std::unique_ptr<SeamQuery> seam_tickets;
  bool first_ticket = true;  // `tickets` is on its first row, if any.
  bool any_ticket = false;
  std::unique_ptr<SqliteConnection> themes_db;
  std::unique_ptr<RawQuery> themes;
  std::unique_ptr<SeamQuery> seam_themes;
  bool first_theme = true;
  bool any_theme = false;
  Connection* db = nullptr;  // The store's, for SelectByIds on PostgreSQL.
};

TicketScan::TicketScan(Connection& db) : impl_(std::make_unique<Impl>()) {
  auto* sqlite = dynamic_cast<SqliteConnection*>(&db);
  if (sqlite == nullptr) {
    impl_->db = &db;
    // Both started before either is read: the server makes them at once.
    impl_->seam_tickets = std::make_unique<SeamQuery>(db, kTicketsSql);
    impl_->seam_themes = std::make_unique<SeamQuery>(db, kThemesSql);
    impl_->any_ticket = impl_->seam_tickets->Step();
    impl_->any_theme = impl_->seam_themes->Step();
    return;
  }
  const std::string path = sqlite->getFilename();
  impl_->tickets_db = OpenScanConnection(path);
  impl_->tickets =
      std::make_unique<RawQuery>(impl_->tickets_db->getHandle(), kTicketsSql);
  // The first step takes the tickets' snapshot, before the themes'.
  impl_->any_ticket = impl_->tickets->Step();
  impl_->themes_db = OpenScanConnection(path);
  impl_->themes =
      std::make_unique<RawQuery>(impl_->themes_db->getHandle(), kThemesSql);
  impl_->any_theme = impl_->themes->Step();
}

TicketScan::~TicketScan() = default;

namespace {

// Moves `q` to its next row: the first call keeps the row the constructor
// stepped to. False after the last.
template <typename Query>
bool Advance(Query& q, bool* first, bool any) {
  if (*first) {
    *first = false;
    return any;
  }
  return q.Step();
}

template <typename Query>
bool NextThemeOf(Query& q, bool* first, bool any, int64_t* ticket,
                 std::string_view* theme) {
  if (!Advance(q, first, any)) return false;
  *ticket = q.Int(0);
  *theme = q.Text(1);
  return true;
}

}  // namespace

bool TicketScan::NextTicket(ScannedTicket* t) {
  Impl& i = *impl_;
  if (i.seam_tickets) {
    if (!Advance(*i.seam_tickets, &i.first_ticket, i.any_ticket)) return false;
    ReadTicket(*i.seam_tickets, t);
    return true;
  }
  if (!Advance(*i.tickets, &i.first_ticket, i.any_ticket)) return false;
  ReadTicket(*i.tickets, t);
  return true;
}

bool TicketScan::NextTheme(int64_t* ticket, std::string_view* theme) {
  Impl& i = *impl_;
  if (i.seam_themes) {
    return NextThemeOf(*i.seam_themes, &i.first_theme, i.any_theme, ticket,
                       theme);
  }
  return NextThemeOf(*i.themes, &i.first_theme, i.any_theme, ticket, theme);
}

std::vector<TicketRow> TicketScan::SelectByIds(
    const std::vector<int64_t>& ids) {
  TicketQuery query;
  query.ids = ids;
  Connection& db = impl_->db != nullptr ? *impl_->db : *impl_->tickets_db;
  return TicketsRepository(db).Select(query);
}

void TicketScan::Finish() {
  impl_->seam_themes.reset();
  impl_->seam_tickets.reset();
  impl_->themes.reset();
  impl_->tickets.reset();
  if (impl_->db != nullptr) return;  // The store's transaction goes on.
  impl_->themes_db->exec("COMMIT");
  impl_->tickets_db->exec("COMMIT");
}

}  // namespace focus
