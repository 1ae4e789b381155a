// Round arithmetic: which quarterly round a date falls in, its months, its
// window and its newsletter copy deadline. Needs only the configuration, so
// the board and the response times use it without the planner.
#ifndef FOCUS_ROUNDS_H_
#define FOCUS_ROUNDS_H_

#include <optional>
#include <string>
#include <utility>

#include "focus/calendar_rules.h"
#include "focus/config.h"

namespace focus {

// The plan year a forum id such as "2027-r3-east-surrey" belongs to.
std::optional<int> PlanYearOfId(const std::string& id);

// The round a date falls in: {plan year, round 1..4}, given
// year.first_round_month (with April, 2028-02-10 is round 4 of 2027).
std::pair<int, int> RoundOfDate(const Config& config, Date d);
// The calendar {year, month} of month `month_of_quarter` (1..3) of round
// `round` of plan year `plan_year` (month 1 is when its forums meet).
std::pair<int, int> RoundMonth(const Config& config, int plan_year, int round,
                               int month_of_quarter = 1);
// The days round `round` of `plan_year` places its forums on: days 1 to
// year.window_days (at most the month's last) of the round's first month.
DateRange RoundWindow(const Config& config, int plan_year, int round);
// "2027-r1": the prefix of that round's forum ids.
std::string RoundId(int plan_year, int round);

// The newsletter copy deadline of the quarter `d` falls in (working day
// newsletter.copy_deadline_working_day of the quarter's third month): the
// date an answer must exist by to reach that quarter's roundup.
Date NewsletterCopyDeadline(const Config& config,
                            const HolidayCalendar& holidays, Date d);

}  // namespace focus

#endif  // FOCUS_ROUNDS_H_
