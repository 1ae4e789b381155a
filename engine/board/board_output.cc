#include "focus/board_output.h"

#include <nlohmann/json.hpp>
#include <sstream>

#include "focus/sla.h"
#include "focus/text.h"

namespace focus {
namespace {

using Json = nlohmann::ordered_json;

std::string OptionalDate(const std::optional<Date>& d) {
  return d ? FormatIsoDate(*d) : "";
}

// The response-time status in a few words, e.g. "due Fri 5 Feb 2027 (3
// working days left)".
std::string SlaText(const TicketSla& sla) {
  std::string due = "due " + FormatHumanDate(sla.answer_due);
  switch (sla.status) {
    case SlaStatus::kAnsweredOnTime:
      return "answered within the agreed time (" + due + ")";
    case SlaStatus::kAnsweredLate:
      return "answered late (was " + due + ")";
    case SlaStatus::kBreached:
      return "OVERDUE: was " + due + " (" +
             std::to_string(-sla.working_days_left.value_or(0)) +
             " working days late)";
    case SlaStatus::kDueSoon:
    case SlaStatus::kOnTime: {
      // While paused the due date moves on each working day; the days left
      // do not.
      if (sla.paused) {
        return "PAUSED: waiting for the forum, " +
               std::to_string(sla.working_days_left.value_or(0)) +
               " working days left when it answers";
      }
      std::string text = due + " (" +
                         std::to_string(sla.working_days_left.value_or(0)) +
                         " working days left)";
      if (sla.status == SlaStatus::kDueSoon) text = "DUE SOON: " + text;
      return text;
    }
  }
  return due;
}

Json SlaJson(const TicketSla& sla) {
  Json j;
  j["status"] = SlaStatusName(sla.status);
  j["acknowledge_due"] = FormatIsoDate(sla.acknowledge_due);
  j["acknowledged"] = sla.acknowledged;
  j["acknowledged_late"] = sla.acknowledged_late;
  j["missed_acknowledge"] = sla.missed_acknowledge;
  j["disputed"] = sla.disputed;
  j["clock_from"] = FormatIsoDate(sla.clock_from);
  j["answer_due"] = FormatIsoDate(sla.answer_due);
  j["paused"] = sla.paused;
  if (sla.working_days_left) j["working_days_left"] = *sla.working_days_left;
  if (sla.working_days_to_answer) {
    j["working_days_to_answer"] = *sla.working_days_to_answer;
  }
  j["newsletter_deadline"] = FormatIsoDate(sla.newsletter_deadline);
  j["misses_newsletter"] = sla.misses_newsletter;
  return j;
}

Json TicketJson(const Config& config, const HolidayCalendar& holidays,
                const Ticket& t, Date as_of) {
  Json j;
  j["id"] = t.id;
  j["title"] = t.title;
  j["details"] = t.details;
  j["area"] = config.AreaName(t.area);
  j["area_slug"] = t.area;
  j["themes"] = t.themes;
  j["team"] = t.team;
  j["state"] = TicketStateName(t.state);
  j["state_label"] = TicketStateLabel(t.state);
  j["raised_on"] = FormatIsoDate(t.raised_on);
  j["raised_by"] = t.raised_by;
  j["votes"] = t.votes;
  j["forum_ids"] = t.forum_ids;
  if (t.sent_on) j["sent_on"] = FormatIsoDate(*t.sent_on);
  if (!t.answer.empty()) {
    j["answer"] = t.answer;
    j["answered_by"] = t.answered_by;
    j["answered_on"] = OptionalDate(t.answered_on);
  }
  if (!t.decline_reason.empty()) {
    j["decline_reason"] = t.decline_reason;
    j["declined_on"] = OptionalDate(t.declined_on);
  }
  if (t.merged_into) j["merged_into"] = *t.merged_into;
  if (t.reopened_on) j["reopened_on"] = FormatIsoDate(*t.reopened_on);
  j["verdicts"] = Json::array();
  for (const ForumVerdict& v : t.verdicts) {
    j["verdicts"].push_back({{"forum_id", v.forum_id},
                             {"area", config.AreaName(v.area)},
                             {"held_on", FormatIsoDate(v.held_on)},
                             {"verdict", VerdictName(v.verdict)},
                             {"note", v.note},
                             {"answered_on", FormatIsoDate(v.answered_on)}});
  }
  if (t.state != TicketState::kMerged && as_of >= t.raised_on) {
    j["response_time"] = SlaJson(ComputeSla(config, holidays, t, as_of));
  }
  return j;
}

}  // namespace

std::string RenderTicketText(const Config& config, const Ticket& t,
                             const std::vector<HistoryEntry>& history,
                             Date as_of) {
  std::ostringstream out;
  out << "#" << t.id << "  " << t.title << "\n";
  out << "  State:     " << TicketStateName(t.state) << " ("
      << TicketStateLabel(t.state) << ")\n";
  out << "  Area:      " << config.AreaName(t.area) << "\n";
  out << "  Themes:    " << Join(t.themes, ", ") << "\n";
  out << "  For:       " << t.team << "\n";
  out << "  Raised:    " << FormatHumanDate(t.raised_on) << " by "
      << t.raised_by << (t.raised_by == 1 ? " person" : " people");
  if (t.forum_id) out << " at forum #" << *t.forum_id;
  out << "\n";
  out << "  Votes:     " << t.votes << "\n";
  if (t.forum_ids.size() > 1) {
    std::vector<std::string> ids;
    for (int64_t id : t.forum_ids) ids.push_back("#" + std::to_string(id));
    out << "  Forums:    " << Join(ids, ", ") << "\n";
  }
  if (t.merged_into) out << "  Merged into #" << *t.merged_into << "\n";
  if (t.state != TicketState::kMerged && as_of >= t.raised_on) {
    TicketSla sla = ComputeSla(config, config.MakeHolidayCalendar(), t, as_of);
    out << "  Response:  " << SlaText(sla) << "\n";
    if (sla.misses_newsletter && !t.answered_on && !t.declined_on) {
      out << "  Note:      the agreed time runs past this quarter's newsletter "
             "copy deadline ("
          << FormatHumanDate(sla.newsletter_deadline) << ")\n";
    }
  }
  if (!t.details.empty()) out << "\n  Details:\n    " << t.details << "\n";
  if (!t.answer.empty()) {
    out << "\n  Trust answer (" << t.answered_by;
    if (t.answered_on) out << ", " << FormatHumanDate(*t.answered_on);
    out << "):\n    " << t.answer << "\n";
  }
  if (!t.verdicts.empty()) {
    out << "\n  Forum verdicts:\n";
    for (const ForumVerdict& v : t.verdicts) {
      out << "    " << FormatHumanDate(v.held_on) << "  forum #" << v.forum_id
          << " (" << config.AreaName(v.area) << "): " << VerdictName(v.verdict)
          << (v.note.empty() ? "" : ": " + v.note) << "\n";
    }
  }
  if (t.reopened_on) {
    out << "  Reopened:  " << FormatHumanDate(*t.reopened_on)
        << " (a forum disputed the answer)\n";
  }
  if (!t.decline_reason.empty()) {
    out << "\n  Declined: " << t.decline_reason << "\n";
  }
  out << "\n  History:\n";
  for (const HistoryEntry& h : history) {
    out << "    " << h.at << "  " << h.actor << "  ";
    if (h.ticket_id != t.id) out << "(#" << h.ticket_id << ") ";
    out << h.field;
    if (!h.old_value.empty() || !h.new_value.empty()) {
      out << ": " << (h.old_value.empty() ? "-" : h.old_value) << " -> "
          << (h.new_value.empty() ? "-" : h.new_value);
    }
    if (!h.note.empty()) out << "  (" << h.note << ")";
    out << "\n";
  }
  return out.str();
}

std::string RenderTicketJson(const Config& config, const Ticket& t,
                             const std::vector<HistoryEntry>& history,
                             Date as_of) {
  Json j = TicketJson(config, config.MakeHolidayCalendar(), t, as_of);
  j["history"] = Json::array();
  for (const HistoryEntry& h : history) {
    j["history"].push_back({{"ticket_id", h.ticket_id},
                            {"at", h.at},
                            {"actor", h.actor},
                            {"field", h.field},
                            {"old", h.old_value},
                            {"new", h.new_value},
                            {"note", h.note}});
  }
  return j.dump(2) + "\n";
}

std::string RenderTicketListText(const Config& config,
                                 const std::vector<Ticket>& tickets,
                                 Date as_of) {
  if (tickets.empty()) return "No tickets match.\n";
  std::ostringstream out;
  char line[160];
  std::snprintf(line, sizeof line, "%6s %6s  %-18s %-12s %s\n", "#", "votes",
                "state", "due", "title (area; team)");
  out << line;
  const HolidayCalendar holidays = config.MakeHolidayCalendar();
  for (const Ticket& t : tickets) {
    std::string due = "-";
    if (t.state != TicketState::kMerged && as_of >= t.raised_on) {
      TicketSla sla = ComputeSla(config, holidays, t, as_of);
      due = FormatIsoDate(sla.answer_due);
      if (sla.status == SlaStatus::kBreached) due += "!";
      if (sla.status == SlaStatus::kDueSoon) due += "*";
      if (sla.paused && sla.working_days_left) {
        due = "paused " + std::to_string(*sla.working_days_left) + "d";
      }
    }
    std::snprintf(line, sizeof line, "%6lld %6d  %-18s %-12s ",
                  static_cast<long long>(t.id), t.votes,
                  TicketStateName(t.state), due.c_str());
    out << line << t.title << " (" << config.AreaName(t.area) << "; " << t.team
        << ")\n";
  }
  out << "Due: ! overdue, * due soon, paused Nd: waiting for the forum with N "
         "working days left. "
      << tickets.size() << (tickets.size() == 1 ? " ticket.\n" : " tickets.\n");
  return out.str();
}

std::string RenderTicketListJson(const Config& config,
                                 const std::vector<Ticket>& tickets,
                                 Date as_of) {
  const HolidayCalendar holidays = config.MakeHolidayCalendar();
  Json list = Json::array();
  for (const Ticket& t : tickets) {
    list.push_back(TicketJson(config, holidays, t, as_of));
  }
  return list.dump(2) + "\n";
}

std::string RenderForumListText(const Config& config,
                                const std::vector<ForumRecord>& forums) {
  if (forums.empty()) return "No forums recorded.\n";
  std::ostringstream out;
  for (const ForumRecord& f : forums) {
    const Attendance& a = f.attendance;
    out << "#" << f.id << "  " << FormatHumanDate(f.held_on) << "  "
        << config.AreaName(f.area) << " (" << FormatName(f.format) << ")";
    if (!f.plan_id.empty()) out << "  " << f.plan_id;
    if (!f.title.empty()) out << "  " << f.title;
    out << "\n    service users " << a.service_users << ", carers " << a.carers
        << ", Trust staff " << a.trust_staff << ", governors " << a.governors
        << ", others " << a.others << "\n";
    if (!f.apologies.empty()) {
      out << "    apologies: " << Join(f.apologies, ", ") << "\n";
    }
    if (f.BelowInvolvementMinimum()) {
      out << "    FLAG: fewer than two service users or carers present\n";
    }
  }
  return out.str();
}

std::string RenderForumListJson(const Config& config,
                                const std::vector<ForumRecord>& forums) {
  Json list = Json::array();
  for (const ForumRecord& f : forums) {
    const Attendance& a = f.attendance;
    Json j;
    j["id"] = f.id;
    j["plan_id"] = f.plan_id;
    j["area"] = config.AreaName(f.area);
    j["area_slug"] = f.area;
    j["held_on"] = FormatIsoDate(f.held_on);
    j["format"] = FormatName(f.format);
    j["title"] = f.title;
    j["attendance"] = {{"service_users", a.service_users},
                       {"carers", a.carers},
                       {"trust_staff", a.trust_staff},
                       {"governors", a.governors},
                       {"others", a.others}};
    j["apologies"] = f.apologies;
    j["below_involvement_minimum"] = f.BelowInvolvementMinimum();
    list.push_back(j);
  }
  return list.dump(2) + "\n";
}

}  // namespace focus
