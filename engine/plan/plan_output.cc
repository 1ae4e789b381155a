#include "focus/plan_output.h"

#include <cstdlib>
#include <nlohmann/json.hpp>
#include <sstream>

#include "focus/error.h"
#include "focus/ical_export.h"
#include "focus/text.h"

namespace focus {
namespace {

using Json = nlohmann::ordered_json;

Json EventJson(const Event& e) {
  Json j;
  j["id"] = e.id;
  j["uid"] = e.uid;
  j["kind"] = EventKindName(e.kind);
  j["year"] = e.plan_year;
  j["round"] = e.round;
  if (e.lookahead) j["lookahead"] = true;
  j["title"] = e.title;
  if (e.kind == EventKind::kForum) {
    j["area"] = e.area;
    j["area_slug"] = e.area_slug;
    j["evening"] = e.evening;
    j["format"] = FormatName(*e.format);
  }
  if (e.start) {
    j["start"] = FormatIsoLocal(e.date, *e.start);
    j["end"] = FormatIsoLocal(e.date, e.end());
  } else {
    j["all_day"] = true;
    j["start"] = FormatIsoLocal(e.date, TimeOfDay{0});
    j["end"] = FormatIsoLocal(e.date + boost::gregorian::days(1), TimeOfDay{0});
  }
  if (e.venue) {
    j["venue"] = {{"name", e.venue->name},
                  {"address", e.venue->address},
                  {"features", e.venue->features}};
    if (!e.venue->notes.empty()) j["venue"]["notes"] = e.venue->notes;
  }
  if (!e.joining_link.empty()) j["joining_link"] = e.joining_link;
  j["status"] = e.cancelled ? "cancelled" : "confirmed";
  j["sequence"] = e.sequence;
  if (!e.change_reason.empty()) j["change_reason"] = e.change_reason;
  if (!e.warnings.empty()) j["warnings"] = e.warnings;
  j["description"] = e.description;
  return j;
}

// Pads `text` to `width` display columns, with at least one space after.
std::string Pad(const std::string& text, size_t width) {
  return DisplayWidth(text) >= width ? text + " " : PadToWidth(text, width);
}

std::string WhenText(const Event& e) {
  if (!e.start) return "all day";
  return FormatTimeOfDay(*e.start) + "-" + FormatTimeOfDay(e.end());
}

std::string WhereText(const Event& e) {
  if (e.venue) return e.venue->name;
  if (!e.joining_link.empty()) return "online: " + e.joining_link;
  return "";
}

std::string FormatText(const Event& e) {
  return e.format ? FormatName(*e.format) : "";
}

void TableRow(std::ostringstream& out, const Event& e) {
  std::string title = e.title;
  if (e.cancelled) title = "CANCELLED: " + title;
  std::string row = "  " + Pad(FormatHumanDate(e.date), 17) +
                    Pad(WhenText(e), 13) + Pad(title, 54) +
                    Pad(FormatText(e), 11) + WhereText(e);
  row.erase(row.find_last_not_of(' ') + 1);
  out << row << "\n";
  if (!e.change_reason.empty()) {
    out << "  " << std::string(30, ' ')
        << (e.cancelled ? "reason: " : "changed: ") << e.change_reason << "\n";
  }
  for (const std::string& w : e.warnings) {
    out << "  " << std::string(30, ' ') << "WARNING (forced): " << w << "\n";
  }
}

void TableHeader(std::ostringstream& out) {
  out << "  " << Pad("Date", 17) << Pad("Time", 13) << Pad("Event", 54)
      << Pad("Format", 11) << "Where\n";
}

std::string RoundHeading(const Config& config, int plan_year, int round) {
  auto [year, month] = RoundMonth(config, plan_year, round, 1);
  auto [end_year, end_month] = RoundMonth(config, plan_year, round, 3);
  return "Round " + std::to_string(round) + " of " + std::to_string(plan_year) +
         ": " + MonthName(month) + " " + std::to_string(year) + " to " +
         MonthName(end_month) + " " + std::to_string(end_year);
}

}  // namespace

std::time_t CalendarTimestamp(const Config& config, int year) {
  if (const char* epoch = std::getenv("SOURCE_DATE_EPOCH")) {
    char* end = nullptr;
    long long value = std::strtoll(epoch, &end, 10);
    if (end == epoch || *end != '\0' || value < 0) {
      ThrowInvalid("SOURCE_DATE_EPOCH='" + std::string(epoch) +
                   "' is not a number of seconds");
    }
    return static_cast<std::time_t>(value);
  }
  if (config.dtstamp) return *config.dtstamp;
  return LondonToUnix(Date(year, 1, 1), TimeOfDay{0});
}

std::string RenderPlanJson(const Config& config, const Plan& plan) {
  Json j;
  j["year"] = plan.year;
  j["series"] = config.series_name;
  j["organisation"] = config.organisation;
  j["timezone"] = "Europe/London";
  j["events"] = Json::array();
  j["lookahead"] = Json::array();
  for (const Event& e : plan.events) {
    (e.lookahead ? j["lookahead"] : j["events"]).push_back(EventJson(e));
  }
  j["warnings"] = plan.warnings;
  return j.dump(2) + "\n";
}

std::string RenderPlanTable(const Config& config, const Plan& plan) {
  std::ostringstream out;
  out << config.series_name << ": plan for " << plan.year << "\n";
  out << "Times are Europe/London. Forum ids (for `focus change`) are in "
         "plan.json.\n";
  for (int round = 1; round <= 4; ++round) {
    out << "\n" << RoundHeading(config, plan.year, round) << "\n";
    TableHeader(out);
    for (const Event& e : plan.events) {
      if (!e.lookahead && e.round == round) TableRow(out, e);
    }
  }
  out << "\nLook-ahead: the first two rounds of " << plan.year + 1
      << " (advertised in this year's last newsletter; part of the "
      << plan.year + 1 << " plan)\n";
  TableHeader(out);
  for (const Event& e : plan.events) {
    if (e.lookahead) TableRow(out, e);
  }
  if (!plan.warnings.empty()) {
    out << "\nWarnings:\n";
    for (const std::string& w : plan.warnings) out << "  - " << w << "\n";
  }
  return out.str();
}

std::map<std::string, std::string> RenderPlanFiles(const Config& config,
                                                   const Plan& plan) {
  const std::string year = std::to_string(plan.year);
  CalendarOptions options;
  options.dtstamp = CalendarTimestamp(config, plan.year);

  std::vector<const Event*> forums;
  std::vector<const Event*> internal;
  for (const Event& e : plan.events) {
    if (e.lookahead) continue;
    internal.push_back(&e);
    if (e.kind == EventKind::kForum) forums.push_back(&e);
  }

  std::map<std::string, std::string> files;
  files["plan.json"] = RenderPlanJson(config, plan);
  options.name = config.series_name + " " + year;
  files["calendar.ics"] = RenderCalendar(forums, options);
  options.name = config.series_name + " " + year + " (internal)";
  files["internal.ics"] = RenderCalendar(internal, options);
  for (const Area& area : config.areas) {
    std::vector<const Event*> mine;
    for (const Event* e : forums) {
      if (e->area_slug == area.slug || e->evening) mine.push_back(e);
    }
    options.name = config.series_name + " " + year + ": " + area.name;
    files["areas/" + area.slug + ".ics"] = RenderCalendar(mine, options);
  }
  return files;
}

void WritePlanFiles(FileSystem& fs, const Config& config, const Plan& plan,
                    const std::string& out_dir) {
  std::map<std::string, std::string> files;
  for (auto& [name, content] : RenderPlanFiles(config, plan)) {
    files[out_dir + "/" + name] = std::move(content);
  }
  fs.WriteFilesAtomically(files);
}

}  // namespace focus
