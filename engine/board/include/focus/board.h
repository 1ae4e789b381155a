// The feedback board: forums held, tickets raised at them, votes, merges,
// states, answers and the append-only history of every change.
#ifndef FOCUS_BOARD_H_
#define FOCUS_BOARD_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "focus/clock.h"
#include "focus/config.h"
#include "focus/store.h"
#include "focus/ticket_state.h"

namespace focus {

// Returns true iff the board allows moving a ticket from `from` to `to` by a
// plain state change (answers, merges and votes have their own operations).
bool IsAllowedMove(TicketState from, TicketState to);

// What a later forum said about a published answer ("you said, we did: did
// it?"). A disputed answer goes back to the Trust.
enum class Verdict { kConfirmed, kNotYet, kDisputed };
// "confirmed", "not-yet", "disputed".
const char* VerdictName(Verdict v);
std::optional<Verdict> ParseVerdict(const std::string& name);

struct Attendance {
  int service_users = 0;
  int carers = 0;
  int trust_staff = 0;
  int governors = 0;
  int others = 0;
};

// A forum that took place. Counts only: never names of attendees.
struct ForumRecord {
  int64_t id = 0;
  std::string plan_id;  // "2027-r1-east-surrey", or "" for an ad hoc forum.
  std::string area;     // Area slug.
  Date held_on;
  Format format = Format::kInPerson;
  std::string title;  // For ad hoc forums.
  Attendance attendance;
  // Trust staff (roles or names of staff, never of patients) who committed
  // to attend and sent apologies.
  std::vector<std::string> apologies;
  // When (UTC, "2026-11-22T14:05:09Z") and by whom it was recorded. Set
  // when read; RecordForum records its own, ImportTickets keeps these.
  std::string recorded_at;
  std::string recorded_by;

