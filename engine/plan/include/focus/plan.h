// The yearly plan: 24 forums in four quarterly rounds, the Development
// Group, the monthly board report, newsletter deadlines and publication, and
// the first two rounds of the following year as look-ahead.
#ifndef FOCUS_PLAN_H_
#define FOCUS_PLAN_H_

#include <optional>
#include <string>
#include <vector>

#include "focus/changes.h"
#include "focus/config.h"
#include "focus/rounds.h"

namespace focus {

enum class EventKind {
  kForum,
  kDevelopmentGroup,
  kBoardReport,
  kNewsletterDeadline,
  kNewsletter,
};
// "forum", "development-group", "board-report", "newsletter-deadline",
// "newsletter".
const char* EventKindName(EventKind kind);

struct Event {
  std::string
      id;  // Stable, e.g. "2027-r1-east-surrey"; used by `focus change`.
  std::string uid;  // id + "@" + uid_domain.
  EventKind kind = EventKind::kForum;
  int plan_year = 0;  // The plan year the event belongs to.
  int round = 0;      // 1..4 within plan_year; 0 for monthly board reports.
  bool lookahead = false;  // Next year's forums, shown for the newsletter.

  // Forums only.
  std::string area;       // Area name.
  std::string area_slug;  // Area slug.
  bool evening = false;
  std::optional<Format> format;
  std::optional<Venue> venue;  // In-person forums.
  std::string joining_link;    // Virtual forums.

  std::string title;
  std::string description;  // Agenda and practical details.
  Date date;
  std::optional<TimeOfDay> start;  // nullopt = all-day milestone.
  int duration_minutes = 0;

  bool cancelled = false;
  std::string change_reason;  // Why it was moved or cancelled.
  int sequence = 0;           // iCalendar SEQUENCE: +1 per recorded change.
  // Rules a forced change broke, e.g. "Good Friday is a bank holiday".
  std::vector<std::string> warnings;

  TimeOfDay end() const;  // REQUIRES: start.
};

struct Plan {
  int year = 0;
  std::vector<Event> events;  // Sorted by date, start, id. Includes lookahead.
  std::vector<std::string> warnings;  // Soft rules that could not be met.
};

// Plans `year`, then applies the recorded changes that concern it.
// Throws Error(kUnsatisfiable) naming the round and rule when the rules
// cannot all be met, Error(kInvalidInput) for a change that breaks a hard
// rule without `forced`, or that names an unknown forum or venue.
Plan PlanYear(const Config& config, int year,
              const std::vector<Change>& changes = {});

// The event with `id`, or nullptr.
const Event* FindEvent(const Plan& plan, const std::string& id);

// Hard rules `event` (a forum) breaks on its date/time/venue, given the other
// forums of `plan`: empty iff it may take place as planned.
std::vector<std::string> HardRuleViolations(const Config& config,
                                            const HolidayCalendar& holidays,
                                            const Plan& plan,
                                            const Event& event);

}  // namespace focus

#endif  // FOCUS_PLAN_H_
