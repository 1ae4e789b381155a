#include "focus/tickets_repository.h"

#include <algorithm>
#include <cstdint>
#include <exception>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <variant>
#include <vector>

#include "focus/error.h"
#include "sql_backend.h"

namespace focus {

using store_internal::Dialect;
using store_internal::SqlQuery;

namespace {

const char* ColumnName(TicketColumn column) {
  switch (column) {
    case TicketColumn::kState:
      return "state";
    case TicketColumn::kVotesTotal:
      return "votes_total";
    case TicketColumn::kSentOn:
      return "sent_on";
    case TicketColumn::kAnswer:
      return "answer";
    case TicketColumn::kAnsweredBy:
      return "answered_by";
    case TicketColumn::kAnsweredOn:
      return "answered_on";
    case TicketColumn::kDeclineReason:
      return "decline_reason";
    case TicketColumn::kDeclinedOn:
      return "declined_on";
    case TicketColumn::kMergedInto:
      return "merged_into";
    case TicketColumn::kPausedWorkingDays:
      return "paused_working_days";
    case TicketColumn::kPausedSince:
      return "paused_since";
    case TicketColumn::kReopenedOn:
      return "reopened_on";
  }
  throw Error(ErrorKind::kInternal, "unknown ticket column");
}

std::string UpdateSql(TicketColumn column) {
  return std::string("UPDATE tickets SET ") + ColumnName(column) +
         " = $1 WHERE id = $2";
}

}  // namespace

// The writes are written against the backend seam (sql_backend.h), in
// portable SQL.
int64_t TicketsRepository::Insert(const NewTicketRow& row) {
  // An id of its own only when given: PostgreSQL's identity column takes
  // no NULL for "the next free number".
  std::unique_ptr<SqlQuery> q = db_.Prepare(
      std::string("INSERT INTO tickets (title, details, area, team, state, "
                  "raised_on, forum_id, raised_by, votes_total, created_at, "
                  "sent_on, answer, answered_by, answered_on, decline_reason, "
                  "declined_on, paused_since, reopened_on") +
      (row.id ? ", id" : "") +
      ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, "
      "$14, $15, $16, $17, $18" +
      (row.id ? ", $19)" : ")"));
  // No copies: the row outlives the statement. An import writes tens of
  // thousands of these.
  q->BindRef(1, row.title)
      .BindRef(2, row.details)
      .BindRef(3, row.area)
      .BindRef(4, row.team)
      .BindRef(5, row.state)
      .BindRef(6, row.raised_on)
      .Bind(7, row.forum_id)
      .Bind(8, row.raised_by)
      .Bind(9, row.votes_total)
      .BindRef(10, row.created_at)
      .Bind(11, row.sent_on)
      .BindRef(12, row.answer)
      .BindRef(13, row.answered_by)
      .Bind(14, row.answered_on)
      .BindRef(15, row.decline_reason)
      .Bind(16, row.declined_on)
      .Bind(17, row.paused_since)
      .Bind(18, row.reopened_on);
  if (row.id) q->Bind(19, *row.id);
  q->Step();
  // A given id took no number from the sequence (PostgreSQL's lastval()
  // would fail or name another row).
  const int64_t id = row.id ? *row.id : q->InsertedId();
  if (row.id) store_internal::ContinueNumbering(db_, "tickets");
  for (size_t i = 0; i < row.themes.size(); ++i) {
    std::unique_ptr<SqlQuery> th = db_.Prepare(
        "INSERT INTO ticket_themes (ticket_id, theme, position) VALUES ($1, "
        "$2, $3)");
    th->Bind(1, id).BindRef(2, row.themes[i]).Bind(3, static_cast<int64_t>(i));
    th->Step();
  }
  return id;
}

void TicketsRepository::Set(int64_t id, TicketColumn column,
                            const std::optional<std::string>& value) {
  std::unique_ptr<SqlQuery> q = db_.Prepare(UpdateSql(column));
  q->Bind(1, value).Bind(2, id);
  q->Step();
}

void TicketsRepository::Set(int64_t id, TicketColumn column, int64_t value) {
  std::unique_ptr<SqlQuery> q = db_.Prepare(UpdateSql(column));
  q->Bind(1, value).Bind(2, id);
  q->Step();
}

bool TicketsRepository::Exists(int64_t id) {
  std::unique_ptr<SqlQuery> q =
      db_.Prepare("SELECT 1 FROM tickets WHERE id = $1");
  q->Bind(1, id);
  return q->Step();
}

void TicketsRepository::InsertVotes(int64_t ticket,
                                    std::optional<int64_t> forum_id,
                                    int64_t count, const std::string& note,
                                    const std::string& at,
                                    const std::string& actor) {
  std::unique_ptr<SqlQuery> q = db_.Prepare(
      "INSERT INTO votes (ticket_id, forum_id, count, note, at, actor) "
      "VALUES ($1, $2, $3, $4, $5, $6)");
  q->Bind(1, ticket)
      .Bind(2, forum_id)
      .Bind(3, count)
      .BindRef(4, note)
      .BindRef(5, at)
      .BindRef(6, actor);
  q->Step();
}

std::vector<VoteRow> TicketsRepository::VotesOf(int64_t id) {
  std::unique_ptr<SqlQuery> q = db_.Prepare(
      "SELECT id, forum_id, count, note, at, actor FROM votes WHERE "
      "ticket_id = $1 ORDER BY id");
  q->Bind(1, id);
  std::vector<VoteRow> rows;
  while (q->Step()) {
    VoteRow v;
    v.id = q->Int(0);
    if (!q->IsNull(1)) v.forum_id = q->Int(1);
    v.count = q->Int(2);
    v.note = q->Text(3);
    v.at = q->Text(4);
    v.actor = q->Text(5);
    rows.push_back(std::move(v));
  }
  return rows;
}

void TicketsRepository::InsertVerdict(int64_t ticket, int64_t forum_id,
                                      const std::string& verdict,
                                      const std::string& note,
                                      const std::string& answered_on,
                                      const std::string& at,
                                      const std::string& actor) {
  std::unique_ptr<SqlQuery> q = db_.Prepare(
      "INSERT INTO verdicts (ticket_id, forum_id, verdict, note, answered_on, "
      "at, actor) VALUES ($1, $2, $3, $4, $5, $6, $7)");
  q->Bind(1, ticket)
      .Bind(2, forum_id)
      .BindRef(3, verdict)
      .BindRef(4, note)
      .BindRef(5, answered_on)
      .BindRef(6, at)
      .BindRef(7, actor);
  q->Step();
}

void TicketsRepository::AppendHistory(int64_t ticket, const std::string& at,
                                      const std::string& actor,
                                      const std::string& field,
                                      const std::string& old_value,
                                      const std::string& new_value,
                                      const std::string& note) {
  std::unique_ptr<SqlQuery> q = db_.Prepare(
      "INSERT INTO history (ticket_id, at, actor, field, old_value, "
      "new_value, note) VALUES ($1, $2, $3, $4, $5, $6, $7)");
  // No copies: an import writes hundreds of thousands of these.
  q->Bind(1, ticket)
      .BindRef(2, at)
      .BindRef(3, actor)
      .BindRef(4, field)
      .BindRef(5, old_value)
      .BindRef(6, new_value)
      .BindRef(7, note);
  q->Step();
}

namespace {

using Value = std::variant<int64_t, std::string>;

// A WHERE clause and its values; the terms' parameters are $1, $2, ... in
// the order of `binds` (Param() gives the next one). Terms may use `t.` for
// tickets.
struct SqlWhere {
  std::vector<std::string> terms;
  std::vector<Value> binds;
  // On PostgreSQL, the same ticket ids as a term on another table's ticket
  // column (see AddIds); "" if the query is not by ids.
  std::string ids_array_param;

