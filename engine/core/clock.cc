#include "focus/clock.h"

#include <boost/date_time/posix_time/posix_time.hpp>
#include <cstdlib>

#include "focus/error.h"

namespace focus {
namespace {

constexpr TimeOfDay kNoon{12 * 60};

class System : public Clock {
 public:
  std::time_t Now() const override {
    if (const char* fixed = std::getenv("FOCUS_TODAY")) {
      if (auto d = ParseIsoDate(fixed)) return LondonToUnix(*d, kNoon);
      ThrowInvalid("FOCUS_TODAY='" + std::string(fixed) +
                   "' is not a date (expected YYYY-MM-DD)");
    }
    return std::time(nullptr);
  }
};

}  // namespace

Date Clock::Today() const {
  boost::posix_time::ptime utc = boost::posix_time::from_time_t(Now());
  Date d = utc.date();
  int minute = static_cast<int>(utc.time_of_day().total_seconds() / 60);
  // Noon is never inside a clock change, so its offset is that day's offset
  // for every hour that matters here (the change happens at 01:00 UTC).
  int offset = LondonUtcOffsetMinutes(d, kNoon);
  if (minute + offset >= 24 * 60) d += boost::gregorian::days(1);
  return d;
}

std::string FormatUtc(std::time_t t) {
  boost::posix_time::ptime utc = boost::posix_time::from_time_t(t);
  std::string iso = boost::posix_time::to_iso_extended_string(utc);
  return iso.substr(0, 19) + "Z";
}

std::string EndOfLondonDayUtc(Date d) {
  return FormatUtc(LondonToUnix(d + boost::gregorian::days(1), TimeOfDay{0}));
}

FixedClock::FixedClock(Date today) : now_(LondonToUnix(today, kNoon)) {}

const Clock& SystemClock() {
  static const System* clock = new System;
  return *clock;
}

}  // namespace focus
