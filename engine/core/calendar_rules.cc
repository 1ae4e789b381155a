#include "focus/calendar_rules.h"

#include <algorithm>
#include <boost/date_time/gregorian/gregorian.hpp>
#include <set>
#include <stdexcept>
#include <utility>

#include "focus/error.h"

namespace focus {
namespace {

namespace bg = boost::gregorian;

constexpr int kMinYear = 1583;  // First full Gregorian year (Easter rule).
constexpr int kMaxYear = 9999;  // Boost.Date_Time's last year.

std::string YearProblem(int year) {
  if (year >= kMinYear && year <= kMaxYear) return "";
  return "bank holidays are only known for the years " +
         std::to_string(kMinYear) + " to " + std::to_string(kMaxYear) +
         ", not " + std::to_string(year);
}

void CheckYear(int year) {
  const std::string problem = YearProblem(year);
  if (!problem.empty()) ThrowInvalid(problem);
}

void CheckDate(Date d) {
  if (d.is_special())
    ThrowInvalid("not a valid date: " + bg::to_simple_string(d));
}

// 0=Sunday..6=Saturday straight from the day number: date::day_of_week()
// converts to year/month/day first, which dominated WorkingDaysBetween.
int Weekday(Date d) { return static_cast<int>((d.day_number() + 1) % 7); }

bool IsWeekend(Date d) {
  const int wd = Weekday(d);
  return wd == bg::Saturday || wd == bg::Sunday;
}

// Boost throws std::out_of_range subclasses (bad_year, ...) when arithmetic
// runs off 1400..9999; callers only ever see focus::Error.
template <typename F>
auto TranslateRangeErrors(F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (const std::out_of_range& e) {
    ThrowInvalid(std::string("date out of range: ") + e.what());
  }
}

// Weekdays (Mon-Fri) d with from < d <= to, for from <= to. Whole weeks hold
// five each; only the leftover 0-6 days need looking at.
int WeekdaysBetween(Date from, Date to) {
  const long span = (to - from).days();
  int count = static_cast<int>(span / 7) * 5;
  const int rest = static_cast<int>(span % 7);
  int wd = Weekday(from);
  for (int i = 0; i < rest; ++i) {
    wd = (wd + 1) % 7;
    if (wd != bg::Saturday && wd != bg::Sunday) ++count;
  }
  return count;
}

}  // namespace

Date EasterSunday(int year) {
  if (year < kMinYear || year > kMaxYear) {
    ThrowInvalid(
        "Easter can only be computed for the years 1583 to 9999, not " +
        std::to_string(year));
  }
  // Anonymous Gregorian algorithm (Meeus/Jones/Butcher).
  const int a = year % 19;
  const int b = year / 100;
  const int c = year % 100;
  const int d = b / 4;
  const int e = b % 4;
  const int f = (b + 8) / 25;
  const int g = (b - f + 1) / 3;
  const int h = (19 * a + b - d - g + 15) % 30;
  const int i = c / 4;
  const int k = c % 4;
  const int l = (32 + 2 * e + 2 * i - h - k) % 7;
  const int m = (a + 11 * h + 22 * l) / 451;
  const int month = (h + l - 7 * m + 114) / 31;
  const int day = (h + l - 7 * m + 114) % 31 + 1;
  return Date(year, month, day);
}

std::vector<Holiday> RuleBankHolidays(int year) {
  CheckYear(year);
  const Date easter = EasterSunday(year);
  std::vector<Holiday> days = {
      {easter - bg::days(2), "Good Friday"},
      {easter + bg::days(1), "Easter Monday"},
      {bg::nth_day_of_the_week_in_month(bg::nth_day_of_the_week_in_month::first,
                                        bg::Monday, bg::May)
           .get_date(year),
       "Early May bank holiday"},
      {bg::last_day_of_the_week_in_month(bg::Monday, bg::May).get_date(year),
       "Spring bank holiday"},
      {bg::last_day_of_the_week_in_month(bg::Monday, bg::Aug).get_date(year),
       "Summer bank holiday"},
  };

  // A fixed-date holiday at a weekend moves to the next weekday that is not
  // already a holiday. Processing Christmas before Boxing Day gives the
  // published pattern: Christmas on Saturday -> Mon 27 and Tue 28; Christmas
  // on Sunday -> Boxing Day Mon 26 stays and Christmas moves to Tue 27.
  std::set<Date> taken;
  auto add_fixed = [&](Date d, const std::string& name) {
    if (!IsWeekend(d)) {
      days.push_back({d, name});
      taken.insert(d);
      return;
    }
    Date sub = d;
    while (IsWeekend(sub) || taken.count(sub) > 0) sub += bg::days(1);
    days.push_back({sub, name + " (substitute day)"});
    taken.insert(sub);
  };
  add_fixed(Date(year, 1, 1), "New Year's Day");
  const Date christmas(year, 12, 25);
  const Date boxing(year, 12, 26);
  // Boxing Day on a weekday keeps its date even when Christmas needs a
  // substitute, so it is claimed first.
  if (!IsWeekend(boxing)) taken.insert(boxing);
  add_fixed(christmas, "Christmas Day");
  add_fixed(boxing, "Boxing Day");

  std::sort(days.begin(), days.end(),
            [](const Holiday& x, const Holiday& y) { return x.date < y.date; });
  return days;
}

std::string CancelledHolidayProblem(Date day) {
  if (std::string year = YearProblem(day.year()); !year.empty()) return year;
  for (const Holiday& h : RuleBankHolidays(day.year())) {
    if (h.date == day) return "";
  }
  return bg::to_iso_extended_string(day) +
         " is not a bank holiday by the England & Wales rules, so it cannot "
         "be cancelled";
}

std::string ExtraHolidayProblem(const HolidayOverrides& overrides, size_t i) {
  const Holiday& h = overrides.extra[i];
  if (std::string year = YearProblem(h.date.year()); !year.empty()) {
    return year;
  }
  const std::string day = bg::to_iso_extended_string(h.date);
  for (size_t j = 0; j < i; ++j) {
    if (overrides.extra[j].date == h.date) {
      return "extra bank holiday " + day + " is listed twice";
    }
  }
  const auto& cancelled = overrides.cancelled;
  if (std::find(cancelled.begin(), cancelled.end(), h.date) !=
      cancelled.end()) {
    return "";
  }
  for (const Holiday& rule : RuleBankHolidays(h.date.year())) {
    if (rule.date == h.date) {
      return "extra bank holiday " + day + " (" + h.name + ") is already " +
             rule.name;
    }
  }
  return "";
}

HolidayCalendar::HolidayCalendar(HolidayOverrides overrides)
    : overrides_(std::move(overrides)) {
  // Validate up front so a typo in the configuration fails loudly instead of
  // silently leaving a rule day in place (or counting a day twice).
  for (const Date& d : overrides_.cancelled) {
    CheckDate(d);
    const std::string problem = CancelledHolidayProblem(d);
    if (!problem.empty()) ThrowInvalid(problem);
  }
  for (size_t i = 0; i < overrides_.extra.size(); ++i) {
    CheckDate(overrides_.extra[i].date);
    const std::string problem = ExtraHolidayProblem(overrides_, i);
    if (!problem.empty()) ThrowInvalid(problem);
  }
}

const std::map<Date, std::string>& HolidayCalendar::YearHolidays(
    int year) const {
  CheckYear(year);
  std::lock_guard<std::mutex> lock(mu_);
  auto it = by_year_.find(year);
  if (it != by_year_.end()) return it->second;

  std::map<Date, std::string> days;
  for (Holiday& h : RuleBankHolidays(year)) {
    days.emplace(h.date, std::move(h.name));
  }
  for (const Date& d : overrides_.cancelled) {
    if (d.year() == year) days.erase(d);
  }
  for (const Holiday& h : overrides_.extra) {
    if (h.date.year() == year) days[h.date] = h.name;
  }
  // std::map nodes never move, so the returned reference stays valid while
  // other years are inserted; a year's map is never modified once built.
  return by_year_.emplace(year, std::move(days)).first->second;
}

std::vector<Holiday> HolidayCalendar::BankHolidays(int year) const {
  std::vector<Holiday> out;
  for (const auto& [date, name] : YearHolidays(year))
    out.push_back({date, name});
  return out;
}

std::optional<std::string> HolidayCalendar::HolidayName(Date d) const {
  CheckDate(d);
  const auto& days = YearHolidays(d.year());
  auto it = days.find(d);
  if (it == days.end()) return std::nullopt;
  return it->second;
}

bool HolidayCalendar::IsWorkingDay(Date d) const {
  CheckDate(d);
  if (IsWeekend(d)) return false;
  return YearHolidays(d.year()).count(d) == 0;
}

Date HolidayCalendar::AddWorkingDays(Date from, int n) const {
  CheckDate(from);
  if (n < 0) {
    ThrowInvalid("cannot add a negative number of working days (" +
                 std::to_string(n) + ")");
  }
  return TranslateRangeErrors([&] {
    Date cur = from;
    int remaining = n;
    // Jump whole weeks while that cannot overshoot: (remaining - 1) / 5 weeks
    // hold at most remaining - 1 working days, so the answer is still ahead.
    while (remaining > 5) {
      const Date next = cur + bg::days(7 * ((remaining - 1) / 5));
      remaining -= WorkingDaysBetween(cur, next);
      cur = next;
    }
    while (remaining > 0) {
      cur += bg::days(1);
      if (IsWorkingDay(cur)) --remaining;
    }
    return cur;
  });
}

int HolidayCalendar::WorkingDaysBetween(Date from, Date to) const {
  CheckDate(from);
  CheckDate(to);
  if (to <= from) return 0;
  int count = WeekdaysBetween(from, to);
  // Subtract the holidays in (from, to] that fell on weekdays (an extra day
  // from configuration could be at a weekend and was never counted).
  for (int year = from.year(); year <= to.year(); ++year) {
    const auto& days = YearHolidays(year);
    for (auto it = days.upper_bound(from); it != days.end() && it->first <= to;
         ++it) {
      if (!IsWeekend(it->first)) --count;
    }
  }
  return count;
}

Date HolidayCalendar::NthWorkingDayOfMonth(int year, int month, int n) const {
  if (month < 1 || month > 12) {
    ThrowInvalid("month must be 1 to 12, not " + std::to_string(month));
  }
  CheckYear(year);
  const std::string month_name = MonthName(month) + " " + std::to_string(year);
  if (n == 0) {
    ThrowInvalid("cannot take working day 0 of " + month_name +
                 ": count from 1 (the first) or from -1 (the last)");
  }
  // Walk day numbers rather than incrementing a date: stepping past
  // 9999-12-31 would throw.
  std::vector<Date> working;
  const int last_day = bg::gregorian_calendar::end_of_month_day(year, month);
  for (int day = 1; day <= last_day; ++day) {
    const Date d(year, month, day);
    if (IsWorkingDay(d)) working.push_back(d);
  }
  const int have = static_cast<int>(working.size());
  if (n > have || -n > have) {
    ThrowInvalid(month_name + " has only " + std::to_string(have) +
                 " working days; cannot take working day " + std::to_string(n));
  }
  return n > 0 ? working[n - 1] : working[have + n];
}

}  // namespace focus
