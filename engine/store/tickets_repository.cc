#include "focus/tickets_repository.h"

#include <SQLiteCpp/SQLiteCpp.h>

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
#include "focus/sql_connection.h"
#include "sql_backend.h"

namespace focus {

using store_internal::SqliteSession;
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
  SqliteSession session(db_);
  std::unique_ptr<SqlQuery> q = session.Prepare(
      "INSERT INTO tickets (title, details, area, team, state, raised_on, "
      "forum_id, raised_by, votes_total, created_at, sent_on, answer, "
      "answered_by, answered_on, decline_reason, declined_on, paused_since, "
      "id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, "
      "$14, $15, $16, $17, $18)");
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
      .Bind(18, row.id);  // NULL: the next free number.
  q->Step();
  const int64_t id = q->InsertedId();
  for (size_t i = 0; i < row.themes.size(); ++i) {
    std::unique_ptr<SqlQuery> th = session.Prepare(
        "INSERT INTO ticket_themes (ticket_id, theme, position) VALUES ($1, "
        "$2, $3)");
    th->Bind(1, id).BindRef(2, row.themes[i]).Bind(3, static_cast<int64_t>(i));
    th->Step();
  }
  return id;
}

void TicketsRepository::Set(int64_t id, TicketColumn column,
                            const std::optional<std::string>& value) {
  std::unique_ptr<SqlQuery> q = SqliteSession(db_).Prepare(UpdateSql(column));
  q->Bind(1, value).Bind(2, id);
  q->Step();
}

void TicketsRepository::Set(int64_t id, TicketColumn column, int64_t value) {
  std::unique_ptr<SqlQuery> q = SqliteSession(db_).Prepare(UpdateSql(column));
  q->Bind(1, value).Bind(2, id);
  q->Step();
}

bool TicketsRepository::Exists(int64_t id) {
  std::unique_ptr<SqlQuery> q =
      SqliteSession(db_).Prepare("SELECT 1 FROM tickets WHERE id = $1");
  q->Bind(1, id);
  return q->Step();
}

