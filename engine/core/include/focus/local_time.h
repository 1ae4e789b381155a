// Dates and wall-clock times in the Trust's time zone, Europe/London.
//
// Dates are boost::gregorian::date; the UTC offset comes from Boost's
// posix_time_zone rules for GMT/BST, never from hand-written arithmetic.
#ifndef FOCUS_LOCAL_TIME_H_
#define FOCUS_LOCAL_TIME_H_

#include <boost/date_time/gregorian/gregorian_types.hpp>
#include <ctime>
#include <optional>
#include <string>

namespace focus {

using Date = boost::gregorian::date;

// A wall-clock time of day in Europe/London, minutes after midnight.
struct TimeOfDay {
  int minutes = 0;  // 0..1439

  int hour() const { return minutes / 60; }
  int minute() const { return minutes % 60; }
  bool operator==(const TimeOfDay& o) const { return minutes == o.minutes; }
  bool operator!=(const TimeOfDay& o) const { return minutes != o.minutes; }
  bool operator<(const TimeOfDay& o) const { return minutes < o.minutes; }
};

// Parses "HH:MM" (24-hour, 00:00-23:59). Returns nullopt if malformed.
std::optional<TimeOfDay> ParseTimeOfDay(const std::string& text);
// "10:30".
std::string FormatTimeOfDay(TimeOfDay t);

// Parses an ISO date "YYYY-MM-DD". Returns nullopt if malformed or invalid
// (e.g. 2027-02-30).
std::optional<Date> ParseIsoDate(const std::string& text);
// "2027-01-12".
std::string FormatIsoDate(Date d);
// "Tue 12 Jan 2027".
std::string FormatHumanDate(Date d);
// "Tuesday".
std::string WeekdayName(Date d);
// Parses a weekday name ("Monday", "mon", case-insensitive).
// Returns 0=Sunday..6=Saturday, or nullopt.
std::optional<int> ParseWeekday(const std::string& text);
std::string WeekdayNameOf(int weekday);  // 0=Sunday.
// "January" for 1 .. "December" for 12. REQUIRES: 1 <= month <= 12.
std::string MonthName(int month);

// Offset of Europe/London from UTC, in minutes (0 in GMT, 60 in BST), at the
// given local wall-clock time. REQUIRES: the local time exists and is not
// ambiguous (not inside the spring-forward gap or autumn fold); throws
// Error(kInvalidInput) otherwise.
int LondonUtcOffsetMinutes(Date date, TimeOfDay time);

// ISO 8601 local time with UTC offset, e.g. "2027-04-06T10:30:00+01:00".
std::string FormatIsoLocal(Date date, TimeOfDay time);

// Seconds since the Unix epoch of a Europe/London wall-clock time.
std::time_t LondonToUnix(Date date, TimeOfDay time);

// Parses "2026-11-01T00:00:00Z" (UTC). Returns nullopt if malformed.
std::optional<std::time_t> ParseUtcTimestamp(const std::string& text);

}  // namespace focus

#endif  // FOCUS_LOCAL_TIME_H_
