#include "focus/board.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <regex>
#include <set>
#include <string>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <variant>
#include <vector>

#include "focus/calendar_rules.h"
#include "focus/error.h"
#include "focus/rounds.h"
#include "focus/screening.h"
#include "focus/text.h"

namespace focus {
namespace {

constexpr std::pair<Verdict, const char*> kVerdicts[] = {
    {Verdict::kConfirmed, "confirmed"},
    {Verdict::kNotYet, "not-yet"},
    {Verdict::kDisputed, "disputed"},
};

// ---------------------------------------------------------------------------
// Small text helpers.

// User text inside a one-line message: control characters would break the
// line (and could fake another one), so they become spaces.
std::string Shown(const std::string& s) {
  std::string out = s;
  for (char& c : out) {
    if (static_cast<unsigned char>(c) < 0x20) c = ' ';
  }
  return out;
}

std::string TicketRef(int64_t id) { return "ticket #" + std::to_string(id); }

// ---------------------------------------------------------------------------
// Validation against the configuration.

std::string AreaList(const Config& config) {
  std::vector<std::string> slugs;
  for (const Area* a : config.Forums()) slugs.push_back(a->slug);
  return Join(slugs);
}

// Accepts "East Surrey", "east-surrey" or "east surrey"; returns the slug.
std::string ResolveArea(const Config& config, const std::string& given,
                        const char* what) {
  std::string name = Trim(given);
  if (name.empty()) {
    ThrowInvalid(
        std::string(what) + " needs an area (areas: " + AreaList(config) + ")",
        "area");
  }
  const Area* a = config.FindArea(name);
  if (a == nullptr) a = config.FindArea(Slugify(name));
  if (a == nullptr) {
    ThrowInvalid(
        "unknown area '" + Shown(given) + "' (areas: " + AreaList(config) + ")",
        "area");
  }
  return a->slug;
}

std::string ResolveTheme(const Config& config, const std::string& given) {
  std::optional<std::string> theme = MatchName(config.board.themes, given);
  if (!theme) {
    ThrowInvalid("unknown theme '" + Shown(given) +
                     "' (themes: " + Join(config.board.themes) + ")",
                 "themes");
  }
  return *theme;
}

std::string ResolveTeam(const Config& config, const std::string& given) {
  if (config.board.teams.empty()) {
    ThrowInvalid("no teams are configured: add board.teams to " +
                     (config.source.empty() ? std::string("the configuration")
                                            : config.source),
                 "team");
  }
  if (Trim(given).empty()) {
    ThrowInvalid("a ticket needs the Trust team it is for (teams: " +
                     Join(config.board.teams) + ")",
                 "team");
  }
  std::optional<std::string> team = MatchName(config.board.teams, given);
  if (!team) {
    ThrowInvalid("unknown team '" + Shown(given) +
                     "' (teams: " + Join(config.board.teams) + ")",
                 "team");
  }
  return *team;
}

// An identifier screen the facilitator overrode, for the history.
struct Override {
  std::string field;
  std::string kinds;  // "NHS number, phone number": never the text itself.
};

// Screens one free-text field; records what an override let through.
// A free-text field: its label in messages and the history, and its name in
// the API (Error::field).
struct TextField {
  const char* label;
  const char* name;
};
constexpr TextField kTitle{"title", "title"};
constexpr TextField kDetails{"details", "details"};
constexpr TextField kApologies{"apologies", "apologies"};
constexpr TextField kNote{"note", "note"};
constexpr TextField kReason{"reason", "reason"};
constexpr TextField kAnswerText{"answer", "text"};
constexpr TextField kAnsweredBy{"answered by", "answered_by"};

void Screen(const TextField& f, const std::string& text, size_t max,
            bool allow_identifiers, std::vector<Override>* overrides) {
  ScreenOptions options;
  options.max_chars = max;
  options.allow_identifiers = allow_identifiers;
  options.input_field = f.name;
  const std::string field = f.label;
  std::vector<IdentifierMatch> allowed = ScreenText(field, text, options);
  if (allowed.empty() || overrides == nullptr) return;
  std::vector<std::string> kinds;
  for (const IdentifierMatch& m : allowed) {
    if (std::find(kinds.begin(), kinds.end(), m.kind) == kinds.end()) {
      kinds.push_back(m.kind);
    }
  }
  overrides->push_back({field, Join(kinds)});
}

void CheckActor(const std::string& actor) {
  if (Trim(actor).empty()) {
    ThrowInvalid("every change needs to say who made it (the actor is empty)");
  }
}

// ---------------------------------------------------------------------------
// Reading rows.

using Value = std::variant<int64_t, std::string>;

struct SqlWhere {
  std::vector<std::string> terms;  // ANDed; each may use `t.` for tickets.
  std::vector<Value> binds;        // In the order the `?` appear.

