#include "focus/report.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <regex>

#include "focus/csv.h"
#include "focus/error.h"
#include "focus/publication_views.h"
#include "focus/sla.h"
#include "focus/text.h"

namespace focus {
namespace {

using internal::Json;
using internal::LongDate;

const char* FormatWords(Format f) {
  return f == Format::kInPerson ? "in person" : "online";
}

std::string OneDecimal(double x) {
  char buf[32];
  if (x == std::floor(x)) {
    std::snprintf(buf, sizeof(buf), "%.0f", x);
  } else {
    std::snprintf(buf, sizeof(buf), "%.1f", x);
  }
  return buf;
}

// Attendance counts of a set of forums (one row of a table).
struct AttendanceRow {
  int forums = 0;
  int below_minimum = 0;
  Attendance a;

  void Add(const ForumRecord& f) {
    ++forums;
    below_minimum += f.BelowInvolvementMinimum() ? 1 : 0;
    a.service_users += f.attendance.service_users;
    a.carers += f.attendance.carers;
    a.trust_staff += f.attendance.trust_staff;
    a.governors += f.attendance.governors;
    a.others += f.attendance.others;
  }
};

int Total(const Attendance& a) {
  return a.service_users + a.carers + a.trust_staff + a.governors + a.others;
}

Json AttendanceJson(const AttendanceRow& r) {
  const int involved = r.a.service_users + r.a.carers;
  return Json{
      {"forums", r.forums},
      {"service_users", r.a.service_users},
      {"carers", r.a.carers},
      {"staff", r.a.trust_staff},
      {"governors", r.a.governors},
      {"others", r.a.others},
      {"total", Total(r.a)},
      {"average_service_users_carers",
       r.forums == 0 ? "-"
                     : OneDecimal(std::round(10.0 * involved / r.forums) / 10)},
      {"below_minimum", r.below_minimum},
  };
}

Json ForumAttendanceJson(const Config& config, const ForumRecord& f) {
  std::vector<std::string> apologies = f.apologies;
  return Json{
      {"name", internal::ForumName(config, f)},
      {"area", config.AreaName(f.area)},
      {"date", LongDate(f.held_on)},
      {"date_iso", FormatIsoDate(f.held_on)},
      {"format", FormatWords(f.format)},
      {"service_users", f.attendance.service_users},
      {"carers", f.attendance.carers},
      {"staff", f.attendance.trust_staff},
      {"governors", f.attendance.governors},
      {"others", f.attendance.others},
      {"total", Total(f.attendance)},
      {"below_minimum", f.BelowInvolvementMinimum()},
      {"apologies", JoinWords(apologies)},
      {"apology_count", static_cast<int>(apologies.size())},
      {"has_apologies", !apologies.empty()},
  };
}

// By format: in person, then online, both always present.
Json ByFormat(const std::vector<ForumRecord>& forums) {
  Json rows = Json::array();
  for (Format format : {Format::kInPerson, Format::kVirtual}) {
    AttendanceRow row;
    for (const ForumRecord& f : forums) {
      if (f.format == format) row.Add(f);
    }
    Json j = AttendanceJson(row);
    j["format"] = FormatWords(format);
    rows.push_back(std::move(j));
  }
  return rows;
}

Json TicketRow(const Config& config, const Ticket& t,
               const std::map<int64_t, ForumRecord>& forums) {
  Json j = internal::TicketView(config, t, forums);
  j["raised_on_iso"] = FormatIsoDate(t.raised_on);
  j["team"] = t.team;
  return j;
}

// Counts of `keys`, in the order given, leaving out zeros.
Json Counts(const std::vector<std::string>& order,
            const std::map<std::string, int>& counts) {
  Json rows = Json::array();
  for (const std::string& key : order) {
    auto it = counts.find(key);
    if (it != counts.end() && it->second > 0) {
      rows.push_back({{"name", key}, {"count", it->second}});
    }
  }
  return rows;
}

std::vector<std::string> AreaNames(const Config& config) {
  std::vector<std::string> names;
  for (const Area* a : config.Forums()) names.push_back(a->name);
  return names;
}

std::vector<std::string> ThemeLabels(const Config& config) {
  std::vector<std::string> names;
  for (const std::string& t : config.board.themes) {
    names.push_back(internal::ThemeLabel(t));
  }
  return names;
}

// The CSV of `items` (a JSON list of objects): one column per key.
std::string CsvOf(const Json& items,
                  const std::vector<std::pair<std::string, std::string>>&
                      columns /* key, header */) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> header;
  for (const auto& c : columns) header.push_back(c.second);
  rows.push_back(header);
  for (const Json& item : items) {
    std::vector<std::string> cells;
    for (const auto& c : columns) {
      const Json& v = item.at(c.first);
      if (v.is_string()) {
        // "-" (nothing to show) on paper is an empty cell in a spreadsheet.
        const std::string text = v.get<std::string>();
        cells.push_back(text == "-" ? "" : text);
      } else if (v.is_boolean()) {
        cells.push_back(v.get<bool>() ? "yes" : "no");
      } else {
        cells.push_back(v.dump());
      }
    }
    rows.push_back(std::move(cells));
  }
  return RenderCsv(rows);
}

const std::vector<std::pair<std::string, std::string>> kAttendanceColumns = {
    {"forums", "forums"},
    {"service_users", "service_users"},
    {"carers", "carers"},
    {"staff", "trust_staff"},
    {"governors", "governors"},
    {"others", "others"},
    {"total", "total"},
    {"average_service_users_carers", "average_service_users_and_carers"},
    {"below_minimum", "forums_below_two_service_users_or_carers"}};

// --- Monthly ----------------------------------------------------------------

struct MonthlyData {
  Month month;
  Date as_of;
  Date last_day;
  int many_votes = 3;
  std::vector<Ticket> raised;     // In the month.
  std::vector<Ticket> attention;  // Several forums or many votes, open.
  std::vector<SlaLine> breached, due_soon;
  std::vector<ForumRecord> forums;  // Held in the month.
  std::map<int64_t, ForumRecord> all_forums;
  // Published answers no forum has confirmed or disputed yet.
  std::vector<Ticket> awaiting_verdict;
  // Changed from the first of the month (the day after the last report).
  std::vector<Ticket> changed;
};

// Returns true iff no forum has confirmed or disputed `t`'s current answer
// yet (none has given a verdict, or the last said "not yet").
bool WaitingForVerdict(const Ticket& t) {
  if (!AwaitsVerdict(t)) return false;
  const ForumVerdict* last = nullptr;
  for (const ForumVerdict& v : t.verdicts) {
    if (v.answered_on == *t.answered_on) last = &v;
  }
  return last == nullptr || last->verdict == Verdict::kNotYet;
}

bool Open(const Ticket& t) {
  return t.state != TicketState::kAnswered && t.state != TicketState::kClosed &&
         t.state != TicketState::kDeclined && t.state != TicketState::kMerged;
}

MonthlyData GatherMonthly(const Config& config, const Board& board,
                          const Month& m, Date today,
                          const ReportOptions& options) {
  MonthlyData d;
  d.month = m;
  d.many_votes = options.many_votes;
  const Date first(m.year, m.month, 1);
  d.last_day = first.end_of_month();
  d.as_of = std::min(today, d.last_day);
  if (d.as_of < first) {
    ThrowInvalid("month " + FormatIsoDate(first).substr(0, 7) +
                 " has not started yet (today is " + FormatIsoDate(today) +
                 ")");
  }
  d.all_forums = internal::ForumsById(board);
  const std::vector<Ticket> known = internal::TicketsAsOf(board, d.as_of);
  const std::vector<int64_t> changed = board.ChangedBetween(first, d.as_of);
  for (const Ticket& t : known) {
    if (t.raised_on >= first) d.raised.push_back(t);
    if (WaitingForVerdict(t)) d.awaiting_verdict.push_back(t);
    if (std::binary_search(changed.begin(), changed.end(), t.id)) {
      d.changed.push_back(t);
    }
    if (Open(t) && (t.forum_ids.size() >= 2 || t.votes >= options.many_votes)) {
      d.attention.push_back(t);
    }
  }
  std::stable_sort(
      d.attention.begin(), d.attention.end(),
      [](const Ticket& a, const Ticket& b) { return a.votes > b.votes; });
  const SlaReport sla = BuildSlaReport(config, known, d.as_of);
  d.breached = sla.breached;
  d.due_soon = sla.due_soon;
  for (const ForumRecord& f : board.ForumsAsOf(d.as_of)) {
    if (f.held_on >= first && f.held_on <= d.as_of) d.forums.push_back(f);
  }
  std::sort(d.forums.begin(), d.forums.end(),
            [](const ForumRecord& a, const ForumRecord& b) {
              return std::tie(a.held_on, a.id) < std::tie(b.held_on, b.id);
            });
  return d;
}

Json DueJson(const Config& config, const SlaLine& line, bool late,
             const std::map<int64_t, ForumRecord>& forums) {
  Json j = TicketRow(config, line.ticket, forums);
  const int left = line.sla.working_days_left.value_or(0);
  j["late"] = late;
  j["status"] = late ? "past the agreed time" : "due soon";
  j["due"] = LongDate(line.sla.answer_due);
  j["due_iso"] = FormatIsoDate(line.sla.answer_due);
  j["working_days"] = late ? -left : left;
  j["paused"] = line.sla.paused;
  return j;
}

// Rows of `tickets` (TicketRow).
Json TicketRows(const Config& config, const std::vector<Ticket>& tickets,
                const std::map<int64_t, ForumRecord>& forums) {
  Json rows = Json::array();
  for (const Ticket& t : tickets) rows.push_back(TicketRow(config, t, forums));
  return rows;
}

// How many of `tickets` each area and each theme raised, in the
// configuration's order.
std::pair<Json, Json> RaisedByAreaAndTheme(const Config& config,
                                           const std::vector<Ticket>& tickets) {
  std::map<std::string, int> by_area, by_theme;
  for (const Ticket& t : tickets) {
    ++by_area[config.AreaName(t.area)];
    for (const std::string& theme : t.themes) {
      ++by_theme[internal::ThemeLabel(theme)];
    }
  }
  return {Counts(AreaNames(config), by_area),
          Counts(ThemeLabels(config), by_theme)};
}

// The open tickets raised at several forums or with many votes, and why.
Json AttentionRows(const Config& config, const MonthlyData& d) {
  Json attention = Json::array();
  for (const Ticket& t : d.attention) {
    Json j = TicketRow(config, t, d.all_forums);
    j["several_forums"] = t.forum_ids.size() >= 2;
    j["many_votes"] = t.votes >= d.many_votes;
    attention.push_back(std::move(j));
  }
  return attention;
}

// The breached tickets, then the ones due soon.
Json DueRows(const Config& config, const MonthlyData& d) {
  Json due = Json::array();
  for (const SlaLine& l : d.breached) {
    due.push_back(DueJson(config, l, true, d.all_forums));
  }
  for (const SlaLine& l : d.due_soon) {
    due.push_back(DueJson(config, l, false, d.all_forums));
  }
  return due;
}

// The forums of the month: each one's attendance, the ones below the
// involvement minimum, and the totals.
struct ForumAttendance {
  Json rows = Json::array();
  Json below = Json::array();
  AttendanceRow totals;
};

ForumAttendance ForumAttendanceOf(const Config& config,
                                  const std::vector<ForumRecord>& forums) {
  ForumAttendance a;
  for (const ForumRecord& f : forums) {
    a.totals.Add(f);
    Json j = ForumAttendanceJson(config, f);
    if (f.BelowInvolvementMinimum()) a.below.push_back(j);
    a.rows.push_back(std::move(j));
  }
  return a;
}

// Published answers waiting for a forum's verdict, with the answer's date.
Json AwaitingVerdictRows(const Config& config, const MonthlyData& d) {
  Json awaiting = Json::array();
  for (const Ticket& t : d.awaiting_verdict) {
    Json j = TicketRow(config, t, d.all_forums);
    j["answered_on"] = LongDate(*t.answered_on);
    j["answered_on_iso"] = FormatIsoDate(*t.answered_on);
    awaiting.push_back(std::move(j));
  }
  return awaiting;
}

// The tickets changed in the month, and whether each is new in it.
Json ChangedRows(const Config& config, const MonthlyData& d) {
  Json changed = Json::array();
  for (const Ticket& t : d.changed) {
    Json j = TicketRow(config, t, d.all_forums);
    j["state_name"] = TicketStateName(t.state);
    j["new"] = t.raised_on >= Date(d.month.year, d.month.month, 1);
    changed.push_back(std::move(j));
  }
  return changed;
}

Json MonthlyView(const Config& config, const MonthlyData& d) {
  const Json raised = TicketRows(config, d.raised, d.all_forums);
  const auto [raised_by_area, raised_by_theme] =
      RaisedByAreaAndTheme(config, d.raised);
  const Json due = DueRows(config, d);
  const ForumAttendance attendance = ForumAttendanceOf(config, d.forums);
  const std::string month_name =
      MonthName(d.month.month) + " " + std::to_string(d.month.year);
  Json view = {
      {"organisation", config.organisation},
      {"series_name", config.series_name},
      {"month",
       FormatIsoDate(Date(d.month.year, d.month.month, 1)).substr(0, 7)},
      {"month_name", month_name},
      {"as_of", LongDate(d.as_of)},
      {"early", d.as_of < d.last_day},
      {"raised", raised},
      {"has_raised", !d.raised.empty()},
      {"raised_count", static_cast<int>(d.raised.size())},
      {"raised_by_area", raised_by_area},
      {"raised_by_theme", raised_by_theme},
      {"attention", AttentionRows(config, d)},
      {"has_attention", !d.attention.empty()},
      {"many_votes", d.many_votes},
      {"due", due},
      {"has_due", !due.empty()},
      {"breached_count", static_cast<int>(d.breached.size())},
      {"due_soon_count", static_cast<int>(d.due_soon.size())},
      {"due_soon_days", config.board.due_soon_working_days},
      {"agreed_time", internal::AgreedTimeText(config)},
      {"forums", attendance.rows},
      {"has_forums", !d.forums.empty()},
      {"forum_count", static_cast<int>(d.forums.size())},
      {"attendance_total", AttendanceJson(attendance.totals)},
      {"attendance_by_format", ByFormat(d.forums)},
      {"below_minimum", attendance.below},
      {"has_below_minimum", !attendance.below.empty()},
      {"awaiting_verdict", AwaitingVerdictRows(config, d)},
      {"has_awaiting_verdict", !d.awaiting_verdict.empty()},
      {"awaiting_verdict_count", static_cast<int>(d.awaiting_verdict.size())},
      {"changed", ChangedRows(config, d)},
      {"has_changed", !d.changed.empty()},
      {"changed_count", static_cast<int>(d.changed.size())},
      {"changed_since", LongDate(Date(d.month.year, d.month.month, 1))},
  };
  return view;
}

MonthlyData ExampleMonthly(const Config& config) {
  MonthlyData d;
  d.month = {2027, 1};
  d.as_of = d.last_day = Date(2027, 1, 31);
  Ticket t;
  t.id = 1;
  t.area = config.Forums().empty() ? "" : config.Forums()[0]->slug;
  t.themes = {"other"};
  t.raised_on = Date(2027, 1, 4);
  ForumVerdict v;
  v.area = t.area;
  v.held_on = v.answered_on = t.raised_on;
  t.verdicts = {v};
  ForumRecord f;
  f.id = 1;
  f.area = t.area;
  f.held_on = t.raised_on;
  f.apologies = {"x"};
  d.all_forums[1] = f;
  d.raised = d.attention = d.changed = {t};
  t.answered_on = t.raised_on;
  d.awaiting_verdict = {t};
  SlaLine line{t, TicketSla{}};
  line.sla.answer_due = t.raised_on;
  d.breached = d.due_soon = {line};
  d.forums = {f};
  return d;
}

// --- Development Group ------------------------------------------------------

struct DevelopmentGroupData {
  Quarter quarter;
  Date meeting;
  Date as_of;
  Date year_start;
  std::vector<Ticket> most_voted;
  std::vector<Ticket> year_tickets;  // Raised in the plan year so far.
  SlaReport sla;
  std::vector<ForumRecord> year_forums;
  std::map<int64_t, ForumRecord> all_forums;
  // Tickets whose answer a forum disputed in the plan year so far, with
  // that (latest) dispute.
  std::vector<std::pair<Ticket, ForumVerdict>> disputed;
  // The forums' verdicts of the plan year so far, by team.
  struct VerdictCounts {
    int confirmed = 0, not_yet = 0, disputed = 0;
  };
  std::map<std::string, VerdictCounts> verdicts_by_team;
};

DevelopmentGroupData GatherDevelopmentGroup(const Config& config,
                                            const Board& board,
                                            const Plan& plan, const Quarter& q,
                                            Date today,
                                            const ReportOptions& options) {
  if (plan.year != q.plan_year) {
    throw Error(ErrorKind::kInternal, "Development Group pack for " +
                                          QuarterId(q) + " given the plan of " +
                                          std::to_string(plan.year));
  }
  DevelopmentGroupData d;
  d.quarter = q;
  const Event* meeting = nullptr;
  for (const Event& e : plan.events) {
    if (e.kind == EventKind::kDevelopmentGroup && e.plan_year == q.plan_year &&
        e.round == q.round && !e.lookahead) {
      meeting = &e;
    }
  }
  if (meeting == nullptr) {
    throw Error(ErrorKind::kInternal,
                "the plan has no Development Group "
                "meeting for " +
                    QuarterId(q));
  }
  d.meeting = meeting->date;
  d.as_of = std::min(today, d.meeting);
  auto [y, m] = RoundMonth(config, q.plan_year, 1, 1);
  d.year_start = Date(y, m, 1);
  if (d.as_of < d.year_start) {
    ThrowInvalid("plan year " + std::to_string(q.plan_year) +
                 " has not started yet (today is " + FormatIsoDate(today) +
                 ")");
  }
  d.all_forums = internal::ForumsById(board);
  const std::vector<Ticket> known = internal::TicketsAsOf(board, d.as_of);
  for (const Ticket& t : known) {
    if (t.raised_on >= d.year_start) d.year_tickets.push_back(t);
    const ForumVerdict* dispute = nullptr;
    for (const ForumVerdict& v : t.verdicts) {
      if (v.held_on < d.year_start) continue;
      DevelopmentGroupData::VerdictCounts& c = d.verdicts_by_team[t.team];
      switch (v.verdict) {
        case Verdict::kConfirmed:
          ++c.confirmed;
          break;
        case Verdict::kNotYet:
          ++c.not_yet;
          break;
        case Verdict::kDisputed:
          ++c.disputed;
          dispute = &v;
          break;
      }
    }
    if (dispute != nullptr) d.disputed.emplace_back(t, *dispute);
  }
  d.most_voted = internal::MostVotedAsOf(board, d.as_of, options.most_voted, 0);
  d.sla = BuildSlaReport(config, known, d.as_of);
  for (const ForumRecord& f : board.ForumsAsOf(d.as_of)) {
    if (f.held_on >= d.year_start && f.held_on <= d.as_of) {
      d.year_forums.push_back(f);
    }
  }
  return d;
}

Json SlaGroupJson(const SlaGroup& g) {
  return Json{
      {"name", g.key},
      {"tickets", g.tickets},
      {"open", g.open},
      {"answered", g.answered},
      {"answered_on_time", g.answered_on_time},
      {"on_time", g.answered == 0 ? "-"
                                  : std::to_string(g.answered_on_time) +
                                        " of " + std::to_string(g.answered)},
      {"median_days", g.median_working_days_to_answer
                          ? OneDecimal(*g.median_working_days_to_answer)
                          : "-"},
      {"breached", g.breached},
      {"due_soon", g.due_soon},
      {"disputed", g.disputed},
      {"missed_acknowledge", g.missed_acknowledge},
  };
}

// The most voted tickets, numbered from 1.
Json MostVotedRows(const Config& config, const DevelopmentGroupData& d) {
  Json most_voted = Json::array();
  for (const Ticket& t : d.most_voted) {
    Json item = TicketRow(config, t, d.all_forums);
    item["rank"] = static_cast<int>(most_voted.size()) + 1;
    most_voted.push_back(std::move(item));
  }
  return most_voted;
}

// Themes across areas: tickets of the year by theme (rows) and area. A
// ticket counts in every area that raised it, its merged repeats' and
// votes' included, as the most-voted table names them; the total counts
// each ticket once.
Json ThemesByArea(const Config& config, const DevelopmentGroupData& d) {
  const std::vector<const Area*> areas = config.Forums();
  std::vector<std::vector<std::string>> ticket_areas;
  for (const Ticket& t : d.year_tickets) {
    ticket_areas.push_back(internal::TicketAreas(config, t, d.all_forums));
  }
  Json theme_rows = Json::array();
  for (const std::string& theme : config.board.themes) {
    auto has_theme = [&](const Ticket& t) {
      return std::find(t.themes.begin(), t.themes.end(), theme) !=
             t.themes.end();
    };
    Json cells = Json::array();
    int total = 0, area_count = 0;
    for (const Ticket& t : d.year_tickets) total += has_theme(t) ? 1 : 0;
    for (const Area* a : areas) {
      int n = 0;
      for (size_t i = 0; i < d.year_tickets.size(); ++i) {
        const std::vector<std::string>& in = ticket_areas[i];
        if (has_theme(d.year_tickets[i]) &&
            std::find(in.begin(), in.end(), a->name) != in.end()) {
          ++n;
        }
      }
      area_count += n > 0 ? 1 : 0;
      cells.push_back({{"area", a->name}, {"count", n}});
    }
    if (total == 0) continue;
    theme_rows.push_back({{"theme", internal::ThemeLabel(theme)},
                          {"cells", std::move(cells)},
                          {"total", total},
                          {"area_count", area_count},
                          {"several_areas", area_count >= 2}});
  }
  return theme_rows;
}

// Attendance of the year's forums by round and format; rounds without a
// forum left out.
Json AttendanceByRound(const Config& config, const DevelopmentGroupData& d) {
  Json by_round = Json::array();
  for (int r = 1; r <= 4; ++r) {
    std::vector<ForumRecord> round_forums;
    for (const ForumRecord& f : d.year_forums) {
      if (RoundOfDate(config, f.held_on) ==
          std::make_pair(d.quarter.plan_year, r)) {
        round_forums.push_back(f);
      }
    }
    if (round_forums.empty()) continue;
    for (Json row : ByFormat(round_forums)) {
      row["round"] = "Round " + std::to_string(r);
      by_round.push_back(std::move(row));
    }
  }
  return by_round;
}

// The tickets whose answer a forum disputed, with that dispute.
Json DisputedRows(const Config& config, const DevelopmentGroupData& d) {
  Json disputed = Json::array();
  for (const auto& [t, v] : d.disputed) {
    Json item = TicketRow(config, t, d.all_forums);
    item["dispute"] = internal::VerdictView(config, v);
    item["answered_on"] = LongDate(v.answered_on);
    disputed.push_back(std::move(item));
  }
  return disputed;
}

// Each team's verdicts, counted and as whole percents.
Json VerdictsByTeam(const DevelopmentGroupData& d) {
  auto percent = [](int n, int of) {
    return std::to_string(static_cast<int>(std::lround(100.0 * n / of))) + "%";
  };
  Json verdicts_by_team = Json::array();
  for (const auto& [team, c] : d.verdicts_by_team) {
    const int all = c.confirmed + c.not_yet + c.disputed;
    verdicts_by_team.push_back({{"name", team},
                                {"verdicts", all},
                                {"confirmed", c.confirmed},
                                {"not_yet", c.not_yet},
                                {"disputed", c.disputed},
                                {"confirmed_rate", percent(c.confirmed, all)},
                                {"not_yet_rate", percent(c.not_yet, all)},
                                {"disputed_rate", percent(c.disputed, all)}});
  }
  return verdicts_by_team;
}

Json DevelopmentGroupView(const Config& config, const DevelopmentGroupData& d) {
  Json area_names = Json::array();
  for (const Area* a : config.Forums()) {
    area_names.push_back({{"name", a->name}});
  }
  const Json theme_rows = ThemesByArea(config, d);
  Json by_team = Json::array();
  for (const SlaGroup& g : d.sla.by_team) by_team.push_back(SlaGroupJson(g));
  const Json verdicts_by_team = VerdictsByTeam(d);
  const Quarter& q = d.quarter;
  auto [y1, m1] = RoundMonth(config, q.plan_year, 1, 1);
  Json view = internal::QuarterHeading(config, q);
  view.update(Json{
      {"meeting_date", LongDate(d.meeting)},
      {"as_of", LongDate(d.as_of)},
      {"early", d.as_of < d.meeting},
      {"year_from", MonthName(m1) + " " + std::to_string(y1)},
      {"most_voted", MostVotedRows(config, d)},
      {"has_most_voted", !d.most_voted.empty()},
      {"areas", area_names},
      {"themes", theme_rows},
      {"has_themes", !theme_rows.empty()},
      {"year_ticket_count", static_cast<int>(d.year_tickets.size())},
      {"agreed_time", internal::AgreedTimeText(config)},
      {"response_overall", SlaGroupJson(d.sla.overall)},
      {"response_by_team", by_team},
      {"has_response_by_team", !by_team.empty()},
      {"attendance_by_format", ByFormat(d.year_forums)},
      {"attendance_by_round", AttendanceByRound(config, d)},
      {"has_attendance", !d.year_forums.empty()},
      {"forum_count", static_cast<int>(d.year_forums.size())},
      {"disputed", DisputedRows(config, d)},
      {"has_disputed", !d.disputed.empty()},
      {"disputed_count", static_cast<int>(d.disputed.size())},
      {"verdicts_by_team", verdicts_by_team},
      {"has_verdicts", !verdicts_by_team.empty()},
  });
  return view;
}

DevelopmentGroupData ExampleDevelopmentGroup(const Config& config) {
  DevelopmentGroupData d;
  d.quarter = {2027, 1};
  d.meeting = d.as_of = d.year_start = Date(2027, 1, 1);
  Ticket t;
  t.id = 1;
  t.area = config.Forums().empty() ? "" : config.Forums()[0]->slug;
  t.themes = {config.board.themes.empty() ? "other" : config.board.themes[0]};
  t.raised_on = d.as_of;
  ForumVerdict v;
  v.area = t.area;
  v.held_on = v.answered_on = d.as_of;
  v.verdict = Verdict::kDisputed;
  t.verdicts = {v};
  d.most_voted = d.year_tickets = {t};
  d.disputed = {{t, v}};
  d.verdicts_by_team["team"].disputed = 1;
  SlaGroup g;
  g.key = "team";
  d.sla.by_team = {g};
  ForumRecord f;
  f.id = 1;
  f.held_on = d.as_of;
  d.year_forums = {f};
  return d;
}

Json ShapeOf(const Json& example) {
  Json shape = ViewShape(example);
  return shape;
}

// report.md and report.html from the templates NAME.md.mustache and
// NAME.html.mustache, each checked against `shape`.
std::map<std::string, std::string> RenderReportPages(
    const ReportOptions& options, const std::string& name, const Json& view,
    const Json& shape) {
  return {
      {"report.md", RenderTemplate(options.templates, name + ".md.mustache",
                                   view, Escaping::kMarkdown, shape)},
      {"report.html", RenderTemplate(options.templates, name + ".html.mustache",
                                     view, Escaping::kHtml, shape)}};
}

}  // namespace

