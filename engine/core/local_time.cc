#include "focus/local_time.h"

#include <boost/date_time/gregorian/gregorian.hpp>
#include <boost/date_time/local_time/local_time.hpp>
#include <boost/date_time/posix_time/posix_time.hpp>
#include <cctype>
#include <cstdio>
#include <stdexcept>

#include "focus/error.h"

namespace focus {
namespace {

namespace bg = boost::gregorian;
namespace blt = boost::local_time;
namespace bpt = boost::posix_time;

const char* const kWeekdayNames[] = {"Sunday",    "Monday",   "Tuesday",
                                     "Wednesday", "Thursday", "Friday",
                                     "Saturday"};

// GMT in winter; BST (+1h, Boost's default DST shift) from 01:00 GMT on the
// last Sunday of March to 02:00 BST on the last Sunday of October. Boost reads
// both transition times as local wall-clock times, as POSIX does.
const blt::time_zone_ptr& London() {
  static const blt::time_zone_ptr tz(
      new blt::posix_time_zone("GMT0BST,M3.5.0/1,M10.5.0/2"));
  return tz;
}

void CheckDate(Date d) {
  if (d.is_special())
    ThrowInvalid("not a valid date: " + bg::to_simple_string(d));
}

void CheckTime(TimeOfDay t) {
  if (t.minutes < 0 || t.minutes >= 24 * 60) {
    ThrowInvalid("time of day out of range: " + std::to_string(t.minutes) +
                 " minutes after midnight");
  }
}

bool AllDigits(const std::string& s, size_t pos, size_t len) {
  for (size_t i = pos; i < pos + len; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
  }
  return true;
}

int Number(const std::string& s, size_t pos, size_t len) {
  int n = 0;
  for (size_t i = pos; i < pos + len; ++i) n = n * 10 + (s[i] - '0');
  return n;
}

// The wall-clock time as a Boost local time, with the gap and the fold turned
// into errors that say what happened.
blt::local_date_time LondonLocal(Date date, TimeOfDay time) {
  CheckDate(date);
  CheckTime(time);
  const std::string when = FormatTimeOfDay(time) + " on " + FormatIsoDate(date);
  try {
    return blt::local_date_time(date, bpt::minutes(time.minutes), London(),
                                blt::local_date_time::EXCEPTION_ON_ERROR);
  } catch (const blt::time_label_invalid&) {
    ThrowInvalid(when +
                 " does not exist in Europe/London (the clocks go forward)");
  } catch (const blt::ambiguous_result&) {
    ThrowInvalid(when +
                 " is ambiguous in Europe/London (the clocks go back, so it "
                 "happens twice)");
  } catch (const std::out_of_range& e) {
    ThrowInvalid(when + " is out of range: " + e.what());
  }
}

}  // namespace

std::optional<TimeOfDay> ParseTimeOfDay(const std::string& text) {
  // "H:MM" or "HH:MM": people write "9:30"; minutes always have two digits.
  const size_t colon = text.find(':');
  if (colon != 1 && colon != 2) return std::nullopt;
  if (text.size() != colon + 3) return std::nullopt;
  if (!AllDigits(text, 0, colon) || !AllDigits(text, colon + 1, 2)) {
    return std::nullopt;
  }
  const int hour = Number(text, 0, colon);
  const int minute = Number(text, colon + 1, 2);
  if (hour > 23 || minute > 59) return std::nullopt;
  return TimeOfDay{hour * 60 + minute};
}

std::string FormatTimeOfDay(TimeOfDay t) {
  CheckTime(t);
  // Room for any two ints, so the compiler can see nothing is cut off
  // (CheckTime has already limited them to 00:00-23:59).
  char buf[24];
  std::snprintf(buf, sizeof buf, "%02d:%02d", t.hour(), t.minute());
  return buf;
}

std::optional<Date> ParseIsoDate(const std::string& text) {
  // Strict shape first: Boost's own parsers accept "2027-2-3" and more.
  if (text.size() != 10 || text[4] != '-' || text[7] != '-' ||
      !AllDigits(text, 0, 4) || !AllDigits(text, 5, 2) ||
      !AllDigits(text, 8, 2)) {
    return std::nullopt;
  }
  try {
    return Date(Number(text, 0, 4), Number(text, 5, 2), Number(text, 8, 2));
  } catch (const std::out_of_range&) {
    // bad_year, bad_month, bad_day_of_month (e.g. 2027-02-30).
    return std::nullopt;
  }
}

std::string FormatIsoDate(Date d) {
  CheckDate(d);
  // What bg::to_iso_extended_string gives (years are 1400-9999), without
  // its iostreams and locale: this runs for every date in JSON output.
  const bg::date::ymd_type ymd = d.year_month_day();
  char text[40];
  std::snprintf(text, sizeof text, "%04d-%02d-%02d", static_cast<int>(ymd.year),
                static_cast<int>(ymd.month), static_cast<int>(ymd.day));
  return text;
}

std::string FormatHumanDate(Date d) {
  CheckDate(d);
  // Day without a leading zero, as people write it: "Tue 5 Jan 2027".
  return std::string(d.day_of_week().as_short_string()) + " " +
         std::to_string(d.day().as_number()) + " " +
         d.month().as_short_string() + " " + std::to_string(d.year());
}

std::string WeekdayName(Date d) {
  CheckDate(d);
  return kWeekdayNames[d.day_of_week().as_number()];
}

std::optional<int> ParseWeekday(const std::string& text) {
  std::string lower;
  for (unsigned char c : text) lower += static_cast<char>(std::tolower(c));
  for (int i = 0; i < 7; ++i) {
    std::string name;
    for (unsigned char c : std::string(kWeekdayNames[i])) {
      name += static_cast<char>(std::tolower(c));
    }
    if (lower == name || lower == name.substr(0, 3)) return i;
  }
  return std::nullopt;
}

std::string WeekdayNameOf(int weekday) {
  if (weekday < 0 || weekday > 6) {
    ThrowInvalid("weekday must be 0 (Sunday) to 6 (Saturday), not " +
                 std::to_string(weekday));
  }
  return kWeekdayNames[weekday];
}

int LondonUtcOffsetMinutes(Date date, TimeOfDay time) {
  const blt::local_date_time ldt = LondonLocal(date, time);
  return static_cast<int>((ldt.local_time() - ldt.utc_time()).total_seconds() /
                          60);
}

std::string FormatIsoLocal(Date date, TimeOfDay time) {
  const int offset = LondonUtcOffsetMinutes(date, time);
  const int abs_offset = offset < 0 ? -offset : offset;
  char buf[16];
  std::snprintf(buf, sizeof buf, ":00%c%02d:%02d", offset < 0 ? '-' : '+',
                abs_offset / 60, abs_offset % 60);
  return FormatIsoDate(date) + "T" + FormatTimeOfDay(time) + buf;
}

std::time_t LondonToUnix(Date date, TimeOfDay time) {
  const blt::local_date_time ldt = LondonLocal(date, time);
  const bpt::ptime epoch(Date(1970, 1, 1));
  return static_cast<std::time_t>((ldt.utc_time() - epoch).total_seconds());
}

std::optional<std::time_t> ParseUtcTimestamp(const std::string& text) {
  // Exactly "YYYY-MM-DDTHH:MM:SSZ".
  if (text.size() != 20 || text[10] != 'T' || text[13] != ':' ||
      text[16] != ':' || text[19] != 'Z' || !AllDigits(text, 11, 2) ||
      !AllDigits(text, 14, 2) || !AllDigits(text, 17, 2)) {
    return std::nullopt;
  }
  const std::optional<Date> date = ParseIsoDate(text.substr(0, 10));
  if (!date) return std::nullopt;
  const int hour = Number(text, 11, 2);
  const int minute = Number(text, 14, 2);
  const int second = Number(text, 17, 2);
  if (hour > 23 || minute > 59 || second > 59) return std::nullopt;
  const bpt::ptime t(*date, bpt::time_duration(hour, minute, second));
  const bpt::ptime epoch(Date(1970, 1, 1));
  return static_cast<std::time_t>((t - epoch).total_seconds());
}

std::string MonthName(int month) {
  static const char* const kNames[] = {
      "January", "February", "March",     "April",   "May",      "June",
      "July",    "August",   "September", "October", "November", "December"};
  return kNames[month - 1];
}

}  // namespace focus
