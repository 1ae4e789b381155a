// What the response-time files share (internal to the board): the working-day
// arithmetic, a ticket's facts and its response time, for one ticket
// (sla_rules.cc), a whole report (sla.cc) and its wording (sla_render.cc).
#ifndef FOCUS_BOARD_SLA_INTERNAL_H_
#define FOCUS_BOARD_SLA_INTERNAL_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "focus/board.h"
#include "focus/calendar_rules.h"
#include "focus/config.h"
#include "focus/sla.h"

namespace focus::sla_internal {

// By-day tables span at most this, within the calendar's years.
inline const Date kFirstDay(1583, 1, 1);
inline const Date kLastDay(9999, 12, 31);
constexpr long kMaxTableDays = 200 * 366;

// Where a by-day table over [first, last] should start to reach back to
// `d`: at least twice as far back as now, so that a report's tables grow
// only a few times whatever order its tickets come in, but never longer than
// kMaxTableDays (the caller checks whether `d` made it in).
Date ExtendBack(Date first, Date last, Date d);

// Working-day arithmetic for one report. HolidayCalendar answers each
// question with a lock and a map walk; a report asks millions of them about
// a few thousand dates, so over the report's date range it keeps a prefix
// count of working days (O(1) per question) and falls back to the calendar
// for anything outside that range. Both give identical answers.
//
// The questions are defined here, in the header, so that they are inlined
// into the report's loop over every ticket.
class WorkingDays {
 public:
  explicit WorkingDays(const HolidayCalendar& holidays) : holidays_(holidays) {}

  // Tabulates [first, last]. Returns false, changing nothing, if the range
  // is outside the calendar's years or unreasonably long.
  bool Tabulate(Date first, Date last);

  // Extends the table back to `d`. Dates it cannot cover fall back to the
  // calendar.
  void Reach(Date d);

  // HolidayCalendar::WorkingDaysBetween.
  int Between(Date from, Date to) const {
    const int a = Index(from);
    const int b = Index(to);
    if (a < 0 || b < 0) return holidays_.WorkingDaysBetween(from, to);
    return b <= a ? 0 : cumulative_[b] - cumulative_[a];
  }

  // HolidayCalendar::AddWorkingDays.
  Date Add(Date from, int n) const {
    const int a = Index(from);
    if (a >= 0 && n == 0) return from;
    if (a >= 0 && n > 0) {
      const size_t k = static_cast<size_t>(cumulative_[a]) + n;
      if (k <= working_.size()) return working_[k - 1];
    }
    return holidays_.AddWorkingDays(from, n);
  }

  const HolidayCalendar& holidays() const { return holidays_; }

 private:
  // The table index of `d`, or -1 when it is not tabulated.
  int Index(Date d) const {
    if (cumulative_.empty() || d.is_special()) return -1;
    const long i = (d - first_).days();
    return i >= 0 && i < static_cast<long>(cumulative_.size())
               ? static_cast<int>(i)
               : -1;
  }

  const HolidayCalendar& holidays_;
  Date first_, last_;
  bool full_ = false;  // Reach() gave up: the range would be too long.
  std::vector<int> cumulative_;  // Working days in (first_, first_ + i].
  std::vector<Date> working_;    // The working days in that range, in order.
};

// Of several theme rules the quicker applies: a ticket is owed the quickest
// answer any of its themes was promised. Either may be nullptr (no rule).
const SlaRule* Quicker(const SlaRule* a, const SlaRule* b);

// The fields of a ticket its response time depends on: from a Ticket or
// from a lean board scan (SlaTicketRow).
struct SlaFacts {
  int64_t id = 0;
  Date raised_on;
  std::optional<Date> sent_on;
  std::optional<Date> answered_on;
  std::optional<Date> declined_on;
  int paused_working_days = 0;
  std::optional<Date> paused_since;
  std::optional<Date> reopened_on;
};

SlaFacts FactsOf(const Ticket& t);
SlaFacts FactsOf(const SlaTicketRow& t);

// Throws kInvalid unless the ticket was raised on a valid date on or before
// the valid report date `as_of`.
void CheckTicketDates(const SlaFacts& ticket, Date as_of);

// The response time of one ticket under `rule`, as of `as_of`; the
// arithmetic of ComputeSla, whichever way the ticket was read.
TicketSla Compute(const SlaRule& rule, int due_soon_days,
                  const WorkingDays& days, const SlaFacts& ticket, Date as_of,
                  Date newsletter_deadline);

// "1 ticket", "2 tickets".
std::string Plural(int n, const std::string& one, const std::string& many);

// "1 working day", "2 working days".
std::string WorkingDaysText(int n);

}  // namespace focus::sla_internal

#endif  // FOCUS_BOARD_SLA_INTERNAL_H_