  // The parameter for the value about to be added to `binds`.
  std::string Param(size_t ahead = 0) const {
    return "$" + std::to_string(binds.size() + 1 + ahead);
  }

  std::string Sql() const {
    if (terms.empty()) return "1 = 1";
    std::string out;
    for (const std::string& t : terms) {
      if (!out.empty()) out += " AND ";
      out += "(" + t + ")";
    }
    return out;
  }

  void BindTo(SqlQuery& q) const {
    int i = 1;
    for (const Value& v : binds) {
      if (const auto* n = std::get_if<int64_t>(&v)) {
        q.Bind(i++, *n);
      } else {
        q.Bind(i++, std::get<std::string>(v));
      }
    }
  }
};

void AddIds(SqlWhere& where, const std::vector<int64_t>& ids, Dialect dialect) {
  if (ids.size() == 1) {
    where.terms.push_back("t.id = " + where.Param());
    where.binds.emplace_back(ids.front());
    return;
  }
  // One bound list rather than a statement per ticket: a JSON array for
  // SQLite, an array literal for PostgreSQL. The two variants live here.
  const bool sqlite = dialect == Dialect::kSqlite;
  std::string list = sqlite ? "[" : "{";
  for (int64_t id : ids) {
    list += std::to_string(id);
    list += ',';
  }
  list.back() = sqlite ? ']' : '}';
  if (!sqlite) where.ids_array_param = where.Param();
  where.terms.push_back(
      sqlite ? "t.id IN (SELECT value FROM json_each(" + where.Param() + "))"
             : "t.id = ANY(CAST(" + where.Param() + " AS BIGINT[]))");
  where.binds.emplace_back(std::move(list));
}

// `where` for rows of another table joined to `t` by `column`. PostgreSQL
// does not carry t.id = ANY(...) over the join as it carries t.id = $1:
// given only that, it reads the whole of the other table. Said of `column`
// too, it looks the ids up in that table's index.
std::string JoinedSql(const SqlWhere& where, const std::string& column) {
  if (where.ids_array_param.empty()) return where.Sql();
  return where.Sql() + " AND " + column + " = ANY(CAST(" +
         where.ids_array_param + " AS BIGINT[]))";
}

void AddForum(SqlWhere& where, int64_t forum_id) {
  where.terms.push_back(
      "t.id IN (WITH RECURSIVE up(id) AS ("
      "  SELECT id FROM tickets WHERE forum_id = " +
      where.Param() +
      "  UNION SELECT ticket_id FROM votes WHERE forum_id = " + where.Param(1) +
      "  UNION SELECT m.merged_into FROM tickets m JOIN up ON m.id = up.id"
      "    WHERE m.merged_into IS NOT NULL)"
      " SELECT id FROM up)");
  where.binds.emplace_back(forum_id);
  where.binds.emplace_back(forum_id);
}

void AddHeldIn(SqlWhere& where, const std::pair<std::string, std::string>& in) {
  // The forum's date, or the ticket's own when it has no forum.
  where.terms.push_back(
      "t.forum_id IN (SELECT id FROM forums WHERE held_on >= " + where.Param() +
      " AND held_on < " + where.Param(1) +
      ") OR (t.forum_id IS NULL AND t.raised_on >= " + where.Param(2) +
      " AND t.raised_on < " + where.Param(3) + ")");
  for (int i = 0; i < 2; ++i) {
    where.binds.emplace_back(in.first);
    where.binds.emplace_back(in.second);
  }
}

SqlWhere WhereOf(const TicketQuery& q, Dialect dialect) {
  SqlWhere where;
  if (q.ids) AddIds(where, *q.ids, dialect);
  if (q.created_before) {
    where.terms.push_back("t.created_at < " + where.Param());
    where.binds.emplace_back(*q.created_before);
  }
  if (q.changed_since) {
    where.terms.push_back(
        "t.id IN (SELECT ticket_id FROM history WHERE at >= " + where.Param() +
        ")");
    where.binds.emplace_back(*q.changed_since);
  }
  if (q.state) {
    where.terms.push_back("t.state = " + where.Param());
    where.binds.emplace_back(*q.state);
  }
  if (q.exclude_merged) where.terms.push_back("t.state <> 'merged'");
  if (q.area) {
    where.terms.push_back("t.area = " + where.Param());
    where.binds.emplace_back(*q.area);
  }
  if (q.theme) {
    // IN (uncorrelated) runs the subquery once, not once per ticket.
    where.terms.push_back(
        "t.id IN (SELECT ticket_id FROM ticket_themes WHERE theme = " +
        where.Param() + ")");
    where.binds.emplace_back(*q.theme);
  }
  if (q.team) {
    where.terms.push_back("t.team = " + where.Param());
    where.binds.emplace_back(*q.team);
  }
  if (q.forum_id) AddForum(where, *q.forum_id);
  if (q.held_in) AddHeldIn(where, *q.held_in);
  return where;
}

// The statement `sql`, with `where`'s values bound.
std::unique_ptr<SqlQuery> Select(Connection& db, const SqlWhere& where,
                                 const std::string& sql) {
  std::unique_ptr<SqlQuery> p = db.Prepare(sql);
  where.BindTo(*p);
  return p;
}

std::optional<std::string> OptionalText(const SqlQuery& q, int column) {
  if (q.IsNull(column)) return std::nullopt;
  return q.Text(column);
}

std::optional<int64_t> OptionalId(const SqlQuery& q, int column) {
  if (q.IsNull(column)) return std::nullopt;
  return q.Int(column);
}

constexpr const char* kTicketColumns =
    "t.id, t.title, t.details, t.area, t.team, t.state, t.raised_on, "
    "t.forum_id, t.raised_by, t.votes_total, t.sent_on, t.answer, "
    "t.answered_by, t.answered_on, t.decline_reason, t.declined_on, "
    "t.merged_into, t.paused_working_days, t.paused_since, t.reopened_on";

// A row of kTicketColumns.
TicketRow TicketFromRow(const SqlQuery& q) {
  TicketRow t;
  t.id = q.Int(0);
  t.title = q.Text(1);
  t.details = q.Text(2);
  t.area = q.Text(3);
  t.team = q.Text(4);
  t.state = q.Text(5);
  t.raised_on = q.Text(6);
  t.forum_id = OptionalId(q, 7);
  t.raised_by = q.Int(8);
  t.votes_total = q.Int(9);
  t.sent_on = OptionalText(q, 10);
  t.answer = q.Text(11);
  t.answered_by = q.Text(12);
  t.answered_on = OptionalText(q, 13);
  t.decline_reason = q.Text(14);
  t.declined_on = OptionalText(q, 15);
  t.merged_into = OptionalId(q, 16);
  t.paused_working_days = q.Int(17);
  t.paused_since = OptionalText(q, 18);
  t.reopened_on = OptionalText(q, 19);
  if (t.forum_id) t.forum_ids.push_back(*t.forum_id);
  return t;
}

// Tickets being loaded, and where each is by id.
struct LoadedTickets {
  std::vector<TicketRow> tickets;
  std::unordered_map<int64_t, size_t> index;

