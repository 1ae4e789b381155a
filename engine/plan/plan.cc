#include "focus/plan.h"

#include <algorithm>
#include <limits>
#include <map>
#include <sstream>
#include <tuple>

#include "focus/error.h"
#include "focus/rotation.h"
#include "focus/text.h"

namespace focus {
namespace {

constexpr int kRoundsPerYear = 4;
constexpr int kNoSlot = -1;  // The evening forum has its own time.

// A quarterly round located in the calendar.
struct RoundSpec {
  int plan_year = 0;
  int round = 0;   // 1..4
  int year = 0;    // Calendar year of month 1.
  int month = 0;   // Month 1 of the quarter.
  int global = 0;  // GlobalRoundIndex.
  bool lookahead = false;

  // Calendar (year, month) of month `m` (1..3) of the quarter.
  std::pair<int, int> Month(const Config& config, int m) const {
    return RoundMonth(config, plan_year, round, m);
  }
  std::string Label() const {
    return "round " + std::to_string(round) + " of " +
           std::to_string(plan_year) + " (" + MonthName(month) + " " +
           std::to_string(year) + ")";
  }
};

RoundSpec MakeRound(const Config& config, int plan_year, int round) {
  RoundSpec spec;
  spec.plan_year = plan_year;
  spec.round = round;
  std::tie(spec.year, spec.month) = RoundMonth(config, plan_year, round);
  return spec;
}

// What a forum remembers from earlier rounds, to alternate days and times.
struct ForumHistory {
  std::vector<int> weekdays;  // Most recent last.
  int last_slot = kNoSlot;
};

struct Placement {
  Date date;
  int slot = kNoSlot;  // Index into Config::daytime_slots.
  const Venue* venue = nullptr;
};

bool InRanges(const std::vector<DateRange>& ranges, Date d,
              std::string* reason) {
  for (const DateRange& r : ranges) {
    if (d >= r.first && d <= r.last) {
      if (reason) *reason = r.reason;
      return true;
    }
  }
  return false;
}

bool HasFeatures(const Venue& venue, const std::vector<std::string>& needed,
                 std::vector<std::string>* missing) {
  bool ok = true;
  for (const std::string& f : needed) {
    if (std::find(venue.features.begin(), venue.features.end(), f) ==
        venue.features.end()) {
      ok = false;
      if (missing) missing->push_back(f);
    }
  }
  return ok;
}

// Why `venue` cannot be used on `d`, or "" if it can.
std::string VenueUnavailability(const Venue& venue, Date d) {
  std::string reason;
  if (InRanges(venue.unavailable, d, &reason)) {
    return venue.name + " is not available on " + FormatHumanDate(d) +
           (reason.empty() ? "" : " (" + reason + ")");
  }
  if (!venue.available_weekdays.empty()) {
    int wd = d.day_of_week().as_number();
    if (std::find(venue.available_weekdays.begin(),
                  venue.available_weekdays.end(),
                  wd) == venue.available_weekdays.end()) {
      return venue.name + " is not available on " + WeekdayNameOf(wd) + "s";
    }
  }
  return "";
}

// The first venue of `area` with the required features that is free on `d`.
const Venue* ChooseVenue(const Config& config, const Area& area, Date d) {
  for (const Venue& v : area.venues) {
    if (HasFeatures(v, config.required_venue_features, nullptr) &&
        VenueUnavailability(v, d).empty()) {
      return &v;
    }
  }
  return nullptr;
}

// Why no forum may be held on `d` (weekend, bank holiday, blackout), or "".
std::string DayExclusion(const Config& config, const HolidayCalendar& holidays,
                         Date d) {
  int wd = d.day_of_week().as_number();
  if (!config.allow_weekends && (wd == 0 || wd == 6)) return "weekend";
  if (auto name = holidays.HolidayName(d)) return "bank holiday: " + *name;
  std::string reason;
  if (InRanges(config.blackouts, d, &reason)) {
    return "blackout" + (reason.empty() ? "" : ": " + reason);
  }
  return "";
}

// Finds the cheapest assignment of forums to days by depth-first search with
// branch and bound. Six forums over a two-week window is a few thousand
// nodes, so exactness is affordable and keeps the result deterministic.
class RoundSolver {
 public:
  // cost[f][d] = cost of forum f on day d, or kForbidden.
  static constexpr int kForbidden = std::numeric_limits<int>::max();