  std::string Sql() const {
    if (terms.empty()) return "1";
    std::string out;
    for (const std::string& t : terms) {
      if (!out.empty()) out += " AND ";
      out += "(" + t + ")";
    }
    return out;
  }
  void BindTo(SQLite::Statement& q, int first = 1) const {
    int i = first;
    for (const Value& v : binds) {
      if (const auto* n = std::get_if<int64_t>(&v)) {
        q.bind(i++, *n);
      } else {
        q.bind(i++, std::get<std::string>(v));
      }
    }
  }
};

// A stored date; a malformed one means the file was edited by hand or is
// damaged, which is an I/O problem, not the user's input.
Date StoredDate(const std::string& text, int64_t row, const char* what) {
  std::optional<Date> d = ParseIsoDate(text);
  if (!d) {
    ThrowIo("the board database is damaged: " + std::string(what) + " of #" +
            std::to_string(row) + " is '" + Shown(text) + "', not a date");
  }
  return *d;
}

Date DateColumn(const SQLite::Column& c, int64_t row, const char* what) {
  return StoredDate(c.getString(), row, what);
}

std::optional<Date> OptionalDate(const SQLite::Column& c, int64_t row,
                                 const char* what) {
  if (c.isNull()) return std::nullopt;
  return DateColumn(c, row, what);
}

std::optional<int64_t> OptionalId(const SQLite::Column& c) {
  if (c.isNull()) return std::nullopt;
  return c.getInt64();
}

TicketState StoredState(const std::string& text, int64_t row) {
  std::optional<TicketState> s = ParseTicketState(text);
  if (!s) {
    ThrowIo("the board database is damaged: ticket #" + std::to_string(row) +
            " has the unknown state '" + Shown(text) + "'");
  }
  return *s;
}

TicketState StateColumn(const SQLite::Column& c, int64_t row) {
  return StoredState(c.getString(), row);
}

constexpr const char* kTicketColumns =
    "t.id, t.title, t.details, t.area, t.team, t.state, t.raised_on, "
    "t.forum_id, t.raised_by, t.votes_total, t.sent_on, t.answer, "
    "t.answered_by, t.answered_on, t.decline_reason, t.declined_on, "
    "t.merged_into, t.paused_working_days, t.paused_since, t.reopened_on";

// The statement `sql`, with `where`'s values bound.
PreparedStatement Select(Connection& db, const SqlWhere& where,
                         const std::string& sql) {
  PreparedStatement p = db.Prepare(sql);
  where.BindTo(*p);
  return p;
}

// The tickets `where` selects, in four queries whatever their number
// (tickets, themes, forums voted at, forums of merged repeats): the SLA
// report lists every ticket. Sorting and de-duplicating happen here rather
// than in SQL, where they cost more than the queries themselves.
std::vector<Ticket> LoadTickets(Connection& db, const SqlWhere& where,
                                bool by_votes) {
  std::vector<Ticket> tickets;
  std::unordered_map<int64_t, size_t> index;
  {
    PreparedStatement p =
        Select(db, where,
               std::string("SELECT ") + kTicketColumns +
                   " FROM tickets t WHERE " + where.Sql() +
                   (by_votes ? " ORDER BY t.votes_total DESC, t.id"
                             : " ORDER BY t.id"));
    SQLite::Statement& q = *p;
    while (q.executeStep()) {
      Ticket t;
      t.id = q.getColumn(0).getInt64();
      t.title = q.getColumn(1).getString();
      t.details = q.getColumn(2).getString();
      t.area = q.getColumn(3).getString();
      t.team = q.getColumn(4).getString();
      t.state = StateColumn(q.getColumn(5), t.id);
      t.raised_on = DateColumn(q.getColumn(6), t.id, "raised_on");
      t.forum_id = OptionalId(q.getColumn(7));
      t.raised_by = q.getColumn(8).getInt();
      t.votes = q.getColumn(9).getInt();
      t.sent_on = OptionalDate(q.getColumn(10), t.id, "sent_on");
      t.answer = q.getColumn(11).getString();
      t.answered_by = q.getColumn(12).getString();
      t.answered_on = OptionalDate(q.getColumn(13), t.id, "answered_on");
      t.decline_reason = q.getColumn(14).getString();
      t.declined_on = OptionalDate(q.getColumn(15), t.id, "declined_on");
      t.merged_into = OptionalId(q.getColumn(16));
      t.paused_working_days = q.getColumn(17).getInt();
      t.paused_since = OptionalDate(q.getColumn(18), t.id, "paused_since");
      t.reopened_on = OptionalDate(q.getColumn(19), t.id, "reopened_on");
      if (t.forum_id) t.forum_ids.push_back(*t.forum_id);
      index.emplace(t.id, tickets.size());
      tickets.push_back(std::move(t));
    }
  }
  if (tickets.empty()) return tickets;
  auto find = [&](const SQLite::Column& id) -> Ticket* {
    auto it = index.find(id.getInt64());
    return it == index.end() ? nullptr : &tickets[it->second];
  };
  {
    // Themes in the order they were given: `position` is 0, 1, 2, ...
    PreparedStatement p =
        Select(db, where,
               "SELECT tt.ticket_id, tt.position, tt.theme FROM "
               "ticket_themes tt JOIN tickets t ON t.id = "
               "tt.ticket_id WHERE " +
                   where.Sql());
    SQLite::Statement& q = *p;
    while (q.executeStep()) {
      Ticket* t = find(q.getColumn(0));
      int64_t position = q.getColumn(1).getInt64();
      if (t == nullptr || position < 0 || position > 1000) continue;
      if (t->themes.size() <= static_cast<size_t>(position)) {
        t->themes.resize(position + 1);
      }
      t->themes[position] = q.getColumn(2).getString();
    }
  }
  // Rows of (ticket id, forum id): a forum that raised or voted for it.
  auto add_forums = [&](SQLite::Statement& q) {
    while (q.executeStep()) {
      if (Ticket* t = find(q.getColumn(0))) {
        t->forum_ids.push_back(q.getColumn(1).getInt64());
      }
    }
  };
  {
    // Forums that voted for the ticket itself.
    PreparedStatement p =
        Select(db, where,
               "SELECT v.ticket_id, v.forum_id FROM votes v JOIN "
               "tickets t ON t.id = v.ticket_id WHERE v.forum_id IS "
               "NOT NULL AND " +
                   where.Sql());
    add_forums(*p);
  }
  {
    // Forums that raised or voted for tickets merged into it, however deep
    // the chain of merges. Seeded only by tickets that have repeats.
    PreparedStatement p =
        Select(db, where,
               "WITH RECURSIVE fam(root, id) AS ("
               "  SELECT t.id, m.id FROM tickets t"
               "    JOIN tickets m ON m.merged_into = t.id WHERE " +
                   where.Sql() +
                   "  UNION ALL"
                   "  SELECT fam.root, m.id FROM tickets m"
                   "    JOIN fam ON m.merged_into = fam.id)"
                   " SELECT fam.root, x.forum_id FROM fam JOIN tickets x"
                   "   ON x.id = fam.id WHERE x.forum_id IS NOT NULL"
                   " UNION ALL"
                   " SELECT fam.root, v.forum_id FROM fam JOIN votes v"
                   "   ON v.ticket_id = fam.id WHERE v.forum_id IS NOT NULL");
    add_forums(*p);
  }
  {
    // The forums' verdicts, oldest first.
    PreparedStatement p =
        Select(db, where,
               "SELECT v.ticket_id, v.id, v.forum_id, f.area, "
               "f.held_on, v.verdict, v.note, v.answered_on FROM "
               "verdicts v JOIN forums f ON f.id = v.forum_id JOIN "
               "tickets t ON t.id = v.ticket_id WHERE " +
                   where.Sql() + " ORDER BY v.id");
    SQLite::Statement& q = *p;
    while (q.executeStep()) {
      Ticket* t = find(q.getColumn(0));
      if (t == nullptr) continue;
      ForumVerdict v;
      v.id = q.getColumn(1).getInt64();
      v.forum_id = q.getColumn(2).getInt64();
      v.area = q.getColumn(3).getString();
      v.held_on = DateColumn(q.getColumn(4), v.forum_id, "held_on of forum");
      std::optional<Verdict> verdict = ParseVerdict(q.getColumn(5).getString());
      if (!verdict) {
        ThrowIo("the board database is damaged: verdict #" +
                std::to_string(v.id) + " is '" +
                Shown(q.getColumn(5).getString()) + "'");
      }
      v.verdict = *verdict;
      v.note = q.getColumn(6).getString();
      v.answered_on =
          DateColumn(q.getColumn(7), v.id, "answered_on of verdict");
      t->verdicts.push_back(std::move(v));
    }
  }
  for (Ticket& t : tickets) {
    // A gap in positions (hand-edited data) leaves an empty slot.
    t.themes.erase(std::remove(t.themes.begin(), t.themes.end(), ""),
                   t.themes.end());
    if (t.forum_ids.size() > 1) {
      std::sort(t.forum_ids.begin(), t.forum_ids.end());
      t.forum_ids.erase(std::unique(t.forum_ids.begin(), t.forum_ids.end()),
                        t.forum_ids.end());
    }
  }
  return tickets;
}

// A statement through SQLite's C API, for scans over every ticket, where
// SQLiteCpp's per-column objects would cost more than the rest of the work.
// Failures throw SQLite::Exception, which Store translates like any other.
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

TicketState StoredState(std::string_view text, int64_t row) {
  // The names measured once, not on every row of a scan.
  static const std::vector<std::string_view> kNames = [] {
    std::vector<std::string_view> names;
    for (TicketState s : AllTicketStates()) {
      names.emplace_back(TicketStateName(s));
    }
    return names;
  }();
  for (size_t i = 0; i < kNames.size(); ++i) {
    if (text == kNames[i]) return AllTicketStates()[i];
  }
  return StoredState(std::string(text), row);  // Throws with the message.
}

// ---------------------------------------------------------------------------
// The board as it stood at the end of a day (Board::AsOf).

int StoredCount(const std::string& text, const Ticket& t, const char* what) {
  int n = 0;
  const auto [end, ec] =
      std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc() || end != text.data() + text.size() || n < 0) {
    ThrowIo("the board database is damaged: the history of #" +
            std::to_string(t.id) + " has " + what + " '" + Shown(text) +
            "', not a count");
  }
  return n;
}

std::optional<Date> StoredOptionalDate(const std::string& text, const Ticket& t,
                                       const char* what) {
  if (text.empty()) return std::nullopt;
  return StoredDate(text, t.id, what);
}

// Each history field that records a change of a ticket column, and how to
// put back the value an entry replaced. Other entries (created, merged,
// comment, screening-override) change no column.
struct UndoableField {
  const char* field;
  void (*undo)(Ticket& t, const std::string& old_value);
};

constexpr UndoableField kUndoable[] = {
    {"state",
     [](Ticket& t, const std::string& v) { t.state = StoredState(v, t.id); }},
    {"votes",
     [](Ticket& t, const std::string& v) {
       t.votes = StoredCount(v, t, "votes");
     }},
    {"merged-into",
     [](Ticket& t, const std::string& v) {
       t.merged_into =
           v.empty() ? std::nullopt
                     : std::optional<int64_t>(StoredCount(v, t, "merged into"));
     }},
    {"sent-on",
     [](Ticket& t, const std::string& v) {
       t.sent_on = StoredOptionalDate(v, t, "sent_on");
     }},
    {"answer", [](Ticket& t, const std::string& v) { t.answer = v; }},
    {"answered-by", [](Ticket& t, const std::string& v) { t.answered_by = v; }},
    {"answered-on",
     [](Ticket& t, const std::string& v) {
       t.answered_on = StoredOptionalDate(v, t, "answered_on");
     }},
    {"decline-reason",
     [](Ticket& t, const std::string& v) { t.decline_reason = v; }},
    {"declined-on",
     [](Ticket& t, const std::string& v) {
       t.declined_on = StoredOptionalDate(v, t, "declined_on");
     }},
    {"paused-working-days",
     [](Ticket& t, const std::string& v) {
       t.paused_working_days = StoredCount(v, t, "paused working days");
     }},
    {"paused-since",
     [](Ticket& t, const std::string& v) {
       t.paused_since = StoredOptionalDate(v, t, "paused_since");
     }},
    {"reopened-on",
     [](Ticket& t, const std::string& v) {
       t.reopened_on = StoredOptionalDate(v, t, "reopened_on");
     }},
};

const UndoableField* FindUndoable(const std::string& field) {
  for (const UndoableField& f : kUndoable) {
    if (field == f.field) return &f;
  }
  return nullptr;
}

// Undoes, field by field, the changes recorded at or after `cutoff`: the
// first such entry of a field holds the value the field had before them.
void UndoChangesFrom(SQLite::Database& db, const std::string& cutoff,
                     std::vector<Ticket>& tickets,
                     const std::unordered_map<int64_t, size_t>& index) {
  SQLite::Statement q(db,
                      "SELECT ticket_id, field, old_value FROM history WHERE "
                      "at >= ? ORDER BY id");
  q.bind(1, cutoff);
  std::set<std::pair<int64_t, const UndoableField*>> undone;
  while (q.executeStep()) {
    auto it = index.find(q.getColumn(0).getInt64());
    if (it == index.end()) continue;  // Created after the cutoff.
    const UndoableField* f = FindUndoable(q.getColumn(1).getString());
    if (f == nullptr || !undone.emplace(it->first, f).second) continue;
    f->undo(tickets[it->second], q.getColumn(2).getString());
  }
}

// Drops the verdicts recorded at or after `cutoff`.
void DropVerdictsFrom(SQLite::Database& db, const std::string& cutoff,
                      std::vector<Ticket>& tickets,
                      const std::unordered_map<int64_t, size_t>& index) {
  SQLite::Statement q(db, "SELECT ticket_id, id FROM verdicts WHERE at >= ?");
  q.bind(1, cutoff);
  while (q.executeStep()) {
    auto it = index.find(q.getColumn(0).getInt64());
    if (it == index.end()) continue;
    std::vector<ForumVerdict>& v = tickets[it->second].verdicts;
    const int64_t id = q.getColumn(1).getInt64();
    v.erase(std::remove_if(v.begin(), v.end(),
                           [&](const ForumVerdict& x) { return x.id == id; }),
            v.end());
  }
}

// The forums that raised or voted for each ticket by `cutoff`, those of its
// merged repeats (as merged by then) included, as LoadTickets gathers them
// for today.
void GatherForumsBefore(SQLite::Database& db, const std::string& cutoff,
                        std::vector<Ticket>& tickets,
                        const std::unordered_map<int64_t, size_t>& index) {
  std::vector<std::vector<int64_t>> own(tickets.size());
  for (size_t i = 0; i < tickets.size(); ++i) {
    if (tickets[i].forum_id) own[i].push_back(*tickets[i].forum_id);
    tickets[i].forum_ids.clear();
  }
  SQLite::Statement q(db,
                      "SELECT ticket_id, forum_id FROM votes WHERE forum_id "
                      "IS NOT NULL AND at < ?");
  q.bind(1, cutoff);
  while (q.executeStep()) {
    auto it = index.find(q.getColumn(0).getInt64());
    if (it != index.end()) own[it->second].push_back(q.getColumn(1).getInt64());
  }
  for (size_t i = 0; i < tickets.size(); ++i) {
    // Up the chain of merges; no longer than the board, whatever the data.
    size_t at = i;
    for (size_t steps = 0; steps <= tickets.size(); ++steps) {
      std::vector<int64_t>& into = tickets[at].forum_ids;
      into.insert(into.end(), own[i].begin(), own[i].end());
      const std::optional<int64_t> up = tickets[at].merged_into;
      auto it = up ? index.find(*up) : index.end();
      if (it == index.end()) break;
      at = it->second;
    }
  }
  for (Ticket& t : tickets) {
    std::sort(t.forum_ids.begin(), t.forum_ids.end());
    t.forum_ids.erase(std::unique(t.forum_ids.begin(), t.forum_ids.end()),
                      t.forum_ids.end());
  }
}

// ---------------------------------------------------------------------------
// The response-time scan (Board::ScanForSla).

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

// Stored dates, each parsed once: a scan meets a few thousand distinct
// dates millions of times, and neighbouring tickets' answer dates differ.
// The table has a slot for every day of 32 years; text not shaped like a
// date, or a slot held by a date 32 years away, is parsed as before.
class DateMemo {
 public:
  Date Parse(std::string_view text, int64_t row, const char* what) {
    int year = 0, month = 0, day = 0;
    if (!Digits(text, &year, &month, &day)) {
      return StoredDate(std::string(text), row, what);
    }
    // The three numbers name the text exactly, whether or not it is a date.
    const uint32_t key =
        static_cast<uint32_t>(year * 10000 + month * 100 + day);
    Slot& slot = slots_[((year % 32) * 16 + month % 16) * 32 + day % 32];
    if (slot.key != key) {
      slot.date = StoredDate(std::string(text), row, what);
      slot.key = key;
    }
    return slot.date;
  }

