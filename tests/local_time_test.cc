#include "focus/local_time.h"

#include <gtest/gtest.h>

#include <string>

#include "focus/error.h"
#include "test_util.h"

namespace focus {
namespace {

Date D(const std::string& iso) {
  std::optional<Date> d = ParseIsoDate(iso);
  if (!d) ADD_FAILURE() << "bad date in test: " << iso;
  return d.value_or(Date(2000, 1, 1));
}

TimeOfDay T(const std::string& hhmm) {
  std::optional<TimeOfDay> t = ParseTimeOfDay(hhmm);
  if (!t) ADD_FAILURE() << "bad time in test: " << hhmm;
  return t.value_or(TimeOfDay{});
}

// --- Times of day
// -------------------------------------------------------------

struct TimeCase {
  const char* text;
  int minutes;  // -1: rejected.
};

TEST(TimeOfDayTest, Parse) {
  const TimeCase cases[] = {
      {"00:00", 0},   {"10:30", 630}, {"23:59", 1439}, {"07:30", 450},
      {"7:30", 450},  {"0:05", 5},    {"25:00", -1},   {"24:00", -1},
      {"10:60", -1},  {"", -1},       {":30", -1},     {"1030", -1},
      {"10:3", -1},   {"10:300", -1}, {"ab:cd", -1},   {" 10:30", -1},
      {"10:30 ", -1}, {"-1:30", -1},  {"+1:30", -1},   {"100:30", -1},
      {"10.30", -1},  {"10:3a", -1},  {"1a:30", -1},   {"10:30:00", -1},
  };
  for (const TimeCase& c : cases) {
    const std::optional<TimeOfDay> t = ParseTimeOfDay(c.text);
    if (c.minutes < 0) {
      EXPECT_FALSE(t.has_value()) << '"' << c.text << '"';
    } else {
      ASSERT_TRUE(t.has_value()) << '"' << c.text << '"';
      EXPECT_EQ(t->minutes, c.minutes) << c.text;
    }
  }
}

TEST(TimeOfDayTest, FormatRoundTripsEveryMinute) {
  for (int m = 0; m < 24 * 60; ++m) {
    const std::string text = FormatTimeOfDay(TimeOfDay{m});
    ASSERT_EQ(text.size(), 5u) << m;
    const std::optional<TimeOfDay> back = ParseTimeOfDay(text);
    ASSERT_TRUE(back.has_value()) << text;
    ASSERT_EQ(back->minutes, m) << text;
  }
  EXPECT_EQ(FormatTimeOfDay(TimeOfDay{9 * 60 + 5}), "09:05");
  EXPECT_EQ(ErrorText([] { FormatTimeOfDay(TimeOfDay{1440}); }),
            "time of day out of range: 1440 minutes after midnight");
}

// --- Dates
// --------------------------------------------------------------------

TEST(DateTest, ParseIsoDateAcceptsRealDates) {
  EXPECT_EQ(ParseIsoDate("2027-01-12"), Date(2027, 1, 12));
  EXPECT_EQ(ParseIsoDate("2028-02-29"), Date(2028, 2, 29));
  EXPECT_EQ(ParseIsoDate("2000-02-29"), Date(2000, 2, 29));
  EXPECT_EQ(ParseIsoDate("9999-12-31"), Date(9999, 12, 31));
}

TEST(DateTest, ParseIsoDateRejectsMalformedOrImpossibleDates) {
  const char* const bad[] = {
      "2027-02-30",  "2027-02-29", "1900-02-29",
      "2027-04-31",  "2027-13-01", "2027-00-10",
      "2027-01-00",  "2027-2-3",   "2027-02-3",
      "27-01-01",    "2027/01/01", "2027-01-01 ",
      " 2027-01-01", "",           "0000-01-01",
      "+027-01-01",  "2027-01-1a", "2027-01-01T00:00:00Z",
      "20270101",
  };
  for (const char* text : bad) {
    EXPECT_FALSE(ParseIsoDate(text).has_value()) << '"' << text << '"';
  }
}

TEST(DateTest, IsoDateRoundTripsOverYears) {
  for (Date d(2019, 1, 1); d <= Date(2031, 12, 31);
       d += boost::gregorian::days(1)) {
    ASSERT_EQ(ParseIsoDate(FormatIsoDate(d)), d) << FormatIsoDate(d);
  }
  EXPECT_EQ(FormatIsoDate(Date(2027, 1, 2)), "2027-01-02");
}

TEST(DateTest, HumanDatesAndWeekdays) {
  EXPECT_EQ(FormatHumanDate(D("2027-01-12")), "Tue 12 Jan 2027");
  EXPECT_EQ(FormatHumanDate(D("2027-01-05")), "Tue 5 Jan 2027");
  EXPECT_EQ(FormatHumanDate(D("2027-12-25")), "Sat 25 Dec 2027");
  EXPECT_EQ(WeekdayName(D("2027-01-12")), "Tuesday");
  EXPECT_EQ(WeekdayName(D("2027-01-17")), "Sunday");
  EXPECT_EQ(WeekdayNameOf(0), "Sunday");
  EXPECT_EQ(WeekdayNameOf(3), "Wednesday");
  EXPECT_EQ(WeekdayNameOf(6), "Saturday");
  EXPECT_EQ(ErrorText([] { WeekdayNameOf(7); }),
            "weekday must be 0 (Sunday) to 6 (Saturday), not 7");
  EXPECT_THROW(FormatHumanDate(Date()), Error);
}

struct WeekdayCase {
  const char* text;
  int want;  // -1: rejected.
};

TEST(DateTest, ParseWeekday) {
  const WeekdayCase cases[] = {
      {"Sunday", 0},    {"sun", 0},      {"Monday", 1},   {"mon", 1},
      {"MON", 1},       {"mOnDaY", 1},   {"Tuesday", 2},  {"tue", 2},
      {"Wednesday", 3}, {"Wed", 3},      {"thursday", 4}, {"Thu", 4},
      {"Friday", 5},    {"fri", 5},      {"Saturday", 6}, {"SAT", 6},
      {"thurs", -1},    {"tues", -1},    {"Mo", -1},      {"", -1},
      {" Monday", -1},  {"Monday ", -1}, {"Mondays", -1}, {"1", -1},
  };
  for (const WeekdayCase& c : cases) {
    const std::optional<int> got = ParseWeekday(c.text);
    if (c.want < 0) {
      EXPECT_FALSE(got.has_value()) << '"' << c.text << '"';
    } else {
      EXPECT_EQ(got, c.want) << c.text;
    }
  }
  for (int w = 0; w < 7; ++w) EXPECT_EQ(ParseWeekday(WeekdayNameOf(w)), w);
}

// --- Europe/London
// ------------------------------------------------------------

struct OffsetCase {
  const char* date;
  const char* time;
  int minutes;
};

// 2027: BST starts 01:00 GMT on Sun 28 March, ends 02:00 BST on Sun 31 Oct.
TEST(LondonTest, OffsetsEitherSideOfTheChanges) {
  const OffsetCase cases[] = {
      {"2027-01-12", "10:30", 0},
      {"2027-07-01", "10:30", 60},
      {"2027-03-27", "12:00", 0},
      {"2027-03-28", "00:00", 0},
      {"2027-03-28", "00:59", 0},
      {"2027-03-28", "02:00", 60},
      {"2027-03-28", "12:00", 60},
      {"2027-03-29", "00:00", 60},
      {"2027-10-30", "23:59", 60},
      {"2027-10-31", "00:00", 60},
      {"2027-10-31", "00:59", 60},
      {"2027-10-31", "02:00", 0},
      {"2027-10-31", "12:00", 0},
      {"2027-11-01", "10:30", 0},
      // 2026 for good measure: 29 March and 25 October.
      {"2026-03-29", "00:59", 0},
      {"2026-03-29", "02:00", 60},
      {"2026-10-25", "00:59", 60},
      {"2026-10-25", "02:00", 0},
  };
  for (const OffsetCase& c : cases) {
    EXPECT_EQ(LondonUtcOffsetMinutes(D(c.date), T(c.time)), c.minutes)
        << c.date << " " << c.time;
  }
}

TEST(LondonTest, TimesInTheGapDoNotExist) {
  for (const char* t : {"01:00", "01:30", "01:59"}) {
    EXPECT_EQ(ErrorText([&] { LondonUtcOffsetMinutes(D("2027-03-28"), T(t)); }),
              std::string(t) +
                  " on 2027-03-28 does not exist in Europe/London (the "
                  "clocks go forward)");
  }
  EXPECT_EQ(ErrorText([] { FormatIsoLocal(D("2027-03-28"), T("01:30")); }),
            "01:30 on 2027-03-28 does not exist in Europe/London (the clocks "
            "go forward)");
  EXPECT_THROW(LondonToUnix(D("2027-03-28"), T("01:30")), Error);
}

TEST(LondonTest, TimesInTheFoldAreAmbiguous) {
  for (const char* t : {"01:00", "01:30", "01:59"}) {
    EXPECT_EQ(ErrorText([&] { LondonUtcOffsetMinutes(D("2027-10-31"), T(t)); }),
              std::string(t) +
                  " on 2027-10-31 is ambiguous in Europe/London (the clocks "
                  "go back, so it happens twice)");
  }
  EXPECT_THROW(LondonToUnix(D("2027-10-31"), T("01:30")), Error);
}

TEST(LondonTest, RejectsOutOfRangeInput) {
  EXPECT_EQ(ErrorText([] { LondonUtcOffsetMinutes(D("2027-01-12"), {-1}); }),
            "time of day out of range: -1 minutes after midnight");
  EXPECT_THROW(LondonUtcOffsetMinutes(Date(), T("10:00")), Error);
}

TEST(LondonTest, FormatIsoLocal) {
  EXPECT_EQ(FormatIsoLocal(D("2027-04-06"), T("10:30")),
            "2027-04-06T10:30:00+01:00");
  EXPECT_EQ(FormatIsoLocal(D("2027-01-12"), T("10:30")),
            "2027-01-12T10:30:00+00:00");
  EXPECT_EQ(FormatIsoLocal(D("2027-03-28"), T("02:00")),
            "2027-03-28T02:00:00+01:00");
  EXPECT_EQ(FormatIsoLocal(D("2027-10-31"), T("00:59")),
            "2027-10-31T00:59:00+01:00");
  EXPECT_EQ(FormatIsoLocal(D("2027-10-31"), T("02:00")),
            "2027-10-31T02:00:00+00:00");
}

TEST(LondonTest, LondonToUnix) {
  EXPECT_EQ(LondonToUnix(D("1970-01-01"), T("00:00")), 0);
  EXPECT_EQ(LondonToUnix(D("2000-01-01"), T("00:00")), 946684800);
  EXPECT_EQ(LondonToUnix(D("2027-01-12"), T("10:30")),
            ParseUtcTimestamp("2027-01-12T10:30:00Z"));
  EXPECT_EQ(LondonToUnix(D("2027-04-06"), T("10:30")),
            ParseUtcTimestamp("2027-04-06T09:30:00Z"));
  // Across the changes: one real minute in March, two hours and a minute in
  // October.
  EXPECT_EQ(LondonToUnix(D("2027-03-28"), T("02:00")) -
                LondonToUnix(D("2027-03-28"), T("00:59")),
            60);
  EXPECT_EQ(LondonToUnix(D("2027-10-31"), T("02:00")) -
                LondonToUnix(D("2027-10-31"), T("00:59")),
            2 * 3600 + 60);
}

TEST(UtcTimestampTest, Parse) {
  EXPECT_EQ(ParseUtcTimestamp("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(ParseUtcTimestamp("2000-01-01T00:00:00Z"), 946684800);
  EXPECT_EQ(ParseUtcTimestamp("2000-01-01T01:02:03Z"), 946684800 + 3723);
  EXPECT_EQ(ParseUtcTimestamp("2026-11-01T00:00:00Z"),
            LondonToUnix(D("2026-11-01"), T("00:00")));
  const char* const bad[] = {
      "2026-11-01T00:00:00",
      "2026-11-01 00:00:00Z",
      "2026-11-01T24:00:00Z",
      "2026-11-01T00:60:00Z",
      "2026-11-01T00:00:60Z",
      "2026-02-30T00:00:00Z",
      "2026-11-01T00:00:00+00:00",
      "2026-11-01t00:00:00z",
      "2026-11-01T0:00:00Z",
      "",
      "2026-11-01",
      "2026-11-01T00:00:00.000Z",
  };
  for (const char* text : bad) {
    EXPECT_FALSE(ParseUtcTimestamp(text).has_value()) << '"' << text << '"';
  }
}

}  // namespace
}  // namespace focus

namespace focus {
namespace {

TEST(MonthNameTest, AllTwelve) {
  EXPECT_EQ(MonthName(1), "January");
  EXPECT_EQ(MonthName(9), "September");
  EXPECT_EQ(MonthName(12), "December");
}

}  // namespace
}  // namespace focus
