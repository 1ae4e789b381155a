// Written against the backend seam (sql_backend.h): portable SQL.
#include "focus/reminders_repository.h"

#include <map>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "sql_backend.h"

namespace focus {

using store_internal::SqlQuery;

int64_t RemindersRepository::Insert(const ReminderRow& row,
                                    const std::vector<int64_t>& tickets) {
  std::unique_ptr<SqlQuery> insert = db_.Prepare(
      "INSERT INTO reminders (day, kind, team, recipient, subject, status, "
      "error, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)");
  insert->Bind(1, row.day)
      .Bind(2, row.kind)
      .Bind(3, row.team)
      .Bind(4, row.recipient)
      .Bind(5, row.subject)
      .Bind(6, row.status)
      .Bind(7, row.error)
      .Bind(8, row.at);
  insert->Step();
  const int64_t id = insert->InsertedId();
  for (int64_t t : tickets) {
    std::unique_ptr<SqlQuery> ticket = db_.Prepare(
        "INSERT INTO reminder_tickets (reminder_id, ticket_id) VALUES ($1, "
        "$2)");
    ticket->Bind(1, id).Bind(2, t);
    ticket->Step();
  }
  return id;
}

void RemindersRepository::InsertNothingLeft(int64_t id, const std::string& day,
                                            const std::string& at) {
  std::unique_ptr<SqlQuery> copy = db_.Prepare(
      "INSERT INTO reminders (day, kind, team, recipient, subject, status, "
      "error, at) SELECT $1, kind, team, recipient, subject, 'nothing-left', "
      "'', $2 FROM reminders WHERE id = $3");
  copy->Bind(1, day).Bind(2, at).Bind(3, id);
  copy->Step();
}

bool RemindersRepository::Sent(const std::string& day, const std::string& kind,
                               const std::string& team) {
  std::unique_ptr<SqlQuery> q = db_.Prepare(
      "SELECT count(*) FROM reminders WHERE day = $1 AND kind = $2 AND "
      "team = $3 AND status = 'sent'");
  q->Bind(1, day).Bind(2, kind).Bind(3, team);
  q->Step();
  return q->Int(0) > 0;
}

std::map<std::string, std::set<int64_t>>
RemindersRepository::AnnouncedByTeam() {
  std::map<std::string, std::set<int64_t>> announced;
  std::unique_ptr<SqlQuery> q = db_.Prepare(
      "SELECT r.team, t.ticket_id FROM reminders r JOIN reminder_tickets t ON "
      "t.reminder_id = r.id WHERE r.kind = 'team' AND r.status = 'sent'");
  while (q->Step()) announced[q->Text(0)].insert(q->Int(1));
  return announced;
}

std::vector<ReminderRow> RemindersRepository::LatestFailed() {
  std::vector<ReminderRow> rows;
  std::unique_ptr<SqlQuery> q = db_.Prepare(
      "SELECT r.id, r.day, r.kind, r.team, r.recipient, r.subject, r.status, "
      "r.error, r.at FROM reminders r WHERE r.status = 'failed' AND r.id = "
      "(SELECT max(id) FROM reminders WHERE kind = r.kind AND team = r.team) "
      "ORDER BY r.kind DESC, r.team");
  while (q->Step()) {
    ReminderRow r;
    r.id = q->Int(0);
    r.day = q->Text(1);
    r.kind = q->Text(2);
    r.team = q->Text(3);
    r.recipient = q->Text(4);
    r.subject = q->Text(5);
    r.status = q->Text(6);
    r.error = q->Text(7);
    r.at = q->Text(8);
    rows.push_back(std::move(r));
  }
  return rows;
}

}  // namespace focus