 private:
  // "YYYY-MM-DD", all digits: ParseIsoDate's shape.
  static bool Digits(std::string_view text, int* year, int* month, int* day) {
    if (text.size() != 10 || text[4] != '-' || text[7] != '-') return false;
    int* fields[] = {year,  year,  year,    year, nullptr,
                     month, month, nullptr, day,  day};
    for (size_t i = 0; i < text.size(); ++i) {
      if (fields[i] == nullptr) continue;
      const unsigned digit = static_cast<unsigned char>(text[i]) - '0';
      if (digit > 9) return false;
      *fields[i] = *fields[i] * 10 + static_cast<int>(digit);
    }
    return true;
  }

  struct Slot {
    uint32_t key = UINT32_MAX;  // No text has this key.
    Date date;
  };
  std::vector<Slot> slots_ = std::vector<Slot>(32 * 16 * 32);
};

// The areas and teams of a scan, kept for its whole length: the rows handed
// to the reporting thread point at these rather than at SQLite's row, which
// the reading thread has moved past by then.
class StableTexts {
 public:
  std::string_view Of(std::string_view text) {
    // A board has a few dozen areas and teams: comparing with each costs
    // less than hashing. Past that, the index finds them.
    if (texts_.size() <= kFew) {
      for (const std::string& kept : texts_) {
        if (kept == text) return kept;
      }
    } else if (auto it = index_.find(text); it != index_.end()) {
      return *it;
    }
    const std::string& kept = texts_.emplace_back(text);
    if (texts_.size() > kFew) {
      if (index_.empty()) index_.insert(texts_.begin(), texts_.end());
      index_.insert(kept);
    }
    return kept;
  }

 private:
  static constexpr size_t kFew = 64;
  std::deque<std::string> texts_;  // A deque: the strings never move.
  std::unordered_set<std::string_view> index_;  // Once there are many.
};

// Rows read by one thread for another, a chunk at a time.
struct RowChunk {
  std::vector<SlaTicketRow> rows;
  bool last = false;
  std::exception_ptr error;  // Why reading stopped after `rows`, if it failed.
};

class RowQueue {
 public:
  // Waits while the queue is full. Returns false once Stop() was called:
  // the reader should give up.
  bool Push(RowChunk chunk) {
    std::unique_lock<std::mutex> lock(mu_);
    changed_.wait(lock,
                  [&] { return stopped_ || chunks_.size() < kMaxChunks; });
    if (stopped_) return false;
    chunks_.push_back(std::move(chunk));
    changed_.notify_all();
    return true;
  }

  // Waits for a chunk.
  RowChunk Pop() {
    std::unique_lock<std::mutex> lock(mu_);
    changed_.wait(lock, [&] { return !chunks_.empty(); });
    RowChunk chunk = std::move(chunks_.front());
    chunks_.pop_front();
    changed_.notify_all();
    return chunk;
  }

  void Stop() {
    std::lock_guard<std::mutex> lock(mu_);
    stopped_ = true;
    changed_.notify_all();
  }

 private:
  // Enough to keep both threads busy; a few megabytes at most.
  static constexpr size_t kMaxChunks = 4;
  std::mutex mu_;
  std::condition_variable changed_;
  std::deque<RowChunk> chunks_;
  bool stopped_ = false;
};

// Stops and joins the reader on the way out of a scan that failed.
class ReaderGuard {
 public:
  ReaderGuard(std::thread& reader, RowQueue& queue)
      : reader_(reader), queue_(queue) {}
  ~ReaderGuard() {
    if (!reader_.joinable()) return;
    queue_.Stop();
    reader_.join();
  }
  ReaderGuard(const ReaderGuard&) = delete;
  ReaderGuard& operator=(const ReaderGuard&) = delete;

 private:
  std::thread& reader_;
  RowQueue& queue_;
};

// Reads the rows of ScanForSla's tickets query, which is on its first row
// if `any`, into `queue` (themes not set). The last chunk is marked so, and
// carries the failure if reading one failed, as List would fail on it.
void ReadSlaRows(RawQuery& tickets, bool any, StableTexts& texts,
                 RowQueue& queue) {
  constexpr size_t kChunkRows = 4096;
  DateMemo dates;
  RowChunk chunk;
  chunk.rows.reserve(kChunkRows);
  try {
    for (bool more = any; more; more = tickets.Step()) {
      SlaTicketRow r;
      r.id = tickets.Int(0);
      auto date = [&](int column, const char* what) -> std::optional<Date> {
        const std::optional<std::string_view> text = tickets.TextOrNull(column);
        if (!text) return std::nullopt;
        return dates.Parse(*text, r.id, what);
      };
      r.area = texts.Of(tickets.Text(1));
      r.team = texts.Of(tickets.Text(2));
      r.state = StoredState(tickets.Text(3), r.id);
      // A NULL raised_on reads as "" and fails as List's would.
      const std::optional<Date> raised = date(4, "raised_on");
      r.raised_on = raised ? *raised : StoredDate("", r.id, "raised_on");
      r.sent_on = date(5, "sent_on");
      r.answered_on = date(6, "answered_on");
      r.declined_on = date(7, "declined_on");
      r.merged_into = tickets.IsNull(8)
                          ? std::nullopt
                          : std::optional<int64_t>(tickets.Int(8));
      r.paused_working_days = static_cast<int>(tickets.Int(9));
      r.paused_since = date(10, "paused_since");
      r.reopened_on = date(11, "reopened_on");
      chunk.rows.push_back(r);
      if (chunk.rows.size() == kChunkRows) {
        if (!queue.Push(std::move(chunk))) return;
        chunk = RowChunk();
        chunk.rows.reserve(kChunkRows);
      }
    }
  } catch (...) {
    chunk.error = std::current_exception();
  }
  chunk.last = true;
  queue.Push(std::move(chunk));
}

std::vector<Ticket> LoadTicketsById(Connection& db,
                                    const std::vector<int64_t>& ids) {
  if (ids.empty()) return {};
  // One bound JSON array rather than a statement per ticket.
  std::string list = "[";
  for (int64_t id : ids) {
    list += std::to_string(id);
    list += ',';
  }
  list.back() = ']';
  SqlWhere where;
  where.terms.push_back("t.id IN (SELECT value FROM json_each(?))");
  where.binds.emplace_back(std::move(list));
  return LoadTickets(db, where, false);
}

std::optional<Ticket> FindTicket(Connection& db, int64_t id) {
  SqlWhere where;
  where.terms.push_back("t.id = ?");
  where.binds.emplace_back(id);
  std::vector<Ticket> found = LoadTickets(db, where, false);
  if (found.empty()) return std::nullopt;
  return std::move(found.front());
}

Ticket MustFindTicket(Connection& db, int64_t id) {
  std::optional<Ticket> t = FindTicket(db, id);
  if (!t) ThrowNotFound("no ticket #" + std::to_string(id));
  return std::move(*t);
}

// Every forum, or only forum `only`, or only those recorded before the UTC
// time stamp `recorded_before`.
std::vector<ForumRecord> LoadForums(
    SQLite::Database& db, std::optional<int64_t> only,
    const std::optional<std::string>& recorded_before = std::nullopt) {
  std::vector<ForumRecord> forums;
  std::unordered_map<int64_t, size_t> index;
  std::string where = only              ? " WHERE id = ?"
                      : recorded_before ? " WHERE recorded_at < ?"
                                        : "";
  SQLite::Statement q(db,
                      "SELECT id, plan_id, area, held_on, format, title, "
                      "service_users, carers, trust_staff, governors, others "
                      "FROM forums" +
                          where + " ORDER BY held_on, id");
  if (only) {
    q.bind(1, *only);
  } else if (recorded_before) {
    q.bind(1, *recorded_before);
  }
  while (q.executeStep()) {
    ForumRecord f;
    f.id = q.getColumn(0).getInt64();
    f.plan_id = q.getColumn(1).isNull() ? "" : q.getColumn(1).getString();
    f.area = q.getColumn(2).getString();
    f.held_on = DateColumn(q.getColumn(3), f.id, "held_on of forum");
    f.format = q.getColumn(4).getString() == FormatName(Format::kVirtual)
                   ? Format::kVirtual
                   : Format::kInPerson;
    f.title = q.getColumn(5).getString();
    f.attendance.service_users = q.getColumn(6).getInt();
    f.attendance.carers = q.getColumn(7).getInt();
    f.attendance.trust_staff = q.getColumn(8).getInt();
    f.attendance.governors = q.getColumn(9).getInt();
    f.attendance.others = q.getColumn(10).getInt();
    index[f.id] = forums.size();
    forums.push_back(std::move(f));
  }
  SQLite::Statement a(db, "SELECT forum_id, who FROM forum_apologies" +
                              std::string(only ? " WHERE forum_id = ?" : "") +
                              " ORDER BY forum_id, position");
  if (only) a.bind(1, *only);
  while (a.executeStep()) {
    auto it = index.find(a.getColumn(0).getInt64());
    if (it != index.end()) {
      forums[it->second].apologies.push_back(a.getColumn(1).getString());
    }
  }
  return forums;
}

void CheckForumExists(SQLite::Database& db, int64_t id) {
  SQLite::Statement q(db, "SELECT 1 FROM forums WHERE id = ?");
  q.bind(1, id);
  if (!q.executeStep())
    ThrowInvalid("no forum #" + std::to_string(id), "forum");
}

// ---------------------------------------------------------------------------
// Writing: every change to a ticket goes through here, with its history row.

// The first moment of London day `d`, as history time stamps are written.
std::string StartOfLondonDayUtc(Date d) {
  return EndOfLondonDayUtc(d - boost::gregorian::days(1));
}

std::string DateText(const std::optional<Date>& d) {
  return d ? FormatIsoDate(*d) : "";
}

class Writer {
 public:
  Writer(SQLite::Database& db, const Config& config, const Clock& clock,
         const std::string& actor)
      : db_(db),
        config_(config),
        at_(FormatUtc(clock.Now())),
        today_(clock.Today()),
        actor_(actor) {}

