#include "focus/calendar_rules.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <thread>
#include <vector>

#include "focus/error.h"
#include "focus/local_time.h"
#include "test_util.h"

namespace focus {
namespace {

Date D(const std::string& iso) {
  std::optional<Date> d = ParseIsoDate(iso);
  if (!d) ADD_FAILURE() << "bad date in test: " << iso;
  return d.value_or(Date(2000, 1, 1));
}

std::vector<std::string> Iso(const std::vector<Holiday>& days) {
  std::vector<std::string> out;
  for (const Holiday& h : days) out.push_back(FormatIsoDate(h.date));
  return out;
}

// The days the government moved or added, 2020-2023 (gov.uk).
HolidayOverrides PublishedOverrides() {
  HolidayOverrides o;
  o.cancelled = {D("2020-05-04"), D("2022-05-30")};
  o.extra = {
      {D("2020-05-08"), "Early May bank holiday (VE day)"},
      {D("2022-06-02"), "Spring bank holiday"},
      {D("2022-06-03"), "Platinum Jubilee bank holiday"},
      {D("2022-09-19"),
       "Bank Holiday for the State Funeral of Queen Elizabeth II"},
      {D("2023-05-08"), "Bank holiday for the coronation of King Charles III"},
  };
  return o;
}

// --- Easter -----------------------------------------------------------------

struct EasterCase {
  int year;
  const char* date;
};

TEST(EasterSundayTest, MatchesPublishedTable) {
  const EasterCase cases[] = {
      {2000, "2000-04-23"},
      {2001, "2001-04-15"},
      {2002, "2002-03-31"},
      {2003, "2003-04-20"},
      {2004, "2004-04-11"},
      {2005, "2005-03-27"},
      {2006, "2006-04-16"},
      {2007, "2007-04-08"},
      {2008, "2008-03-23"},
      {2009, "2009-04-12"},
      {2010, "2010-04-04"},
      {2011, "2011-04-24"},
      {2012, "2012-04-08"},
      {2013, "2013-03-31"},
      {2014, "2014-04-20"},
      {2015, "2015-04-05"},
      {2016, "2016-03-27"},
      {2017, "2017-04-16"},
      {2018, "2018-04-01"},
      {2019, "2019-04-21"},
      {2020, "2020-04-12"},
      {2021, "2021-04-04"},
      {2022, "2022-04-17"},
      {2023, "2023-04-09"},
      {2024, "2024-03-31"},
      {2025, "2025-04-20"},
      {2026, "2026-04-05"},
      {2027, "2027-03-28"},
      {2028, "2028-04-16"},
      {2029, "2029-04-01"},
      {2030, "2030-04-21"},
      {2031, "2031-04-13"},
      {2032, "2032-03-28"},
      {2033, "2033-04-17"},
      {2034, "2034-04-09"},
      {2035, "2035-03-25"},
      {2038, "2038-04-25"},
      // The extremes: earliest (22 March) and latest (25 April).
      {1818, "1818-03-22"},
      {2285, "2285-03-22"},
      {1943, "1943-04-25"},
  };
  for (const EasterCase& c : cases) {
    EXPECT_EQ(FormatIsoDate(EasterSunday(c.year)), c.date) << c.year;
  }
}

TEST(EasterSundayTest, IsASundayBetween22MarchAnd25AprilInEveryYear) {
  for (int year = 1583; year <= 9999; ++year) {
    const Date e = EasterSunday(year);
    ASSERT_EQ(e.day_of_week().as_number(), 0) << year;
    ASSERT_GE(e, Date(year, 3, 22)) << year;
    ASSERT_LE(e, Date(year, 4, 25)) << year;
  }
}

TEST(EasterSundayTest, RejectsYearsOutsideTheGregorianRange) {
  EXPECT_EQ(ErrorText([] { EasterSunday(1500); }),
            "Easter can only be computed for the years 1583 to 9999, not 1500");
  EXPECT_THROW(EasterSunday(10000), Error);
}

// --- Bank holidays
// ------------------------------------------------------------

struct YearCase {
  int year;
  std::vector<std::string> dates;
};

// gov.uk's published England & Wales lists, with the 2020-2023 proclamations.
TEST(BankHolidaysTest, MatchPublishedListsWithOverrides) {
  const YearCase cases[] = {
      {2020,
       {"2020-01-01", "2020-04-10", "2020-04-13", "2020-05-08", "2020-05-25",
        "2020-08-31", "2020-12-25", "2020-12-28"}},
      {2021,
       {"2021-01-01", "2021-04-02", "2021-04-05", "2021-05-03", "2021-05-31",
        "2021-08-30", "2021-12-27", "2021-12-28"}},
      {2022,
       {"2022-01-03", "2022-04-15", "2022-04-18", "2022-05-02", "2022-06-02",
        "2022-06-03", "2022-08-29", "2022-09-19", "2022-12-26", "2022-12-27"}},
      {2023,
       {"2023-01-02", "2023-04-07", "2023-04-10", "2023-05-01", "2023-05-08",
        "2023-05-29", "2023-08-28", "2023-12-25", "2023-12-26"}},
      {2024,
       {"2024-01-01", "2024-03-29", "2024-04-01", "2024-05-06", "2024-05-27",
        "2024-08-26", "2024-12-25", "2024-12-26"}},
      {2025,
       {"2025-01-01", "2025-04-18", "2025-04-21", "2025-05-05", "2025-05-26",
        "2025-08-25", "2025-12-25", "2025-12-26"}},
      {2026,
       {"2026-01-01", "2026-04-03", "2026-04-06", "2026-05-04", "2026-05-25",
        "2026-08-31", "2026-12-25", "2026-12-28"}},
      {2027,
       {"2027-01-01", "2027-03-26", "2027-03-29", "2027-05-03", "2027-05-31",
        "2027-08-30", "2027-12-27", "2027-12-28"}},
      {2028,
       {"2028-01-03", "2028-04-14", "2028-04-17", "2028-05-01", "2028-05-29",
        "2028-08-28", "2028-12-25", "2028-12-26"}},
  };
  const HolidayCalendar calendar(PublishedOverrides());
  for (const YearCase& c : cases) {
    EXPECT_EQ(Iso(calendar.BankHolidays(c.year)), c.dates) << c.year;
    for (const Holiday& h : calendar.BankHolidays(c.year)) {
      EXPECT_FALSE(calendar.IsWorkingDay(h.date)) << FormatIsoDate(h.date);
      EXPECT_NE(h.date.day_of_week().as_number(), 0) << FormatIsoDate(h.date);
      EXPECT_NE(h.date.day_of_week().as_number(), 6) << FormatIsoDate(h.date);
    }
  }
}

TEST(BankHolidaysTest, RuleListsIgnoreProclamations) {
  EXPECT_EQ(Iso(RuleBankHolidays(2022)),
            (std::vector<std::string>{"2022-01-03", "2022-04-15", "2022-04-18",
                                      "2022-05-02", "2022-05-30", "2022-08-29",
                                      "2022-12-26", "2022-12-27"}));
  EXPECT_EQ(Iso(RuleBankHolidays(2020))[3], "2020-05-04");
  // Without overrides the calendar is the rules.
  EXPECT_EQ(Iso(HolidayCalendar().BankHolidays(2022)),
            Iso(RuleBankHolidays(2022)));
}

TEST(BankHolidaysTest, NamesARegularYear) {
  const std::vector<Holiday> days = RuleBankHolidays(2025);
  std::vector<std::string> names;
  for (const Holiday& h : days) names.push_back(h.name);
  EXPECT_EQ(names, (std::vector<std::string>{
                       "New Year's Day", "Good Friday", "Easter Monday",
                       "Early May bank holiday", "Spring bank holiday",
                       "Summer bank holiday", "Christmas Day", "Boxing Day"}));
}

struct NameCase {
  const char* date;
  const char* name;
};

TEST(BankHolidaysTest, NamesSubstituteDays) {
  const NameCase cases[] = {
      // 1 Jan on a Saturday / Sunday.
      {"2022-01-03", "New Year's Day (substitute day)"},
      {"2023-01-02", "New Year's Day (substitute day)"},
      {"2028-01-03", "New Year's Day (substitute day)"},
      // Christmas on a Saturday: both move.
      {"2021-12-27", "Christmas Day (substitute day)"},
      {"2021-12-28", "Boxing Day (substitute day)"},
      {"2027-12-27", "Christmas Day (substitute day)"},
      {"2027-12-28", "Boxing Day (substitute day)"},
      // Christmas on a Sunday: Boxing Day keeps Monday.
      {"2022-12-26", "Boxing Day"},
      {"2022-12-27", "Christmas Day (substitute day)"},
      // Christmas on a Friday: Boxing Day (Saturday) moves to Monday.
      {"2020-12-25", "Christmas Day"},
      {"2020-12-28", "Boxing Day (substitute day)"},
      {"2026-12-28", "Boxing Day (substitute day)"},
      // Overrides keep their names.
      {"2023-05-08", "Bank holiday for the coronation of King Charles III"},
      {"2022-06-02", "Spring bank holiday"},
  };
  const HolidayCalendar calendar(PublishedOverrides());
  for (const NameCase& c : cases) {
    EXPECT_EQ(calendar.HolidayName(D(c.date)).value_or("(none)"), c.name)
        << c.date;
  }
  // The weekend dates themselves are not bank holidays.
  EXPECT_FALSE(calendar.HolidayName(D("2021-12-25")).has_value());
  EXPECT_FALSE(calendar.HolidayName(D("2022-05-30")).has_value());
  EXPECT_FALSE(calendar.HolidayName(D("2027-01-12")).has_value());
}

TEST(BankHolidaysTest, CancellingADayThatIsNotARuleDayIsAnError) {
  HolidayOverrides o;
  o.cancelled = {D("2022-05-31")};
  EXPECT_EQ(ErrorText([&] { HolidayCalendar c(o); }),
            "2022-05-31 is not a bank holiday by the England & Wales rules, "
            "so it cannot be cancelled");
}

TEST(BankHolidaysTest, ExtraDayThatIsAlreadyAHolidayIsAnError) {
  HolidayOverrides o;
  o.extra = {{D("2027-12-27"), "Extra"}};
  EXPECT_EQ(ErrorText([&] { HolidayCalendar c(o); }),
            "extra bank holiday 2027-12-27 (Extra) is already Christmas Day "
            "(substitute day)");
  o.extra = {{D("2027-06-01"), "A"}, {D("2027-06-01"), "B"}};
  EXPECT_EQ(ErrorText([&] { HolidayCalendar c(o); }),
            "extra bank holiday 2027-06-01 is listed twice");
}

TEST(BankHolidaysTest, RejectsYearsOutsideTheSupportedRange) {
  EXPECT_EQ(ErrorText([] { RuleBankHolidays(1400); }),
            "bank holidays are only known for the years 1583 to 9999, not "
            "1400");
  EXPECT_THROW(HolidayCalendar().IsWorkingDay(Date(1500, 1, 1)), Error);
  EXPECT_THROW(HolidayCalendar().IsWorkingDay(Date()), Error);
}

// --- Working days
// -------------------------------------------------------------

TEST(WorkingDayTest, WeekendsAndHolidaysAreNotWorkingDays) {
  const HolidayCalendar calendar(PublishedOverrides());
  EXPECT_TRUE(calendar.IsWorkingDay(D("2027-01-12")));   // Tuesday.
  EXPECT_FALSE(calendar.IsWorkingDay(D("2027-01-16")));  // Saturday.
  EXPECT_FALSE(calendar.IsWorkingDay(D("2027-01-17")));  // Sunday.
  EXPECT_FALSE(calendar.IsWorkingDay(D("2027-03-26")));  // Good Friday.
  EXPECT_TRUE(calendar.IsWorkingDay(D("2022-05-30")));   // Moved away.
  EXPECT_FALSE(calendar.IsWorkingDay(D("2022-09-19")));  // Extra.
}

struct AddCase {
  const char* from;
  int n;
  const char* want;
};

TEST(WorkingDayTest, AddWorkingDays) {
  const AddCase cases[] = {
      {"2027-01-12", 0, "2027-01-12"},
      {"2027-01-16", 0, "2027-01-16"},  // n = 0 keeps a Saturday.
      {"2027-01-08", 1, "2027-01-11"},  // Friday -> Monday.
      {"2027-01-16", 1, "2027-01-18"},  // Saturday -> Monday.
      {"2027-01-16", 5, "2027-01-22"},  // Saturday + 5 -> Friday, not Sat.
      {"2027-01-11", 5, "2027-01-18"},
      {"2027-01-11", 10, "2027-01-25"},
      // Easter 2027: Good Friday 26 March, Easter Monday 29 March.
      {"2027-03-25", 1, "2027-03-30"},
      {"2027-03-24", 2, "2027-03-30"},
      {"2027-03-22", 10, "2027-04-07"},
      // Christmas and New Year 2027/28: 27, 28 Dec and 3 Jan are holidays.
      {"2027-12-24", 1, "2027-12-29"},
      {"2027-12-24", 3, "2027-12-31"},
      {"2027-12-24", 4, "2028-01-04"},
      {"2027-12-20", 10, "2028-01-06"},
      // Overrides: the Coronation (Mon 8 May 2023), Jubilee (2-3 June 2022).
      {"2023-05-05", 1, "2023-05-09"},
      {"2022-05-27", 1, "2022-05-30"},
      {"2022-06-01", 1, "2022-06-06"},
      // A whole year: 2027 has 253 working days.
      {"2026-12-31", 253, "2027-12-31"},
  };
  const HolidayCalendar calendar(PublishedOverrides());
  for (const AddCase& c : cases) {
    EXPECT_EQ(FormatIsoDate(calendar.AddWorkingDays(D(c.from), c.n)), c.want)
        << c.from << " + " << c.n;
  }
  // Without the override the Coronation is a working day.
  EXPECT_EQ(FormatIsoDate(HolidayCalendar().AddWorkingDays(D("2023-05-05"), 1)),
            "2023-05-08");
}

TEST(WorkingDayTest, AddWorkingDaysRejectsBadInput) {
  const HolidayCalendar calendar;
  EXPECT_EQ(ErrorText([&] { calendar.AddWorkingDays(D("2027-01-12"), -1); }),
            "cannot add a negative number of working days (-1)");
  EXPECT_EQ(ErrorText([&] { calendar.AddWorkingDays(D("9999-12-30"), 5); }),
            "date out of range: Year is out of valid range: 1400..9999");
}

struct BetweenCase {
  const char* from;
  const char* to;
  int want;
};

TEST(WorkingDayTest, WorkingDaysBetween) {
  const BetweenCase cases[] = {
      {"2027-01-12", "2027-01-12", 0},
      {"2027-01-12", "2027-01-11", 0},  // to before from.
      {"2027-01-11", "2027-01-12", 1},  // from excluded, to included.
      {"2027-01-15", "2027-01-18", 1},  // Fri -> Mon.
      {"2027-01-16", "2027-01-17", 0},  // Sat -> Sun.
      {"2027-03-25", "2027-03-30", 1},  // Across Easter.
      {"2027-12-24", "2028-01-04", 4},  // 29, 30, 31 Dec and 4 Jan.
      {"2026-12-31", "2027-12-31", 253},
      {"2023-05-05", "2023-05-09", 1},  // Coronation.
      {"2022-06-01", "2022-06-06", 1},  // Jubilee.
  };
  const HolidayCalendar calendar(PublishedOverrides());
  for (const BetweenCase& c : cases) {
    EXPECT_EQ(calendar.WorkingDaysBetween(D(c.from), D(c.to)), c.want)
        << c.from << " .. " << c.to;
  }
}

// Independent of the calendar's own weekday arithmetic: Boost's weekday and
// the holiday list.
bool NaiveIsWorkingDay(const HolidayCalendar& calendar, Date d) {
  const int wd = d.day_of_week().as_number();
  return wd != 0 && wd != 6 && !calendar.HolidayName(d).has_value();
}

int NaiveWorkingDaysBetween(const HolidayCalendar& calendar, Date from,
                            Date to) {
  int count = 0;
  for (Date d = from + boost::gregorian::days(1); d <= to;
       d += boost::gregorian::days(1)) {
    if (NaiveIsWorkingDay(calendar, d)) ++count;
  }
  return count;
}

Date NaiveAddWorkingDays(const HolidayCalendar& calendar, Date from, int n) {
  Date d = from;
  while (n > 0) {
    d += boost::gregorian::days(1);
    if (NaiveIsWorkingDay(calendar, d)) --n;
  }
  return d;
}

// The fast counting agrees with walking the calendar a day at a time.
TEST(WorkingDayTest, AgreesWithDayByDayCountingOverYears) {
  HolidayOverrides o = PublishedOverrides();
  o.extra.push_back({D("2026-06-13"), "A Saturday extra, never a working day"});
  const HolidayCalendar calendar(o);
  const Date start = D("2019-01-01");
  const int span = (D("2030-12-31") - start).days();
  std::mt19937 rng(20270112);
  std::uniform_int_distribution<int> offset(0, span);
  for (int i = 0; i < 400; ++i) {
    const Date a = start + boost::gregorian::days(offset(rng));
    const Date b = start + boost::gregorian::days(offset(rng));
    ASSERT_EQ(calendar.WorkingDaysBetween(a, b),
              NaiveWorkingDaysBetween(calendar, a, b))
        << FormatIsoDate(a) << " .. " << FormatIsoDate(b);
  }
  // Start days of a few years (stepping 5 days visits every weekday) against
  // one far end, and short spans from every day.
  const Date end = D("2030-06-30");
  for (Date a = start; a <= D("2022-12-31"); a += boost::gregorian::days(1)) {
    if ((a - start).days() % 5 == 0) {
      ASSERT_EQ(calendar.WorkingDaysBetween(a, end),
                NaiveWorkingDaysBetween(calendar, a, end))
          << FormatIsoDate(a);
    }
    for (int len = 0; len <= 15; ++len) {
      const Date b = a + boost::gregorian::days(len);
      ASSERT_EQ(calendar.WorkingDaysBetween(a, b),
                NaiveWorkingDaysBetween(calendar, a, b))
          << FormatIsoDate(a) << " + " << len;
    }
  }
}

TEST(WorkingDayTest, IsWorkingDayAgreesWithBoostWeekdays) {
  const HolidayCalendar calendar(PublishedOverrides());
  for (Date d(1999, 12, 1); d <= Date(2031, 1, 31);
       d += boost::gregorian::days(1)) {
    ASSERT_EQ(calendar.IsWorkingDay(d), NaiveIsWorkingDay(calendar, d))
        << FormatIsoDate(d);
  }
}

TEST(WorkingDayTest, AddWorkingDaysAgreesWithDayByDayStepping) {
  const HolidayCalendar calendar(PublishedOverrides());
  std::mt19937 rng(42);
  std::uniform_int_distribution<int> offset(0, 365 * 8);
  std::uniform_int_distribution<int> count(0, 800);
  for (int i = 0; i < 1000; ++i) {
    const Date from = D("2019-06-01") + boost::gregorian::days(offset(rng));
    const int n = i < 200 ? i % 20 : count(rng);
    const Date got = calendar.AddWorkingDays(from, n);
    ASSERT_EQ(got, NaiveAddWorkingDays(calendar, from, n))
        << FormatIsoDate(from) << " + " << n;
    ASSERT_EQ(calendar.WorkingDaysBetween(from, got), n);
  }
}

struct NthCase {
  int year;
  int month;
  int n;
  const char* want;
};

TEST(WorkingDayTest, NthWorkingDayOfMonth) {
  const NthCase cases[] = {
      // March 2027: 23 weekdays less Good Friday and Easter Monday = 21.
      {2027, 3, 1, "2027-03-01"},
      {2027, 3, 21, "2027-03-31"},
      {2027, 3, -1, "2027-03-31"},
      {2027, 3, -2, "2027-03-30"},
      {2027, 3, -3, "2027-03-25"},
      {2027, 3, -21, "2027-03-01"},
      {2027, 5, 1, "2027-05-04"},   // Mon 3 May is a bank holiday.
      {2027, 5, -1, "2027-05-28"},  // Mon 31 May is a bank holiday.
      {2027, 12, -1, "2027-12-31"},
      {2028, 1, 1, "2028-01-04"},  // Sat 1, Sun 2, substitute Mon 3.
      {2023, 5, 5, "2023-05-09"},  // The Coronation.
  };
  const HolidayCalendar calendar(PublishedOverrides());
  for (const NthCase& c : cases) {
    EXPECT_EQ(
        FormatIsoDate(calendar.NthWorkingDayOfMonth(c.year, c.month, c.n)),
        c.want)
        << c.year << "-" << c.month << " #" << c.n;
  }
}

TEST(WorkingDayTest, NthWorkingDayOfMonthErrors) {
  const HolidayCalendar calendar;
  EXPECT_EQ(ErrorText([&] { calendar.NthWorkingDayOfMonth(2027, 3, 25); }),
            "March 2027 has only 21 working days; cannot take working day 25");
  EXPECT_EQ(ErrorText([&] { calendar.NthWorkingDayOfMonth(2027, 3, 22); }),
            "March 2027 has only 21 working days; cannot take working day 22");
  EXPECT_EQ(ErrorText([&] { calendar.NthWorkingDayOfMonth(2027, 3, -22); }),
            "March 2027 has only 21 working days; cannot take working day -22");
  EXPECT_EQ(ErrorText([&] { calendar.NthWorkingDayOfMonth(2027, 3, 0); }),
            "cannot take working day 0 of March 2027: count from 1 (the first) "
            "or from -1 (the last)");
  EXPECT_EQ(ErrorText([&] { calendar.NthWorkingDayOfMonth(2027, 13, 1); }),
            "month must be 1 to 12, not 13");
  // The last month Boost can represent still works.
  EXPECT_EQ(FormatIsoDate(calendar.NthWorkingDayOfMonth(9999, 12, -1)),
            "9999-12-31");
}

// The per-year cache is filled from many threads at once.
TEST(WorkingDayTest, ConcurrentUseAgreesWithSingleThreadedUse) {
  const HolidayCalendar reference(PublishedOverrides());
  const HolidayCalendar shared(PublishedOverrides());
  std::vector<int> got(8);
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&shared, &got, t] {
      got[t] = shared.WorkingDaysBetween(Date(2000 + t, 1, 1),
                                         Date(2040 - t, 12, 31));
    });
  }
  for (std::thread& th : threads) th.join();
  for (int t = 0; t < 8; ++t) {
    EXPECT_EQ(got[t], reference.WorkingDaysBetween(Date(2000 + t, 1, 1),
                                                   Date(2040 - t, 12, 31)));
  }
}

}  // namespace
}  // namespace focus