  // The ticket whose id is in column `id`, or null if it is not loaded.
  TicketRow* Find(int64_t id) {
    auto it = index.find(id);
    return it == index.end() ? nullptr : &tickets[it->second];
  }
};

void ReadTickets(Connection& db, const SqlWhere& where, bool by_votes,
                 LoadedTickets& loaded) {
  std::unique_ptr<SqlQuery> p = Select(
      db, where,
      std::string("SELECT ") + kTicketColumns + " FROM tickets t WHERE " +
          where.Sql() +
          (by_votes ? " ORDER BY t.votes_total DESC, t.id" : " ORDER BY t.id"));
  SqlQuery& q = *p;
  while (q.Step()) {
    TicketRow t = TicketFromRow(q);
    loaded.index.emplace(t.id, loaded.tickets.size());
    loaded.tickets.push_back(std::move(t));
  }
}

// Themes in the order they were given: `position` is 0, 1, 2, ...
void ReadThemes(Connection& db, const SqlWhere& where, LoadedTickets& loaded) {
  std::unique_ptr<SqlQuery> p =
      Select(db, where,
             "SELECT tt.ticket_id, tt.position, tt.theme FROM ticket_themes tt "
             "JOIN tickets t ON t.id = tt.ticket_id WHERE " +
                 JoinedSql(where, "tt.ticket_id"));
  SqlQuery& q = *p;
  while (q.Step()) {
    TicketRow* t = loaded.Find(q.Int(0));
    int64_t position = q.Int(1);
    if (t == nullptr || position < 0 || position > 1000) continue;
    if (t->themes.size() <= static_cast<size_t>(position)) {
      t->themes.resize(position + 1);
    }
    t->themes[position] = q.Text(2);
  }
}

// Rows of (ticket id, forum id): a forum that raised or voted for it.
void AddForums(SqlQuery& q, LoadedTickets& loaded) {
  while (q.Step()) {
    if (TicketRow* t = loaded.Find(q.Int(0))) {
      t->forum_ids.push_back(q.Int(1));
    }
  }
}

// The forums that voted for each ticket, and those that raised or voted for
// tickets merged into it.
void ReadForums(Connection& db, const SqlWhere& where, LoadedTickets& loaded) {
  {
    std::unique_ptr<SqlQuery> p =
        Select(db, where,
               "SELECT v.ticket_id, v.forum_id FROM votes v JOIN tickets t ON "
               "t.id = v.ticket_id WHERE v.forum_id IS NOT NULL AND " +
                   JoinedSql(where, "v.ticket_id"));
    AddForums(*p, loaded);
  }
  {
    // However deep the chain of merges. Seeded only by tickets that have
    // repeats.
    std::unique_ptr<SqlQuery> p =
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

void ReadVerdicts(Connection& db, const SqlWhere& where,
                  LoadedTickets& loaded) {
  std::unique_ptr<SqlQuery> p =
      Select(db, where,
             "SELECT v.ticket_id, v.id, v.forum_id, f.area, "
             "f.held_on, v.verdict, v.note, v.answered_on, v.at, v.actor "
             "FROM verdicts v JOIN forums f ON f.id = "
             "v.forum_id JOIN tickets t ON t.id = "
             "v.ticket_id WHERE " +
                 JoinedSql(where, "v.ticket_id") + " ORDER BY v.id");
  SqlQuery& q = *p;
  while (q.Step()) {
    TicketRow* t = loaded.Find(q.Int(0));
    if (t == nullptr) continue;
    VerdictRow v;
    v.id = q.Int(1);
    v.forum_id = q.Int(2);
    v.area = q.Text(3);
    v.held_on = q.Text(4);
    v.verdict = q.Text(5);
    v.note = q.Text(6);
    v.answered_on = q.Text(7);
    v.at = q.Text(8);
    v.actor = q.Text(9);
    t->verdicts.push_back(std::move(v));
  }
}

}  // namespace

// Sorting and de-duplicating happen here rather than in SQL, where they
// cost more than the queries themselves.
std::vector<TicketRow> TicketsRepository::Select(const TicketQuery& query) {
  if (query.ids && query.ids->empty()) return {};
  const SqlWhere where = WhereOf(query, db_.dialect());
  LoadedTickets loaded;
  ReadTickets(db_, where, query.by_votes, loaded);
  if (loaded.tickets.empty()) return std::move(loaded.tickets);
  ReadThemes(db_, where, loaded);
  ReadForums(db_, where, loaded);
  ReadVerdicts(db_, where, loaded);
  for (TicketRow& t : loaded.tickets) {
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

std::vector<TicketsRepository::FieldChange> TicketsRepository::ChangesFrom(
    const std::string& cutoff) {
  std::unique_ptr<SqlQuery> q = db_.Prepare(
      "SELECT ticket_id, field, old_value FROM history WHERE at >= $1 ORDER "
      "BY id");
  q->Bind(1, cutoff);
  std::vector<FieldChange> out;
  while (q->Step()) {
    out.push_back({q->Int(0), q->Text(1), q->Text(2)});
  }
  return out;
}

namespace {

// The (int, int) rows of `sql` with `text` bound to its one `$1`.
std::vector<std::pair<int64_t, int64_t>> Pairs(Connection& db, const char* sql,
                                               const std::string& text) {
  std::unique_ptr<SqlQuery> q = db.Prepare(sql);
  q->Bind(1, text);
  std::vector<std::pair<int64_t, int64_t>> out;
  while (q->Step()) {
    out.emplace_back(q->Int(0), q->Int(1));
  }
  return out;
}

}  // namespace

std::vector<std::pair<int64_t, int64_t>> TicketsRepository::VerdictsFrom(
    const std::string& cutoff) {
  return Pairs(db_, "SELECT ticket_id, id FROM verdicts WHERE at >= $1",
               cutoff);
}

std::vector<std::pair<int64_t, int64_t>> TicketsRepository::ForumVotesBefore(
    const std::string& cutoff) {
  return Pairs(db_,
               "SELECT ticket_id, forum_id FROM votes WHERE forum_id IS NOT "
               "NULL AND at < $1",
               cutoff);
}

bool TicketsRepository::ChangedFrom(const std::string& from) {
  std::unique_ptr<SqlQuery> q =
      db_.Prepare("SELECT 1 FROM history WHERE at >= $1 LIMIT 1");
  q->Bind(1, from);
  return q->Step();
}

std::vector<int64_t> TicketsRepository::ChangedBetween(
    const std::string& from, const std::string& until) {
  std::unique_ptr<SqlQuery> q = db_.Prepare(
      "SELECT DISTINCT ticket_id FROM history WHERE at >= $1 AND at < $2 "
      "ORDER BY ticket_id");
  q->Bind(1, from);
  q->Bind(2, until);
  std::vector<int64_t> ids;
  while (q->Step()) ids.push_back(q->Int(0));
  return ids;
}

std::vector<HistoryRow> TicketsRepository::HistoryOfFamily(int64_t id) {
  std::unique_ptr<SqlQuery> q = db_.Prepare(
      "WITH RECURSIVE fam(id) AS (SELECT CAST($1 AS BIGINT)"
      "  UNION SELECT m.id FROM tickets m JOIN fam ON m.merged_into = fam.id)"
      " SELECT h.id, h.ticket_id, h.at, h.actor, h.field, h.old_value,"
      "  h.new_value, h.note FROM history h"
      " WHERE h.ticket_id IN (SELECT id FROM fam) ORDER BY h.id");
  q->Bind(1, id);
  std::vector<HistoryRow> rows;
  while (q->Step()) {
    HistoryRow e;
    e.id = q->Int(0);
    e.ticket_id = q->Int(1);
    e.at = q->Text(2);
    e.actor = q->Text(3);
    e.field = q->Text(4);
    e.old_value = q->Text(5);
    e.new_value = q->Text(6);
    e.note = q->Text(7);
    rows.push_back(std::move(e));
  }
  return rows;
}

namespace {

// SQLite's page cache size (negative: KiB), or nullopt on an engine that
// has no per-connection cache to raise.
std::optional<int64_t> CacheSize(Connection& db) {
  if (db.dialect() != Dialect::kSqlite) return std::nullopt;
  std::unique_ptr<SqlQuery> q = db.Prepare("PRAGMA cache_size");
  q->Step();
  return q->Int(0);
}

}  // namespace

LargeWrite::LargeWrite(Connection& db, size_t tickets)
    : db_(db), old_(CacheSize(db).value_or(0)) {
  // Negative sizes are KiB, positive ones pages.
  const int64_t want =
      -std::min<int64_t>(64 * 1024, 4 * static_cast<int64_t>(tickets));
  raised_ = old_ < 0 && want < old_;
  if (raised_) db_.Exec("PRAGMA cache_size = " + std::to_string(want));
  // SQLite only: its indexes are rebuilt by one sort each. PostgreSQL keeps
  // its indexes (it has no such cheap rebuild inside a transaction).
  if (db_.dialect() != Dialect::kSqlite) return;
  std::unique_ptr<SqlQuery> size =
      db_.Prepare("SELECT ifnull(max(id), 0) FROM tickets");
  size->Step();
  if (size->Int(0) >= static_cast<int64_t>(tickets)) return;
  std::unique_ptr<SqlQuery> q = db_.Prepare(
      "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS "
      "NOT NULL AND tbl_name IN ('tickets', 'ticket_themes', 'votes', "
      "'history')");
  std::vector<std::string> names;
  while (q->Step()) {
    names.push_back(q->Text(0));
    dropped_.push_back(q->Text(1));
  }
  q.reset();
  size.reset();
  for (const std::string& name : names) {
    db_.Exec("DROP INDEX \"" + name + "\"");
  }
}

void LargeWrite::Finish() {
  for (const std::string& sql : dropped_) db_.Exec(sql);
  dropped_.clear();
}

LargeWrite::~LargeWrite() {
  if (!raised_) return;
  try {
    db_.Exec("PRAGMA cache_size = " + std::to_string(old_));
  } catch (const std::exception&) {
    // Only a cache size: the next connection starts from the default.
  }
}

}  // namespace focus
