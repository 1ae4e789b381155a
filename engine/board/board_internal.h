// What the board's source files share (internal to the board library): the
// input checks, reading rows into tickets and forums, and writing changes
// with their history.
#ifndef FOCUS_BOARD_BOARD_INTERNAL_H_
#define FOCUS_BOARD_BOARD_INTERNAL_H_

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "focus/board.h"
#include "focus/clock.h"
#include "focus/config.h"
#include "focus/store.h"
#include "focus/ticket_state.h"
#include "focus/tickets_repository.h"

namespace focus::board_internal {

// ---------------------------------------------------------------------------
// Input checks (board_validation.cc). Each throws Error with a one-line
// message; Error::field names the input at fault.

// User text inside a one-line message: control characters would break the
// line (and could fake another one), so they become spaces.
std::string Shown(const std::string& s);

std::string TicketRef(int64_t id);

// Accepts "East Surrey", "east-surrey" or "east surrey"; returns the slug.
// `what` names what needs the area ("a ticket") when none is given.
std::string ResolveArea(const Config& config, const std::string& given,
                        const char* what);
std::string ResolveTheme(const Config& config, const std::string& given);
std::string ResolveTeam(const Config& config, const std::string& given);

// An identifier screen the facilitator overrode, for the history.
struct Override {
  std::string field;
  std::string kinds;  // "NHS number, phone number": never the text itself.
};

// A free-text field: its label in messages and the history, and its name in
// the API (Error::field).
struct TextField {
  const char* label;
  const char* name;
};
inline constexpr TextField kTitle{"title", "title"};
inline constexpr TextField kDetails{"details", "details"};
inline constexpr TextField kApologies{"apologies", "apologies"};
inline constexpr TextField kNote{"note", "note"};
inline constexpr TextField kReason{"reason", "reason"};
inline constexpr TextField kAnswerText{"answer", "text"};
inline constexpr TextField kAnsweredBy{"answered by", "answered_by"};

// Screens one free-text field; records what an override let through.
void Screen(const TextField& f, const std::string& text, size_t max,
            bool allow_identifiers, std::vector<Override>* overrides);

void CheckActor(const std::string& actor);

// A NewTicket after validation: canonical names, defaults filled in.
struct CheckedTicket {
  std::string title;
  std::string details;
  std::string area;
  std::vector<std::string> themes;
  std::string team;
  int raised_by = 1;
  std::optional<int64_t> forum_id;
  Date raised_on;
  std::vector<Override> overrides;
};

// `screened`: the title and details already passed ScreenText with these
// limits and no override (see ImportedTicket::texts_screened).
CheckedTicket CheckTicket(Connection& db, const Config& config, Date today,
                          const NewTicket& in, bool screened = false);

// An imported ticket checked as AddTicket checks a new one, and its state,
// dates and published texts as well.
CheckedTicket CheckImportedTicket(Connection& db, const Config& config,
                                  Date today, const ImportedTicket& item);

// The parts of a ForumRecord that validation puts in canonical form; the
// rest is written as given.
struct CheckedForum {
  std::string area;                    // Slug.
  std::string plan_id;                 // Trimmed; "" for an ad hoc forum.
  std::vector<std::string> apologies;  // Trimmed, none empty.
};

CheckedForum CheckForum(Connection& db, const Config& config, Date today,
                        const ForumRecord& forum);

void CheckForumExists(Connection& db, int64_t id);

// A merged repeat drops out of every public list, so a repeat whose answer
// or reason was published must not become one: that answer would vanish.
void CheckNothingPublished(const Ticket& repeat, const Ticket& survivor);

// Throws unless `t` has a published answer a forum can give its verdict on.
void CheckAwaitsVerdict(const Ticket& t);

// Forum `forum_id`, if it can give its verdict on the answer of `t`: held
// after the answer was published, by today, and not given one on it yet.
ForumRecord CheckVerdictForum(Connection& db, Date today, const Ticket& t,
                              int64_t forum_id);

// The states a ticket in state `from` may move to, for a message.
std::string AllowedList(TicketState from);

// A round id "2027-r1" -> [first day, first day of the next round).
std::pair<Date, Date> RoundRange(const Config& config,
                                 const std::string& round);

// ---------------------------------------------------------------------------
// Reading rows (board_rows.cc). A stored value the board could not have
// written means the file was edited by hand or is damaged: Error(kIo).

Date StoredDate(const std::string& text, int64_t row, const char* what);
TicketState StoredState(const std::string& text, int64_t row);
// The same for a scan's rows, which are not copied into strings.
TicketState StoredState(std::string_view text, int64_t row);

// Stored rows as tickets.
std::vector<Ticket> ToTickets(std::vector<TicketRow> rows);
// The tickets `query` selects.
std::vector<Ticket> LoadTickets(Connection& db, const TicketQuery& query);
std::vector<Ticket> LoadTicketsById(Connection& db,
                                    const std::vector<int64_t>& ids);
std::optional<Ticket> FindTicket(Connection& db, int64_t id);
// Throws Error(kNotFound) if there is no ticket `id`.
Ticket MustFindTicket(Connection& db, int64_t id);
// The verdicts on ticket `id`'s answers, as recorded, oldest first; throws
// Error(kNotFound) if there is no ticket `id`.
std::vector<VerdictRecord> LoadVerdictRecords(Connection& db, int64_t id);

// Every forum, or only forum `only`, or only those recorded before the UTC
// time stamp `recorded_before`.
std::vector<ForumRecord> LoadForums(
    Connection& db, std::optional<int64_t> only,
    const std::optional<std::string>& recorded_before = std::nullopt);

// The first moment of London day `d`, as history time stamps are written.
std::string StartOfLondonDayUtc(Date d);

// ---------------------------------------------------------------------------
// Writing (board_writes.cc): every change to a ticket goes through a Writer,
// with its history row.

class Writer {
 public:
  Writer(Connection& db, const Config& config, const Clock& clock,
         const std::string& actor)
      : db_(db),
        tickets_(db),
        config_(config),
        at_(FormatUtc(clock.Now())),
        today_(clock.Today()),
        actor_(actor) {}

