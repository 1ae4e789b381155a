#include "focus/sla.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <deque>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "focus/error.h"
#include "focus/rounds.h"
#include "focus/text.h"

namespace focus {
namespace {

namespace bg = boost::gregorian;

// Of several theme rules the quicker applies: a ticket is owed the quickest
// answer any of its themes was promised. Either may be nullptr (no rule).
const SlaRule* Quicker(const SlaRule* a, const SlaRule* b) {
  if (a == nullptr) return b;
  if (b == nullptr) return a;
  return std::make_pair(b->answer_days, b->acknowledge_days) <
                 std::make_pair(a->answer_days, a->acknowledge_days)
             ? b
             : a;
}
using Json = nlohmann::ordered_json;

// By-day tables span at most this, within the calendar's years.
const Date kFirstDay(1583, 1, 1);
const Date kLastDay(9999, 12, 31);
constexpr long kMaxTableDays = 200 * 366;

// Where a by-day table over [first, last] should start to reach back to
// `d`: at least twice as far back as now, so that a report's tables grow
// only a few times whatever order its tickets come in, but never longer than
// kMaxTableDays (the caller checks whether `d` made it in).
Date ExtendBack(Date first, Date last, Date d) {
  const long span = std::max<long>((last - first).days(), 1);
  auto back = [&](Date from, long n) {
    return (from - kFirstDay).days() > n ? from - bg::days(n) : kFirstDay;
  };
  return std::max(std::min(d, back(first, span)), back(last, kMaxTableDays));
}

// Working-day arithmetic for one report. HolidayCalendar answers each
// question with a lock and a map walk; a report asks millions of them about
// a few thousand dates, so over the report's date range it keeps a prefix
// count of working days (O(1) per question) and falls back to the calendar
// for anything outside that range. Both give identical answers.
class WorkingDays {
 public:
  explicit WorkingDays(const HolidayCalendar& holidays) : holidays_(holidays) {}

  // Tabulates [first, last]. Returns false, changing nothing, if the range
  // is outside the calendar's years or unreasonably long.
  bool Tabulate(Date first, Date last) {
    if (first < kFirstDay || last > kLastDay || last < first ||
        (last - first).days() > kMaxTableDays) {
      return false;
    }
    first_ = first;
    last_ = last;
    const int span = static_cast<int>((last - first).days());
    cumulative_.assign(span + 1, 0);
    working_.clear();
    Date d = first;
    for (int i = 1; i <= span; ++i) {
      d += bg::days(1);
      const bool working = holidays_.IsWorkingDay(d);
      cumulative_[i] = cumulative_[i - 1] + (working ? 1 : 0);
      if (working) working_.push_back(d);
    }
    return true;
  }

  // Extends the table back to `d`. Dates it cannot cover fall back to the
  // calendar.
  void Reach(Date d) {
    if (d.is_special() || cumulative_.empty() || d >= first_ || full_) return;
    if (!Tabulate(ExtendBack(first_, last_, d), last_) || d < first_) {
      full_ = true;
    }
  }

  // HolidayCalendar::WorkingDaysBetween.
  int Between(Date from, Date to) const {
    const int a = Index(from);
    const int b = Index(to);
    if (a < 0 || b < 0) return holidays_.WorkingDaysBetween(from, to);
    return b <= a ? 0 : cumulative_[b] - cumulative_[a];
  }

  // HolidayCalendar::AddWorkingDays.
  Date Add(Date from, int n) const {
    const int a = Index(from);
    if (a >= 0 && n == 0) return from;
    if (a >= 0 && n > 0) {
      const size_t k = static_cast<size_t>(cumulative_[a]) + n;
      if (k <= working_.size()) return working_[k - 1];
    }
    return holidays_.AddWorkingDays(from, n);
  }

  const HolidayCalendar& holidays() const { return holidays_; }

 private:
  // The table index of `d`, or -1 when it is not tabulated.
  int Index(Date d) const {
    if (cumulative_.empty() || d.is_special()) return -1;
    const long i = (d - first_).days();
    return i >= 0 && i < static_cast<long>(cumulative_.size())
               ? static_cast<int>(i)
               : -1;
  }