  // Returns true iff fewer than two service users or carers were present
  // (the 4Pi involvement standard asks for at least two).
  bool BelowInvolvementMinimum() const {
    return attendance.service_users + attendance.carers < 2;
  }
};

struct NewTicket {
  std::string title;
  std::string details;
  std::string area;                 // Area name or slug from the configuration.
  std::vector<std::string> themes;  // From board.themes.
  std::string team;                 // From board.teams.
  int raised_by = 1;                // How many people raised it.
  std::optional<int64_t> forum_id;  // The ForumRecord it was raised at.
  std::optional<Date> raised_on;    // Default: the forum's date, else today.
  bool allow_identifiers = false;   // Screening override; recorded.
};

// A verdict's note is short: it is printed beside the answer.
inline constexpr size_t kMaxVerdictNoteChars = 500;

// One forum's verdict on a ticket's answer. Published: the forum, its date,
// the verdict and the note; never who recorded it (that is in the history).
struct ForumVerdict {
  int64_t id = 0;
  int64_t forum_id = 0;
  std::string area;  // The forum's area slug.
  Date held_on;      // The forum's date: when the verdict was given.
  Verdict verdict = Verdict::kConfirmed;
  std::string note;  // Published; required for disputed.
  Date answered_on;  // The publication date of the answer it is about.
};

struct Ticket {
  int64_t id = 0;
  std::string title;
  std::string details;
  std::string area;  // Slug.
  std::vector<std::string> themes;
  std::string team;
  TicketState state = TicketState::kRaised;
  Date raised_on;
  std::optional<int64_t> forum_id;
  int raised_by = 1;
  int votes = 0;  // Including those of tickets merged into this one.
  std::vector<int64_t> forum_ids;  // Every forum that raised or voted.
  std::optional<Date> sent_on;     // First sent to the Trust.
  std::string answer;              // Published answer text.
  std::string answered_by;
  std::optional<Date> answered_on;
  std::string decline_reason;  // Published.
  std::optional<Date> declined_on;
  std::optional<int64_t> merged_into;
  int paused_working_days = 0;       // Closed pauses (waiting-for-forum).
  std::optional<Date> paused_since;  // Open pause.
  // The last day a disputed verdict sent it back to the Trust: the answer
  // clock runs again from here, and an answer from before it no longer
  // counts as the response (it stays published beside the dispute).
  std::optional<Date> reopened_on;
  std::vector<ForumVerdict> verdicts;  // Oldest first.
};

// Returns true iff `t` has a published answer that no verdict has disputed
// yet since it was published: one a later forum can give its verdict on.
bool AwaitsVerdict(const Ticket& t);

// Who answered a ticket, as the public is told: its team (a team from the
// configuration, never a person), or the organisation when the board has
// no teams. Who gave or typed the answer is kept in the private history.
std::string PublicAnswerer(const Config& config, const Ticket& t);

struct HistoryEntry {
  int64_t id = 0;
  int64_t ticket_id = 0;
  std::string at;     // UTC, "2026-11-22T14:05:09Z".
  std::string actor;  // Who made the change.
  std::string field;  // "created", "state", "votes", "answer", "merged", ...
  std::string old_value;
  std::string new_value;
  std::string note;
};

// Votes added to a ticket in one go, as recorded (private: names who).
struct VoteRecord {
  int64_t id = 0;                   // Its row's number: 0 if not known.
  std::optional<int64_t> forum_id;  // The forum they were cast at, if any.
  int count = 0;
  std::string note;
  std::string at;     // UTC, "2026-11-22T14:05:09Z".
  std::string actor;  // Who recorded them.
};

// A verdict as recorded (private: names who recorded it). An import reads
// the verdict's id, forum, verdict, note and answered_on.
struct VerdictRecord {
  ForumVerdict verdict;
  std::string at;     // UTC, "2026-11-22T14:05:09Z".
  std::string actor;  // Who recorded it.
};

struct TicketFilter {
  std::optional<TicketState> state;
  std::string area;   // Name or slug; "" = any.
  std::string theme;  // "" = any.
  std::string team;   // "" = any.
  std::optional<int64_t> forum_id;
  std::string round;  // "2027-r1": tickets raised at that round's forums.
  bool include_merged = false;
  bool by_votes = false;  // Most voted first (ties: oldest first).
  // The board as it stood at the end of this day (Board::AsOf), filtered
  // by its state, votes and forums then; unset = as it stands.
  std::optional<Date> as_of;
  // Only tickets with anything recorded from the start of this day to the
  // end of as_of (or to now): see Board::ChangedBetween.
  std::optional<Date> since;
};

// A ticket carried over from another board (e.g. Trello), with the state and
// dates it already has there.
struct ImportedTicket {
  NewTicket ticket;
  TicketState state = TicketState::kRaised;
  int extra_votes = 0;  // Votes beyond the people who raised it.
  std::optional<Date> sent_on;
  std::string answer;  // Published answer text, if any.
  std::string answered_by;
  std::optional<Date> answered_on;
  std::string decline_reason;
  std::optional<Date> declined_on;
  // For state kMerged: the item of the same import it was merged into (an
  // index into the items), whose votes already include this one's.
  std::optional<size_t> merged_into_item;
  // For state kWaitingForForum: when the wait began, if the other board
  // knows (default: the day of the import).
  std::optional<Date> paused_since;
  int paused_working_days = 0;  // Closed pauses, as Ticket's.
  // Forums of the same import (indexes into its forums) it was raised at,
  // instead of ticket.forum_id, and voted at: one of its extra votes each.
  std::optional<size_t> forum_item;
  std::vector<size_t> voted_at_items;
  // Comments carried into the history as notes: {"2027-01-05T10:00:00Z by
  // Jo", "text"}.
  std::vector<std::pair<std::string, std::string>> comments;
  // What the other board keeps that a ticket has no column for (Trello's
  // due date, checklists, archived flag): {field, value, note} history
  // entries, so an export can write them back.
  struct Extra {
    std::string field;
    std::string value;
    std::string note;
  };
  std::vector<Extra> extras;
  std::string origin;  // e.g. "Trello card 5f2b...": recorded in history.
  // The number it keeps (a ticket from a focus board): the import is
  // refused if the board has a ticket of that number already. Unset: the
  // next free number, after every number the import keeps.
  std::optional<int64_t> number;
  // A ticket from a focus board that carries its whole history: the board
  // records these entries as they are (their ids order them among every
  // imported ticket's; `ticket_id` is ignored), and `votes` as its vote
  // rows (forum_id an index into the import's forums; ordered by id the
  // same way, keeping their order where it is 0), instead of what an
  // import records: no entry says it was imported. `comments`, `extras`,
  // `origin` and `voted_at_items` are then not recorded again.
  bool verbatim = false;
  std::vector<HistoryEntry> history;
  std::vector<VoteRecord> votes;
  // Also only with `verbatim`: its verdicts as recorded (verdict.forum_id
  // an index into the import's forums; ids order them as `history`'s do)
  // and the day a disputed one sent it back to the Trust.
  std::vector<VerdictRecord> verdicts;
  std::optional<Date> reopened_on;
  std::string where;  // e.g. "cards[3]": names the item in errors.
  // Set by an importer that has already passed ticket.title, ticket.details
  // and every comment's text through ScreenText with the board's limits
  // (board.max_title_chars for the title, board.max_text_chars for the
  // rest) and allow_identifiers false, and refused the import otherwise:
  // ImportTickets then does not screen those texts a second time. The
  // answer, who answered and the decline reason are screened as always.
  // Has no effect when ticket.allow_identifiers is set: the board screens
  // everything then, to record in the history what the override let through.
  bool texts_screened = false;
};

// The items of an import, handed on one at a time while they are still
// being made (see Board::ImportTickets).
class ImportFeed {
 public:
  virtual ~ImportFeed() = default;
  // The next item, once it is made; nullopt after the last. Throws to
  // abandon the import, which then writes nothing.
  virtual std::optional<ImportedTicket> Next() = 0;
};

// What the response-time report needs of one ticket, read without loading
// the whole ticket (see Board::ScanForSla). The views point into the
// database's row: valid only during the callback.
struct SlaTicketRow {
  int64_t id = 0;
  std::string_view area;  // Slug.
  std::string_view team;
  // Distinct, in no particular order (the report does not depend on it).
  const std::vector<std::string_view>* themes = nullptr;
  TicketState state = TicketState::kRaised;
  Date raised_on;
  std::optional<Date> sent_on;
  std::optional<Date> answered_on;
  std::optional<Date> declined_on;
  std::optional<int64_t> merged_into;
  int paused_working_days = 0;
  std::optional<Date> paused_since;
  std::optional<Date> reopened_on;
};

class Board {
 public:
  // REQUIRES: store, config and clock outlive the board.
  Board(Store& store, const Config& config, const Clock& clock);

