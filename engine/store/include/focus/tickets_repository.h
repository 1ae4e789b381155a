// The board's tickets as stored, and what is written with them: their
// themes, votes, the forums' verdicts and the history of every change.
// Rows in, rows out: dates are "YYYY-MM-DD" text and states their names;
// what a ticket may be, and what a change means, is focus/board.h's to say.
#ifndef FOCUS_TICKETS_REPOSITORY_H_
#define FOCUS_TICKETS_REPOSITORY_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "focus/store.h"

namespace focus {

// The columns of a ticket that a change may set.
enum class TicketColumn {
  kState,
  kVotesTotal,
  kSentOn,
  kAnswer,
  kAnsweredBy,
  kAnsweredOn,
  kDeclineReason,
  kDeclinedOn,
  kMergedInto,
  kPausedWorkingDays,
  kPausedSince,
  kReopenedOn,
};

// A new ticket's row; an empty optional is NULL.
struct NewTicketRow {
  // Its number, when it must keep one (an import of a focus export); else
  // the next free one. A number already taken fails as a constraint would.
  std::optional<int64_t> id;
  std::string title;
  std::string details;
  std::string area;
  std::string team;
  std::string state;
  std::string raised_on;
  std::optional<int64_t> forum_id;
  int64_t raised_by = 1;
  int64_t votes_total = 0;
  std::string created_at;
  std::optional<std::string> sent_on;
  std::string answer;
  std::string answered_by;
  std::optional<std::string> answered_on;
  std::string decline_reason;
  std::optional<std::string> declined_on;
  std::optional<std::string> paused_since;
  std::optional<std::string> reopened_on;
  std::vector<std::string> themes;  // In the order given.
};

// A forum's verdict on a ticket's answer, with the forum's area and date.
struct VerdictRow {
  int64_t id = 0;
  int64_t forum_id = 0;
  std::string area;
  std::string held_on;
  std::string verdict;
  std::string note;
  std::string answered_on;
  std::string at;  // UTC time stamp it was recorded at.
  std::string actor;
};

// A ticket as stored, with what hangs off it. A NULL column is an empty
// optional (or "" for the text columns that are never NULL).
struct TicketRow {
  int64_t id = 0;
  std::string title;
  std::string details;
  std::string area;
  std::string team;
  std::string state;
  std::string raised_on;
  std::optional<int64_t> forum_id;
  int64_t raised_by = 0;
  int64_t votes_total = 0;
  std::optional<std::string> sent_on;
  std::string answer;
  std::string answered_by;
  std::optional<std::string> answered_on;
  std::string decline_reason;
  std::optional<std::string> declined_on;
  std::optional<int64_t> merged_into;
  int64_t paused_working_days = 0;
  std::optional<std::string> paused_since;
  std::optional<std::string> reopened_on;
  // In the order given (a gap in the stored positions is left out).
  std::vector<std::string> themes;
  // The forums that raised it, voted for it, or raised or voted for a
  // ticket merged into it however deep the chain: sorted, each once.
  std::vector<int64_t> forum_ids;
  std::vector<VerdictRow> verdicts;  // Oldest first.
};

// Which tickets Select returns: every condition set must hold. Dates are
// "YYYY-MM-DD", time stamps UTC as the history writes them.
struct TicketQuery {
  std::optional<std::vector<int64_t>> ids;
  std::optional<std::string> created_before;  // Time stamp.
  std::optional<std::string> changed_since;   // A history row at or after.
  std::optional<std::string> state;
  bool exclude_merged = false;
  std::optional<std::string> area;
  std::optional<std::string> theme;
  std::optional<std::string> team;
  // Raised or voted at the forum, itself or through a merged repeat.
  std::optional<int64_t> forum_id;
  // Held (the forum's date, or the ticket's own without one) in
  // [first, second).
  std::optional<std::pair<std::string, std::string>> held_in;
  bool by_votes = false;  // Most voted first; else by id.
};

// One row of votes for a ticket, as recorded.
struct VoteRow {
  int64_t id = 0;
  std::optional<int64_t> forum_id;  // NULL: cast at no forum.
  int64_t count = 0;
  std::string note;
  std::string at;  // UTC time stamp.
  std::string actor;
};

// One change to a ticket, as recorded.
struct HistoryRow {
  int64_t id = 0;
  int64_t ticket_id = 0;
  std::string at;  // UTC, "2027-01-05T10:00:00Z".
  std::string actor;
  std::string field;
  std::string old_value;
  std::string new_value;
  std::string note;
};

// REQUIRES: `db` is the transaction of the call that made this object, and
// outlives it. The methods that write need a write transaction.
class TicketsRepository {
 public:
  explicit TicketsRepository(Connection& db) : db_(db) {}

