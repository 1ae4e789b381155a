#include "focus/clock.h"

#include <boost/date_time/local_time/local_time.hpp>
#include <boost/date_time/posix_time/posix_time.hpp>
#include <cstdlib>

#include "focus/error.h"

namespace focus {
namespace {

class System : public Clock {
 public:
  Date Today() const override {
    if (const char* fixed = std::getenv("FOCUS_TODAY")) {
      if (auto d = ParseIsoDate(fixed)) return *d;
      ThrowInvalid("FOCUS_TODAY='" + std::string(fixed) +
                   "' is not a date (expected YYYY-MM-DD)");
    }
    // The London date: UTC plus the offset in force now.
    boost::posix_time::ptime utc =
        boost::posix_time::second_clock::universal_time();
    Date d = utc.date();
    int minute = static_cast<int>(utc.time_of_day().total_seconds() / 60);
    // Noon UTC is never in a DST transition, so its offset is that day's.
    int offset = LondonUtcOffsetMinutes(d, TimeOfDay{12 * 60});
    if (minute + offset >= 24 * 60) d += boost::gregorian::days(1);
    return d;
  }
};

}  // namespace

const Clock& SystemClock() {
  static const System* clock = new System;
  return *clock;
}

}  // namespace focus
