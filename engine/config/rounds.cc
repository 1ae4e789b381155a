#include "focus/rounds.h"

#include <algorithm>
#include <boost/date_time/gregorian/gregorian.hpp>

namespace focus {

std::optional<int> PlanYearOfId(const std::string& id) {
  if (id.size() < 5 || id[4] != '-') return std::nullopt;
  int year = 0;
  for (int i = 0; i < 4; ++i) {
    if (id[i] < '0' || id[i] > '9') return std::nullopt;
    year = year * 10 + (id[i] - '0');
  }
  return year;
}

std::pair<int, int> RoundOfDate(const Config& config, Date d) {
  // Months since the start of plan year 0's first round.
  int index = static_cast<int>(d.year()) * 12 + (d.month() - 1) -
              (config.first_round_month - 1);
  int plan_year = index / 12;
  int round = (index % 12) / 3 + 1;
  return {plan_year, round};
}

std::pair<int, int> RoundMonth(const Config& config, int plan_year, int round,
                               int month_of_quarter) {
  int index = plan_year * 12 + (config.first_round_month - 1) +
              3 * (round - 1) + (month_of_quarter - 1);
  return {index / 12, index % 12 + 1};
}

DateRange RoundWindow(const Config& config, int plan_year, int round) {
  const auto [year, month] = RoundMonth(config, plan_year, round);
  const int days_in_month =
      boost::gregorian::gregorian_calendar::end_of_month_day(year, month);
  return DateRange{
      Date(year, month, 1),
      Date(year, month, std::min(config.window_days, days_in_month)), ""};
}

std::string RoundId(int plan_year, int round) {
  return std::to_string(plan_year) + "-r" + std::to_string(round);
}

Date NewsletterCopyDeadline(const Config& config,
                            const HolidayCalendar& holidays, Date d) {
  auto [plan_year, round] = RoundOfDate(config, d);
  auto [year, month] = RoundMonth(config, plan_year, round, 3);
  return holidays.NthWorkingDayOfMonth(
      year, month, config.newsletter_copy_deadline_working_day);
}

}  // namespace focus
