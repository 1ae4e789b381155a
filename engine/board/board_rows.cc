// Reading the board's rows into tickets and forums.
#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "board_internal.h"
#include "focus/error.h"
#include "focus/forums_repository.h"

namespace focus::board_internal {
namespace {

std::optional<Date> OptionalDate(const std::optional<std::string>& text,
                                 int64_t row, const char* what) {
  if (!text) return std::nullopt;
  return StoredDate(*text, row, what);
}

ForumVerdict ToVerdict(VerdictRow& row) {
  ForumVerdict v;
  v.id = row.id;
  v.forum_id = row.forum_id;
  v.area = std::move(row.area);
  v.held_on = StoredDate(row.held_on, v.forum_id, "held_on of forum");
  std::optional<Verdict> verdict = ParseVerdict(row.verdict);
  if (!verdict) {
    ThrowIo("the board database is damaged: verdict #" + std::to_string(v.id) +
            " is '" + Shown(row.verdict) + "'");
  }
  v.verdict = *verdict;
  v.note = std::move(row.note);
  v.answered_on = StoredDate(row.answered_on, v.id, "answered_on of verdict");
  return v;
}

Ticket ToTicket(TicketRow& row) {
  Ticket t;
  t.id = row.id;
  t.title = std::move(row.title);
  t.details = std::move(row.details);
  t.area = std::move(row.area);
  t.team = std::move(row.team);
  t.state = StoredState(row.state, t.id);
  t.raised_on = StoredDate(row.raised_on, t.id, "raised_on");
  t.forum_id = row.forum_id;
  t.raised_by = static_cast<int>(row.raised_by);
  t.votes = static_cast<int>(row.votes_total);
  t.sent_on = OptionalDate(row.sent_on, t.id, "sent_on");
  t.answer = std::move(row.answer);
  t.answered_by = std::move(row.answered_by);
  t.answered_on = OptionalDate(row.answered_on, t.id, "answered_on");
  t.decline_reason = std::move(row.decline_reason);
  t.declined_on = OptionalDate(row.declined_on, t.id, "declined_on");
  t.merged_into = row.merged_into;
  t.paused_working_days = static_cast<int>(row.paused_working_days);
  t.paused_since = OptionalDate(row.paused_since, t.id, "paused_since");
  t.reopened_on = OptionalDate(row.reopened_on, t.id, "reopened_on");
  t.themes = std::move(row.themes);
  t.forum_ids = std::move(row.forum_ids);
  return t;
}

}  // namespace

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

std::vector<Ticket> ToTickets(std::vector<TicketRow> rows) {
  std::vector<Ticket> tickets;
  tickets.reserve(rows.size());
  for (TicketRow& row : rows) tickets.push_back(ToTicket(row));
  // The verdicts after every ticket's own columns: a damaged column is
  // reported before a damaged verdict, whichever ticket has it.
  for (size_t i = 0; i < rows.size(); ++i) {
    for (VerdictRow& v : rows[i].verdicts) {
      tickets[i].verdicts.push_back(ToVerdict(v));
    }
  }
  return tickets;
}

std::vector<Ticket> LoadTickets(Connection& db, const TicketQuery& query) {
  return ToTickets(TicketsRepository(db).Select(query));
}

std::vector<Ticket> LoadTicketsById(Connection& db,
                                    const std::vector<int64_t>& ids) {
  if (ids.empty()) return {};
  TicketQuery query;
  query.ids = ids;
  return LoadTickets(db, query);
}

std::optional<Ticket> FindTicket(Connection& db, int64_t id) {
  std::vector<Ticket> found = LoadTicketsById(db, {id});
  if (found.empty()) return std::nullopt;
  return std::move(found.front());
}

Ticket MustFindTicket(Connection& db, int64_t id) {
  std::optional<Ticket> t = FindTicket(db, id);
  if (!t) ThrowNotFound("no ticket #" + std::to_string(id));
  return std::move(*t);
}

std::vector<VerdictRecord> LoadVerdictRecords(Connection& db, int64_t id) {
  TicketQuery query;
  query.ids = std::vector<int64_t>{id};
  std::vector<TicketRow> rows = TicketsRepository(db).Select(query);
  if (rows.empty()) ThrowNotFound("no ticket #" + std::to_string(id));
  std::vector<VerdictRecord> records;
  for (VerdictRow& row : rows.front().verdicts) {
    VerdictRecord r;
    r.at = std::move(row.at);
    r.actor = std::move(row.actor);
    r.verdict = ToVerdict(row);
    records.push_back(std::move(r));
  }
  return records;
}

std::vector<ForumRecord> LoadForums(
    Connection& db, std::optional<int64_t> only,
    const std::optional<std::string>& recorded_before) {
  std::vector<ForumRecord> forums;
  for (ForumRow& row : ForumsRepository(db).Select(only, recorded_before)) {
    ForumRecord f;
    f.id = row.id;
    f.plan_id = std::move(row.plan_id);
    f.area = std::move(row.area);
    f.held_on = StoredDate(row.held_on, f.id, "held_on of forum");
    f.format = row.format == FormatName(Format::kVirtual) ? Format::kVirtual
                                                          : Format::kInPerson;
    f.title = std::move(row.title);
    f.attendance.service_users = static_cast<int>(row.service_users);
    f.attendance.carers = static_cast<int>(row.carers);
    f.attendance.trust_staff = static_cast<int>(row.trust_staff);
    f.attendance.governors = static_cast<int>(row.governors);
    f.attendance.others = static_cast<int>(row.others);
    f.apologies = std::move(row.apologies);
    f.recorded_at = std::move(row.recorded_at);
    f.recorded_by = std::move(row.recorded_by);
    forums.push_back(std::move(f));
  }
  return forums;
}

}  // namespace focus::board_internal