  // Writes the ticket and its themes; returns its id.
  int64_t Insert(const NewTicketRow& row);

  // Sets one column of ticket `id`: to NULL for an empty optional.
  void Set(int64_t id, TicketColumn column,
           const std::optional<std::string>& value);
  void Set(int64_t id, TicketColumn column, int64_t value);

  bool Exists(int64_t id);

  // In five queries whatever the number of tickets: the SLA report lists
  // every ticket.
  std::vector<TicketRow> Select(const TicketQuery& query);

  // One row of `count` votes for `ticket`, cast at `forum_id` if set.
  void InsertVotes(int64_t ticket, std::optional<int64_t> forum_id,
                   int64_t count, const std::string& note,
                   const std::string& at, const std::string& actor);

  // The vote rows of ticket `id` itself (not of repeats merged into it), in
  // the order they were recorded.
  std::vector<VoteRow> VotesOf(int64_t id);

  // A forum's verdict on the answer of `ticket` published on `answered_on`.
  void InsertVerdict(int64_t ticket, int64_t forum_id,
                     const std::string& verdict, const std::string& note,
                     const std::string& answered_on, const std::string& at,
                     const std::string& actor);

  // One history row. The strings are read during the call only.
  void AppendHistory(int64_t ticket, const std::string& at,
                     const std::string& actor, const std::string& field,
                     const std::string& old_value, const std::string& new_value,
                     const std::string& note);

  // The history of ticket `id` and of every ticket merged into it, however
  // deep the chain of merges, oldest first.
  std::vector<HistoryRow> HistoryOfFamily(int64_t id);

  // What the board as it stood at `cutoff` (a time stamp) needs: the
  // history rows from then on (ticket, field, old value; oldest first), the
  // verdicts recorded from then on (ticket, verdict id), and the votes cast
  // at a forum before then (ticket, forum).
  struct FieldChange {
    int64_t ticket_id = 0;
    std::string field;
    std::string old_value;
  };
  std::vector<FieldChange> ChangesFrom(const std::string& cutoff);
  std::vector<std::pair<int64_t, int64_t>> VerdictsFrom(
      const std::string& cutoff);
  std::vector<std::pair<int64_t, int64_t>> ForumVotesBefore(
      const std::string& cutoff);

  // Whether any history row is at or after `from`; the tickets with one in
  // [from, until), by id.
  bool ChangedFrom(const std::string& from);
  std::vector<int64_t> ChangedBetween(const std::string& from,
                                      const std::string& until);

 private:
  Connection& db_;
};

// Raises the page cache of the connection of `db` while it is alive, for a
// write transaction of about `tickets` new tickets (an import): SQLite would
// otherwise spill dirty pages to the log before the commit and write many
// of them again. About 4 KiB per ticket (twice what one takes on disk),
// 64 MiB at most; a size set in pages (positive) or larger is left alone.
// The old size is put back after.
//
// When the import is larger than the board it goes into, the secondary
// indexes of the tables it fills (tickets, themes, votes, history) are
// dropped as well, and Finish makes them again from their stored
// definitions: one sort per index costs far less than updating every index
// at every row. Inside the transaction, so a failed import leaves them as
// they were; the commit is as durable as ever.
// REQUIRES: made inside the write transaction, and Finish called before
// it commits.
class LargeWrite {
 public:
  LargeWrite(Connection& db, size_t tickets);
  ~LargeWrite();
  LargeWrite(const LargeWrite&) = delete;
  LargeWrite& operator=(const LargeWrite&) = delete;

  // Makes the dropped indexes again.
  void Finish();

 private:
  Connection& db_;
  int64_t old_;
  bool raised_ = false;
  std::vector<std::string> dropped_;  // The CREATE INDEX of each.
};

}  // namespace focus

#endif  // FOCUS_TICKETS_REPOSITORY_H_
