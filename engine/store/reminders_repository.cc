#include "focus/reminders_repository.h"

#include <SQLiteCpp/SQLiteCpp.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "focus/sql_connection.h"

namespace focus {

int64_t RemindersRepository::Insert(const ReminderRow& row,
                                    const std::vector<int64_t>& tickets) {
  PreparedStatement insert = db_.Prepare(
      "INSERT INTO reminders (day, kind, team, recipient, subject, status, "
      "error, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
  insert->bind(1, row.day);
  insert->bind(2, row.kind);
  insert->bind(3, row.team);
  insert->bind(4, row.recipient);
  insert->bind(5, row.subject);
  insert->bind(6, row.status);
  insert->bind(7, row.error);
  insert->bind(8, row.at);
  insert->exec();
  const int64_t id = db_.getLastInsertRowid();
  PreparedStatement ticket = db_.Prepare(
      "INSERT INTO reminder_tickets (reminder_id, ticket_id) VALUES (?1, ?2)");
  for (int64_t t : tickets) {
    ticket->bind(1, id);
    ticket->bind(2, t);
    ticket->exec();
    ticket->reset();
  }
  return id;
}

void RemindersRepository::InsertNothingLeft(int64_t id, const std::string& day,
                                            const std::string& at) {
  PreparedStatement copy = db_.Prepare(
      "INSERT INTO reminders (day, kind, team, recipient, subject, status, "
      "error, at) SELECT ?1, kind, team, recipient, subject, 'nothing-left', "
      "'', ?2 FROM reminders WHERE id = ?3");
  copy->bind(1, day);
  copy->bind(2, at);
  copy->bind(3, id);
  copy->exec();
}

bool RemindersRepository::Sent(const std::string& day, const std::string& kind,
                               const std::string& team) {
  PreparedStatement q = db_.Prepare(
      "SELECT count(*) FROM reminders WHERE day = ?1 AND kind = ?2 AND "
      "team = ?3 AND status = 'sent'");
  q->bind(1, day);
  q->bind(2, kind);
  q->bind(3, team);
  q->executeStep();
  return q->getColumn(0).getInt() > 0;
}

std::map<std::string, std::set<int64_t>>
RemindersRepository::AnnouncedByTeam() {
  std::map<std::string, std::set<int64_t>> announced;
  PreparedStatement q = db_.Prepare(
      "SELECT r.team, t.ticket_id FROM reminders r JOIN reminder_tickets t ON "
      "t.reminder_id = r.id WHERE r.kind = 'team' AND r.status = 'sent'");
  while (q->executeStep()) {
    announced[q->getColumn(0).getString()].insert(q->getColumn(1).getInt64());
  }
  return announced;
}

std::vector<ReminderRow> RemindersRepository::LatestFailed() {
  std::vector<ReminderRow> rows;
  PreparedStatement q = db_.Prepare(
      "SELECT r.id, r.day, r.kind, r.team, r.recipient, r.subject, r.status, "
      "r.error, r.at FROM reminders r WHERE r.status = 'failed' AND r.id = "
      "(SELECT max(id) FROM reminders WHERE kind = r.kind AND team = r.team) "
      "ORDER BY r.kind DESC, r.team");
  while (q->executeStep()) {
    ReminderRow r;
    r.id = q->getColumn(0).getInt64();
    r.day = q->getColumn(1).getString();
    r.kind = q->getColumn(2).getString();
    r.team = q->getColumn(3).getString();
    r.recipient = q->getColumn(4).getString();
    r.subject = q->getColumn(5).getString();
    r.status = q->getColumn(6).getString();
    r.error = q->getColumn(7).getString();
    r.at = q->getColumn(8).getString();
    rows.push_back(std::move(r));
  }
  return rows;
}

}  // namespace focus