Month ParseMonth(const std::string& text) {
  static const std::regex kPattern("([0-9]{4})-([0-9]{2})");
  std::smatch m;
  if (!std::regex_match(text, m, kPattern) || std::stoi(m[2].str()) < 1 ||
      std::stoi(m[2].str()) > 12) {
    ThrowInvalid("month '" + text + "' is not like 2027-03 (year-month)");
  }
  return Month{std::stoi(m[1].str()), std::stoi(m[2].str())};
}

nlohmann::json BuildMonthlyReportView(const Config& config, const Board& board,
                                      const Month& month, Date today,
                                      const ReportOptions& options) {
  return MonthlyView(config,
                     GatherMonthly(config, board, month, today, options));
}

nlohmann::json MonthlyReportViewShape(const Config& config) {
  return ShapeOf(MonthlyView(config, ExampleMonthly(config)));
}

std::map<std::string, std::string> RenderMonthlyReport(
    const Config& config, const nlohmann::json& view,
    const ReportOptions& options) {
  std::map<std::string, std::string> files = RenderReportPages(
      options, "report-monthly", view, MonthlyReportViewShape(config));
  files["new-tickets.csv"] =
      CsvOf(view.at("raised"), {{"number", "ticket"},
                                {"raised_on_iso", "raised_on"},
                                {"title", "title"},
                                {"areas", "areas"},
                                {"themes", "themes"},
                                {"team", "team"},
                                {"votes", "votes"},
                                {"state", "state"}});
  files["due.csv"] = CsvOf(view.at("due"), {{"number", "ticket"},
                                            {"title", "title"},
                                            {"team", "team"},
                                            {"areas", "areas"},
                                            {"status", "status"},
                                            {"due_iso", "answer_due"},
                                            {"working_days", "working_days"}});
  files["attendance.csv"] =
      CsvOf(view.at("forums"),
            {{"name", "forum"},
             {"date_iso", "date"},
             {"area", "area"},
             {"format", "format"},
             {"service_users", "service_users"},
             {"carers", "carers"},
             {"staff", "trust_staff"},
             {"governors", "governors"},
             {"others", "others"},
             {"total", "total"},
             {"below_minimum", "below_two_service_users_or_carers"},
             {"apologies", "staff_apologies"}});
  return files;
}