  SQLite::Database& db() { return db_; }
  Date today() const { return today_; }

  // The statement for `sql`, prepared once per transaction and reset for
  // reuse: an import writes tens of thousands of rows, and preparing each
  // statement anew cost more than the writes themselves.
  SQLite::Statement& Prepared(const std::string& sql) {
    std::unique_ptr<SQLite::Statement>& q = statements_[sql];
    if (!q) {
      q = std::make_unique<SQLite::Statement>(db_, sql);
    } else {
      q->reset();
      q->clearBindings();
    }
    return *q;
  }
  const std::string& at() const { return at_; }
  const std::string& actor() const { return actor_; }

  void History(int64_t ticket, const std::string& field,
               const std::string& old_value, const std::string& new_value,
               const std::string& note) {
    SQLite::Statement& q = Prepared(
        "INSERT INTO history (ticket_id, at, actor, field, old_value, "
        "new_value, note) VALUES (?, ?, ?, ?, ?, ?, ?)");
    // No copies: the strings outlive exec(), and the next Prepared() of
    // this statement clears the bindings. An import writes hundreds of
    // thousands of these.
    q.bind(1, ticket);
    q.bindNoCopy(2, at_);
    q.bindNoCopy(3, actor_);
    q.bindNoCopy(4, field);
    q.bindNoCopy(5, old_value);
    q.bindNoCopy(6, new_value);
    q.bindNoCopy(7, note);
    q.exec();
  }

  void Overrides(int64_t ticket, const std::vector<Override>& overrides) {
    for (const Override& o : overrides) {
      History(ticket, "screening-override", "", o.field + ": " + o.kinds,
              "identifier screen overridden for " + o.field);
    }
  }

  // `column` is one of this file's literal column names, never user input.
  // A NULL is written for an empty optional; history shows it as "".
  void SetText(int64_t ticket, const char* column, const std::string& field,
               const std::string& old_value,
               const std::optional<std::string>& new_value,
               const std::string& note) {
    SQLite::Statement& q = Prepared(std::string("UPDATE tickets SET ") +
                                    column + " = ? WHERE id = ?");
    if (new_value) {
      q.bind(1, *new_value);
    } else {
      q.bind(1);
    }
    q.bind(2, ticket);
    q.exec();
    History(ticket, field, old_value, new_value.value_or(""), note);
  }

  void SetInt(int64_t ticket, const char* column, const std::string& field,
              int64_t old_value, int64_t new_value, const std::string& note) {
    SQLite::Statement& q = Prepared(std::string("UPDATE tickets SET ") +
                                    column + " = ? WHERE id = ?");
    q.bind(1, new_value);
    q.bind(2, ticket);
    q.exec();
    History(ticket, field, std::to_string(old_value), std::to_string(new_value),
            note);
  }

  void SetState(const Ticket& t, TicketState to, const std::string& note) {
    SetText(t.id, "state", "state", TicketStateName(t.state),
            std::string(TicketStateName(to)), note);
  }

  // Leaving "waiting for the forum": the working days it waited stop
  // counting against the Trust's response time.
  void EndPause(const Ticket& t) {
    if (!t.paused_since) return;
    int days = config_.MakeHolidayCalendar().WorkingDaysBetween(*t.paused_since,
                                                                today_);
    SetInt(t.id, "paused_working_days", "paused-working-days",
           t.paused_working_days, t.paused_working_days + days,
           "waited " + std::to_string(days) + " working day" +
               (days == 1 ? "" : "s") + " for the forum since " +
               FormatIsoDate(*t.paused_since));
    SetText(t.id, "paused_since", "paused-since", DateText(t.paused_since),
            std::nullopt, "");
  }

  void StartPause(const Ticket& t) {
    SetText(t.id, "paused_since", "paused-since", DateText(t.paused_since),
            FormatIsoDate(today_), "response clock paused");
  }

 private:
  SQLite::Database& db_;
  const Config& config_;
  std::string at_;
  Date today_;
  std::string actor_;
  std::map<std::string, std::unique_ptr<SQLite::Statement>> statements_;
};

// Raises the connection's page cache while it is alive (see ImportTickets):
// about 4 KiB per imported ticket (twice what one takes on disk), 64 MiB at
// most; a size set in pages (positive) or larger is left alone.
class PageCacheForImport {
 public:
  PageCacheForImport(SQLite::Database& db, size_t tickets)
      : db_(db), old_(db.execAndGet("PRAGMA cache_size").getInt64()) {
    // Negative sizes are KiB, positive ones pages.
    const int64_t want =
        -std::min<int64_t>(64 * 1024, 4 * static_cast<int64_t>(tickets));
    raised_ = old_ < 0 && want < old_;
    if (raised_) db_.exec("PRAGMA cache_size = " + std::to_string(want));
  }
  ~PageCacheForImport() {
    if (!raised_) return;
    try {
      db_.exec("PRAGMA cache_size = " + std::to_string(old_));
    } catch (const std::exception&) {
      // Only a cache size: the next connection starts from the default.
    }
  }
  PageCacheForImport(const PageCacheForImport&) = delete;
  PageCacheForImport& operator=(const PageCacheForImport&) = delete;