  RoundSolver(std::vector<std::vector<int>> cost, int capacity)
      : cost_(std::move(cost)),
        capacity_(capacity),
        used_(cost_.empty() ? 0 : cost_[0].size(), 0),
        current_(cost_.size(), -1) {}

  // Returns day index per forum, or empty if there is no assignment.
  std::vector<int> Solve() {
    Search(0, 0);
    return best_;
  }

 private:
  void Search(size_t f, long total) {
    if (total >= best_total_) return;
    if (f == cost_.size()) {
      best_total_ = total;
      best_ = current_;
      return;
    }
    for (size_t d = 0; d < cost_[f].size(); ++d) {
      if (cost_[f][d] == kForbidden || used_[d] >= capacity_) continue;
      ++used_[d];
      current_[f] = static_cast<int>(d);
      Search(f + 1, total + cost_[f][d]);
      --used_[d];
    }
  }

  std::vector<std::vector<int>> cost_;
  int capacity_;
  std::vector<int> used_;
  std::vector<int> current_;
  std::vector<int> best_;
  long best_total_ = std::numeric_limits<long>::max();
};

// Costs that shape the plan. Earliness keeps forums early in the month; the
// weekday penalties make an area meet on a different weekday from its last
// two rounds, so any three consecutive rounds use three weekdays.
constexpr int kSameWeekdayAsLastRound = 100;
constexpr int kSameWeekdayAsRoundBefore = 40;
// The evening forum has one time of day, so repeating its weekday would repeat
// its weekday-and-time slot: make that a last resort.
constexpr int kEveningSameWeekday = 1000;

// The days a round's forums may use, and what was left out and why.
struct RoundDays {
  std::vector<Date> days;
  std::vector<std::string> excluded;  // Weekdays left out, with the reason.
  std::string window_text;            // The window, for messages.
};

RoundDays SuitableDays(const Config& config, const HolidayCalendar& holidays,
                       const RoundSpec& spec) {
  const DateRange window = RoundWindow(config, spec.plan_year, spec.round);
  RoundDays out;
  for (Date d = window.first; d <= window.last;
       d += boost::gregorian::days(1)) {
    std::string why = DayExclusion(config, holidays, d);
    if (why.empty()) {
      out.days.push_back(d);
    } else if (why != "weekend") {
      out.excluded.push_back(FormatHumanDate(d) + " (" + why + ")");
    }
  }
  out.window_text = "the window " + FormatHumanDate(window.first) + " to " +
                    FormatHumanDate(window.last) + " (year.window_days: " +
                    std::to_string(config.window_days) + ")";
  return out;
}

void RequireDaysFor(const Config& config, const RoundSpec& spec, size_t forums,
                    const RoundDays& r) {
  const long capacity =
      static_cast<long>(r.days.size()) * config.max_forums_per_day;
  if (capacity >= static_cast<long>(forums)) return;
  std::string msg =
      "cannot plan " + spec.Label() + ": " + r.window_text + " has " +
      std::to_string(r.days.size()) + " suitable days for " +
      std::to_string(forums) + " forums at most " +
      std::to_string(config.max_forums_per_day) + " a day (rule: at most " +
      std::to_string(config.max_forums_per_day) +
      " forum per day; no weekends, bank holidays or blackouts)";
  if (!r.excluded.empty()) msg += "; excluded: " + Join(r.excluded);
  ThrowUnsatisfiable(msg);
}

// The cost of holding forum `f` on each suitable day (kForbidden where an
// in-person forum has no venue); throws when it has no possible day.
std::vector<int> DayCosts(const Config& config, const RoundSpec& spec,
                          const Area& forum, Format format,
                          const ForumHistory& h, const RoundDays& r) {
  std::vector<int> cost(r.days.size(), RoundSolver::kForbidden);
  bool any = false;
  for (size_t d = 0; d < r.days.size(); ++d) {
    if (format == Format::kInPerson &&
        ChooseVenue(config, forum, r.days[d]) == nullptr) {
      continue;
    }
    int wd = r.days[d].day_of_week().as_number();
    int c = static_cast<int>(d);
    size_t n = h.weekdays.size();
    if (n >= 1 && h.weekdays[n - 1] == wd) {
      c += forum.evening ? kEveningSameWeekday : kSameWeekdayAsLastRound;
    }
    if (n >= 2 && h.weekdays[n - 2] == wd) c += kSameWeekdayAsRoundBefore;
    cost[d] = c;
    any = true;
  }
  if (!any) {
    std::vector<std::string> names;
    for (const Venue& v : forum.venues) names.push_back(v.name);
    ThrowUnsatisfiable("cannot plan " + spec.Label() + ": " + forum.name +
                       " meets in person but none of its venues (" +
                       Join(names) +
                       ") with the required features is available on a "
                       "suitable day in " +
                       r.window_text + " (rule: venue availability)");
  }
  return cost;
}

// The chosen days as placements, with the time of day and venue, and the
// history the next round's weekday rules read.
std::vector<Placement> Place(const Config& config,
                             const std::vector<const Area*>& forums,
                             const std::vector<Format>& formats,
                             const std::vector<Date>& dates,
                             std::vector<ForumHistory>& history) {
  const int slots = static_cast<int>(config.daytime_slots.size());
  std::vector<Placement> placements(forums.size());
  for (size_t f = 0; f < forums.size(); ++f) {
    Placement& p = placements[f];
    p.date = dates[f];
    ForumHistory& h = history[f];
    if (!forums[f]->evening) {
      // Alternate the time of day every round; the first round staggers the
      // areas so both slots are used from the start.
      p.slot = h.last_slot == kNoSlot ? static_cast<int>(f) % slots
                                      : (h.last_slot + 1) % slots;
      h.last_slot = p.slot;
    }
    if (formats[f] == Format::kInPerson) {
      p.venue = ChooseVenue(config, *forums[f], p.date);
    }
    h.weekdays.push_back(p.date.day_of_week().as_number());
  }
  return placements;
}

std::vector<Placement> PlaceRound(const Config& config,
                                  const HolidayCalendar& holidays,
                                  const RoundSpec& spec,
                                  const std::vector<Format>& formats,
                                  std::vector<ForumHistory>& history) {
  const std::vector<const Area*> forums = config.Forums();
  const RoundDays r = SuitableDays(config, holidays, spec);
  RequireDaysFor(config, spec, forums.size(), r);
  std::vector<std::vector<int>> cost;
  for (size_t f = 0; f < forums.size(); ++f) {
    cost.push_back(
        DayCosts(config, spec, *forums[f], formats[f], history[f], r));
  }
  std::vector<int> chosen =
      RoundSolver(cost, config.max_forums_per_day).Solve();
  if (chosen.empty()) {
    ThrowUnsatisfiable(
        "cannot plan " + spec.Label() + ": the " +
        std::to_string(forums.size()) +
        " forums do not fit on separate suitable days in " + r.window_text +
        " once venue availability is respected "
        "(rule: at most " +
        std::to_string(config.max_forums_per_day) + " forum per day)");
  }
  std::vector<Date> dates;
  for (int d : chosen) dates.push_back(r.days[d]);
  return Place(config, forums, formats, dates, history);
}

std::string Minutes(int m) { return std::to_string(m) + " min"; }

// The agenda and practical details of a forum, in plain words.
std::string ForumDescription(const Config& config, const RoundSpec& spec,
                             const Event& e) {
  const MeetingShape& m = config.meeting;
  std::ostringstream out;
  out << config.series_name << ": round " << spec.round << " of "
      << spec.plan_year
      << ". Everyone is welcome; there are no papers to read beforehand.\n";
  int t = e.start->minutes;
  auto line = [&](const std::string& what, int minutes) {
    out << FormatTimeOfDay(TimeOfDay{t}) << " " << what << "\n";
    t += minutes;
  };
  line(
      "Informal time and peer support (" + Minutes(m.pre_meeting_minutes) + ")",
      m.pre_meeting_minutes);
  line("Part 1: co-design workshop and Trust update (" +
           Minutes(m.part1_minutes) + ")",
       m.part1_minutes);
  if (e.format == Format::kVirtual) {
    line("Break (" + Minutes(m.online_break_minutes) + ")",
         m.online_break_minutes);
  } else {
    line("Social time (" + Minutes(m.social_minutes) + ")", m.social_minutes);
  }
  line("Part 2: local feedback and problem solving (" +
           Minutes(m.part2_minutes) + ")",
       m.part2_minutes);
  if (e.format == Format::kInPerson && m.pals_clinic_minutes > 0) {
    line("Pop-up PALS clinic: advice and liaison (" +
             Minutes(m.pals_clinic_minutes) + ")",
         m.pals_clinic_minutes);
  }
  out << FormatTimeOfDay(TimeOfDay{t}) << " Close\n";
  if (e.venue) {
    out << "Venue: " << e.venue->name << ", " << e.venue->address << "\n";
    std::string features;
    for (const std::string& f : e.venue->features) {
      features += (features.empty() ? "" : ", ") + VenueFeatureWords(f);
    }
    if (!features.empty()) out << "Accessibility: " << features << "\n";
    if (!e.venue->notes.empty()) out << e.venue->notes << "\n";
    if (!config.travel_note.empty())
      out << "Travel: " << config.travel_note << "\n";
  } else {
    out << "Online: join from a computer, tablet or phone.\n";
  }
  std::string text = out.str();
  text.pop_back();  // No trailing newline.
  return text;
}

int ForumDuration(const Config& config, Format format) {
  const MeetingShape& m = config.meeting;
  int minutes = m.pre_meeting_minutes + m.part1_minutes + m.part2_minutes;
  if (format == Format::kVirtual) return minutes + m.online_break_minutes;
  return minutes + m.social_minutes + m.pals_clinic_minutes;
}

Event MakeForum(const Config& config, const RoundSpec& spec, const Area& area,
                Format format, const Placement& p) {
  Event e;
  e.kind = EventKind::kForum;
  e.id = std::to_string(spec.plan_year) + "-r" + std::to_string(spec.round) +
         "-" + area.slug;
  e.uid = e.id + "@" + config.uid_domain;
  e.plan_year = spec.plan_year;
  e.round = spec.round;
  e.lookahead = spec.lookahead;
  e.area = area.name;
  e.area_slug = area.slug;
  e.evening = area.evening;
  e.format = format;
  e.date = p.date;
  e.start = area.evening ? config.evening_start : config.daytime_slots[p.slot];
  e.duration_minutes = ForumDuration(config, format);
  if (format == Format::kInPerson) {
    e.venue = *p.venue;
  } else {
    e.joining_link = area.joining_link.empty() ? config.default_joining_link
                                               : area.joining_link;
  }
  std::string name = area.evening ? area.name : area.name + " community forum";
  e.title = name + (format == Format::kVirtual ? " (online)" : " (in person)");
  e.description = ForumDescription(config, spec, e);
  return e;
}

Event MakeMilestone(const Config& config, const RoundSpec& spec, EventKind kind,
                    const std::string& id_suffix, Date date,
                    const std::string& title, const std::string& description) {
  Event e;
  e.kind = kind;
  e.id = std::to_string(spec.plan_year) + "-" + id_suffix;
  e.uid = e.id + "@" + config.uid_domain;
  e.plan_year = spec.plan_year;
  e.round = spec.round;
  e.date = date;
  e.title = title;
  e.description = description;
  return e;
}

// The last suitable working day of month 2 for the Development Group.
Date DevelopmentGroupDate(const Config& config, const HolidayCalendar& holidays,
                          const RoundSpec& spec) {
  auto [year, month] = spec.Month(config, 2);
  Date d(year, month,
         boost::gregorian::gregorian_calendar::end_of_month_day(year, month));
  const std::optional<int>& weekday = config.development_group.weekday;
  for (; d.month() == month; d -= boost::gregorian::days(1)) {
    if (!holidays.IsWorkingDay(d)) continue;
    if (weekday && d.day_of_week().as_number() != *weekday) continue;
    if (InRanges(config.blackouts, d, nullptr)) continue;
    return d;
  }
  ThrowUnsatisfiable("cannot plan " + spec.Label() +
                     ": no suitable day for the Development Group in " +
                     MonthName(month) + " " + std::to_string(year) +
                     " (rule: development_group.weekday " +
                     (weekday ? WeekdayNameOf(*weekday) : "any") +
                     ", a working day, not a blackout)");
}

void AddQuarterEvents(const Config& config, const HolidayCalendar& holidays,
                      const RoundSpec& spec, std::vector<Event>& events) {
  const std::string r = "r" + std::to_string(spec.round);
  const std::string round_text = "round " + std::to_string(spec.round);

  Event dg = MakeMilestone(
      config, spec, EventKind::kDevelopmentGroup, r + "-development-group",
      DevelopmentGroupDate(config, holidays, spec),
      "Trust Communities Development Group",
      "Formal meeting with papers: most-voted concerns from the " + round_text +
          " forums, themes across areas, response times.");
  dg.start = config.development_group.start;
  dg.duration_minutes = config.development_group.duration_minutes;
  const std::string& location = config.development_group.location;
  if (!location.empty()) {
    // "Trust Headquarters, 18 Mole Business Park, ..." -> name, address.
    size_t comma = location.find(", ");
    Venue where;
    where.name = location.substr(0, comma);
    if (comma != std::string::npos) where.address = location.substr(comma + 2);
    dg.venue = where;
    dg.description += "\nWhere: " + location;
  }
  events.push_back(dg);

  for (int m = 1; m <= 3; ++m) {
    auto [year, month] = spec.Month(config, m);
    char ym[16];
    std::snprintf(ym, sizeof ym, "%04d-%02d", year % 10000, month);
    events.push_back(MakeMilestone(
        config, spec, EventKind::kBoardReport,
        std::string("board-report-") + ym,
        holidays.NthWorkingDayOfMonth(year, month,
                                      config.board_report_working_day),
        "Board report to the Trust (" + MonthName(month) + " " +
            std::to_string(year) + ")",
        "The feedback board is typed up and shared with the Trust."));
  }

  auto [year3, month3] = spec.Month(config, 3);
  Date deadline = holidays.NthWorkingDayOfMonth(
      year3, month3, config.newsletter_copy_deadline_working_day);
  Date publication = holidays.NthWorkingDayOfMonth(
      year3, month3, config.newsletter_publication_working_day);
  if (publication <= deadline) {
    ThrowInvalid(
        config.source + ": newsletter: the publication day (working day " +
        std::to_string(config.newsletter_publication_working_day) +
        ") must come after the copy deadline (working day " +
        std::to_string(config.newsletter_copy_deadline_working_day) + ")");
  }
  events.push_back(MakeMilestone(
      config, spec, EventKind::kNewsletterDeadline, r + "-newsletter-deadline",
      deadline, "Newsletter copy deadline (" + round_text + " roundup)",
      "Last day for answers and articles to reach the " + round_text +
          " roundup newsletter."));
  events.push_back(MakeMilestone(
      config, spec, EventKind::kNewsletter, r + "-newsletter", publication,
      "Roundup newsletter published (" + round_text + ")",
      "\"You said, we did\": answers to the " + round_text +
          " forums, and the dates and arrangements of the next two rounds."));
}

bool EventOrder(const Event& a, const Event& b) {
  if (a.date != b.date) return a.date < b.date;
  // All-day milestones first, then by start time.
  int sa = a.start ? a.start->minutes : -1;
  int sb = b.start ? b.start->minutes : -1;
  if (sa != sb) return sa < sb;
  return a.id < b.id;
}

// Soft rule over a year: three weekdays and both daytime slots per area.
void CheckVariety(const Config& config, const std::vector<Event>& forums,
                  std::vector<std::string>& warnings) {
  for (const Area* area : config.Forums()) {
    std::vector<int> weekdays;
    std::vector<int> times;
    for (const Event& e : forums) {
      if (e.area_slug != area->slug) continue;
      weekdays.push_back(e.date.day_of_week().as_number());
      times.push_back(e.start->minutes);
    }
    std::sort(weekdays.begin(), weekdays.end());
    weekdays.erase(std::unique(weekdays.begin(), weekdays.end()),
                   weekdays.end());
    std::sort(times.begin(), times.end());
    times.erase(std::unique(times.begin(), times.end()), times.end());
    if (weekdays.size() < 3) {
      warnings.push_back(area->name + " meets on only " +
                         std::to_string(weekdays.size()) +
                         " different weekday(s) this year (the plan aims for "
                         "at least three)");
    }
    if (!area->evening && times.size() < config.daytime_slots.size()) {
      warnings.push_back(area->name +
                         " does not use every daytime slot this year");
    }
  }
}

// "file:line: " for a change read from the changes file; "" for a new one.
std::string Origin(const Change& c) {
  return c.source.empty() ? "" : c.source + ": ";
}

void ApplyChanges(const Config& config, const HolidayCalendar& holidays,
                  const std::vector<Change>& changes, Plan& plan) {
  for (const Change& c : changes) {
    std::optional<int> year = PlanYearOfId(c.forum_id);
    Event* event = nullptr;
    for (Event& e : plan.events) {
      if (e.id == c.forum_id) event = &e;
    }
    if (event == nullptr) {
      // A change for another year is checked when that year is planned.
      if (!year || *year == plan.year) {
        throw Error(ErrorKind::kInvalidInput,
                    Origin(c) + "forum '" + c.forum_id +
                        "' is not in the plan; forum ids look like "
                        "2027-r1-east-surrey",
                    "", Remedy::kListForums);
      }
      continue;
    }
    if (event->kind != EventKind::kForum) {
      ThrowInvalid(Origin(c) + "'" + c.forum_id +
                   "' is not a forum; only forums can be moved or cancelled");
    }
    const std::string where = Origin(c) + c.forum_id;
    if (event->cancelled) {
      ThrowInvalid(where + ": the forum is already cancelled");
    }
    ++event->sequence;
    event->change_reason = c.reason;
    if (c.action == Change::Action::kCancel) {
      event->cancelled = true;
      continue;
    }
    if (c.date) event->date = *c.date;
    if (c.time) event->start = *c.time;
    if (c.venue) {
      if (event->format != Format::kInPerson) {
        ThrowInvalid(where + ": venue '" + *c.venue +
                     "' given, but the forum meets online");
      }
      const Venue* v = config.FindVenue(*c.venue);
      if (v == nullptr) {
        ThrowInvalid(where + ": venue '" + *c.venue +
                     "' is not in the configuration");
      }
      event->venue = *v;
    }
    std::vector<std::string> broken =
        HardRuleViolations(config, holidays, plan, *event);
    if (!broken.empty() && !c.forced) {
      std::string msg = where + ": the change breaks a hard rule: ";
      for (size_t i = 0; i < broken.size(); ++i) {
        msg += (i ? "; " : "") + broken[i];
      }
      throw Error(ErrorKind::kInvalidInput, msg, "", Remedy::kForce);
    }
    event->warnings = broken;
  }
}

}  // namespace

const char* EventKindName(EventKind kind) {
  switch (kind) {
    case EventKind::kForum:
      return "forum";
    case EventKind::kDevelopmentGroup:
      return "development-group";
    case EventKind::kBoardReport:
      return "board-report";
    case EventKind::kNewsletterDeadline:
      return "newsletter-deadline";
    case EventKind::kNewsletter:
      return "newsletter";
  }
  return "forum";
}

TimeOfDay Event::end() const {
  return TimeOfDay{start->minutes + duration_minutes};
}

const Event* FindEvent(const Plan& plan, const std::string& id) {
  for (const Event& e : plan.events) {
    if (e.id == id) return &e;
  }
  return nullptr;
}

std::vector<std::string> HardRuleViolations(const Config& config,
                                            const HolidayCalendar& holidays,
                                            const Plan& plan,
                                            const Event& event) {
  std::vector<std::string> broken;
  const Date d = event.date;
  const std::string day = FormatHumanDate(d);
  int wd = d.day_of_week().as_number();
  if (!config.allow_weekends && (wd == 0 || wd == 6)) {
    broken.push_back(day + " is at a weekend");
  }
  if (auto name = holidays.HolidayName(d)) {
    broken.push_back(day + " is a bank holiday (" + *name + ")");
  }
  std::string reason;
  if (InRanges(config.blackouts, d, &reason)) {
    broken.push_back(day + " is a blackout date" +
                     (reason.empty() ? "" : " (" + reason + ")"));
  }
  std::vector<std::string> same_day;
  for (const Event& other : plan.events) {
    if (other.kind == EventKind::kForum && !other.cancelled &&
        other.id != event.id && other.date == d) {
      same_day.push_back(other.id);
    }
  }
  if (static_cast<int>(same_day.size()) >= config.max_forums_per_day) {
    std::string ids;
    for (const std::string& id : same_day)
      ids += (ids.empty() ? "" : ", ") + id;
    broken.push_back(day + " already has " + std::to_string(same_day.size()) +
                     " forum(s) (" + ids + "); at most " +
                     std::to_string(config.max_forums_per_day) + " a day");
  }
  if (event.venue) {
    std::vector<std::string> missing;
    if (!HasFeatures(*event.venue, config.required_venue_features, &missing)) {
      std::string list;
      for (const std::string& f : missing)
        list += (list.empty() ? "" : ", ") + f;
      broken.push_back(event.venue->name + " lacks " + list);
    }
    std::string unavailable = VenueUnavailability(*event.venue, d);
    if (!unavailable.empty()) broken.push_back(unavailable);
  }
  if (event.start) {
    LondonUtcOffsetMinutes(d, *event.start);  // Throws if the time is absent.
    if (event.end().minutes >= 24 * 60) {
      broken.push_back("the forum would run past midnight");
    }
  }
  return broken;
}

Plan PlanYear(const Config& config, int year,
              const std::vector<Change>& changes) {
  ValidateRotation(config);
  // The walk below starts at the rotation's first year; a year before it
  // would silently plan nothing. GlobalRoundIndex refuses such a year.
  GlobalRoundIndex(config, year, 1);
  const HolidayCalendar holidays = config.MakeHolidayCalendar();
  const std::vector<const Area*> forums = config.Forums();

  Plan plan;
  plan.year = year;
  std::vector<ForumHistory> history(forums.size());
  // Days and times alternate from round to round, so every round depends on
  // the one before: walk from the rotation's first round. The walk is the
  // same for every plan year, so a year's look-ahead equals the next year's
  // plan.
  for (int y = config.rotation.start_year; y <= year + 1; ++y) {
    for (int r = 1; r <= kRoundsPerYear; ++r) {
      if (y == year + 1 && r > 2) break;
      RoundSpec spec = MakeRound(config, y, r);
      spec.global = GlobalRoundIndex(config, y, r);
      spec.lookahead = (y == year + 1);
      std::vector<Format> formats = RoundFormats(config, spec.global);
      if (y < year) {
        // Earlier rounds only supply the day-and-time history. One that
        // cannot be placed under today's rules (say, a shorter window) is
        // that year's problem, reported when that year is planned; skip it.
        try {
          PlaceRound(config, holidays, spec, formats, history);
        } catch (const Error& e) {
          if (e.kind() != ErrorKind::kUnsatisfiable) throw;
        }
        continue;
      }
      std::vector<Placement> placements =
          PlaceRound(config, holidays, spec, formats, history);
      for (size_t f = 0; f < forums.size(); ++f) {
        plan.events.push_back(
            MakeForum(config, spec, *forums[f], formats[f], placements[f]));
      }
      if (y == year) AddQuarterEvents(config, holidays, spec, plan.events);
    }
  }

  std::vector<Event> year_forums;
  for (const Event& e : plan.events) {
    if (e.kind == EventKind::kForum && !e.lookahead) year_forums.push_back(e);
  }
  CheckVariety(config, year_forums, plan.warnings);

  ApplyChanges(config, holidays, changes, plan);
  for (Event& e : plan.events) {
    if (e.kind == EventKind::kForum && e.sequence > 0 && !e.cancelled) {
      RoundSpec spec = MakeRound(config, e.plan_year, e.round);
      e.description = ForumDescription(config, spec, e);
    }
  }
  std::stable_sort(plan.events.begin(), plan.events.end(), EventOrder);
  return plan;
}

}  // namespace focus
