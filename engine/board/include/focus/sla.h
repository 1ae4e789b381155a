// The Trust's agreed response time for board tickets.
//
// Due dates count working days (weekends and England & Wales bank holidays
// excluded) from the day a ticket was raised, or from the day a disputed
// verdict sent it back to the Trust (a new clock: an answer from before then
// is no longer the response, and earlier pauses do not count). The clock pauses
// while the ticket is "waiting for the forum". A published answer (answered or
// in progress) or a published decline stops the answer clock.
#ifndef FOCUS_SLA_H_
#define FOCUS_SLA_H_

#include <optional>
#include <string>
#include <vector>

#include "focus/board.h"
#include "focus/config.h"

namespace focus {

enum class SlaStatus {
  kOnTime,          // Open, more than due_soon_days working days left.
  kDueSoon,         // Open, due within due_soon_days working days.
  kBreached,        // Open, past its answer due date.
  kAnsweredOnTime,  // Answered (or declined) by the due date.
  kAnsweredLate,    // Answered (or declined) after the due date.
};
// "on-time", "due-soon", "breached", "answered-on-time", "answered-late".
const char* SlaStatusName(SlaStatus s);

struct TicketSla {
  int acknowledge_days = 0;  // The agreed times that apply to this ticket.
  int answer_days = 0;
  Date acknowledge_due;
  bool acknowledged = false;       // Sent to the Trust (or answered).
  bool acknowledged_late = false;  // ... after acknowledge_due.
  // Sent to the Trust late, or not yet and past acknowledge_due.
  bool missed_acknowledge = false;
  // A disputed verdict sent it back to the Trust by the report date; the
  // answer clock runs from clock_from.
  bool disputed = false;
  Date clock_from;
  // Raised + answer_days working days + the working days paused so far.
  Date answer_due;
  bool paused = false;  // Waiting for the forum as of the report date.
  SlaStatus status = SlaStatus::kOnTime;
  // Working days from raised to the answer, pauses excluded (if answered).
  std::optional<int> working_days_to_answer;
  // Working days left to answer_due as of the report date (negative when
  // breached); nullopt once answered. While paused it stays as it was when
  // the pause began.
  std::optional<int> working_days_left;
  // The copy deadline of the newsletter of the quarter the ticket was raised
  // in, and whether answer_due falls after it (the answer would miss it).
  Date newsletter_deadline;
  bool misses_newsletter = false;
};

// The agreed times for `ticket`: a team rule wins over theme rules, and of
// several theme rules the shortest applies; else the default.
SlaRule SlaRuleFor(const Config& config, const Ticket& ticket);

// REQUIRES: as_of >= ticket.raised_on.
TicketSla ComputeSla(const Config& config, const HolidayCalendar& holidays,
                     const Ticket& ticket, Date as_of);

struct SlaGroup {
  std::string key;  // Team, area, theme or round ("2027-r1").
  int tickets = 0;
  int open = 0;
  int answered = 0;  // Including declined with a published reason.
  int answered_on_time = 0;
  int breached = 0;
  int due_soon = 0;
  // Answers a forum disputed (the ticket went back to the Trust): counted
  // apart from the answers on time, which measure the new clock.
  int disputed = 0;
  // Sent to the Trust after the agreed time, or not yet and past it.
  int missed_acknowledge = 0;
  // answered_on_time / answered, 0..100; nullopt when nothing answered.
  std::optional<double> percent_on_time;
  std::optional<double> median_working_days_to_answer;
};

struct SlaLine {
  Ticket ticket;
  TicketSla sla;
};

struct SlaReport {
  Date as_of;
  SlaGroup overall;
  std::vector<SlaGroup> by_team, by_area, by_theme, by_round;  // Sorted keys.
  std::vector<SlaLine> breached;  // Most overdue first.
  std::vector<SlaLine> due_soon;  // Soonest due first.
  // Open tickets that missed the send-to-Trust time (see
  // TicketSla::missed_acknowledge); earliest acknowledge_due first.
  std::vector<SlaLine> missed_acknowledge;
  // E.g. "the agreed 20 working days for tickets raised at the end of a
  // round's window reach past that quarter's newsletter copy deadline".
  std::vector<std::string> warnings;
};

// Builds the report over `tickets` (merged tickets are skipped).
SlaReport BuildSlaReport(const Config& config,
                         const std::vector<Ticket>& tickets, Date as_of);

// The same report as BuildSlaReport(config, board.AsOf(as_of), as_of).
// When nothing was recorded after `as_of`, it is read the fast way: only the
// columns the report needs for every ticket, and the whole ticket only for the
// breached and due-soon lines (Board::ScanForSla). For `focus sla` over a board
// of a million tickets.
SlaReport BuildBoardSlaReport(const Config& config, const Board& board,
                              Date as_of);

std::string RenderSlaReportText(const Config& config, const SlaReport& report);
std::string RenderSlaReportJson(const Config& config, const SlaReport& report);

}  // namespace focus

#endif  // FOCUS_SLA_H_
