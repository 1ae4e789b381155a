// The response-time report as text (aligned tables for a terminal) and JSON.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "focus/sla.h"
#include "focus/text.h"
#include "sla_internal.h"

namespace focus {
namespace sla_internal {

std::string Plural(int n, const std::string& one, const std::string& many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

std::string WorkingDaysText(int n) {
  return Plural(n, "working day", "working days");
}

}  // namespace sla_internal

namespace {

using Json = nlohmann::ordered_json;
using sla_internal::Plural;
using sla_internal::WorkingDaysText;

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

// The open tickets sent to the Trust late, or not yet and past the time.
std::string SentLateTable(const std::vector<SlaLine>& lines) {
  std::vector<std::vector<std::string>> rows;
  for (const SlaLine& l : lines) {
    rows.push_back({"#" + std::to_string(l.ticket.id),
                    FitWidth(l.ticket.title, 40), TeamName(l.ticket.team),
                    FormatHumanDate(l.sla.acknowledge_due),
                    !l.sla.acknowledged ? "not sent yet"
                    : l.ticket.sent_on  ? FormatHumanDate(*l.ticket.sent_on)
                                        : "answered without being sent"});
  }
  return RenderTable({{"Ticket"}, {"Title"}, {"Team"}, {"Send due"}, {"Sent"}},
                     rows);
}

// The agreed times of the configuration, default first.
std::string AgreedTimesSection(const BoardOptions& board) {
  std::ostringstream out;
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
      << " or fewer are left.\n";
  return out.str();
}

std::string OverallSection(const SlaGroup& all) {
  std::ostringstream out;
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
  return out.str();
}

// A table each by team, area, theme and round, and what the columns mean.
std::string GroupSections(const Config& config, const SlaReport& report) {
  std::ostringstream out;
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
  return out.str();
}

// The breached, due-soon and sent-late tickets.
std::string ListSections(const BoardOptions& board, const SlaReport& report) {
  std::ostringstream out;
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
    out << SentLateTable(report.missed_acknowledge);
  }
  return out.str();
}

std::string WarningsSection(const std::vector<std::string>& warnings) {
  std::ostringstream out;
  out << "\nWarnings (" << warnings.size() << ")\n";
  if (warnings.empty()) out << "  None.\n";
  for (const std::string& w : warnings) out << Wrap(w, "  - ", "    ");
  return out.str();
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

std::string RenderSlaReportText(const Config& config, const SlaReport& report) {
  const BoardOptions& board = config.board;
  std::ostringstream out;
  out << "Agreed response times: feedback board as of "
      << FormatHumanDate(report.as_of) << "\n\n";
  out << AgreedTimesSection(board) << "\n";
  out << OverallSection(report.overall);
  out << GroupSections(config, report);
  out << ListSections(board, report);
  out << WarningsSection(report.warnings);
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