void TicketsRepository::InsertVotes(int64_t ticket,
                                    std::optional<int64_t> forum_id,
                                    int64_t count, const std::string& note,
                                    const std::string& at,
                                    const std::string& actor) {
  std::unique_ptr<SqlQuery> q = SqliteSession(db_).Prepare(
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
  std::unique_ptr<SqlQuery> q = SqliteSession(db_).Prepare(
      "SELECT forum_id, count, note, at, actor FROM votes WHERE ticket_id = "
      "$1 ORDER BY id");
  q->Bind(1, id);
  std::vector<VoteRow> rows;
  while (q->Step()) {
    VoteRow v;
    if (!q->IsNull(0)) v.forum_id = q->Int(0);
    v.count = q->Int(1);
    v.note = q->Text(2);
    v.at = q->Text(3);
    v.actor = q->Text(4);
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
  std::unique_ptr<SqlQuery> q = SqliteSession(db_).Prepare(
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
  std::unique_ptr<SqlQuery> q = SqliteSession(db_).Prepare(
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

// A WHERE clause and its values, in the order the `?` appear; terms may use
// `t.` for tickets.
struct SqlWhere {
  std::vector<std::string> terms;
  std::vector<Value> binds;

  std::string Sql() const {
    if (terms.empty()) return "1";
    std::string out;
    for (const std::string& t : terms) {
      if (!out.empty()) out += " AND ";
      out += "(" + t + ")";
    }
    return out;
  }

  void BindTo(SQLite::Statement& q) const {
    int i = 1;
    for (const Value& v : binds) {
      if (const auto* n = std::get_if<int64_t>(&v)) {
        q.bind(i++, *n);
      } else {
        q.bind(i++, std::get<std::string>(v));
      }
    }
  }
};

void AddIds(SqlWhere& where, const std::vector<int64_t>& ids) {
  if (ids.size() == 1) {
    where.terms.push_back("t.id = ?");
    where.binds.emplace_back(ids.front());
    return;
  }
  // One bound JSON array rather than a statement per ticket.
  std::string list = "[";
  for (int64_t id : ids) {
    list += std::to_string(id);
    list += ',';
  }
  list.back() = ']';
  where.terms.push_back("t.id IN (SELECT value FROM json_each(?))");
  where.binds.emplace_back(std::move(list));
}

void AddForum(SqlWhere& where, int64_t forum_id) {
  where.terms.push_back(
      "t.id IN (WITH RECURSIVE up(id) AS ("
      "  SELECT id FROM tickets WHERE forum_id = ?"
      "  UNION SELECT ticket_id FROM votes WHERE forum_id = ?"
      "  UNION SELECT m.merged_into FROM tickets m JOIN up ON m.id = up.id"
      "    WHERE m.merged_into IS NOT NULL)"
      " SELECT id FROM up)");
  where.binds.emplace_back(forum_id);
  where.binds.emplace_back(forum_id);
}

void AddHeldIn(SqlWhere& where, const std::pair<std::string, std::string>& in) {
  // The forum's date, or the ticket's own when it has no forum.
  where.terms.push_back(
      "t.forum_id IN (SELECT id FROM forums WHERE held_on >= ? AND held_on "
      "< ?) OR (t.forum_id IS NULL AND t.raised_on >= ? AND t.raised_on < ?)");
  for (int i = 0; i < 2; ++i) {
    where.binds.emplace_back(in.first);
    where.binds.emplace_back(in.second);
  }
}

SqlWhere WhereOf(const TicketQuery& q) {
  SqlWhere where;
  if (q.ids) AddIds(where, *q.ids);
  if (q.created_before) {
    where.terms.push_back("t.created_at < ?");
    where.binds.emplace_back(*q.created_before);
  }
  if (q.changed_since) {
    where.terms.push_back(
        "t.id IN (SELECT ticket_id FROM history WHERE at >= ?)");
    where.binds.emplace_back(*q.changed_since);
  }
  if (q.state) {
    where.terms.push_back("t.state = ?");
    where.binds.emplace_back(*q.state);
  }
  if (q.exclude_merged) where.terms.push_back("t.state <> 'merged'");
  if (q.area) {
    where.terms.push_back("t.area = ?");
    where.binds.emplace_back(*q.area);
  }
  if (q.theme) {
    // IN (uncorrelated) runs the subquery once, not once per ticket.
    where.terms.push_back(
        "t.id IN (SELECT ticket_id FROM ticket_themes WHERE theme = ?)");
    where.binds.emplace_back(*q.theme);
  }
  if (q.team) {
    where.terms.push_back("t.team = ?");
    where.binds.emplace_back(*q.team);
  }
  if (q.forum_id) AddForum(where, *q.forum_id);
  if (q.held_in) AddHeldIn(where, *q.held_in);
  return where;
}

// The statement `sql`, with `where`'s values bound.
PreparedStatement Select(Connection& db, const SqlWhere& where,
                         const std::string& sql) {
  PreparedStatement p = db.Prepare(sql);
  where.BindTo(*p);
  return p;
}

std::optional<std::string> OptionalText(const SQLite::Column& c) {
  if (c.isNull()) return std::nullopt;
  return c.getString();
}

std::optional<int64_t> OptionalId(const SQLite::Column& c) {
  if (c.isNull()) return std::nullopt;
  return c.getInt64();
}

constexpr const char* kTicketColumns =
    "t.id, t.title, t.details, t.area, t.team, t.state, t.raised_on, "
    "t.forum_id, t.raised_by, t.votes_total, t.sent_on, t.answer, "
    "t.answered_by, t.answered_on, t.decline_reason, t.declined_on, "
    "t.merged_into, t.paused_working_days, t.paused_since, t.reopened_on";

// A row of kTicketColumns.
TicketRow TicketFromRow(SQLite::Statement& q) {
  TicketRow t;
  t.id = q.getColumn(0).getInt64();
  t.title = q.getColumn(1).getString();
  t.details = q.getColumn(2).getString();
  t.area = q.getColumn(3).getString();
  t.team = q.getColumn(4).getString();
  t.state = q.getColumn(5).getString();
  t.raised_on = q.getColumn(6).getString();
  t.forum_id = OptionalId(q.getColumn(7));
  t.raised_by = q.getColumn(8).getInt64();
  t.votes_total = q.getColumn(9).getInt64();
  t.sent_on = OptionalText(q.getColumn(10));
  t.answer = q.getColumn(11).getString();
  t.answered_by = q.getColumn(12).getString();
  t.answered_on = OptionalText(q.getColumn(13));
  t.decline_reason = q.getColumn(14).getString();
  t.declined_on = OptionalText(q.getColumn(15));
  t.merged_into = OptionalId(q.getColumn(16));
  t.paused_working_days = q.getColumn(17).getInt64();
  t.paused_since = OptionalText(q.getColumn(18));
  t.reopened_on = OptionalText(q.getColumn(19));
  if (t.forum_id) t.forum_ids.push_back(*t.forum_id);
  return t;
}

// Tickets being loaded, and where each is by id.
struct LoadedTickets {
  std::vector<TicketRow> tickets;
  std::unordered_map<int64_t, size_t> index;

  // The ticket whose id is in column `id`, or null if it is not loaded.
  TicketRow* Find(const SQLite::Column& id) {
    auto it = index.find(id.getInt64());
    return it == index.end() ? nullptr : &tickets[it->second];
  }
};

void ReadTickets(Connection& db, const SqlWhere& where, bool by_votes,
                 LoadedTickets& loaded) {
  PreparedStatement p = Select(
      db, where,
      std::string("SELECT ") + kTicketColumns + " FROM tickets t WHERE " +
          where.Sql() +
          (by_votes ? " ORDER BY t.votes_total DESC, t.id" : " ORDER BY t.id"));
  SQLite::Statement& q = *p;
  while (q.executeStep()) {
    TicketRow t = TicketFromRow(q);
    loaded.index.emplace(t.id, loaded.tickets.size());
    loaded.tickets.push_back(std::move(t));
  }
}

// Themes in the order they were given: `position` is 0, 1, 2, ...
void ReadThemes(Connection& db, const SqlWhere& where, LoadedTickets& loaded) {
  PreparedStatement p =
      Select(db, where,
             "SELECT tt.ticket_id, tt.position, tt.theme FROM ticket_themes tt "
             "JOIN tickets t ON t.id = tt.ticket_id WHERE " +
                 where.Sql());
  SQLite::Statement& q = *p;
  while (q.executeStep()) {
    TicketRow* t = loaded.Find(q.getColumn(0));
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
    if (TicketRow* t = loaded.Find(q.getColumn(0))) {
      t->forum_ids.push_back(q.getColumn(1).getInt64());
    }
  }
}

// The forums that voted for each ticket, and those that raised or voted for
// tickets merged into it.
void ReadForums(Connection& db, const SqlWhere& where, LoadedTickets& loaded) {
  {
    PreparedStatement p =
        Select(db, where,
               "SELECT v.ticket_id, v.forum_id FROM votes v JOIN tickets t ON "
               "t.id = v.ticket_id WHERE v.forum_id IS NOT NULL AND " +
                   where.Sql());
    AddForums(*p, loaded);
  }
  {
    // However deep the chain of merges. Seeded only by tickets that have
    // repeats.
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
    TicketRow* t = loaded.Find(q.getColumn(0));
    if (t == nullptr) continue;
    VerdictRow v;
    v.id = q.getColumn(1).getInt64();
    v.forum_id = q.getColumn(2).getInt64();
    v.area = q.getColumn(3).getString();
    v.held_on = q.getColumn(4).getString();
    v.verdict = q.getColumn(5).getString();
    v.note = q.getColumn(6).getString();
    v.answered_on = q.getColumn(7).getString();
    t->verdicts.push_back(std::move(v));
  }
}

}  // namespace

// Sorting and de-duplicating happen here rather than in SQL, where they
// cost more than the queries themselves.
std::vector<TicketRow> TicketsRepository::Select(const TicketQuery& query) {
  if (query.ids && query.ids->empty()) return {};
  const SqlWhere where = WhereOf(query);
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
  PreparedStatement q = db_.Prepare(
      "SELECT ticket_id, field, old_value FROM history WHERE at >= ? ORDER "
      "BY id");
  q->bind(1, cutoff);
  std::vector<FieldChange> out;
  while (q->executeStep()) {
    out.push_back({q->getColumn(0).getInt64(), q->getColumn(1).getString(),
                   q->getColumn(2).getString()});
  }
  return out;
}

namespace {

// The (int, int) rows of `sql` with `text` bound to its one `?`.
std::vector<std::pair<int64_t, int64_t>> Pairs(Connection& db, const char* sql,
                                               const std::string& text) {
  PreparedStatement q = db.Prepare(sql);
  q->bind(1, text);
  std::vector<std::pair<int64_t, int64_t>> out;
  while (q->executeStep()) {
    out.emplace_back(q->getColumn(0).getInt64(), q->getColumn(1).getInt64());
  }
  return out;
}

}  // namespace

std::vector<std::pair<int64_t, int64_t>> TicketsRepository::VerdictsFrom(
    const std::string& cutoff) {
  return Pairs(db_, "SELECT ticket_id, id FROM verdicts WHERE at >= ?", cutoff);
}

std::vector<std::pair<int64_t, int64_t>> TicketsRepository::ForumVotesBefore(
    const std::string& cutoff) {
  return Pairs(db_,
               "SELECT ticket_id, forum_id FROM votes WHERE forum_id IS NOT "
               "NULL AND at < ?",
               cutoff);
}

bool TicketsRepository::ChangedFrom(const std::string& from) {
  PreparedStatement q =
      db_.Prepare("SELECT 1 FROM history WHERE at >= ? LIMIT 1");
  q->bind(1, from);
  return q->executeStep();
}

std::vector<int64_t> TicketsRepository::ChangedBetween(
    const std::string& from, const std::string& until) {
  PreparedStatement q = db_.Prepare(
      "SELECT DISTINCT ticket_id FROM history WHERE at >= ? AND at < ? ORDER "
      "BY ticket_id");
  q->bind(1, from);
  q->bind(2, until);
  std::vector<int64_t> ids;
  while (q->executeStep()) ids.push_back(q->getColumn(0).getInt64());
  return ids;
}

std::vector<HistoryRow> TicketsRepository::HistoryOfFamily(int64_t id) {
  PreparedStatement q = db_.Prepare(
      "WITH RECURSIVE fam(id) AS (SELECT ?"
      "  UNION SELECT m.id FROM tickets m JOIN fam ON m.merged_into = fam.id)"
      " SELECT h.id, h.ticket_id, h.at, h.actor, h.field, h.old_value,"
      "  h.new_value, h.note FROM history h"
      " WHERE h.ticket_id IN (SELECT id FROM fam) ORDER BY h.id");
  q->bind(1, id);
  std::vector<HistoryRow> rows;
  while (q->executeStep()) {
    HistoryRow e;
    e.id = q->getColumn(0).getInt64();
    e.ticket_id = q->getColumn(1).getInt64();
    e.at = q->getColumn(2).getString();
    e.actor = q->getColumn(3).getString();
    e.field = q->getColumn(4).getString();
    e.old_value = q->getColumn(5).getString();
    e.new_value = q->getColumn(6).getString();
    e.note = q->getColumn(7).getString();
    rows.push_back(std::move(e));
  }
  return rows;
}

LargeWrite::LargeWrite(Connection& db, size_t tickets)
    : db_(db), old_(db.execAndGet("PRAGMA cache_size").getInt64()) {
  // Negative sizes are KiB, positive ones pages.
  const int64_t want =
      -std::min<int64_t>(64 * 1024, 4 * static_cast<int64_t>(tickets));
  raised_ = old_ < 0 && want < old_;
  if (raised_) db_.exec("PRAGMA cache_size = " + std::to_string(want));
  const int64_t board =
      db_.execAndGet("SELECT ifnull(max(id), 0) FROM tickets").getInt64();
  if (board >= static_cast<int64_t>(tickets)) return;
  SQLite::Statement q(db_,
                      "SELECT name, sql FROM sqlite_master WHERE type = "
                      "'index' AND sql IS NOT NULL AND tbl_name IN "
                      "('tickets', 'ticket_themes', 'votes', 'history')");
  std::vector<std::string> names;
  while (q.executeStep()) {
    names.push_back(q.getColumn(0).getString());
    dropped_.push_back(q.getColumn(1).getString());
  }
  for (const std::string& name : names) {
    db_.exec("DROP INDEX \"" + name + "\"");
  }
}

void LargeWrite::Finish() {
  for (const std::string& sql : dropped_) db_.exec(sql);
  dropped_.clear();
}

LargeWrite::~LargeWrite() {
  if (!raised_) return;
  try {
    db_.exec("PRAGMA cache_size = " + std::to_string(old_));
  } catch (const std::exception&) {
    // Only a cache size: the next connection starts from the default.
  }
}

}  // namespace focus