  const HolidayCalendar& holidays_;
  Date first_, last_;
  bool full_ = false;  // Reach() gave up: the range would be too long.
  std::vector<int> cumulative_;  // Working days in (first_, first_ + i].
  std::vector<Date> working_;    // The working days in that range, in order.
};

// Only what had happened by the report date counts: a report as of an
// earlier date must not know about later answers.
std::optional<Date> ByDate(const std::optional<Date>& d, Date as_of) {
  if (d && !d->is_special() && *d <= as_of) return d;
  return std::nullopt;
}

std::optional<Date> Earliest(std::optional<Date> a, std::optional<Date> b) {
  if (!a) return b;
  if (!b) return a;
  return std::min(*a, *b);
}

// The fields of a ticket its response time depends on: from a Ticket or
// from a lean board scan (SlaTicketRow).
struct SlaFacts {
  int64_t id = 0;
  Date raised_on;
  std::optional<Date> sent_on;
  std::optional<Date> answered_on;
  std::optional<Date> declined_on;
  int paused_working_days = 0;
  std::optional<Date> paused_since;
  std::optional<Date> reopened_on;
};

SlaFacts FactsOf(const Ticket& t) {
  return {t.id,          t.raised_on,           t.sent_on,      t.answered_on,
          t.declined_on, t.paused_working_days, t.paused_since, t.reopened_on};
}

SlaFacts FactsOf(const SlaTicketRow& t) {
  return {t.id,          t.raised_on,           t.sent_on,      t.answered_on,
          t.declined_on, t.paused_working_days, t.paused_since, t.reopened_on};
}

void CheckTicketDates(const SlaFacts& ticket, Date as_of) {
  if (ticket.raised_on.is_special()) {
    ThrowInvalid("ticket #" + std::to_string(ticket.id) +
                 " has no date it was raised on");
  }
  if (as_of.is_special()) ThrowInvalid("the report date is not a valid date");
  if (as_of < ticket.raised_on) {
    ThrowInvalid("ticket #" + std::to_string(ticket.id) + " was raised on " +
                 FormatHumanDate(ticket.raised_on) +
                 ", after the report date " + FormatHumanDate(as_of));
  }
}

TicketSla Compute(const SlaRule& rule, int due_soon_days,
                  const WorkingDays& days, const SlaFacts& ticket, Date as_of,
                  Date newsletter_deadline) {
  TicketSla s;
  s.acknowledge_days = rule.acknowledge_days;
  s.answer_days = rule.answer_days;
  s.acknowledge_due = days.Add(ticket.raised_on, rule.acknowledge_days);

  // A published decline (with its reason) is a response just as an answer.
  const std::optional<Date> first_response = Earliest(
      ByDate(ticket.answered_on, as_of), ByDate(ticket.declined_on, as_of));
  const std::optional<Date> acknowledged =
      Earliest(ByDate(ticket.sent_on, as_of), first_response);
  s.acknowledged = acknowledged.has_value();
  s.acknowledged_late = acknowledged && *acknowledged > s.acknowledge_due;
  s.missed_acknowledge =
      s.acknowledged ? s.acknowledged_late : as_of > s.acknowledge_due;

  // After a disputed verdict only an answer from that day on responds.
  const std::optional<Date> reopened = ByDate(ticket.reopened_on, as_of);
  s.disputed = reopened.has_value();
  s.clock_from = reopened.value_or(ticket.raised_on);
  std::optional<Date> response = first_response;
  if (reopened) {
    response = ByDate(ticket.answered_on, as_of);
    if (response && *response < *reopened) response.reset();
  }

  int paused = std::max(0, ticket.paused_working_days);
  const std::optional<Date> paused_since = ByDate(ticket.paused_since, as_of);
  if (paused_since && !response) {
    s.paused = true;
    paused += days.Between(*paused_since, as_of);
  }
  s.answer_due = days.Add(s.clock_from, rule.answer_days + paused);

  if (response) {
    s.status = *response <= s.answer_due ? SlaStatus::kAnsweredOnTime
                                         : SlaStatus::kAnsweredLate;
    s.working_days_to_answer =
        std::max(0, days.Between(s.clock_from, *response) - paused);
  } else if (as_of > s.answer_due) {
    s.status = SlaStatus::kBreached;
    s.working_days_left = -days.Between(s.answer_due, as_of);
  } else {
    s.working_days_left = days.Between(as_of, s.answer_due);
    s.status = *s.working_days_left <= due_soon_days ? SlaStatus::kDueSoon
                                                     : SlaStatus::kOnTime;
  }
  s.newsletter_deadline = newsletter_deadline;
  s.misses_newsletter = s.answer_due > newsletter_deadline;
  return s;
}

bool IsOpen(SlaStatus s) {
  return s == SlaStatus::kOnTime || s == SlaStatus::kDueSoon ||
         s == SlaStatus::kBreached;
}

// One group's counts plus the working days to answer, for the median.
struct Tally {
  SlaGroup group;
  // How many answers took each number of working days (never negative), up
  // to kCounted: a report over a million tickets adds each answer to five or
  // more groups, and counting costs less than keeping every value and
  // selecting the median. The rare longer waits are kept as they are.
  static constexpr int kCounted = 4096;
  std::vector<int> days_to_answer;
  std::vector<int> longer;  // Sorted by Finish().
  int answers_counted = 0;

  void Add(const TicketSla& s) {
    ++group.tickets;
    if (s.disputed) ++group.disputed;
    if (s.missed_acknowledge) ++group.missed_acknowledge;
    switch (s.status) {
      case SlaStatus::kOnTime:
        ++group.open;
        break;
      case SlaStatus::kDueSoon:
        ++group.open;
        ++group.due_soon;
        break;
      case SlaStatus::kBreached:
        ++group.open;
        ++group.breached;
        break;
      case SlaStatus::kAnsweredOnTime:
        ++group.answered_on_time;
        [[fallthrough]];
      case SlaStatus::kAnsweredLate:
        ++group.answered;
        if (s.working_days_to_answer) {
          const int days = *s.working_days_to_answer;
          if (days >= kCounted) {
            longer.push_back(days);
          } else {
            if (static_cast<size_t>(days) >= days_to_answer.size()) {
              days_to_answer.resize(days + 1);
            }
            ++days_to_answer[days];
          }
          ++answers_counted;
        }
        break;
    }
  }

  // The k-th smallest number of days counted (0-based).
  // REQUIRES: k < answers_counted.
  int Smallest(int k) const {
    int below = 0;
    for (size_t days = 0; days < days_to_answer.size(); ++days) {
      below += days_to_answer[days];
      if (below > k) return static_cast<int>(days);
    }
    return longer[k - below];
  }

