// Today's date behind a small interface so tests can fake time.
#ifndef FOCUS_CLOCK_H_
#define FOCUS_CLOCK_H_

#include <ctime>

#include "focus/local_time.h"

namespace focus {

class Clock {
 public:
  virtual ~Clock() = default;
  // Seconds since the Unix epoch.
  virtual std::time_t Now() const = 0;
  // Today's date in Europe/London.
  Date Today() const;
};

// "2026-11-22T14:05:09Z": how history entries record when.
std::string FormatUtc(std::time_t t);

// The UTC time stamp (as FormatUtc) at which the London day `d` ends: a
// history entry recorded before it was recorded by the end of `d`.
std::string EndOfLondonDayUtc(Date d);

// The system clock. If the environment variable FOCUS_TODAY holds an ISO
// date, it is noon (London) on that date instead, so runs and tests are
// reproducible.
const Clock& SystemClock();

// A clock that always answers the same time; tests move it by hand.
class FixedClock : public Clock {
 public:
  explicit FixedClock(std::time_t now) : now_(now) {}
  // Noon, London time, on `today`.
  explicit FixedClock(Date today);
  std::time_t Now() const override { return now_; }
  void Set(std::time_t now) { now_ = now; }

 private:
  std::time_t now_;
};

}  // namespace focus

#endif  // FOCUS_CLOCK_H_