 private:
  SQLite::Database& db_;
  int64_t old_;
  bool raised_ = false;
};

// A NewTicket after validation: canonical names, defaults filled in.
struct CheckedTicket {
  std::string title;
  std::string details;
  std::string area;
  std::vector<std::string> themes;
  std::string team;
  int raised_by = 1;
  std::optional<int64_t> forum_id;
  Date raised_on;
  std::vector<Override> overrides;
};

// `screened`: the title and details already passed ScreenText with these
// limits and no override (see ImportedTicket::texts_screened).
CheckedTicket CheckTicket(SQLite::Database& db, const Config& config,
                          Date today, const NewTicket& in,
                          bool screened = false) {
  CheckedTicket c;
  c.title = Trim(in.title);
  if (c.title.empty()) ThrowInvalid("a ticket needs a title", "title");
  if (!screened) {
    Screen(kTitle, c.title, config.board.max_title_chars, in.allow_identifiers,
           &c.overrides);
  }
  c.details = in.details;
  if (!screened) {
    Screen(kDetails, c.details, config.board.max_text_chars,
           in.allow_identifiers, &c.overrides);
  }
  c.area = ResolveArea(config, in.area, "a ticket");
  for (const std::string& given : in.themes) {
    std::string theme = ResolveTheme(config, given);
    if (std::find(c.themes.begin(), c.themes.end(), theme) == c.themes.end()) {
      c.themes.push_back(theme);
    }
  }
  if (c.themes.empty()) {
    ThrowInvalid("a ticket needs at least one theme (themes: " +
                     Join(config.board.themes) + ")",
                 "themes");
  }
  c.team = ResolveTeam(config, in.team);
  if (in.raised_by < 1) {
    ThrowInvalid(
        "raised by must be a whole number of people, at least 1, not " +
            std::to_string(in.raised_by),
        "raised_by");
  }
  c.raised_by = in.raised_by;
  c.forum_id = in.forum_id;
  std::optional<Date> forum_date;
  if (c.forum_id) {
    std::vector<ForumRecord> f = LoadForums(db, *c.forum_id);
    if (f.empty()) {
      ThrowInvalid("no forum #" + std::to_string(*c.forum_id), "forum");
    }
    forum_date = f.front().held_on;
  }
  c.raised_on = in.raised_on ? *in.raised_on : forum_date.value_or(today);
  if (c.raised_on.is_special()) {
    ThrowInvalid("raised on is not a valid date", "raised_on");
  }
  // The response clock starts on this day: a future date would have a due
  // date that is not yet running.
  if (c.raised_on > today) {
    ThrowInvalid("raised on " + FormatIsoDate(c.raised_on) +
                     " is in the future (today is " + FormatIsoDate(today) +
                     ")",
                 "raised_on");
  }
  return c;
}

// Columns an imported ticket already has values for (text as stored).
struct KnownColumns {
  std::optional<std::string> sent_on;
  std::string answer;
  std::string answered_by;
  std::optional<std::string> answered_on;
  std::string decline_reason;
  std::optional<std::string> declined_on;
  std::optional<std::string> paused_since;
};

void BindOptional(SQLite::Statement& q, int i,
                  const std::optional<std::string>& v) {
  if (v) {
    q.bind(i, *v);
  } else {
    q.bind(i);
  }
}

int64_t InsertTicket(Writer& w, const CheckedTicket& c, TicketState state,
                     int votes_total, const std::string& created_note,
                     const KnownColumns& known = {}) {
  SQLite::Statement& q = w.Prepared(
      "INSERT INTO tickets (title, details, area, team, state, raised_on, "
      "forum_id, raised_by, votes_total, created_at, sent_on, answer, "
      "answered_by, answered_on, decline_reason, declined_on, paused_since) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  q.bind(1, c.title);
  q.bind(2, c.details);
  q.bind(3, c.area);
  q.bind(4, c.team);
  q.bind(5, TicketStateName(state));
  q.bind(6, FormatIsoDate(c.raised_on));
  if (c.forum_id) {
    q.bind(7, *c.forum_id);
  } else {
    q.bind(7);
  }
  q.bind(8, c.raised_by);
  q.bind(9, votes_total);
  q.bind(10, w.at());
  BindOptional(q, 11, known.sent_on);
  q.bind(12, known.answer);
  q.bind(13, known.answered_by);
  BindOptional(q, 14, known.answered_on);
  q.bind(15, known.decline_reason);
  BindOptional(q, 16, known.declined_on);
  BindOptional(q, 17, known.paused_since);
  q.exec();
  int64_t id = w.db().getLastInsertRowid();
  SQLite::Statement& th = w.Prepared(
      "INSERT INTO ticket_themes (ticket_id, theme, position) VALUES (?, ?, "
      "?)");
  for (size_t i = 0; i < c.themes.size(); ++i) {
    th.bind(1, id);
    th.bind(2, c.themes[i]);
    th.bind(3, static_cast<int64_t>(i));
    th.exec();
    th.reset();
  }
  w.History(id, "created", "", c.title, created_note);
  w.Overrides(id, c.overrides);
  return id;
}

std::string CreatedNote(const CheckedTicket& c) {
  std::string note = "raised by " + std::to_string(c.raised_by) + " on " +
                     FormatIsoDate(c.raised_on) + " in " + c.area +
                     "; themes: " + Join(c.themes) + "; team: " + c.team;
  if (c.forum_id) note += "; forum #" + std::to_string(*c.forum_id);
  return note;
}

// What the public was told about a ticket, in words for a message.
const char* PublishedWhat(const Ticket& t) {
  if (!t.answer.empty()) return "a published answer";
  if (!t.decline_reason.empty()) return "a published reason for declining";
  return nullptr;
}

// An answered, closed or declined ticket tells the public what was done:
// one without those words would be an empty promise.
void CheckPublishedText(const ImportedTicket& item) {
  const bool answered = item.state == TicketState::kAnswered ||
                        item.state == TicketState::kClosed;
  if (answered && Trim(item.answer).empty()) {
    ThrowInvalid(std::string("a ticket cannot be imported as ") +
                 TicketStateName(item.state) +
                 " without the text of its published answer");
  }
  if (item.state == TicketState::kDeclined &&
      Trim(item.decline_reason).empty()) {
    ThrowInvalid(
        "a ticket cannot be imported as declined without its published "
        "reason");
  }
}

// A merged repeat drops out of every public list, so a repeat whose answer
// or reason was published must not become one: that answer would vanish.
void CheckNothingPublished(const Ticket& repeat, const Ticket& survivor) {
  const char* what = PublishedWhat(repeat);
  if (what == nullptr) return;
  const std::string r = "#" + std::to_string(repeat.id);
  const std::string s = "#" + std::to_string(survivor.id);
  // The other way round is allowed when it would keep both.
  const bool other_way = PublishedWhat(survivor) == nullptr &&
                         repeat.state != TicketState::kClosed &&
                         repeat.state != TicketState::kDeclined;
  if (!other_way) {
    ThrowConflict("cannot merge " + r + " into " + s + ": " + r + " has " +
                      what + ", which would disappear",
                  "into");
  }
  ThrowConflict("cannot merge " + r + " into " + s + ": " + r + " has " + what +
                    ", which would disappear; merge " + s + " into " + r +
                    " instead",
                "into");
}

std::string AllowedList(TicketState from) {
  std::vector<std::string> names;
  for (TicketState s : AllTicketStates()) {
    if (IsAllowedMove(from, s)) names.push_back(TicketStateName(s));
  }
  return Join(names);
}

// Forum ids from the plan: "2027-r1-east-surrey".
const std::regex& PlanIdPattern() {
  static const std::regex kPattern("([0-9]{4})-r([1-4])-([a-z0-9-]+)");
  return kPattern;
}

// A round id "2027-r1" -> [first day, first day of the next round).
std::pair<Date, Date> RoundRange(const Config& config,
                                 const std::string& round) {
  static const std::regex kPattern("([0-9]{4})-r([1-4])");
  std::smatch m;
  if (!std::regex_match(round, m, kPattern)) {
    ThrowInvalid("round '" + Shown(round) +
                 "' is not a round id like 2027-r1 (year, r, 1 to 4)");
  }
  int plan_year = std::stoi(m[1].str());
  int r = std::stoi(m[2].str());
  if (plan_year < 1900 || plan_year > 9000) {
    ThrowInvalid("round '" + round + "' is outside the years focus plans");
  }
  int index = plan_year * 12 + (config.first_round_month - 1) + (r - 1) * 3;
  Date first(index / 12, index % 12 + 1, 1);
  Date next = first + boost::gregorian::months(3);
  // RoundOfDate is the authority on what a round is.
  if (RoundOfDate(config, first) != std::make_pair(plan_year, r)) {
    throw Error(ErrorKind::kInternal, "round " + round + " starts on " +
                                          FormatIsoDate(first) +
                                          " by RoundRange but not RoundOfDate");
  }
  return {first, next};
}

}  // namespace

const char* VerdictName(Verdict v) {
  for (const auto& [verdict, name] : kVerdicts) {
    if (verdict == v) return name;
  }
  return "unknown";
}

std::optional<Verdict> ParseVerdict(const std::string& name) {
  for (const auto& [verdict, n] : kVerdicts) {
    if (name == n) return verdict;
  }
  return std::nullopt;
}

bool AwaitsVerdict(const Ticket& t) {
  if (t.answer.empty() || !t.answered_on) return false;
  if (t.state == TicketState::kMerged) return false;
  return !t.reopened_on || *t.answered_on >= *t.reopened_on;
}

std::string PublicAnswerer(const Config& config, const Ticket& t) {
  return t.team.empty() ? config.organisation : t.team;
}

bool IsAllowedMove(TicketState from, TicketState to) {
  using S = TicketState;
  switch (from) {
    case S::kRaised:
      return to == S::kSentToTrust || to == S::kEscalated;
    case S::kSentToTrust:
      return to == S::kInProgress || to == S::kWaitingForForum ||
             to == S::kEscalated || to == S::kDeclined;
    case S::kInProgress:
      return to == S::kWaitingForForum || to == S::kEscalated ||
             to == S::kDeclined;
    case S::kWaitingForForum:
      return to == S::kSentToTrust || to == S::kInProgress ||
             to == S::kEscalated;
    case S::kEscalated:
      return to == S::kSentToTrust || to == S::kInProgress ||
             to == S::kDeclined;
    case S::kAnswered:
      return to == S::kClosed || to == S::kInProgress;
    case S::kClosed:
    case S::kDeclined:
    case S::kMerged:
      return false;  // Final.
  }
  return false;
}

Board::Board(Store& store, const Config& config, const Clock& clock)
    : store_(store), config_(config), clock_(clock) {}

int64_t Board::RecordForum(const ForumRecord& forum, const std::string& actor) {
  CheckActor(actor);
  int64_t id = 0;
  store_.WriteTransaction([&](Connection& db) {
    Writer w(db, config_, clock_, actor);
    std::string area = ResolveArea(config_, forum.area, "a forum");
    std::string plan_id = Trim(forum.plan_id);
    if (!plan_id.empty()) {
      std::smatch m;
      if (!std::regex_match(plan_id, m, PlanIdPattern())) {
        ThrowInvalid("plan id '" + Shown(plan_id) +
                     "' is not a forum id from the plan (like "
                     "2027-r1-east-surrey)");
      }
      if (m[3].str() != area) {
        ThrowInvalid("plan id '" + plan_id + "' is a forum of " + m[3].str() +
                     ", not of " + area);
      }
      SQLite::Statement q(db, "SELECT id FROM forums WHERE plan_id = ?");
      q.bind(1, plan_id);
      if (q.executeStep()) {
        ThrowConflict("forum " + plan_id + " is already recorded (forum #" +
                      std::to_string(q.getColumn(0).getInt64()) + ")");
      }
    }
    if (forum.held_on.is_special()) {
      ThrowInvalid("a forum needs the date it was held");
    }
    if (forum.held_on > w.today()) {
      ThrowInvalid("a forum is recorded after it is held: " +
                   FormatIsoDate(forum.held_on) +
                   " is in the future (today is " + FormatIsoDate(w.today()) +
                   ")");
    }
    const std::pair<const char*, int> counts[] = {
        {"service users", forum.attendance.service_users},
        {"carers", forum.attendance.carers},
        {"Trust staff", forum.attendance.trust_staff},
        {"governors", forum.attendance.governors},
        {"others", forum.attendance.others},
    };
    for (const auto& [what, n] : counts) {
      if (n < 0) {
        ThrowInvalid(std::string("attendance: ") + what +
                     " must be 0 or more, not " + std::to_string(n));
      }
    }
    Screen(kTitle, forum.title, config_.board.max_title_chars, false, nullptr);
    std::vector<std::string> apologies;
    for (const std::string& who : forum.apologies) {
      std::string name = Trim(who);
      if (name.empty()) continue;
      Screen(kApologies, name, config_.board.max_title_chars, false, nullptr);
      apologies.push_back(name);
    }

    SQLite::Statement q(db,
                        "INSERT INTO forums (plan_id, area, held_on, format, "
                        "title, service_users, carers, trust_staff, "
                        "governors, others, recorded_at, recorded_by) VALUES "
                        "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    if (plan_id.empty()) {
      q.bind(1);
    } else {
      q.bind(1, plan_id);
    }
    q.bind(2, area);
    q.bind(3, FormatIsoDate(forum.held_on));
    q.bind(4, FormatName(forum.format));
    q.bind(5, Trim(forum.title));
    for (int i = 0; i < 5; ++i) q.bind(6 + i, counts[i].second);
    q.bind(11, w.at());
    q.bind(12, actor);
    q.exec();
    id = db.getLastInsertRowid();
    SQLite::Statement a(db,
                        "INSERT INTO forum_apologies (forum_id, position, "
                        "who) VALUES (?, ?, ?)");
    for (size_t i = 0; i < apologies.size(); ++i) {
      a.bind(1, id);
      a.bind(2, static_cast<int64_t>(i));
      a.bind(3, apologies[i]);
      a.exec();
      a.reset();
    }
  });
  return id;
}

std::vector<ForumRecord> Board::Forums() const {
  std::vector<ForumRecord> forums;
  store_.Read([&](Connection& db) { forums = LoadForums(db, std::nullopt); });
  return forums;
}

std::vector<ForumRecord> Board::ForumsAsOf(Date as_of) const {
  std::vector<ForumRecord> forums;
  store_.Read([&](Connection& db) {
    forums = LoadForums(db, std::nullopt, EndOfLondonDayUtc(as_of));
  });
  return forums;
}

ForumRecord Board::GetForum(int64_t id) const {
  std::vector<ForumRecord> forums;
  store_.Read([&](Connection& db) { forums = LoadForums(db, id); });
  if (forums.empty()) ThrowInvalid("no forum #" + std::to_string(id), "forum");
  return forums.front();
}

int64_t Board::AddTicket(const NewTicket& ticket, const std::string& actor) {
  CheckActor(actor);
  int64_t id = 0;
  store_.WriteTransaction([&](Connection& db) {
    Writer w(db, config_, clock_, actor);
    CheckedTicket c = CheckTicket(db, config_, w.today(), ticket);
    // The people who raised it are its first votes.
    id = InsertTicket(w, c, TicketState::kRaised, c.raised_by, CreatedNote(c));
  });
  return id;
}

void Board::AddVotes(int64_t id, int count, std::optional<int64_t> forum_id,
                     const std::string& note, const std::string& actor) {
  CheckActor(actor);
  store_.WriteTransaction([&](Connection& db) {
    Writer w(db, config_, clock_, actor);
    Ticket t = MustFindTicket(db, id);
    if (count < 1) {
      ThrowInvalid("votes must be a whole number of at least 1, not " +
                       std::to_string(count),
                   "count");
    }
    if (t.state == TicketState::kMerged) {
      ThrowConflict(TicketRef(id) + " is merged into #" +
                    std::to_string(t.merged_into.value_or(0)) +
                    ": add the votes to #" +
                    std::to_string(t.merged_into.value_or(0)));
    }
    if (forum_id) CheckForumExists(db, *forum_id);
    Screen(kNote, note, config_.board.max_text_chars, false, nullptr);

    SQLite::Statement q(db,
                        "INSERT INTO votes (ticket_id, forum_id, count, "
                        "note, at, actor) VALUES (?, ?, ?, ?, ?, ?)");
    q.bind(1, id);
    if (forum_id) {
      q.bind(2, *forum_id);
    } else {
      q.bind(2);
    }
    q.bind(3, count);
    q.bind(4, note);
    q.bind(5, w.at());
    q.bind(6, actor);
    q.exec();
    std::string why = "+" + std::to_string(count);
    if (forum_id) why += " at forum #" + std::to_string(*forum_id);
    if (!note.empty()) why += ": " + note;
    w.SetInt(id, "votes_total", "votes", t.votes, t.votes + count, why);
  });
}

void Board::Merge(int64_t repeat, int64_t survivor, const std::string& actor) {
  CheckActor(actor);
  store_.WriteTransaction([&](Connection& db) {
    Writer w(db, config_, clock_, actor);
    if (repeat == survivor) {
      ThrowInvalid("cannot merge " + TicketRef(repeat) + " into itself",
                   "into");
    }
    Ticket r = MustFindTicket(db, repeat);
    Ticket s = MustFindTicket(db, survivor);
    if (r.state == TicketState::kMerged) {
      ThrowConflict(TicketRef(repeat) + " is already merged into #" +
                    std::to_string(r.merged_into.value_or(0)));
    }
    if (s.state == TicketState::kMerged) {
      ThrowConflict("cannot merge into #" + std::to_string(survivor) +
                        ": it is merged into #" +
                        std::to_string(s.merged_into.value_or(0)) +
                        " (merge into that one)",
                    "into");
    }
    if (s.state == TicketState::kClosed || s.state == TicketState::kDeclined) {
      ThrowConflict("cannot merge into #" + std::to_string(survivor) +
                        ": it is " + TicketStateName(s.state),
                    "into");
    }
    CheckNothingPublished(r, s);
    const std::string into = "merged into #" + std::to_string(survivor);
    w.EndPause(r);
    w.SetState(r, TicketState::kMerged, into);
    w.SetText(repeat, "merged_into", "merged-into", "",
              std::to_string(survivor), into);
    w.History(survivor, "merged", "", "#" + std::to_string(repeat),
              "#" + std::to_string(repeat) + " (" + r.title +
                  ") merged in with " + std::to_string(r.votes) + " vote" +
                  (r.votes == 1 ? "" : "s"));
    w.SetInt(survivor, "votes_total", "votes", s.votes, s.votes + r.votes,
             "votes of #" + std::to_string(repeat));
  });
}

void Board::Move(int64_t id, TicketState to, const std::string& reason,
                 const std::string& actor) {
  CheckActor(actor);
  store_.WriteTransaction([&](Connection& db) {
    Writer w(db, config_, clock_, actor);
    Ticket t = MustFindTicket(db, id);
    const std::string ref = TicketRef(id);
    if (t.state == to) {
      ThrowConflict(ref + " is already " + TicketStateName(to), "state");
    }
    if (to == TicketState::kClosed && !IsAllowedMove(t.state, to) &&
        t.state != TicketState::kDeclined && t.state != TicketState::kMerged) {
      if (t.state == TicketState::kInProgress && !t.answer.empty()) {
        throw Error(ErrorKind::kConflict,
                    ref +
                        " cannot be closed: its answer says the work is "
                        "still in progress",
                    "state", Remedy::kFinalAnswerFirst);
      }
      throw Error(ErrorKind::kConflict,
                  ref + " cannot be closed: it has no published answer yet",
                  "state", Remedy::kAnswerFirst);
    }
    if (!IsAllowedMove(t.state, to)) {
      std::string allowed = AllowedList(t.state);
      ThrowConflict(
          ref + " cannot move from " + TicketStateName(t.state) + " to " +
              TicketStateName(to) +
              (allowed.empty()
                   ? " (" + std::string(TicketStateName(t.state)) + " is final)"
                   : " (allowed: " + allowed + ")"),
          "state");
    }
    std::string why = Trim(reason);
    if (to == TicketState::kDeclined && why.empty()) {
      ThrowInvalid("declining " + ref +
                       " needs a reason: it is published with the ticket",
                   "reason");
    }
    Screen(kReason, why, config_.board.max_text_chars, false, nullptr);

    if (t.state == TicketState::kWaitingForForum) w.EndPause(t);
    w.SetState(t, to, why);
    if (to == TicketState::kWaitingForForum) w.StartPause(t);
    if (to == TicketState::kSentToTrust && !t.sent_on) {
      w.SetText(id, "sent_on", "sent-on", "", FormatIsoDate(w.today()), "");
    }
    if (to == TicketState::kDeclined) {
      w.SetText(id, "decline_reason", "decline-reason", t.decline_reason, why,
                "");
      w.SetText(id, "declined_on", "declined-on", DateText(t.declined_on),
                FormatIsoDate(w.today()), "");
    }
  });
}

void Board::Answer(int64_t id, const std::string& text,
                   const std::string& answered_by, bool in_progress,
                   bool allow_identifiers, const std::string& actor) {
  CheckActor(actor);
  store_.WriteTransaction([&](Connection& db) {
    Writer w(db, config_, clock_, actor);
    Ticket t = MustFindTicket(db, id);
    const std::string ref = TicketRef(id);
    switch (t.state) {
      case TicketState::kRaised:
        ThrowConflict(ref + " has not been sent to the Trust yet");
      case TicketState::kMerged:
        ThrowConflict(ref + " is merged into #" +
                      std::to_string(t.merged_into.value_or(0)) + ": answer #" +
                      std::to_string(t.merged_into.value_or(0)));
      case TicketState::kClosed:
      case TicketState::kDeclined:
        ThrowConflict(ref + " is " + TicketStateName(t.state) +
                      ": it cannot be answered");
      default:
        break;
    }
    std::string answer = Trim(text);
    if (answer.empty()) ThrowInvalid("an answer needs text", "text");
    std::vector<Override> overrides;
    Screen(kAnswerText, answer, config_.board.max_text_chars, allow_identifiers,
           &overrides);
    std::string by = Trim(answered_by);
    if (by.empty()) {
      ThrowInvalid("an answer needs who gave it (a Trust team or role)",
                   "answered_by");
    }
    Screen(kAnsweredBy, by, config_.board.max_title_chars, allow_identifiers,
           &overrides);

    TicketState to =
        in_progress ? TicketState::kInProgress : TicketState::kAnswered;
    if (t.state == TicketState::kWaitingForForum) w.EndPause(t);
    if (answer != t.answer) {
      w.SetText(id, "answer", "answer", t.answer, answer,
                t.answer.empty() ? "" : "answer revised");
    }
    if (by != t.answered_by) {
      w.SetText(id, "answered_by", "answered-by", t.answered_by, by, "");
    }
    // The first answer stops the response clock; revisions do not move it.
    // After a disputed verdict the clock runs again until a new answer.
    if (!t.answered_on) {
      w.SetText(id, "answered_on", "answered-on", "", FormatIsoDate(w.today()),
                "");
    } else if (t.reopened_on && *t.answered_on < *t.reopened_on) {
      w.SetText(id, "answered_on", "answered-on", DateText(t.answered_on),
                FormatIsoDate(w.today()),
                "answered again after the disputed verdict");
    }
    if (t.state != to) {
      w.SetState(t, to,
                 in_progress ? "you said, we are doing" : "you said, we did");
    }
    w.Overrides(id, overrides);
  });
}

void Board::RecordVerdict(int64_t id, int64_t forum_id, Verdict verdict,
                          const std::string& note, const std::string& actor) {
  CheckActor(actor);
  store_.WriteTransaction([&](Connection& db) {
    Writer w(db, config_, clock_, actor);
    Ticket t = MustFindTicket(db, id);
    const std::string ref = TicketRef(id);
    if (t.state == TicketState::kMerged) {
      ThrowConflict(ref + " is merged into #" +
                    std::to_string(t.merged_into.value_or(0)) +
                    ": record the verdict on #" +
                    std::to_string(t.merged_into.value_or(0)));
    }
    if (t.answer.empty() || !t.answered_on) {
      ThrowConflict(ref +
                        " has no published answer for a forum to give its "
                        "verdict on",
                    "verdict");
    }
    if (!AwaitsVerdict(t)) {
      ThrowConflict(ref +
                        " went back to the Trust after a disputed verdict on " +
                        FormatIsoDate(*t.reopened_on) +
                        ": wait for the Trust's new answer",
                    "verdict");
    }
    std::vector<ForumRecord> forums = LoadForums(db, forum_id);
    if (forums.empty()) {
      ThrowInvalid("no forum #" + std::to_string(forum_id), "forum");
    }
    const ForumRecord& forum = forums.front();
    const std::string fref = "forum #" + std::to_string(forum_id);
    if (forum.held_on > w.today()) {
      ThrowInvalid(fref + " is held on " + FormatIsoDate(forum.held_on) +
                       ", in the future (today is " + FormatIsoDate(w.today()) +
                       ")",
                   "forum");
    }
    if (forum.held_on <= *t.answered_on) {
      ThrowInvalid(fref + " was held on " + FormatIsoDate(forum.held_on) +
                       ", not after the answer to " + ref +
                       " was published on " + FormatIsoDate(*t.answered_on) +
                       ": a verdict comes from a later forum",
                   "forum");
    }
    for (const ForumVerdict& v : t.verdicts) {
      if (v.forum_id == forum_id && v.answered_on == *t.answered_on) {
        ThrowConflict(fref + " already gave its verdict on the answer to " +
                          ref + " (" + VerdictName(v.verdict) + ")",
                      "forum");
      }
    }
    const std::string text = Trim(note);
    if (verdict == Verdict::kDisputed && text.empty()) {
      ThrowInvalid(
          "note: a disputed verdict needs a note saying why: it is "
          "published beside the answer",
          "note");
    }
    Screen(kNote, text,
           std::min(kMaxVerdictNoteChars, config_.board.max_text_chars), false,
           nullptr);

    SQLite::Statement q(db,
                        "INSERT INTO verdicts (ticket_id, forum_id, verdict, "
                        "note, answered_on, at, actor) VALUES (?, ?, ?, ?, ?, "
                        "?, ?)");
    q.bind(1, id);
    q.bind(2, forum_id);
    q.bind(3, VerdictName(verdict));
    q.bind(4, text);
    q.bind(5, FormatIsoDate(*t.answered_on));
    q.bind(6, w.at());
    q.bind(7, actor);
    q.exec();
    w.History(id, "verdict", "", VerdictName(verdict),
              fref + " (" + FormatIsoDate(forum.held_on) +
                  ") on the answer of " + FormatIsoDate(*t.answered_on) +
                  (text.empty() ? "" : ": " + text));
    if (verdict != Verdict::kDisputed) return;

    // Back to the Trust with a new clock; the answer stays published.
    const std::string why = "the forum disputed the answer";
    if (t.state == TicketState::kWaitingForForum) w.EndPause(t);
    if (t.state != TicketState::kSentToTrust) {
      w.SetState(t, TicketState::kSentToTrust, why);
    }
    w.SetText(id, "reopened_on", "reopened-on", DateText(t.reopened_on),
              FormatIsoDate(w.today()), why);
    // Pauses of the old clock do not extend the new one.
    const Ticket now = MustFindTicket(db, id);
    if (now.paused_working_days != 0) {
      w.SetInt(id, "paused_working_days", "paused-working-days",
               now.paused_working_days, 0, "new answer clock");
    }
  });
}

std::vector<int64_t> Board::ImportTickets(
    const std::vector<ImportedTicket>& items, const std::string& actor) {
  CheckActor(actor);
  std::vector<int64_t> ids;
  store_.WriteTransaction([&](Connection& db) {
    // A large import writes more pages than the connection's page cache
    // holds (2 MB by default), so SQLite would spill dirty pages to the log
    // before the commit and write many of them again. A larger cache for
    // this transaction keeps them in memory until the commit; the commit
    // itself is as durable as configured. The old size is put back after.
    PageCacheForImport cache(db, items.size());
    Writer w(db, config_, clock_, actor);
    ids.clear();
    for (size_t i = 0; i < items.size(); ++i) {
      const ImportedTicket& item = items[i];
      const std::string where =
          item.where.empty() ? "item " + std::to_string(i + 1) : item.where;
      try {
        const bool allow = item.ticket.allow_identifiers;
        // An override is recorded from the board's own screening.
        const bool screened = item.texts_screened && !allow;
        CheckedTicket c =
            CheckTicket(db, config_, w.today(), item.ticket, screened);
        if (item.state == TicketState::kMerged) {
          ThrowInvalid(
              "a ticket cannot be imported as merged: import the ticket it "
              "repeats and add its votes there");
        }
        CheckPublishedText(item);
        if (item.extra_votes < 0) {
          ThrowInvalid("votes must be a whole number of at least 0, not " +
                       std::to_string(item.extra_votes));
        }
        Screen(kAnswerText, item.answer, config_.board.max_text_chars, allow,
               &c.overrides);
        Screen(kAnsweredBy, item.answered_by, config_.board.max_title_chars,
               allow, &c.overrides);
        Screen(kReason, item.decline_reason, config_.board.max_text_chars,
               allow, &c.overrides);
        for (const auto& comment : item.comments) {
          if (screened) break;
          Screen(kNote, comment.second, config_.board.max_text_chars, allow,
                 &c.overrides);
        }
        const std::pair<const char*, const std::optional<Date>*> dates[] = {
            {"sent on", &item.sent_on},
            {"answered on", &item.answered_on},
            {"declined on", &item.declined_on}};
        for (const auto& [what, d] : dates) {
          if (*d && (d->value() < c.raised_on || d->value() > w.today())) {
            ThrowInvalid(std::string(what) + " " + FormatIsoDate(d->value()) +
                         " is not between raised on (" +
                         FormatIsoDate(c.raised_on) + ") and today (" +
                         FormatIsoDate(w.today()) + ")");
          }
        }

        std::string note = CreatedNote(c);
        if (!item.origin.empty()) note += "; imported from " + item.origin;
        // The state and dates it already has elsewhere go into the new row
        // at once (an UPDATE each would cost more than the insert), and
        // into the history as changes made after its creation.
        KnownColumns known;
        if (item.sent_on) known.sent_on = FormatIsoDate(*item.sent_on);
        known.answer = Trim(item.answer);
        known.answered_by = Trim(item.answered_by);
        if (item.answered_on) {
          known.answered_on = FormatIsoDate(*item.answered_on);
        }
        known.decline_reason = Trim(item.decline_reason);
        if (item.declined_on) {
          known.declined_on = FormatIsoDate(*item.declined_on);
        }
        // Its wait starts now: when it started there is not known.
        if (item.state == TicketState::kWaitingForForum) {
          known.paused_since = FormatIsoDate(w.today());
        }
        int64_t id = InsertTicket(w, c, item.state,
                                  c.raised_by + item.extra_votes, note, known);
        if (item.extra_votes > 0) {
          SQLite::Statement& q = w.Prepared(
              "INSERT INTO votes (ticket_id, forum_id, count, "
              "note, at, actor) VALUES (?, NULL, ?, ?, ?, ?)");
          q.bind(1, id);
          q.bind(2, item.extra_votes);
          q.bind(3, "imported" +
                        (item.origin.empty() ? "" : " from " + item.origin));
          q.bind(4, w.at());
          q.bind(5, actor);
          q.exec();
        }
        const std::string from = item.origin.empty()
                                     ? std::string("imported")
                                     : "imported from " + item.origin;
        auto text = [](const std::string& v) {
          return v.empty() ? std::nullopt : std::optional<std::string>(v);
        };
        const std::pair<const char*, std::optional<std::string>> changes[] = {
            {"sent-on", known.sent_on},
            {"answer", text(known.answer)},
            {"answered-by", text(known.answered_by)},
            {"answered-on", known.answered_on},
            {"decline-reason", text(known.decline_reason)},
            {"declined-on", known.declined_on},
        };
        for (const auto& [field, value] : changes) {
          if (value) w.History(id, field, "", *value, from);
        }
        if (item.state != TicketState::kRaised) {
          w.History(id, "state", TicketStateName(TicketState::kRaised),
                    TicketStateName(item.state), from);
        }
        if (known.paused_since) {
          w.History(id, "paused-since", "", *known.paused_since,
                    "response clock paused");
        }
        for (const auto& [when_who, text] : item.comments) {
          w.History(id, "comment", "", text, when_who);
        }
        for (const ImportedTicket::Extra& e : item.extras) {
          w.History(id, e.field, "", e.value, e.note);
        }
        ids.push_back(id);
      } catch (const Error& e) {
        throw Error(e.kind(), where + ": " + e.what());
      }
    }
  });
  return ids;
}

Ticket Board::Get(int64_t id) const {
  std::optional<Ticket> t;
  store_.Read([&](Connection& db) { t = FindTicket(db, id); });
  if (!t) ThrowNotFound("no ticket #" + std::to_string(id));
  return std::move(*t);
}

std::vector<HistoryEntry> Board::History(int64_t id) const {
  std::vector<HistoryEntry> entries;
  bool found = false;
  store_.Read([&](Connection& db) {
    SQLite::Statement exists(db, "SELECT 1 FROM tickets WHERE id = ?");
    exists.bind(1, id);
    found = exists.executeStep();
    if (!found) return;
    SQLite::Statement q(
        db,
        "WITH RECURSIVE fam(id) AS (SELECT ?"
        "  UNION SELECT m.id FROM tickets m JOIN fam ON m.merged_into = fam.id)"
        " SELECT h.id, h.ticket_id, h.at, h.actor, h.field, h.old_value,"
        "  h.new_value, h.note FROM history h"
        " WHERE h.ticket_id IN (SELECT id FROM fam) ORDER BY h.id");
    q.bind(1, id);
    while (q.executeStep()) {
      HistoryEntry e;
      e.id = q.getColumn(0).getInt64();
      e.ticket_id = q.getColumn(1).getInt64();
      e.at = q.getColumn(2).getString();
      e.actor = q.getColumn(3).getString();
      e.field = q.getColumn(4).getString();
      e.old_value = q.getColumn(5).getString();
      e.new_value = q.getColumn(6).getString();
      e.note = q.getColumn(7).getString();
      entries.push_back(std::move(e));
    }
  });
  if (!found) ThrowNotFound("no ticket #" + std::to_string(id));
  return entries;
}

std::vector<Ticket> Board::List(const TicketFilter& filter) const {
  if (filter.as_of) return ListAsOf(filter);
  SqlWhere where;
  if (filter.since) {
    where.terms.push_back(
        "t.id IN (SELECT ticket_id FROM history WHERE at >= ?)");
    where.binds.emplace_back(StartOfLondonDayUtc(*filter.since));
  }
  if (filter.state) {
    where.terms.push_back("t.state = ?");
    where.binds.emplace_back(std::string(TicketStateName(*filter.state)));
  }
  if (!filter.include_merged && filter.state != TicketState::kMerged) {
    where.terms.push_back("t.state <> 'merged'");
  }
  if (!filter.area.empty()) {
    where.terms.push_back("t.area = ?");
    where.binds.emplace_back(ResolveArea(config_, filter.area, "a filter"));
  }
  if (!filter.theme.empty()) {
    // IN (uncorrelated) runs the subquery once, not once per ticket.
    where.terms.push_back(
        "t.id IN (SELECT ticket_id FROM ticket_themes WHERE theme = ?)");
    where.binds.emplace_back(ResolveTheme(config_, filter.theme));
  }
  if (!filter.team.empty()) {
    where.terms.push_back("t.team = ?");
    where.binds.emplace_back(ResolveTeam(config_, filter.team));
  }
  if (filter.forum_id) {
    // Raised or voted at the forum, itself or through a merged repeat.
    where.terms.push_back(
        "t.id IN (WITH RECURSIVE up(id) AS ("
        "  SELECT id FROM tickets WHERE forum_id = ?"
        "  UNION SELECT ticket_id FROM votes WHERE forum_id = ?"
        "  UNION SELECT m.merged_into FROM tickets m JOIN up ON m.id = up.id"
        "    WHERE m.merged_into IS NOT NULL)"
        " SELECT id FROM up)");
    where.binds.emplace_back(*filter.forum_id);
    where.binds.emplace_back(*filter.forum_id);
  }
  if (!filter.round.empty()) {
    auto [first, next] = RoundRange(config_, Trim(filter.round));
    // The forum's date, or the ticket's own when it has no forum.
    where.terms.push_back(
        "t.forum_id IN (SELECT id FROM forums WHERE held_on >= ? AND held_on "
        "< ?) OR (t.forum_id IS NULL AND t.raised_on >= ? AND t.raised_on < "
        "?)");
    for (int i = 0; i < 2; ++i) {
      where.binds.emplace_back(FormatIsoDate(first));
      where.binds.emplace_back(FormatIsoDate(next));
    }
  }
  std::vector<Ticket> tickets;
  store_.Read([&](Connection& db) {
    if (filter.forum_id) CheckForumExists(db, *filter.forum_id);
    tickets = LoadTickets(db, where, filter.by_votes);
  });
  return tickets;
}

// List's filters, applied in memory to the board as it stood then: the
// same names resolve the same way, and a forum counts as List counts it
// (raised there, voted there, or through a merged repeat: forum_ids).
std::vector<Ticket> Board::ListAsOf(const TicketFilter& filter) const {
  const std::string area =
      filter.area.empty() ? "" : ResolveArea(config_, filter.area, "a filter");
  const std::string theme =
      filter.theme.empty() ? "" : ResolveTheme(config_, filter.theme);
  const std::string team =
      filter.team.empty() ? "" : ResolveTeam(config_, filter.team);
  std::optional<std::pair<Date, Date>> round;
  if (!filter.round.empty()) round = RoundRange(config_, Trim(filter.round));
  std::map<int64_t, Date> held_on;
  for (const ForumRecord& f : ForumsAsOf(*filter.as_of))
    held_on[f.id] = f.held_on;
  if (filter.forum_id && held_on.count(*filter.forum_id) == 0) {
    ThrowInvalid("no forum #" + std::to_string(*filter.forum_id), "forum");
  }
  auto keep = [&](const Ticket& t) {
    const bool merged = t.state == TicketState::kMerged;
    if (filter.state ? t.state != *filter.state
                     : merged && !filter.include_merged) {
      return false;
    }
    if (!area.empty() && t.area != area) return false;
    if (!theme.empty() &&
        std::find(t.themes.begin(), t.themes.end(), theme) == t.themes.end()) {
      return false;
    }
    if (!team.empty() && t.team != team) return false;
    if (filter.forum_id && std::find(t.forum_ids.begin(), t.forum_ids.end(),
                                     *filter.forum_id) == t.forum_ids.end()) {
      return false;
    }
    if (round) {
      auto forum = t.forum_id ? held_on.find(*t.forum_id) : held_on.end();
      const Date d = forum != held_on.end() ? forum->second : t.raised_on;
      if (d < round->first || d >= round->second) return false;
    }
    return true;
  };
  std::vector<int64_t> changed;
  if (filter.since) changed = ChangedBetween(*filter.since, *filter.as_of);
  std::vector<Ticket> out;
  for (Ticket& t : AsOf(*filter.as_of)) {
    if (filter.since &&
        !std::binary_search(changed.begin(), changed.end(), t.id)) {
      continue;
    }
    if (keep(t)) out.push_back(std::move(t));
  }
  if (filter.by_votes) {
    std::stable_sort(
        out.begin(), out.end(),
        [](const Ticket& a, const Ticket& b) { return a.votes > b.votes; });
  }
  return out;
}

std::vector<Ticket> Board::AsOf(Date as_of) const {
  const std::string cutoff = EndOfLondonDayUtc(as_of);
  SqlWhere where;
  where.terms.push_back("t.created_at < ?");
  where.binds.emplace_back(cutoff);
  std::vector<Ticket> tickets;
  store_.Read([&](Connection& db) {
    tickets = LoadTickets(db, where, /*by_votes=*/false);
    std::unordered_map<int64_t, size_t> index;
    for (size_t i = 0; i < tickets.size(); ++i) index[tickets[i].id] = i;
    UndoChangesFrom(db, cutoff, tickets, index);
    GatherForumsBefore(db, cutoff, tickets, index);
    DropVerdictsFrom(db, cutoff, tickets, index);
  });
  return tickets;
}

bool Board::ChangedAfter(Date as_of) const {
  bool changed = false;
  store_.Read([&](Connection& db) {
    SQLite::Statement q(db, "SELECT 1 FROM history WHERE at >= ? LIMIT 1");
    q.bind(1, EndOfLondonDayUtc(as_of));
    changed = q.executeStep();
  });
  return changed;
}

std::vector<int64_t> Board::ChangedBetween(Date since, Date until) const {
  std::vector<int64_t> ids;
  store_.Read([&](Connection& db) {
    SQLite::Statement q(db,
                        "SELECT DISTINCT ticket_id FROM history WHERE at >= ? "
                        "AND at < ? ORDER BY ticket_id");
    q.bind(1, StartOfLondonDayUtc(since));
    q.bind(2, EndOfLondonDayUtc(until));
    while (q.executeStep()) ids.push_back(q.getColumn(0).getInt64());
  });
  return ids;
}

std::vector<Ticket> Board::ScanForSla(
    const std::function<bool(const SlaTicketRow&)>& row) const {
  std::vector<int64_t> wanted;
  std::vector<Ticket> listed;
  store_.Read([&](Connection& main) {
    // The tickets are read on a thread of their own while this one merges
    // in their themes and calls `row`: on two cores that takes a third off
    // a million-ticket report. Each has its own connection (see
    // OpenScanConnection). The tickets' snapshot, which the first step
    // takes, is what the scan and the whole tickets see.
    std::unique_ptr<Connection> tickets_db =
        OpenScanConnection(main.getFilename());
    RawQuery tickets(tickets_db->getHandle(),
                     "SELECT id, area, team, state, raised_on, sent_on, "
                     "answered_on, declined_on, merged_into, "
                     "paused_working_days, paused_since, reopened_on FROM "
                     "tickets WHERE "
                     "state <> 'merged' ORDER BY id");
    const bool any = tickets.Step();
    // The themes' snapshot is taken after the tickets', so it holds at least
    // theirs. It holds exactly their themes because a ticket's themes are
    // written with the ticket and never changed (nor are tickets deleted);
    // those of tickets added since are skipped by the merge below. Read in
    // the same merge by ticket id rather than a join that would look up
    // each ticket's themes one by one; they come from the primary key's
    // index, which holds both columns.
    std::unique_ptr<Connection> themes_db =
        OpenScanConnection(main.getFilename());
    RawQuery themes(themes_db->getHandle(),
                    "SELECT ticket_id, theme FROM ticket_themes ORDER BY "
                    "ticket_id");
    bool more_themes = themes.Step();
    int64_t theme_ticket = more_themes ? themes.Int(0) : 0;
    auto next_theme = [&] {
      more_themes = themes.Step();
      if (more_themes) theme_ticket = themes.Int(0);
    };
    // The theme texts outlive their row in `themes`; reused, so a scan
    // allocates only for the longest list.
    std::vector<std::string> theme_text;
    std::vector<std::string_view> theme_views;

    StableTexts texts;
    RowQueue queue;
    std::thread reader(ReadSlaRows, std::ref(tickets), any, std::ref(texts),
                       std::ref(queue));
    // If this thread throws, the reader stops at its next chunk.
    ReaderGuard guard(reader, queue);
    for (bool last = false; !last;) {
      RowChunk chunk = queue.Pop();
      for (SlaTicketRow& r : chunk.rows) {
        while (more_themes && theme_ticket < r.id) next_theme();
        size_t n = 0;
        for (; more_themes && theme_ticket == r.id; next_theme()) {
          const std::string_view theme = themes.Text(1);
          // As List: an empty theme (hand-edited data) is no theme.
          if (theme.empty()) continue;
          if (theme_text.size() <= n) theme_text.emplace_back();
          theme_text[n++].assign(theme);
        }
        theme_views.assign(theme_text.begin(), theme_text.begin() + n);
        r.themes = &theme_views;
        if (row(r)) wanted.push_back(r.id);
      }
      // The rows read before a failure were reported first, as they were
      // when a single thread read and reported row by row.
      if (chunk.error) std::rethrow_exception(chunk.error);
      last = chunk.last;
    }
    reader.join();
    listed = LoadTicketsById(*tickets_db, wanted);
    themes_db->exec("COMMIT");
    tickets_db->exec("COMMIT");
  });
  return listed;
}

}  // namespace focus