  SlaGroup Finish(std::string key) {
    group.key = std::move(key);
    if (group.answered > 0) {
      group.percent_on_time = 100.0 * group.answered_on_time / group.answered;
    }
    if (answers_counted > 0) {
      std::sort(longer.begin(), longer.end());
      // The middle value; of an even number, the mean of the two middle
      // ones.
      const int mid = answers_counted / 2;
      double median = Smallest(mid);
      if (answers_counted % 2 == 0) median = (median + Smallest(mid - 1)) / 2;
      group.median_working_days_to_answer = median;
    }
    return std::move(group);
  }
};

std::string Plural(int n, const std::string& one, const std::string& many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

std::string WorkingDaysText(int n) {
  return Plural(n, "working day", "working days");
}

// The first month of the round `d` falls in, as {year, month}.
std::pair<int, int> RoundFirstMonth(const Config& config, Date d) {
  const auto [plan_year, round] = RoundOfDate(config, d);
  return RoundMonth(config, plan_year, round);
}

// Warning (1): an agreed time too long for a ticket raised at the last forum
// of a round to be answered by that quarter's newsletter copy deadline. The
// newsletter is how the people who raised a point hear the answer, so this
// is the reason the response time exists.
std::vector<std::string> RuleWarnings(const Config& config,
                                      const WorkingDays& days, Date as_of) {
  // Distinct answer times, each with where it applies, default first.
  std::vector<std::pair<int, std::vector<std::string>>> rules;
  auto note = [&](int answer_days, const std::string& scope) {
    for (auto& [n, scopes] : rules) {
      if (n == answer_days) {
        scopes.push_back(scope);
        return;
      }
    }
    rules.push_back({answer_days, {scope}});
  };
  const BoardOptions& board = config.board;
  note(board.response_times.answer_days, "the default");
  for (const auto& [theme, rule] : board.response_times_by_theme) {
    note(rule.answer_days, "theme " + theme);
  }
  for (const auto& [team, rule] : board.response_times_by_team) {
    note(rule.answer_days, "team " + team);
  }

  const HolidayCalendar& holidays = days.holidays();
  const auto [year, month] = RoundFirstMonth(config, as_of);
  const auto [plan_year, round] = RoundOfDate(config, as_of);
  const int last_day = bg::gregorian_calendar::end_of_month_day(year, month);
  // The last day a forum can be held in the window: forums are never on a
  // bank holiday, nor at a weekend unless the configuration allows it.
  Date forum(year, month, std::clamp(config.window_days, 1, last_day));
  auto forum_possible = [&](Date d) {
    if (holidays.HolidayName(d)) return false;
    const int wd = d.day_of_week().as_number();
    return config.allow_weekends || (wd != 0 && wd != 6);
  };
  while (forum.day() > 1 && !forum_possible(forum)) forum -= bg::days(1);
  const Date deadline = NewsletterCopyDeadline(config, holidays, forum);
  const int fits = days.Between(forum, deadline);

  std::vector<std::string> warnings;
  for (const auto& [answer_days, scopes] : rules) {
    const Date due = days.Add(forum, answer_days);
    if (due <= deadline) continue;
    std::string scope;
    if (scopes.front() == "the default") {
      scope = scopes.size() == 1
                  ? "the default"
                  : "the default, and for " +
                        JoinWords({scopes.begin() + 1, scopes.end()});
    } else {
      scope = "for " + JoinWords(scopes);
    }
    std::string text =
        "The agreed " + WorkingDaysText(answer_days) + " to answer (" + scope +
        ") cannot get an answer into the newsletter: a ticket raised at a "
        "forum on " +
        FormatHumanDate(forum) + ", the last day of the " +
        RoundId(plan_year, round) + " forum window, is due " +
        FormatHumanDate(due) + ", after that quarter's copy deadline of " +
        FormatHumanDate(deadline) +
        ", so the people who raised it would not read the answer in the "
        "roundup before their next forum.";
    if (fits > 0) {
      text += " At most " + WorkingDaysText(fits) +
              " would get every answer from that round into the roundup.";
    }
    warnings.push_back(std::move(text));
  }
  return warnings;
}

// Warning (2): open tickets still able to make their newsletter, but only if
// answered before the agreed time runs out.
std::string NewsletterWarning(std::vector<int64_t> ids) {
  std::sort(ids.begin(), ids.end());
  constexpr size_t kShown = 20;
  std::string list;
  for (size_t i = 0; i < ids.size() && i < kShown; ++i) {
    if (i > 0) list += ", ";
    list += "#" + std::to_string(ids[i]);
  }
  if (ids.size() > kShown) {
    list += " and " + std::to_string(ids.size() - kShown) + " more";
  }
  const int n = static_cast<int>(ids.size());
  return n == 1 ? "1 open ticket will miss its quarter's newsletter unless "
                  "answered early: " +
                      list
                : std::to_string(n) +
                      " open tickets will miss their quarter's newsletter "
                      "unless answered early: " +
                      list;
}

// A breached or due-soon ticket, ordered by due date then id.
struct Pick {
  uint32_t due = 0;  // Day number of answer_due.
  int64_t id = 0;
  size_t ticket = 0;  // Index into the report's tickets.
  size_t sla = 0;     // Index into the listed TicketSla values.

  bool operator<(const Pick& o) const {
    return due != o.due ? due < o.due : id < o.id;
  }
};

// The rounds tickets were raised in: each one's newsletter deadline and
// tally. Many tickets share a raise date, so each date's round is looked up
// once and kept in a table by day.
class RoundTable {
 public:
  struct Round {
    Date deadline;
    Tally tally;
  };

  RoundTable(const Config& config, const HolidayCalendar& holidays)
      : config_(config), holidays_(holidays) {}

  // Tabulates [first, last]; other dates still work, just slower.
  void Tabulate(Date first, Date last) {
    if (last < first || (last - first).days() > kMaxTableDays) return;
    first_ = first;
    last_ = last;
    by_day_.assign((last - first).days() + 1, -1);
  }

  // Extends the table back to `d`, keeping what it knows.
  void Reach(Date d) {
    if (d.is_special() || by_day_.empty() || d >= first_ || full_) return;
    const Date first = ExtendBack(first_, last_, d);
    if (d < first) full_ = true;
    if (first == first_) return;
    std::vector<int> by_day((last_ - first).days() + 1, -1);
    std::copy(by_day_.begin(), by_day_.end(),
              by_day.begin() + (first_ - first).days());
    by_day_ = std::move(by_day);
    first_ = first;
  }

  Round& Of(Date d) {
    const long i = by_day_.empty() ? -1 : (d - first_).days();
    if (i >= 0 && i < static_cast<long>(by_day_.size())) {
      if (by_day_[i] < 0) by_day_[i] = Slot(d);
      return rounds_[by_day_[i]];
    }
    return rounds_[Slot(d)];
  }

  // The rounds' groups, in date order.
  std::vector<SlaGroup> Finish() {
    std::vector<SlaGroup> groups;
    for (const auto& [key, slot] : slots_) {
      groups.push_back(
          rounds_[slot].tally.Finish(RoundId(key.first, key.second)));
    }
    return groups;
  }

 private:
  int Slot(Date d) {
    const std::pair<int, int> key = RoundOfDate(config_, d);
    auto it = slots_.find(key);
    if (it != slots_.end()) return it->second;
    rounds_.push_back({NewsletterCopyDeadline(config_, holidays_, d), {}});
    const int slot = static_cast<int>(rounds_.size()) - 1;
    slots_.emplace(key, slot);
    return slot;
  }

  const Config& config_;
  const HolidayCalendar& holidays_;
  std::map<std::pair<int, int>, int> slots_;  // {plan year, round} -> slot.
  std::deque<Round> rounds_;  // A deque: references stay valid on growth.
  Date first_, last_;
  bool full_ = false;        // Reach() gave up: the range would be too long.
  std::vector<int> by_day_;  // Slot of each day from first_, or -1.
};

// Interns the few distinct team, area and theme names of a report, so each
// ticket's are found with one hash lookup and then used by number.
class Names {
 public:
  // The name's number, and whether it is new.
  std::pair<int, bool> Id(std::string_view name) {
    // A board has a dozen or so of each: a cheap guess from the length and
    // the first and last letters nearly always finds it at once.
    int& guess = guesses_[Guess(name)];
    if (guess >= 0 && names_[guess] == name) return {guess, false};
    auto it = ids_.find(name);
    if (it != ids_.end()) {
      guess = it->second;
      return {it->second, false};
    }
    names_.emplace_back(name);
    const int id = static_cast<int>(names_.size()) - 1;
    ids_.emplace(names_.back(), id);
    guess = id;
    return {id, true};
  }
  const std::string& Name(int id) const { return names_[id]; }

 private:
  static size_t Guess(std::string_view name) {
    if (name.empty()) return 0;
    return (name.size() * 31 + static_cast<unsigned char>(name.front()) * 7 +
            static_cast<unsigned char>(name.back())) %
           kGuesses;
  }

  static constexpr size_t kGuesses = 256;
  std::deque<std::string> names_;  // A deque: the keys' views stay valid.
  std::unordered_map<std::string_view, int> ids_;
  std::vector<int> guesses_ = std::vector<int>(kGuesses, -1);  // Name ids.
};

// Tallies by interned name; Finish() sorts them by name, as a map would.
class NamedTallies {
 public:
  Tally& At(int id) {
    if (static_cast<size_t>(id) >= tallies_.size()) tallies_.resize(id + 1);
    return tallies_[id];
  }
  std::vector<SlaGroup> Finish(const Names& names) {
    std::vector<int> order;
    for (size_t i = 0; i < tallies_.size(); ++i) {
      if (tallies_[i].group.tickets > 0) order.push_back(static_cast<int>(i));
    }
    std::sort(order.begin(), order.end(),
              [&](int a, int b) { return names.Name(a) < names.Name(b); });
    std::vector<SlaGroup> groups;
    groups.reserve(order.size());
    for (int id : order) groups.push_back(tallies_[id].Finish(names.Name(id)));
    return groups;
  }

 private:
  std::vector<Tally> tallies_;
};

// Tickets raised after the report date did not exist yet; merged repeats
// count through the ticket they were merged into.
bool Counted(TicketState state, const std::optional<int64_t>& merged_into,
             Date raised_on, Date as_of) {
  return state != TicketState::kMerged && !merged_into &&
         (raised_on.is_special() || raised_on <= as_of);
}

// The report, one ticket at a time, whichever way the tickets are read.
// Gives exactly what SlaRuleFor and Compute give ticket by ticket; the
// agreed times of each team and theme are looked up once, not per ticket.
class ReportBuilder {
 public:
  ReportBuilder(const Config& config, Date as_of)
      : config_(config),
        as_of_(as_of),
        holidays_(config.MakeHolidayCalendar()),
        days_(holidays_),
        rounds_(config, holidays_) {
    if (as_of.is_special()) ThrowInvalid("the report date is not a valid date");
    // Due dates reach past the report date by the agreed time plus pauses:
    // a few years covers any sensible rule. The tables start a year back and
    // grow as older tickets turn up; beyond them the calendar answers.
    const Date start =
        as_of > kFirstDay + bg::days(366) ? as_of - bg::days(366) : kFirstDay;
    const Date end = as_of < kLastDay - bg::days(3 * 366)
                         ? as_of + bg::days(3 * 366)
                         : kLastDay;
    days_.Tabulate(start, end);
    rounds_.Tabulate(start, as_of);
  }

  // Adds a counted ticket (see Counted); `themes` may repeat a theme.
  // `source` is handed back to Finish's lookup if the ticket is listed.
  // Returns true if it is listed (breached, due soon or sent late).
  template <typename Themes>
  bool Add(const SlaFacts& t, std::string_view team, std::string_view area,
           const Themes& themes, size_t source) {
    CheckTicketDates(t, as_of_);
    days_.Reach(t.raised_on);
    rounds_.Reach(t.raised_on);
    RoundTable::Round& round = rounds_.Of(t.raised_on);

    const int team_id = TeamId(team);
    const int area_id = areas_.Id(area).first;
    // A ticket counts once in each of its themes, even if listed twice.
    theme_ids_.clear();
    for (const auto& theme : themes) {
      const int id = ThemeId(theme);
      if (std::find(theme_ids_.begin(), theme_ids_.end(), id) ==
          theme_ids_.end()) {
        theme_ids_.push_back(id);
      }
    }
    const TicketSla s =
        Compute(RuleFor(team_id), config_.board.due_soon_working_days, days_, t,
                as_of_, round.deadline);

    overall_.Add(s);
    team_tallies_.At(team_id).Add(s);
    area_tallies_.At(area_id).Add(s);
    for (int id : theme_ids_) theme_tallies_.At(id).Add(s);
    round.tally.Add(s);

    // Still able to make the newsletter, but not if answered at the last
    // moment of the agreed time.
    if (IsOpen(s.status) && s.misses_newsletter && as_of_ <= round.deadline) {
      will_miss_.push_back(t.id);
    }
    const bool by_answer =
        s.status == SlaStatus::kBreached || s.status == SlaStatus::kDueSoon;
    // Open ones only, as for the breached: those are what can still be
    // acted on; the counts cover the rest.
    const bool sent_late = IsOpen(s.status) && s.missed_acknowledge;
    if (!by_answer && !sent_late) return false;
    // Sorted by small keys; the tickets are fetched once, at the end.
    if (by_answer) {
      const Pick pick{s.answer_due.day_number(), t.id, source, listed_.size()};
      (s.status == SlaStatus::kBreached ? breached_ : due_soon_)
          .push_back(pick);
    }
    if (sent_late) {
      missed_acknowledge_.push_back(
          {s.acknowledge_due.day_number(), t.id, source, listed_.size()});
    }
    listed_.push_back(s);
    return true;
  }

  // `ticket(source, id)`: the whole ticket of a listed one.
  SlaReport Finish(const std::function<Ticket(size_t, int64_t)>& ticket) {
    SlaReport report;
    report.as_of = as_of_;
    report.overall = overall_.Finish("overall");
    report.by_team = team_tallies_.Finish(teams_);
    report.by_area = area_tallies_.Finish(areas_);
    report.by_theme = theme_tallies_.Finish(themes_);
    report.by_round = rounds_.Finish();

    // Both lists go soonest due first: for breached tickets that is the
    // most overdue first.
    for (auto [picks, lines] :
         {std::make_pair(&breached_, &report.breached),
          std::make_pair(&due_soon_, &report.due_soon),
          std::make_pair(&missed_acknowledge_, &report.missed_acknowledge)}) {
      std::sort(picks->begin(), picks->end());
      lines->reserve(picks->size());
      for (const Pick& p : *picks) {
        SlaLine& line = lines->emplace_back();
        line.ticket = ticket(p.ticket, p.id);
        line.sla = listed_[p.sla];
      }
    }

    report.warnings = RuleWarnings(config_, days_, as_of_);
    if (!will_miss_.empty()) {
      report.warnings.push_back(NewsletterWarning(std::move(will_miss_)));
    }
    return report;
  }

 private:
  int TeamId(std::string_view name) {
    const auto [id, is_new] = teams_.Id(name);
    if (is_new) {
      const auto& rules = config_.board.response_times_by_team;
      auto it = rules.find(std::string(name));
      team_rules_.push_back(it == rules.end() ? nullptr : &it->second);
    }
    return id;
  }

  int ThemeId(std::string_view name) {
    const auto [id, is_new] = themes_.Id(name);
    if (is_new) {
      const auto& rules = config_.board.response_times_by_theme;
      auto it = rules.find(std::string(name));
      theme_rules_.push_back(it == rules.end() ? nullptr : &it->second);
    }
    return id;
  }

  // SlaRuleFor, for the team `team_id` and the themes in theme_ids_.
  const SlaRule& RuleFor(int team_id) const {
    if (team_rules_[team_id] != nullptr) return *team_rules_[team_id];
    const SlaRule* best = nullptr;
    for (int id : theme_ids_) best = Quicker(best, theme_rules_[id]);
    return best ? *best : config_.board.response_times;
  }

  const Config& config_;
  Date as_of_;
  const HolidayCalendar holidays_;
  WorkingDays days_;
  RoundTable rounds_;
  Names teams_, areas_, themes_;
  std::vector<const SlaRule*> team_rules_, theme_rules_;  // By name id.
  std::vector<int> theme_ids_;  // The current ticket's, distinct.
  Tally overall_;
  NamedTallies team_tallies_, area_tallies_, theme_tallies_;
  std::vector<TicketSla> listed_;  // The breached and due-soon tickets' SLA.
  std::vector<Pick> breached_, due_soon_, missed_acknowledge_;
  std::vector<int64_t> will_miss_;
};

// ---- Rendering ----------------------------------------------------------

struct Column {
  std::string header;
  bool right = false;  // Numbers are right-aligned.
};

std::string RenderTable(const std::vector<Column>& columns,
                        const std::vector<std::vector<std::string>>& rows) {
  std::vector<size_t> widths;
  for (const Column& c : columns) widths.push_back(DisplayWidth(c.header));
  for (const auto& row : rows) {
    for (size_t i = 0; i < row.size(); ++i) {
      widths[i] = std::max(widths[i], DisplayWidth(row[i]));
    }
  }
  auto line = [&](const std::vector<std::string>& cells) {
    std::string out;
    for (size_t i = 0; i < cells.size(); ++i) {
      const std::string pad(widths[i] - DisplayWidth(cells[i]), ' ');
      out += "  ";
      out += columns[i].right ? pad + cells[i] : cells[i] + pad;
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out + "\n";
  };
  std::vector<std::string> headers;
  for (const Column& c : columns) headers.push_back(c.header);
  std::string out = line(headers);
  for (const auto& row : rows) out += line(row);
  return out;
}

// Whole percent, but never "100%" unless all were on time, nor "0%" unless
// none were: a coordinator reads 100% as "every one".
std::string PercentText(const SlaGroup& g) {
  if (!g.percent_on_time) return "-";
  int p = static_cast<int>(std::lround(*g.percent_on_time));
  if (p == 100 && g.answered_on_time < g.answered) p = 99;
  if (p == 0 && g.answered_on_time > 0) p = 1;
  return std::to_string(p) + "%";
}

std::string MedianText(const std::optional<double>& m) {
  if (!m) return "-";
  char buf[32];
  if (*m == std::floor(*m)) {
    std::snprintf(buf, sizeof(buf), "%.0f", *m);
  } else {
    std::snprintf(buf, sizeof(buf), "%.1f", *m);
  }
  return buf;
}

std::string AreaName(const Config& config, const std::string& slug) {
  return slug.empty() ? "(no area)" : config.AreaName(slug);
}

std::string TeamName(const std::string& team) {
  return team.empty() ? "(no team)" : team;
}

std::string GroupTable(
    const std::string& first_header, const std::vector<SlaGroup>& groups,
    const std::function<std::string(const std::string&)>& name) {
  std::vector<std::vector<std::string>> rows;
  for (const SlaGroup& g : groups) {
    rows.push_back({name(g.key), std::to_string(g.tickets),
                    std::to_string(g.open), std::to_string(g.answered),
                    PercentText(g), MedianText(g.median_working_days_to_answer),
                    std::to_string(g.breached), std::to_string(g.due_soon),
                    std::to_string(g.disputed),
                    std::to_string(g.missed_acknowledge)});
  }
  return RenderTable({{first_header},
                      {"Tickets", true},
                      {"Open", true},
                      {"Answered", true},
                      {"On time", true},
                      {"Median days", true},
                      {"Breached", true},
                      {"Due soon", true},
                      {"Disputed", true},
                      {"Sent late", true}},
                     rows);
}

std::string RuleText(const SlaRule& r) {
  return "sent to the Trust within " + std::to_string(r.acknowledge_days) +
         ", answered within " + std::to_string(r.answer_days);
}

// Wraps `text` at word boundaries to `width` columns: the first line starts
// with `first`, the rest with `rest`.
std::string Wrap(const std::string& text, const std::string& first,
                 const std::string& rest, size_t width = 78) {
  std::istringstream words(text);
  std::string out = first;
  size_t column = DisplayWidth(first);
  bool line_empty = true;
  std::string word;
  while (words >> word) {
    if (!line_empty && column + 1 + DisplayWidth(word) > width) {
      out += "\n" + rest;
      column = DisplayWidth(rest);
      line_empty = true;
    }
    if (!line_empty) {
      out += " ";
      ++column;
    }
    out += word;
    column += DisplayWidth(word);
    line_empty = false;
  }
  return out + "\n";
}

std::string LineTable(const std::vector<SlaLine>& lines, bool overdue) {
  std::vector<std::vector<std::string>> rows;
  for (const SlaLine& l : lines) {
    const int left = l.sla.working_days_left.value_or(0);
    std::string when;
    if (overdue) {
      when = -left > 0 ? WorkingDaysText(-left) + " overdue"
                       : "overdue since " + FormatHumanDate(l.sla.answer_due);
    } else {
      when = left == 0 ? "due today" : WorkingDaysText(left) + " left";
    }
    if (l.sla.paused) when += " (paused: waiting for the forum)";
    rows.push_back({"#" + std::to_string(l.ticket.id),
                    FitWidth(l.ticket.title, 40), TeamName(l.ticket.team),
                    FormatHumanDate(l.sla.answer_due), when});
  }
  return RenderTable({{"Ticket"},
                      {"Title"},
                      {"Team"},
                      {"Answer due"},
                      {overdue ? "Overdue" : "Left"}},
                     rows);
}

Json OptionalNumber(const std::optional<double>& v, bool one_decimal) {
  if (!v) return nullptr;
  const double x = one_decimal ? std::round(*v * 10) / 10 : *v;
  if (x == std::floor(x)) return static_cast<int64_t>(x);
  return x;
}

// `name`: the area's name, for area groups (their key is the slug).
Json GroupJson(const SlaGroup& g, const std::string* name = nullptr) {
  Json j;
  j["key"] = g.key;
  if (name) j["name"] = *name;
  j["tickets"] = g.tickets;
  j["open"] = g.open;
  j["answered"] = g.answered;
  j["answered_on_time"] = g.answered_on_time;
  j["breached"] = g.breached;
  j["due_soon"] = g.due_soon;
  j["disputed"] = g.disputed;
  j["missed_acknowledge"] = g.missed_acknowledge;
  j["percent_on_time"] = OptionalNumber(g.percent_on_time, true);
  j["median_working_days_to_answer"] =
      OptionalNumber(g.median_working_days_to_answer, false);
  return j;
}

Json OptionalDate(const std::optional<Date>& d) {
  if (!d || d->is_special()) return nullptr;
  return FormatIsoDate(*d);
}

Json LineJson(const Config& config, const SlaLine& l) {
  const Ticket& t = l.ticket;
  const TicketSla& s = l.sla;
  Json j;
  j["id"] = t.id;
  j["title"] = t.title;
  j["area"] = t.area;
  j["area_name"] = AreaName(config, t.area);
  j["themes"] = t.themes;
  j["team"] = t.team;
  j["state"] = TicketStateName(t.state);
  j["votes"] = t.votes;
  j["raised_on"] = FormatIsoDate(t.raised_on);
  j["sent_on"] = OptionalDate(t.sent_on);
  j["status"] = SlaStatusName(s.status);
  j["acknowledge_days"] = s.acknowledge_days;
  j["answer_days"] = s.answer_days;
  j["acknowledge_due"] = FormatIsoDate(s.acknowledge_due);
  j["acknowledged"] = s.acknowledged;
  j["acknowledged_late"] = s.acknowledged_late;
  j["missed_acknowledge"] = s.missed_acknowledge;
  j["disputed"] = s.disputed;
  j["clock_from"] = FormatIsoDate(s.clock_from);
  j["answer_due"] = FormatIsoDate(s.answer_due);
  j["paused"] = s.paused;
  j["working_days_left"] =
      s.working_days_left ? Json(*s.working_days_left) : Json(nullptr);
  j["newsletter_deadline"] = FormatIsoDate(s.newsletter_deadline);
  j["misses_newsletter"] = s.misses_newsletter;
  return j;
}

Json RuleJson(const SlaRule& r) {
  return {{"acknowledge_days", r.acknowledge_days},
          {"answer_days", r.answer_days}};
}

}  // namespace

const char* SlaStatusName(SlaStatus s) {
  switch (s) {
    case SlaStatus::kOnTime:
      return "on-time";
    case SlaStatus::kDueSoon:
      return "due-soon";
    case SlaStatus::kBreached:
      return "breached";
    case SlaStatus::kAnsweredOnTime:
      return "answered-on-time";
    case SlaStatus::kAnsweredLate:
      return "answered-late";
  }
  return "on-time";
}

SlaRule SlaRuleFor(const Config& config, const Ticket& ticket) {
  const BoardOptions& board = config.board;
  auto team = board.response_times_by_team.find(ticket.team);
  if (team != board.response_times_by_team.end()) return team->second;
  const SlaRule* best = nullptr;
  for (const std::string& theme : ticket.themes) {
    auto it = board.response_times_by_theme.find(theme);
    if (it != board.response_times_by_theme.end()) {
      best = Quicker(best, &it->second);
    }
  }
  return best ? *best : board.response_times;
}

TicketSla ComputeSla(const Config& config, const HolidayCalendar& holidays,
                     const Ticket& ticket, Date as_of) {
  const SlaFacts facts = FactsOf(ticket);
  CheckTicketDates(facts, as_of);
  const WorkingDays days(holidays);
  return Compute(SlaRuleFor(config, ticket), config.board.due_soon_working_days,
                 days, facts, as_of,
                 NewsletterCopyDeadline(config, holidays, ticket.raised_on));
}

SlaReport BuildSlaReport(const Config& config,
                         const std::vector<Ticket>& tickets, Date as_of) {
  ReportBuilder builder(config, as_of);
  for (size_t i = 0; i < tickets.size(); ++i) {
    const Ticket& t = tickets[i];
    if (!Counted(t.state, t.merged_into, t.raised_on, as_of)) continue;
    builder.Add(FactsOf(t), t.team, t.area, t.themes, i);
  }
  return builder.Finish(
      [&](size_t source, int64_t) { return tickets[source]; });
}

SlaReport BuildBoardSlaReport(const Config& config, const Board& board,
                              Date as_of) {
  // A past date: the board as it stood then, from its history.
  if (board.ChangedAfter(as_of)) {
    return BuildSlaReport(config, board.AsOf(as_of), as_of);
  }
  ReportBuilder builder(config, as_of);
  std::vector<Ticket> listed = board.ScanForSla([&](const SlaTicketRow& t) {
    return Counted(t.state, t.merged_into, t.raised_on, as_of) &&
           builder.Add(FactsOf(t), t.team, t.area, *t.themes, 0);
  });
  // ScanForSla returns them in id order.
  return builder.Finish([&](size_t, int64_t id) {
    auto it = std::lower_bound(
        listed.begin(), listed.end(), id,
        [](const Ticket& t, int64_t want) { return t.id < want; });
    if (it == listed.end() || it->id != id) {
      throw Error(ErrorKind::kInternal,
                  "ticket #" + std::to_string(id) +
                      " was scanned for the report but could not be read");
    }
    // Copied: a ticket can be listed twice (breached and sent late).
    return *it;
  });
}

std::string RenderSlaReportText(const Config& config, const SlaReport& report) {
  const BoardOptions& board = config.board;
  std::ostringstream out;
  out << "Agreed response times: feedback board as of "
      << FormatHumanDate(report.as_of) << "\n\n";

  out << "Agreed times, in working days (weekends and bank holidays do not "
         "count):\n";
  out << "  Default: " << RuleText(board.response_times) << "\n";
  for (const auto& [theme, rule] : board.response_times_by_theme) {
    out << "  Theme " << theme << ": " << RuleText(rule) << "\n";
  }
  for (const auto& [team, rule] : board.response_times_by_team) {
    out << "  Team " << team << ": " << RuleText(rule) << "\n";
  }
  out << "  A team's time wins over a theme's; of several themes the shortest "
         "applies.\n";
  out << "  A ticket is due soon when "
      << WorkingDaysText(board.due_soon_working_days)
      << " or fewer are left.\n\n";

  const SlaGroup& all = report.overall;
  out << "Overall\n";
  out << "  " << Plural(all.tickets, "ticket", "tickets") << ": " << all.open
      << " open, " << all.answered
      << " answered (a published decline counts as an answer).\n";
  if (all.answered > 0) {
    out << "  " << all.answered_on_time << " of " << all.answered
        << " answered within the agreed time (" << PercentText(all) << ").\n";
    out << "  Median time to answer: "
        << MedianText(all.median_working_days_to_answer) << " working "
        << (all.median_working_days_to_answer == 1.0 ? "day" : "days")
        << " (time waiting for the forum does not count).\n";
  } else {
    out << "  Nothing answered yet.\n";
  }
  out << "  " << all.breached << " past the agreed time and not answered; "
      << all.due_soon << " due soon.\n";
  out << "  " << all.missed_acknowledge
      << " not sent to the Trust within the agreed time.\n";
  if (all.disputed > 0) {
    out << Wrap(Plural(all.disputed, "answer", "answers") +
                    " disputed by a forum: sent back to the Trust with a new "
                    "clock (not counted as on time).",
                "  ", "    ");
  }

  const std::vector<std::pair<std::string, const std::vector<SlaGroup>*>>
      sections = {{"team", &report.by_team},
                  {"area", &report.by_area},
                  {"theme", &report.by_theme},
                  {"round", &report.by_round}};
  for (const auto& [what, groups] : sections) {
    std::string heading = what;
    heading[0] = static_cast<char>(std::toupper(heading[0]));
    out << "\nBy " << what << "\n";
    if (groups->empty()) {
      out << "  No tickets.\n";
      continue;
    }
    std::function<std::string(const std::string&)> name =
        [](const std::string& k) { return k; };
    if (what == "team") name = TeamName;
    if (what == "area") {
      name = [&](const std::string& k) { return AreaName(config, k); };
    }
    out << GroupTable(heading, *groups, name);
  }
  out << "\n"
      << Wrap(
             "Median days: working days from raised (or from a disputed "
             "verdict) to answered. On time: of those answered. Disputed: "
             "answers a forum disputed. Sent late: not sent to the Trust in "
             "time.",
             "  ", "  ");

  out << "\nBreached: past the agreed time and not yet answered ("
      << report.breached.size() << ")\n";
  if (report.breached.empty()) {
    out << "  None: every open ticket is within the agreed time.\n";
  } else {
    out << LineTable(report.breached, true);
  }
  out << "\nDue soon: " << WorkingDaysText(board.due_soon_working_days)
      << " or fewer left (" << report.due_soon.size() << ")\n";
  if (report.due_soon.empty()) {
    out << "  None.\n";
  } else {
    out << LineTable(report.due_soon, false);
  }

  out << "\nSent to the Trust late: open tickets past the agreed time to send ("
      << report.missed_acknowledge.size() << ")\n";
  if (report.missed_acknowledge.empty()) {
    out << "  None: every open ticket went to the Trust within the agreed "
           "time.\n";
  } else {
    std::vector<std::vector<std::string>> rows;
    for (const SlaLine& l : report.missed_acknowledge) {
      rows.push_back({"#" + std::to_string(l.ticket.id),
                      FitWidth(l.ticket.title, 40), TeamName(l.ticket.team),
                      FormatHumanDate(l.sla.acknowledge_due),
                      !l.sla.acknowledged ? "not sent yet"
                      : l.ticket.sent_on  ? FormatHumanDate(*l.ticket.sent_on)
                                          : "answered without being sent"});
    }
    out << RenderTable(
        {{"Ticket"}, {"Title"}, {"Team"}, {"Send due"}, {"Sent"}}, rows);
  }

  out << "\nWarnings (" << report.warnings.size() << ")\n";
  if (report.warnings.empty()) out << "  None.\n";
  for (const std::string& w : report.warnings) out << Wrap(w, "  - ", "    ");
  return out.str();
}

std::string RenderSlaReportJson(const Config& config, const SlaReport& report) {
  const BoardOptions& board = config.board;
  Json j;
  j["as_of"] = FormatIsoDate(report.as_of);
  Json rules;
  rules["default"] = RuleJson(board.response_times);
  rules["by_theme"] = Json::object();
  for (const auto& [theme, rule] : board.response_times_by_theme) {
    rules["by_theme"][theme] = RuleJson(rule);
  }
  rules["by_team"] = Json::object();
  for (const auto& [team, rule] : board.response_times_by_team) {
    rules["by_team"][team] = RuleJson(rule);
  }
  rules["due_soon_working_days"] = board.due_soon_working_days;
  j["response_times"] = std::move(rules);
  j["overall"] = GroupJson(report.overall);
  auto groups = [](const std::vector<SlaGroup>& gs) {
    Json a = Json::array();
    for (const SlaGroup& g : gs) a.push_back(GroupJson(g));
    return a;
  };
  j["by_team"] = groups(report.by_team);
  j["by_area"] = Json::array();
  for (const SlaGroup& g : report.by_area) {
    const std::string name = AreaName(config, g.key);
    j["by_area"].push_back(GroupJson(g, &name));
  }
  j["by_theme"] = groups(report.by_theme);
  j["by_round"] = groups(report.by_round);
  auto lines = [&](const std::vector<SlaLine>& ls) {
    Json a = Json::array();
    for (const SlaLine& l : ls) a.push_back(LineJson(config, l));
    return a;
  };
  j["breached"] = lines(report.breached);
  j["due_soon"] = lines(report.due_soon);
  j["missed_acknowledge"] = lines(report.missed_acknowledge);
  j["warnings"] = report.warnings;
  return j.dump(2) + "\n";
}

}  // namespace focus
