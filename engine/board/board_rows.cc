// Reading the board's rows into tickets and forums.
#include <SQLiteCpp/SQLiteCpp.h>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <variant>
#include <vector>

#include "board_internal.h"
#include "focus/error.h"

namespace focus::board_internal {
namespace {

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

// Tickets being loaded, and where each is by id.
struct LoadedTickets {
  std::vector<Ticket> tickets;
  std::unordered_map<int64_t, size_t> index;

  // The ticket whose id is in column `id`, or null if it is not loaded.
  Ticket* Find(const SQLite::Column& id) {
    auto it = index.find(id.getInt64());
    return it == index.end() ? nullptr : &tickets[it->second];
  }
};

// A row of kTicketColumns.
Ticket TicketFromRow(SQLite::Statement& q) {
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
  return t;
}

void ReadTickets(Connection& db, const SqlWhere& where, bool by_votes,
                 LoadedTickets& loaded) {
  PreparedStatement p = Select(
      db, where,
      std::string("SELECT ") + kTicketColumns + " FROM tickets t WHERE " +
          where.Sql() +
          (by_votes ? " ORDER BY t.votes_total DESC, t.id" : " ORDER BY t.id"));
  SQLite::Statement& q = *p;
  while (q.executeStep()) {
    Ticket t = TicketFromRow(q);
    loaded.index.emplace(t.id, loaded.tickets.size());
    loaded.tickets.push_back(std::move(t));
  }
}

// Themes in the order they were given: `position` is 0, 1, 2, ...
void ReadThemes(Connection& db, const SqlWhere& where, LoadedTickets& loaded) {
  PreparedStatement p =
      Select(db, where,
             "SELECT tt.ticket_id, tt.position, tt.theme FROM "
             "ticket_themes tt JOIN tickets t ON t.id = "
             "tt.ticket_id WHERE " +
                 where.Sql());
  SQLite::Statement& q = *p;
  while (q.executeStep()) {
    Ticket* t = loaded.Find(q.getColumn(0));
    int64_t position = q.getColumn(1).getInt64();
    if (t == nullptr || position < 0 || position > 1000) continue;
    if (t->themes.size() <= static_cast<size_t>(position)) {
      t->themes.resize(position + 1);
    }
    t->themes[position] = q.getColumn(2).getString();
  }
}

// Rows of (ticket id, forum id): a forum that raised or voted for it.
void AddForums(SQLite::Statement& q, LoadedTickets& loaded) {
  while (q.executeStep()) {
    if (Ticket* t = loaded.Find(q.getColumn(0))) {
      t->forum_ids.push_back(q.getColumn(1).getInt64());
    }
  }
}

// The forums that voted for each ticket, and those that raised or voted for
// tickets merged into it.
void ReadForums(Connection& db, const SqlWhere& where, LoadedTickets& loaded) {
  {
    // Forums that voted for the ticket itself.
    PreparedStatement p =
        Select(db, where,
               "SELECT v.ticket_id, v.forum_id FROM votes v JOIN "
               "tickets t ON t.id = v.ticket_id WHERE v.forum_id IS "
               "NOT NULL AND " +
                   where.Sql());
    AddForums(*p, loaded);
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
    AddForums(*p, loaded);
  }
}

// The forums' verdicts, oldest first.
void ReadVerdicts(Connection& db, const SqlWhere& where,
                  LoadedTickets& loaded) {
  PreparedStatement p = Select(db, where,
                               "SELECT v.ticket_id, v.id, v.forum_id, f.area, "
                               "f.held_on, v.verdict, v.note, v.answered_on "
                               "FROM verdicts v JOIN forums f ON f.id = "
                               "v.forum_id JOIN tickets t ON t.id = "
                               "v.ticket_id WHERE " +
                                   where.Sql() + " ORDER BY v.id");
  SQLite::Statement& q = *p;
  while (q.executeStep()) {
    Ticket* t = loaded.Find(q.getColumn(0));
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
    v.answered_on = DateColumn(q.getColumn(7), v.id, "answered_on of verdict");
    t->verdicts.push_back(std::move(v));
  }
}

}  // namespace

std::string SqlWhere::Sql() const {
  if (terms.empty()) return "1";
  std::string out;
  for (const std::string& t : terms) {
    if (!out.empty()) out += " AND ";
    out += "(" + t + ")";
  }
  return out;
}

void SqlWhere::BindTo(SQLite::Statement& q, int first) const {
  int i = first;
  for (const Value& v : binds) {
    if (const auto* n = std::get_if<int64_t>(&v)) {
      q.bind(i++, *n);
    } else {
      q.bind(i++, std::get<std::string>(v));
    }
  }
}

Date StoredDate(const std::string& text, int64_t row, const char* what) {
  std::optional<Date> d = ParseIsoDate(text);
  if (!d) {
    ThrowIo("the board database is damaged: " + std::string(what) + " of #" +
            std::to_string(row) + " is '" + Shown(text) + "', not a date");
  }
  return *d;
}

TicketState StoredState(const std::string& text, int64_t row) {
  std::optional<TicketState> s = ParseTicketState(text);
  if (!s) {
    ThrowIo("the board database is damaged: ticket #" + std::to_string(row) +
            " has the unknown state '" + Shown(text) + "'");
  }
  return *s;
}

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

// In five queries whatever the number of tickets (tickets, themes, forums
// voted at, forums of merged repeats, verdicts): the SLA report lists every
// ticket. Sorting and de-duplicating happen here rather than in SQL, where
// they cost more than the queries themselves.
std::vector<Ticket> LoadTickets(Connection& db, const SqlWhere& where,
                                bool by_votes) {
  LoadedTickets loaded;
  ReadTickets(db, where, by_votes, loaded);
  if (loaded.tickets.empty()) return std::move(loaded.tickets);
  ReadThemes(db, where, loaded);
  ReadForums(db, where, loaded);
  ReadVerdicts(db, where, loaded);
  for (Ticket& t : loaded.tickets) {
    // A gap in positions (hand-edited data) leaves an empty slot.
    t.themes.erase(std::remove(t.themes.begin(), t.themes.end(), ""),
                   t.themes.end());
    if (t.forum_ids.size() > 1) {
      std::sort(t.forum_ids.begin(), t.forum_ids.end());
      t.forum_ids.erase(std::unique(t.forum_ids.begin(), t.forum_ids.end()),
                        t.forum_ids.end());
    }
  }
  return std::move(loaded.tickets);
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

std::vector<ForumRecord> LoadForums(
    SQLite::Database& db, std::optional<int64_t> only,
    const std::optional<std::string>& recorded_before) {
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

}  // namespace focus::board_internal
