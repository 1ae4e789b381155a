// Today's date behind a small interface so tests can fake time.
#ifndef FOCUS_CLOCK_H_
#define FOCUS_CLOCK_H_

#include "focus/local_time.h"

namespace focus {

class Clock {
 public:
  virtual ~Clock() = default;
  // Today's date in Europe/London.
  virtual Date Today() const = 0;
};

// The system clock. If the environment variable FOCUS_TODAY holds an ISO
// date, that date is used instead (for reproducible runs and tests).
const Clock& SystemClock();

// A clock that always answers the same date.
class FixedClock : public Clock {
 public:
  explicit FixedClock(Date today) : today_(today) {}
  Date Today() const override { return today_; }

 private:
  Date today_;
};

}  // namespace focus

#endif  // FOCUS_CLOCK_H_