nlohmann::json BuildDevelopmentGroupView(const Config& config,
                                         const Board& board, const Plan& plan,
                                         const Quarter& q, Date today,
                                         const ReportOptions& options) {
  return DevelopmentGroupView(
      config, GatherDevelopmentGroup(config, board, plan, q, today, options));
}

nlohmann::json DevelopmentGroupViewShape(const Config& config) {
  return ShapeOf(DevelopmentGroupView(config, ExampleDevelopmentGroup(config)));
}

std::map<std::string, std::string> RenderDevelopmentGroupReport(
    const Config& config, const nlohmann::json& view,
    const ReportOptions& options) {
  std::map<std::string, std::string> files =
      RenderReportPages(options, "report-development-group", view,
                        DevelopmentGroupViewShape(config));
  files["most-voted.csv"] =
      CsvOf(view.at("most_voted"), {{"number", "ticket"},
                                    {"votes", "votes"},
                                    {"title", "title"},
                                    {"areas", "areas"},
                                    {"themes", "themes"},
                                    {"team", "team"},
                                    {"state", "state"},
                                    {"raised_on_iso", "raised_on"}});
  // Themes by area: one column per area.
  {
    std::vector<std::vector<std::string>> rows;
    std::vector<std::string> header = {"theme"};
    for (const Json& a : view.at("areas")) {
      header.push_back(a.at("name").get<std::string>());
    }
    header.push_back("total");
    rows.push_back(header);
    for (const Json& t : view.at("themes")) {
      std::vector<std::string> cells = {t.at("theme").get<std::string>()};
      for (const Json& c : t.at("cells")) cells.push_back(c.at("count").dump());
      cells.push_back(t.at("total").dump());
      rows.push_back(std::move(cells));
    }
    files["themes-by-area.csv"] = RenderCsv(rows);
  }
  Json teams = view.at("response_by_team");
  files["response-times-by-team.csv"] =
      CsvOf(teams, {{"name", "team"},
                    {"tickets", "tickets"},
                    {"open", "open"},
                    {"answered", "answered"},
                    {"answered_on_time", "answered_on_time"},
                    {"median_days", "median_working_days_to_answer"},
                    {"breached", "breached"},
                    {"due_soon", "due_soon"},
                    {"disputed", "disputed"},
                    {"missed_acknowledge", "sent_to_trust_late"}});
  files["verdicts-by-team.csv"] =
      CsvOf(view.at("verdicts_by_team"), {{"name", "team"},
                                          {"verdicts", "verdicts"},
                                          {"confirmed", "confirmed"},
                                          {"not_yet", "not_yet"},
                                          {"disputed", "disputed"}});
  auto columns = kAttendanceColumns;
  columns.insert(columns.begin(), {"format", "format"});
  columns.insert(columns.begin(), {"round", "round"});
  files["attendance-by-format.csv"] =
      CsvOf(view.at("attendance_by_round"), columns);
  return files;
}

}  // namespace focus
