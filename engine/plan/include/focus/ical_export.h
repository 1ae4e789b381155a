// iCalendar (RFC 5545) files built with libical.
#ifndef FOCUS_ICAL_EXPORT_H_
#define FOCUS_ICAL_EXPORT_H_

#include <ctime>
#include <string>
#include <vector>

#include "focus/plan.h"

namespace focus {

struct CalendarOptions {
  std::string name;  // NAME and X-WR-CALNAME.
  std::string prodid = "-//FoCUS//focus plan//EN";
  std::time_t dtstamp = 0;  // DTSTAMP of every event (UTC seconds).
};

// A VCALENDAR with a Europe/London VTIMEZONE and one VEVENT per event, in the
// given order. Timed events use DTSTART/DTEND;TZID=Europe/London, milestones
// are all-day (VALUE=DATE). Cancelled events carry STATUS:CANCELLED. Lines
// end in CRLF and are folded at 75 octets. Deterministic.
std::string RenderCalendar(const std::vector<const Event*>& events,
                           const CalendarOptions& options);

}  // namespace focus

#endif  // FOCUS_ICAL_EXPORT_H_
