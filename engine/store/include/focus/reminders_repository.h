// The record of the reminders `focus notify` sent or tried to send, and
// which tickets each delivered team digest listed. When to remind whom is
// focus/notify.h's to say.
#ifndef FOCUS_REMINDERS_REPOSITORY_H_
#define FOCUS_REMINDERS_REPOSITORY_H_

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "focus/store.h"

namespace focus {

// One attempt. `kind` is "team" or "escalation"; `team` is "" for an
// escalation; `status` is "sent", "failed" or "nothing-left".
struct ReminderRow {
  int64_t id = 0;
  std::string day;  // YYYY-MM-DD (London) it is for.
  std::string kind;
  std::string team;
  std::string recipient;
  std::string subject;
  std::string status;
  std::string error;
  std::string at;  // UTC of the attempt.
};

// REQUIRES: `db` is the transaction of the call that made this object, and
// outlives it.
class RemindersRepository {
 public:
  explicit RemindersRepository(Connection& db) : db_(db) {}

  // Writes an attempt, and the tickets a sent one listed; returns its id.
  int64_t Insert(const ReminderRow& row, const std::vector<int64_t>& tickets);

  // A copy of attempt `id` with status "nothing-left", for `day` at `at`.
  void InsertNothingLeft(int64_t id, const std::string& day,
                         const std::string& at);

  // Whether (day, kind, team) was sent.
  bool Sent(const std::string& day, const std::string& kind,
            const std::string& team);

  // The tickets listed by the team digests sent, by team.
  std::map<std::string, std::set<int64_t>> AnnouncedByTeam();

  // The latest attempt of each (kind, team) whose latest attempt failed,
  // escalations first, then by team.
  std::vector<ReminderRow> LatestFailed();

 private:
  Connection& db_;
};

}  // namespace focus

#endif  // FOCUS_REMINDERS_REPOSITORY_H_
