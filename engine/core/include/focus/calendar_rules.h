// England & Wales bank holidays, computed by rule, and working-day arithmetic.
//
// The rules: New Year's Day, Good Friday, Easter Monday, the first Monday of
// May, the last Monday of May, the last Monday of August, Christmas Day and
// Boxing Day. When New Year's Day, Christmas Day or Boxing Day falls at a
// weekend the next weekday(s) not already a holiday are substitute days.
// One-off days proclaimed by the government (e.g. a coronation) and rule
// days moved by proclamation come from configuration (HolidayOverrides).
#ifndef FOCUS_CALENDAR_RULES_H_
#define FOCUS_CALENDAR_RULES_H_

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "focus/local_time.h"

namespace focus {

struct Holiday {
  Date date;
  std::string name;  // e.g. "Good Friday", "Boxing Day (substitute day)"
};

// Western (Gregorian) Easter Sunday. Valid for 1583..9999.
Date EasterSunday(int year);

// The bank holidays of `year` given by the rules alone, sorted by date.
std::vector<Holiday> RuleBankHolidays(int year);

struct HolidayOverrides {
  // Extra one-off bank holidays (e.g. 2023-05-08 Coronation of King Charles
  // III).
  std::vector<Holiday> extra;
  // Rule days that do not apply because the government moved them (e.g.
  // 2022-05-30, moved to 2022-06-02). The replacement goes in `extra`.
  std::vector<Date> cancelled;
};

// What is wrong with cancelling `day`, or "" if nothing: a year the rules do
// not cover (1583 to 9999), or a day that is no bank holiday by the rules.
std::string CancelledHolidayProblem(Date day);

// What is wrong with overrides.extra[i], or "" if nothing: a year the rules
// do not cover, a day listed earlier in `extra`, or a rule holiday that
// overrides.cancelled does not cancel.
std::string ExtraHolidayProblem(const HolidayOverrides& overrides, size_t i);

// Answers "is this a working day?" for the plan and the response-time clock.
// A working day is Monday-Friday and not a bank holiday. Thread-safe.
class HolidayCalendar {
 public:
  explicit HolidayCalendar(HolidayOverrides overrides = {});

  // The bank holidays of `year` after overrides, sorted by date.
  std::vector<Holiday> BankHolidays(int year) const;

  // The holiday's name if `d` is a bank holiday.
  std::optional<std::string> HolidayName(Date d) const;

  bool IsWorkingDay(Date d) const;

  // The `n`th working day after `from` (n = 0 returns `from` itself whether
  // or not it is a working day). REQUIRES: n >= 0.
  Date AddWorkingDays(Date from, int n) const;

  // The number of working days d with from < d <= to; 0 if to <= from.
  int WorkingDaysBetween(Date from, Date to) const;

  // The `n`th working day of a month: n = 1 is the first, n = -1 the last.
  // Throws Error(kInvalidInput) if the month has fewer than |n| working days.
  Date NthWorkingDayOfMonth(int year, int month, int n) const;

 private:
  const std::map<Date, std::string>& YearHolidays(int year) const;

  HolidayOverrides overrides_;
  mutable std::mutex mu_;
  mutable std::map<int, std::map<Date, std::string>> by_year_;
};

}  // namespace focus

#endif  // FOCUS_CALENDAR_RULES_H_
