#include "focus/store.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "focus/calendar_rules.h"
#include "focus/error.h"
#include "focus/local_time.h"
#include "focus/sql_connection.h"
#include "store_internal.h"

namespace focus {
namespace {

namespace fs = std::filesystem;
using store_internal::Translating;

// Rolls back an open transaction unless it was committed, whatever made the
// scope end. tryExec never throws: if SQLite already rolled back by itself
// (e.g. after SQLITE_FULL) the ROLLBACK fails harmlessly.
class TransactionGuard {
 public:
  TransactionGuard(SQLite::Database& db, const char* begin) : db_(db) {
    db_.exec(begin);
  }
  ~TransactionGuard() {
    if (!committed_) db_.tryExec("ROLLBACK");
  }
  TransactionGuard(const TransactionGuard&) = delete;
  TransactionGuard& operator=(const TransactionGuard&) = delete;

  void Commit() {
    db_.exec("COMMIT");
    committed_ = true;
  }

 private:
  SQLite::Database& db_;
  bool committed_ = false;
};

int UserVersion(SQLite::Database& db) {
  return db.execAndGet("PRAGMA user_version").getInt();
}

// ---------------------------------------------------------------------------
// Migrations. Each runs in its own IMMEDIATE transaction together with the
// user_version bump, so a crash leaves the database at one version or the
// next, never in between. Never edit a released migration: add a new one.

// v1: forums held, with the apologies of staff who could not come.
void CreateForumTables(SQLite::Database& db) {
  db.exec(R"sql(
    CREATE TABLE forums (
      id INTEGER PRIMARY KEY,
      plan_id TEXT,                    -- NULL for an ad hoc forum
      area TEXT NOT NULL,              -- area slug
      held_on TEXT NOT NULL,           -- YYYY-MM-DD
      format TEXT NOT NULL CHECK (format IN ('virtual', 'in-person')),
      title TEXT NOT NULL DEFAULT '',
      service_users INTEGER NOT NULL DEFAULT 0 CHECK (service_users >= 0),
      carers INTEGER NOT NULL DEFAULT 0 CHECK (carers >= 0),
      trust_staff INTEGER NOT NULL DEFAULT 0 CHECK (trust_staff >= 0),
      governors INTEGER NOT NULL DEFAULT 0 CHECK (governors >= 0),
      others INTEGER NOT NULL DEFAULT 0 CHECK (others >= 0),
      recorded_at TEXT NOT NULL,
      recorded_by TEXT NOT NULL
    );
    CREATE UNIQUE INDEX forums_plan_id ON forums (plan_id)
      WHERE plan_id IS NOT NULL;
    CREATE INDEX forums_held_on ON forums (held_on);

    CREATE TABLE forum_apologies (
      forum_id INTEGER NOT NULL REFERENCES forums (id),
      position INTEGER NOT NULL,
      who TEXT NOT NULL,
      PRIMARY KEY (forum_id, position)
    );
  )sql");
}

// v1: tickets and their themes.
void CreateTicketTables(SQLite::Database& db) {
  db.exec(R"sql(
    CREATE TABLE tickets (
      id INTEGER PRIMARY KEY,
      title TEXT NOT NULL,
      details TEXT NOT NULL DEFAULT '',
      area TEXT NOT NULL,
      team TEXT NOT NULL,
      state TEXT NOT NULL CHECK (state IN ('raised', 'sent-to-trust',
        'in-progress', 'waiting-for-forum', 'escalated', 'answered', 'closed',
        'declined', 'merged')),
      raised_on TEXT NOT NULL,
      forum_id INTEGER REFERENCES forums (id),
      raised_by INTEGER NOT NULL CHECK (raised_by >= 1),
      votes_total INTEGER NOT NULL CHECK (votes_total >= 0),
      sent_on TEXT,
      answer TEXT NOT NULL DEFAULT '',
      answered_by TEXT NOT NULL DEFAULT '',
      answered_on TEXT,
      decline_reason TEXT NOT NULL DEFAULT '',
      declined_on TEXT,
      merged_into INTEGER REFERENCES tickets (id),
      created_at TEXT NOT NULL
    );
    CREATE INDEX tickets_state ON tickets (state);
    CREATE INDEX tickets_area ON tickets (area);
    CREATE INDEX tickets_team ON tickets (team);
    CREATE INDEX tickets_forum ON tickets (forum_id);
    CREATE INDEX tickets_merged_into ON tickets (merged_into);

    CREATE TABLE ticket_themes (
      ticket_id INTEGER NOT NULL REFERENCES tickets (id),
      theme TEXT NOT NULL,
      position INTEGER NOT NULL,
      PRIMARY KEY (ticket_id, theme)
    );
    CREATE INDEX ticket_themes_theme ON ticket_themes (theme);
  )sql");
}

// v1: the votes added to tickets, at a forum or otherwise.
void CreateVoteTable(SQLite::Database& db) {
  db.exec(R"sql(
    CREATE TABLE votes (
      id INTEGER PRIMARY KEY,
      ticket_id INTEGER NOT NULL REFERENCES tickets (id),
      forum_id INTEGER REFERENCES forums (id),
      count INTEGER NOT NULL CHECK (count >= 1),
      note TEXT NOT NULL DEFAULT '',
      at TEXT NOT NULL,
      actor TEXT NOT NULL
    );
    CREATE INDEX votes_ticket ON votes (ticket_id);
    CREATE INDEX votes_forum ON votes (forum_id);
  )sql");
}

// v1: the history of every change to a ticket.
void CreateHistoryTable(SQLite::Database& db) {
  db.exec(R"sql(
    CREATE TABLE history (
      id INTEGER PRIMARY KEY,
      ticket_id INTEGER NOT NULL REFERENCES tickets (id),
      at TEXT NOT NULL,
      actor TEXT NOT NULL,
      field TEXT NOT NULL,
      old_value TEXT NOT NULL DEFAULT '',
      new_value TEXT NOT NULL DEFAULT '',
      note TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX history_ticket ON history (ticket_id);

    -- The audit trail is the point of the board: not even a hand-written
    -- UPDATE or DELETE may rewrite it.
    CREATE TRIGGER history_no_update BEFORE UPDATE ON history
    BEGIN
      SELECT RAISE(ABORT, 'the board history is append-only');
    END;
    CREATE TRIGGER history_no_delete BEFORE DELETE ON history
    BEGIN
      SELECT RAISE(ABORT, 'the board history is append-only');
    END;
  )sql");
}

// v1: the base tables.
void MigrateTo1(SQLite::Database& db) {
  CreateForumTables(db);
  CreateTicketTables(db);
  CreateVoteTable(db);
  CreateHistoryTable(db);
}

// v2: the response-time clock pause, denormalised onto the ticket so an SLA
// report over many tickets need not replay every history, and indexes for
// the SLA scan and the "most voted" view. Tickets written by v1 get their
// pauses rebuilt from their history (bank holidays by rule: the store has no
// configuration; v1 never recorded pauses in a column, so nothing is lost).
void MigrateTo2(SQLite::Database& db) {
  db.exec(R"sql(
    ALTER TABLE tickets ADD COLUMN paused_working_days INTEGER NOT NULL
      DEFAULT 0 CHECK (paused_working_days >= 0);
    ALTER TABLE tickets ADD COLUMN paused_since TEXT;
    CREATE INDEX tickets_open_by_raised ON tickets (raised_on)
      WHERE state NOT IN ('closed', 'declined', 'merged');
    CREATE INDEX tickets_by_votes ON tickets (votes_total DESC, id);
  )sql");

  // Replay each ticket's state changes, oldest first.
  HolidayCalendar holidays;
  struct Pause {
    std::optional<Date> since;
    int days = 0;
  };
  std::map<int64_t, Pause> pauses;
  SQLite::Statement q(db,
                      "SELECT ticket_id, substr(at, 1, 10), old_value, "
                      "new_value FROM history WHERE field = 'state' "
                      "ORDER BY ticket_id, id");
  while (q.executeStep()) {
    int64_t id = q.getColumn(0).getInt64();
    std::optional<Date> on = ParseIsoDate(q.getColumn(1).getString());
    if (!on) continue;
    Pause& p = pauses[id];
    if (q.getColumn(3).getString() == "waiting-for-forum") {
      if (!p.since) p.since = on;
    } else if (p.since) {
      p.days += holidays.WorkingDaysBetween(*p.since, *on);
      p.since.reset();
    }
  }
  // An open pause only counts if the ticket is still waiting.
  SQLite::Statement update(db,
                           "UPDATE tickets SET paused_working_days = ?1, "
                           "paused_since = CASE WHEN state = "
                           "'waiting-for-forum' THEN ?2 END WHERE id = ?3");
  for (const auto& [id, p] : pauses) {
    if (p.days == 0 && !p.since) continue;
    update.bind(1, p.days);
    if (p.since) {
      update.bind(2, FormatIsoDate(*p.since));
    } else {
      update.bind(2);
    }
    update.bind(3, id);
    update.exec();
    update.reset();
  }
}

// v3: accounts for the web server (issue 5). Passwords are stored only as
// libsodium Argon2id strings (algorithm, parameters and salt included).
// Accounts are disabled, never deleted: ticket history names them.
void MigrateTo3(SQLite::Database& db) {
  db.exec(R"sql(
    CREATE TABLE accounts (
      id INTEGER PRIMARY KEY,
      name TEXT NOT NULL COLLATE NOCASE UNIQUE,
      role TEXT NOT NULL CHECK (role IN ('coordinator', 'facilitator',
        'responder', 'editor')),
      team TEXT NOT NULL DEFAULT '',   -- responders only
      password_hash TEXT NOT NULL,
      disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
      created_at TEXT NOT NULL,
      created_by TEXT NOT NULL,
      disabled_at TEXT,
      disabled_by TEXT
    );
  )sql");
}

// v4: the history by time, for the board as it stood at the end of a day
// (Board::AsOf reads only what was recorded after it).
void MigrateTo4(SQLite::Database& db) {
  db.exec("CREATE INDEX history_at ON history (at)");
}

// v5: the forums' verdicts on published answers (issue 18), append-only
// like the history, and the day a disputed verdict sent a ticket back to
// the Trust (its answer clock restarts there).
void MigrateTo5(SQLite::Database& db) {
  db.exec(R"sql(
    CREATE TABLE verdicts (
      id INTEGER PRIMARY KEY,
      ticket_id INTEGER NOT NULL REFERENCES tickets (id),
      forum_id INTEGER NOT NULL REFERENCES forums (id),
      verdict TEXT NOT NULL CHECK (verdict IN ('confirmed', 'not-yet',
        'disputed')),
      note TEXT NOT NULL DEFAULT '',
      answered_on TEXT NOT NULL,       -- the answer it is about
      at TEXT NOT NULL,
      actor TEXT NOT NULL
    );
    CREATE INDEX verdicts_ticket ON verdicts (ticket_id);
    CREATE TRIGGER verdicts_no_update BEFORE UPDATE ON verdicts
    BEGIN
      SELECT RAISE(ABORT, 'the forums'' verdicts are append-only');
    END;
    CREATE TRIGGER verdicts_no_delete BEFORE DELETE ON verdicts
    BEGIN
      SELECT RAISE(ABORT, 'the forums'' verdicts are append-only');
    END;
    ALTER TABLE tickets ADD COLUMN reopened_on TEXT;
  )sql");
}

// v6: reminders sent by `focus notify` (issue 18): one row per attempt, so
// a digest is sent at most once a day and a failed one is tried again; and
// which tickets each delivered digest listed, so a ticket is "new" to its
// team only until a digest has told the team about it.
void MigrateTo6(SQLite::Database& db) {
  db.exec(R"sql(
    CREATE TABLE reminders (
      id INTEGER PRIMARY KEY,
      day TEXT NOT NULL,                -- YYYY-MM-DD (London) it is for
      kind TEXT NOT NULL CHECK (kind IN ('team', 'escalation')),
      team TEXT NOT NULL DEFAULT '',    -- '' for an escalation
      recipient TEXT NOT NULL,
      subject TEXT NOT NULL,
      -- nothing-left: a failed reminder that needs no retry, as a later
      -- run had nothing to remind that recipient of.
      status TEXT NOT NULL CHECK (status IN ('sent', 'failed',
        'nothing-left')),
      error TEXT NOT NULL DEFAULT '',
      at TEXT NOT NULL                  -- UTC of the attempt
    );
    CREATE UNIQUE INDEX reminders_sent_once ON reminders (day, kind, team)
      WHERE status = 'sent';
    CREATE INDEX reminders_team ON reminders (kind, team, id);
    CREATE TABLE reminder_tickets (
      reminder_id INTEGER NOT NULL REFERENCES reminders (id),
      ticket_id INTEGER NOT NULL REFERENCES tickets (id),
      PRIMARY KEY (reminder_id, ticket_id)
    );
    CREATE INDEX reminder_tickets_ticket ON reminder_tickets (ticket_id);
  )sql");
}

// v7: what `focus serve` processes share, so a restart keeps everyone
// signed in and two servers on one board agree: sessions (only a hash of
// each cookie's token is kept, so the database holds no usable secret) and
// the events that rate limits count (sign-in failures, public votes).
void MigrateTo7(SQLite::Database& db) {
  db.exec(R"sql(
    CREATE TABLE web_sessions (
      token_hash TEXT PRIMARY KEY,      -- BLAKE2b-256 of the token, in hex
      account TEXT NOT NULL,
      expires INTEGER NOT NULL          -- Unix time
    );
    CREATE INDEX web_sessions_expires ON web_sessions (expires);
    CREATE TABLE rate_events (
      id INTEGER PRIMARY KEY,
      subject TEXT NOT NULL,            -- what is limited, e.g. an address
      at INTEGER NOT NULL,              -- Unix time
      keep_until INTEGER NOT NULL       -- no window counts it after this
    );
    CREATE INDEX rate_events_subject ON rate_events (subject, at);
    CREATE INDEX rate_events_keep ON rate_events (keep_until);
  )sql");
}

struct Migration {
  int version;
  void (*apply)(SQLite::Database&);
};

const std::vector<Migration>& Migrations() {
  static const std::vector<Migration> kMigrations = {
      {1, MigrateTo1}, {2, MigrateTo2}, {3, MigrateTo3}, {4, MigrateTo4},
      {5, MigrateTo5}, {6, MigrateTo6}, {7, MigrateTo7},
  };
  return kMigrations;
}

[[noreturn]] void ThrowNoDatabase(const std::string& path) {
  throw Error(ErrorKind::kInvalidInput, path + ": no board database here", "",
              Remedy::kCreateBoard);
}

// Switches a connection to the write-ahead log and returns the journal mode
// now in force. Two processes creating the file at once can both hold a read
// lock while each asks for the exclusive lock the switch needs; SQLite then
// answers SQLITE_BUSY at once instead of calling the busy handler (waiting
// could deadlock). One of them has let go by the next try, so try again,
// about once a millisecond, for up to the busy timeout.
std::string UseWriteAheadLog(Connection& db, int busy_timeout_ms) {
  for (int tries = 0;; ++tries) {
    try {
      return db.execAndGet("PRAGMA journal_mode = WAL").getString();
    } catch (const SQLite::Exception& e) {
      if (e.getErrorCode() != SQLITE_BUSY || tries >= busy_timeout_ms) throw;
      sqlite3_sleep(1);
    }
  }
}

// Opens the file with the connection settings every focus process uses.
std::unique_ptr<Connection> OpenDatabase(const std::string& path,
                                         const StoreOptions& options) {
  std::error_code ec;
  bool exists = fs::exists(path, ec);
  if (!ec && !exists && !options.create_if_missing) {
    ThrowNoDatabase(path);
  }
  if (!ec && !exists) {
    // SQLite would only say "unable to open database file".
    fs::path parent = fs::path(path).parent_path();
    if (!parent.empty() && !fs::is_directory(parent, ec)) {
      ThrowIo(path + ": cannot create the board database: the folder " +
              parent.string() + " does not exist");
    }
  }
  int flags = SQLite::OPEN_READWRITE;
  if (options.create_if_missing) flags |= SQLite::OPEN_CREATE;
  std::unique_ptr<Connection> db;
  Translating(path, "cannot open the board database", [&] {
    db = std::make_unique<Connection>(path, flags, options.busy_timeout_ms);
  });
  Translating(path, "cannot set up the board database", [&] {
    // foreign_keys is per connection and a no-op inside a transaction.
    db->exec("PRAGMA foreign_keys = ON");
    std::string mode = UseWriteAheadLog(*db, options.busy_timeout_ms);
    std::transform(mode.begin(), mode.end(), mode.begin(),
                   [](unsigned char c) { return std::tolower(c); });
    if (mode != "wal") {
      ThrowIo(path +
              ": cannot use the write-ahead log here (journal mode stayed '" +
              mode + "'); put the database on a local disk");
    }
    // FULL: an acknowledged commit survives power loss, not only a crash.
    db->exec("PRAGMA synchronous = FULL");
  });
  return db;
}

std::string NewerMessage(const std::string& path, int version) {
  return path + ": schema version " + std::to_string(version) +
         " is newer than this focus understands (" +
         std::to_string(CurrentSchemaVersion()) + "); upgrade focus";
}

// The schema version, and whether the file holds any table, as of one
// snapshot (another process may be creating the schema meanwhile).
std::pair<int, bool> VersionAndTables(SQLite::Database& db) {
  int version = UserVersion(db);
  bool tables = db.execAndGet(
                      "SELECT count(*) FROM sqlite_master WHERE name NOT "
                      "LIKE 'sqlite_%'")
                    .getInt() > 0;
  return {version, tables};
}

// Version 0 is an empty file, or someone else's SQLite database: never
// build the board's tables beside another application's.
void CheckNotForeign(const std::string& path, int version, bool tables) {
  if (version == 0 && tables) {
    ThrowInvalid(path + ": this SQLite database is not a focus board database");
  }
}

// Brings `db` up to `target`, one migration per transaction. Two processes
// opening an old (or new, empty) database at once are safe: each migration
// re-reads the version under the write lock and skips what the other
// already applied.
void Migrate(SQLite::Database& db, const std::string& path, int target,
             bool create_if_missing) {
  Translating(path, "cannot upgrade the board database", [&] {
    int current = 0;
    {
      TransactionGuard tx(db, "BEGIN");
      auto [version, tables] = VersionAndTables(db);
      tx.Commit();
      current = version;
      if (current > CurrentSchemaVersion()) {
        ThrowInvalid(NewerMessage(path, current));
      }
      CheckNotForeign(path, current, tables);
      if (current == 0 && !create_if_missing) {
        ThrowNoDatabase(path);
      }
    }
    for (const Migration& m : Migrations()) {
      if (m.version > target) break;
      if (m.version <= current) continue;
      TransactionGuard tx(db, "BEGIN IMMEDIATE");
      auto [version, tables] = VersionAndTables(db);
      current = version;
      if (current > CurrentSchemaVersion()) {
        ThrowInvalid(NewerMessage(path, current));
      }
      CheckNotForeign(path, current, tables);
      if (m.version <= current) continue;  // Another process did it.
      if (current != m.version - 1) {
        ThrowIo(path + ": schema version " + std::to_string(current) +
                " cannot be upgraded to " + std::to_string(m.version));
      }
      m.apply(db);
      db.exec("PRAGMA user_version = " + std::to_string(m.version));
      tx.Commit();
      current = m.version;
    }
  });
}

}  // namespace

int CurrentSchemaVersion() { return Migrations().back().version; }

Store::Store(const std::string& path, const StoreOptions& options)
    : path_(path), db_(OpenDatabase(path, options)) {
  Migrate(*db_, path_, CurrentSchemaVersion(), options.create_if_missing);
}

Store::~Store() = default;

int Store::schema_version() const {
  return Translating(path_, "cannot read the schema version",
                     [&] { return UserVersion(*db_); });
}

void Store::WriteTransaction(const std::function<void(Connection&)>& body) {
  Translating(path_, "cannot save the change", [&] {
    // IMMEDIATE takes the write lock up front, where the busy timeout
    // applies; a deferred transaction that upgrades later fails at once.
    TransactionGuard tx(*db_, "BEGIN IMMEDIATE");
    body(*db_);
    tx.Commit();
  });
}

void Store::Read(const std::function<void(Connection&)>& body) const {
  Translating(path_, "cannot read the board database", [&] {
    // One read transaction: every query in `body` sees the same snapshot.
    TransactionGuard tx(*db_, "BEGIN");
    body(*db_);
    tx.Commit();
  });
}

void Store::CreateAtVersion(const std::string& path, int version) {
  if (version < 1 || version > CurrentSchemaVersion()) {
    ThrowInvalid("schema version " + std::to_string(version) +
                 " does not exist (1.." +
                 std::to_string(CurrentSchemaVersion()) + ")");
  }
  StoreOptions options;
  options.create_if_missing = true;
  std::unique_ptr<Connection> db = OpenDatabase(path, options);
  Migrate(*db, path, version, /*create_if_missing=*/true);
}

}  // namespace focus