  // Each operation is one transaction; bad input throws Error(kInvalidInput)
  // with a one-line message and changes nothing. `actor` is who did it.
  int64_t RecordForum(const ForumRecord& forum, const std::string& actor);
  std::vector<ForumRecord> Forums() const;
  // The forums recorded by the end of `as_of` (London time).
  std::vector<ForumRecord> ForumsAsOf(Date as_of) const;
  ForumRecord GetForum(int64_t id) const;

  int64_t AddTicket(const NewTicket& ticket, const std::string& actor);
  // Adds `count` votes (>= 1), e.g. "raised again at Surrey Downs".
  void AddVotes(int64_t id, int count, std::optional<int64_t> forum_id,
                const std::string& note, const std::string& actor);
  // Folds `repeat` into `survivor`: votes and forums carry over, the repeat
  // becomes "merged" and points to the survivor; both histories record it.
  void Merge(int64_t repeat, int64_t survivor, const std::string& actor);
  // A plain state change. Declining needs a published reason.
  void Move(int64_t id, TicketState to, const std::string& reason,
            const std::string& actor);
  // Publishes the Trust's answer; the ticket becomes "answered", or
  // "in-progress" when `in_progress` ("you said, we are doing").
  void Answer(int64_t id, const std::string& text,
              const std::string& answered_by, bool in_progress,
              bool allow_identifiers, const std::string& actor);

