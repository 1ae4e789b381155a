// The response-time report: every counted ticket's response time, tallied
// by team, area, theme and round, with the tickets to act on and warnings.
#include "focus/sla.h"

#include <algorithm>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "focus/error.h"
#include "focus/rounds.h"
#include "focus/text.h"
#include "sla_internal.h"

namespace focus {
namespace {

namespace bg = boost::gregorian;
using sla_internal::CheckTicketDates;
using sla_internal::Compute;
using sla_internal::ExtendBack;
using sla_internal::FactsOf;
using sla_internal::kFirstDay;
using sla_internal::kLastDay;
using sla_internal::kMaxTableDays;
using sla_internal::Quicker;
using sla_internal::SlaFacts;
using sla_internal::WorkingDays;
using sla_internal::WorkingDaysText;

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

}  // namespace

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

}  // namespace focus
