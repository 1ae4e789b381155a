// The forums held, as stored, with the apologies sent for each. Rows in,
// rows out: what a forum record may hold is focus/board.h's to say.
#ifndef FOCUS_FORUMS_REPOSITORY_H_
#define FOCUS_FORUMS_REPOSITORY_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "focus/store.h"

namespace focus {

struct ForumRow {
  int64_t id = 0;
  std::string plan_id;  // "" for an ad hoc forum (NULL in the table).
  std::string area;     // Slug.
  std::string held_on;  // YYYY-MM-DD.
  std::string format;   // "virtual" or "in-person".
  std::string title;
  int64_t service_users = 0;
  int64_t carers = 0;
  int64_t trust_staff = 0;
  int64_t governors = 0;
  int64_t others = 0;
  std::vector<std::string> apologies;  // In the order given.
  // When (UTC time stamp) and by whom: read only; Insert takes its own.
  std::string recorded_at;
  std::string recorded_by;
};

// REQUIRES: `db` is the transaction of the call that made this object, and
// outlives it. Insert needs a write transaction.
class ForumsRepository {
 public:
  explicit ForumsRepository(Connection& db) : db_(db) {}

  // Writes the forum and its apologies; returns its id: `row.id` when not
  // 0 (a number already taken fails as a constraint would), else the next
  // free one.
  int64_t Insert(const ForumRow& row, const std::string& recorded_at,
                 const std::string& recorded_by);

  // The forum recorded for plan id `plan_id`, if any.
  std::optional<int64_t> IdOfPlan(const std::string& plan_id);
  bool Exists(int64_t id);

  // Every forum, or only forum `only`, or only those recorded before the
  // UTC time stamp `recorded_before`; by date held, then id.
  std::vector<ForumRow> Select(
      std::optional<int64_t> only,
      const std::optional<std::string>& recorded_before = std::nullopt);

 private:
  Connection& db_;
};

}  // namespace focus

#endif  // FOCUS_FORUMS_REPOSITORY_H_