  Connection& db() { return db_; }
  TicketsRepository& tickets() { return tickets_; }
  Date today() const { return today_; }
  const std::string& at() const { return at_; }
  const std::string& actor() const { return actor_; }

  void History(int64_t ticket, const std::string& field,
               const std::string& old_value, const std::string& new_value,
               const std::string& note);

  void Overrides(int64_t ticket, const std::vector<Override>& overrides);

  // A NULL is written for an empty optional; history shows it as "".
  void SetText(int64_t ticket, TicketColumn column, const std::string& field,
               const std::string& old_value,
               const std::optional<std::string>& new_value,
               const std::string& note);

  void SetInt(int64_t ticket, TicketColumn column, const std::string& field,
              int64_t old_value, int64_t new_value, const std::string& note);

  void SetState(const Ticket& t, TicketState to, const std::string& note);

  // Leaving "waiting for the forum": the working days it waited stop
  // counting against the Trust's response time.
  void EndPause(const Ticket& t);

  void StartPause(const Ticket& t);

 private:
  Connection& db_;
  TicketsRepository tickets_;
  const Config& config_;
  std::string at_;
  Date today_;
  std::string actor_;
};

// Columns an imported ticket already has values for (text as stored).
struct KnownColumns {
  std::optional<std::string> sent_on;
  std::string answer;
  std::string answered_by;
  std::optional<std::string> answered_on;
  std::string decline_reason;
  std::optional<std::string> declined_on;
  std::optional<std::string> paused_since;
  std::optional<std::string> reopened_on;
  std::optional<int64_t> number;          // Kept (ImportedTicket::number).
  std::optional<std::string> created_at;  // Default: the Writer's time.
};

// Writes a checked forum and the apologies sent for it; returns its id:
// `number` if not 0, else the next free one. Recorded now by the writer's
// actor, unless `keep_recorded` and the forum says when and by whom.
int64_t InsertForum(Writer& w, const ForumRecord& forum, const CheckedForum& c,
                    int64_t number = 0, bool keep_recorded = false);

// One row of `count` votes for `ticket`, cast at `forum_id` if set; the
// ticket's total is the caller's to update.
void InsertVotes(Writer& w, int64_t ticket, std::optional<int64_t> forum_id,
                 int count, const std::string& note);

// Writes the ticket's row and themes, and no history; returns its id.
int64_t InsertTicketRow(Writer& w, const CheckedTicket& c, TicketState state,
                        int votes_total, const KnownColumns& known);

// InsertTicketRow, then the "created" history entry and the overrides.
int64_t InsertTicket(Writer& w, const CheckedTicket& c, TicketState state,
                     int votes_total, const std::string& created_note,
                     const KnownColumns& known = {});

// The "created" history entry's note: how, where and by how many.
std::string CreatedNote(const CheckedTicket& c);

}  // namespace focus::board_internal

#endif  // FOCUS_BOARD_BOARD_INTERNAL_H_