  // Records forum `forum_id`'s verdict on the answer of ticket `id`. The
  // forum must be held after the answer was published, and give one verdict
  // per answer; `note` is published (required for disputed). A disputed
  // verdict reopens the ticket: it goes back to the Trust (sent-to-trust)
  // with a new answer clock from today, and its answer stays published.
  void RecordVerdict(int64_t id, int64_t forum_id, Verdict verdict,
                     const std::string& note, const std::string& actor);

  // Records `forums` and creates every ticket, in one transaction: all or
  // nothing. Each is validated like RecordForum and AddTicket; an error
  // names ImportedTicket::where, or the forum's index. A forum with an id
  // (not 0) keeps it as its number, as a ticket with a number does; the
  // import is refused if the board already has one of those numbers.
  std::vector<int64_t> ImportTickets(
      const std::vector<ImportedTicket>& items, const std::string& actor,
      const std::vector<ForumRecord>& forums = {});
  // As above, with each item of `feed` written as it comes, while the next
  // are still being made (where a refused write leaves no trace: see
  // Store::RollbackLeavesNoTrace; elsewhere every item is made first). None
  // may keep a number, be merged into another or carry its history
  // (ImportedTicket::verbatim): those need every item first. `expected`:
  // about how many items will come.
  std::vector<int64_t> ImportTickets(ImportFeed& feed, size_t expected,
                                     const std::string& actor,
                                     const std::vector<ForumRecord>& forums);

  Ticket Get(int64_t id) const;
  // The ticket's history, and that of tickets merged into it, oldest first.
  std::vector<HistoryEntry> History(int64_t id) const;
  // The votes added to ticket `id` itself (not to repeats merged into it),
  // oldest first.
  std::vector<VoteRecord> Votes(int64_t id) const;
  // The verdicts given on ticket `id`'s answers, oldest first.
  std::vector<VerdictRecord> Verdicts(int64_t id) const;
  std::vector<Ticket> List(const TicketFilter& filter) const;

  // Every ticket the board held at the end of `as_of` (London time), merged
  // repeats included, in id order, each as it stood then: a change recorded
  // later is undone from the history's old value, and votes cast later do
  // not count. So whatever is reported "as of" a date never changes when
  // later actions are recorded.
  std::vector<Ticket> AsOf(Date as_of) const;
  // Returns true iff anything was recorded after the end of `as_of`; if not,
  // AsOf(as_of) is the board as it stands (List with merged included).
  bool ChangedAfter(Date as_of) const;
  // The ids of tickets with anything recorded from the start of `since` to
  // the end of `until` (London days), in id order: tickets created, changed,
  // voted for or given a verdict then.
  std::vector<int64_t> ChangedBetween(Date since, Date until) const;

  // Calls `row` for every ticket List({}) returns (all but merged ones), in
  // id order, with only the fields the response-time report needs: for a
  // report over a whole board, where loading every ticket would cost many
  // times more than the report. Returns the whole tickets (as Get returns
  // them, in id order) of those `row` returned true for, read in the same
  // snapshot. A damaged row throws Error(kIo) as List would.
  std::vector<Ticket> ScanForSla(
      const std::function<bool(const SlaTicketRow&)>& row) const;

  // The clock that says what day it is for the board.
  const Clock& clock() const { return clock_; }

 private:
  std::vector<Ticket> ListAsOf(const TicketFilter& filter) const;

  Store& store_;
  const Config& config_;
  const Clock& clock_;
};

}  // namespace focus

#endif  // FOCUS_BOARD_H_
