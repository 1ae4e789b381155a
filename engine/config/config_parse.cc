#include <arpa/inet.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <exception>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "config_internal.h"
#include "focus/calendar_rules.h"
#include "focus/config.h"
#include "focus/error.h"
#include "focus/local_time.h"
#include "focus/text.h"
#include "focus/ticket_state.h"
#include "yaml_reader.h"

namespace focus::config_internal {
namespace {

// Meeting parts and durations must fit comfortably in a day; 240 minutes
// (four hours) for a single part is certainly a typo.
constexpr int kMaxDurationMinutes = 239;
// A month has at least 18 working days (e.g. April with Easter in it), so
// these working-day numbers exist in every month.
constexpr int kMaxWorkingDayOfMonth = 18;

bool Contains(const std::vector<std::string>& items, const std::string& s) {
  return std::find(items.begin(), items.end(), s) != items.end();
}

// Reads one whole configuration. Sections are read in dependency order
// (areas before the rotation table that names them), and each rule between
// sections runs as soon as the sections it looks at are read, so the first
// mistake in that order is the one reported.
class ConfigReader {
 public:
  explicit ConfigReader(const std::string& source)
      : p_(source), names_(source) {
    config_.source = source;
  }

  Config Read(const YAML::Node& root);

 private:
  void ReadOrganisation(const Value& v);
  void ReadCalendar(const Value& v);
  void ReadYear(const Value& v);
  void ReadHolidays(const Value& v);
  void ReadTimes(const Value& v);
  void ReadMeeting(const Value& v);
  void ReadVenueRules(const Value& v);
  void ReadVirtual(const Value& v);
  void ReadForumIdentity(const Fields& f, const std::string& label, Area* area);
  void ReadAreaAliases(const Value& v, const std::string& label, Area* area);
  void ReadAreas(const Value& v);
  Venue ReadVenue(const Value& v, const std::string& area_path,
                  const std::string& area_name);
  void ReadEveningForum(const Value& v);
  void ReadRotation(const std::optional<Value>& v, const Value& areas);
  std::vector<std::vector<std::string>> ReadRotationTable(const Value& v);
  void ReadDevelopmentGroup(const Value& v);
  void ReadBoardReport(const Value& v);
  void ReadNewsletter(const Value& v);
  void ReadBoard(const Value& v);
  void ReadServer(const Value& v);
  void ReadReminders(const Fields& f);
  std::string Address(const Value& v);
  std::vector<std::string> ReadNames(
      const Value& v, const std::string& what, const std::string& example,
      std::map<std::string, std::vector<std::string>>* aliases);
  void ReadResponseTimes(const Value& v);
  std::map<std::string, SlaRule> ReadSlaOverrides(
      const Value& v, const std::vector<std::string>& valid,
      const std::string& what);
  SlaRule ReadSlaRule(const Fields& f, const SlaRule& base,
                      const std::string& inherited);
  void ReadTrelloLists(const Value& v);

  Parser p_;
  Config config_;
  ConfigLines lines_;
  UniqueNames names_;
};

Config ConfigReader::Read(const YAML::Node& root) {
  if (!root.IsNull() && !root.IsMap()) {
    p_.Fail(LineOf(root, 1), "",
            "expected the configuration's sections (organisation:, "
            "areas:, ...), got " +
                Describe(root));
  }
  Fields top = p_.Map(
      Value{root, "", LineOf(root, 1)},
      {"organisation", "calendar", "year", "blackouts", "holidays", "times",
       "meeting", "rotation", "venues", "virtual", "areas", "evening_forum",
       "development_group", "board_report", "newsletter", "board", "server"});
  if (auto v = top.Get("organisation")) ReadOrganisation(*v);
  if (auto v = top.Get("calendar")) ReadCalendar(*v);
  if (auto v = top.Get("year")) ReadYear(*v);
  if (auto v = top.Get("blackouts")) config_.blackouts = p_.Ranges(*v);
  if (auto v = top.Get("holidays")) ReadHolidays(*v);
  if (auto v = top.Get("times")) ReadTimes(*v);
  if (auto v = top.Get("meeting")) ReadMeeting(*v);
  CheckMeetingsFitInADay(config_, lines_);
  if (auto v = top.Get("venues")) ReadVenueRules(*v);
  if (auto v = top.Get("virtual")) ReadVirtual(*v);
  const Value areas = top.Require("areas", "the list of place-based areas");
  ReadAreas(areas);
  ReadEveningForum(
      top.Require("evening_forum", "the Surrey-wide evening forum"));
  names_.CheckAliasesAgainstLaterForums();
  ReadRotation(top.Get("rotation"), areas);
  CheckDefaultRotationFitsAreas(config_, lines_);
  if (auto v = top.Get("development_group")) ReadDevelopmentGroup(*v);
  if (auto v = top.Get("board_report")) ReadBoardReport(*v);
  if (auto v = top.Get("newsletter")) ReadNewsletter(*v);
  if (auto v = top.Get("board")) ReadBoard(*v);
  if (auto v = top.Get("server")) ReadServer(*v);
  CheckVenuesHaveRequiredFeatures(config_, lines_);
  return std::move(config_);
}

void ConfigReader::ReadOrganisation(const Value& v) {
  Fields f = p_.Map(v, {"name", "series_name", "uid_domain", "contact"});
  if (auto x = f.Get("contact")) {
    config_.contact = p_.RequiredText(
        *x,
        "whom to ring, with the number, e.g. the FoCUS coordinator on "
        "01234 567890");
  }
  if (auto x = f.Get("name")) {
    config_.organisation = p_.RequiredText(*x, "the Trust's name");
  }
  if (auto x = f.Get("series_name")) {
    config_.series_name = p_.RequiredText(*x, "the name of the forums");
  }
  if (auto x = f.Get("uid_domain")) {
    const std::string domain = p_.Text(*x);
    if (domain.empty()) {
      p_.Fail(*x,
              "must not be empty (it ends every calendar event's id, "
              "e.g. focus.example.org)");
    }
    const bool ok =
        std::all_of(domain.begin(), domain.end(), [](unsigned char c) {
          return std::isalnum(c) || c == '.' || c == '-';
        });
    if (!ok) {
      p_.Fail(*x, Quote(domain) +
                      " is not a domain name (use letters, digits, dots "
                      "and hyphens, e.g. focus.example.org)");
    }
    config_.uid_domain = domain;
  }
}

void ConfigReader::ReadCalendar(const Value& v) {
  Fields f = p_.Map(v, {"dtstamp"});
  if (auto x = f.Get("dtstamp")) {
    config_.dtstamp = p_.Parsed(*x, ParseUtcTimestamp,
                                " is not a UTC timestamp (expected "
                                "YYYY-MM-DDTHH:MM:SSZ, e.g. "
                                "2026-11-01T00:00:00Z)");
  }
}

void ConfigReader::ReadYear(const Value& v) {
  Fields f = p_.Map(v, {"first_round_month", "window_days", "allow_weekends",
                        "max_forums_per_day"});
  if (auto x = f.Get("first_round_month")) {
    config_.first_round_month = p_.NumberBetween(*x, 1, 12);
  }
  if (auto x = f.Get("window_days")) {
    config_.window_days = p_.NumberBetween(*x, 1, 28);
  }
  if (auto x = f.Get("allow_weekends")) {
    config_.allow_weekends = p_.Boolean(*x);
  }
  if (auto x = f.Get("max_forums_per_day")) {
    const int n = p_.WholeNumber(*x);
    if (n < 1) p_.Fail(*x, "must be at least 1, got " + std::to_string(n));
    config_.max_forums_per_day = n;
  }
}

void ConfigReader::ReadHolidays(const Value& v) {
  Fields f = p_.Map(v, {"extra", "cancelled"});
  HolidayOverrides& holidays = config_.holidays;
  // Cancelled days first: an extra day may put back a cancelled rule day.
  // Each problem names its line here; the calendar would only name the day.
  if (auto x = f.Get("cancelled")) {
    for (const Value& item : p_.List(*x)) {
      const Date d = p_.IsoDate(item);
      const std::string problem = CancelledHolidayProblem(d);
      if (!problem.empty()) p_.Fail(item, problem);
      holidays.cancelled.push_back(d);
    }
  }
  if (auto x = f.Get("extra")) {
    for (const Value& item : p_.List(*x)) {
      Holiday h;
      if (item.node.IsMap()) {
        Fields hf = p_.Map(item, {"date", "name"});
        h.date = p_.IsoDate(hf.Require("date", "the day of the holiday"));
        if (auto name = hf.Get("name")) h.name = p_.Text(*name);
      } else {
        h.date = p_.IsoDate(item);
      }
      if (h.name.empty()) h.name = "Bank holiday";
      holidays.extra.push_back(h);
      const std::string problem =
          ExtraHolidayProblem(holidays, holidays.extra.size() - 1);
      if (!problem.empty()) p_.Fail(item, problem);
    }
  }
}

void ConfigReader::ReadTimes(const Value& v) {
  Fields f = p_.Map(v, {"daytime_slots", "evening_start"});
  if (auto x = f.Get("daytime_slots")) {
    std::vector<TimeOfDay> slots;
    for (const Value& item : p_.List(*x)) {
      const TimeOfDay t = p_.Time(item);
      if (std::find(slots.begin(), slots.end(), t) != slots.end()) {
        p_.Fail(item, Quote(FormatTimeOfDay(t)) + " is listed twice");
      }
      slots.push_back(t);
      lines_.daytime_slots.push_back(item.line);
    }
    if (slots.size() < 2) {
      p_.Fail(*x,
              "at least 2 different times are needed so that forums can "
              "alternate their time of day (got " +
                  std::to_string(slots.size()) + ")");
    }
    config_.daytime_slots = slots;
  }
  if (auto x = f.Get("evening_start")) {
    config_.evening_start = p_.Time(*x);
    const TimeOfDay latest = *std::max_element(config_.daytime_slots.begin(),
                                               config_.daytime_slots.end());
    if (!(latest < config_.evening_start)) {
      p_.Fail(*x, FormatTimeOfDay(config_.evening_start) +
                      " must be later than every daytime slot (the latest "
                      "is " +
                      FormatTimeOfDay(latest) + ")");
    }
    lines_.evening_start = x->line;
  }
}

void ConfigReader::ReadMeeting(const Value& v) {
  Fields f =
      p_.Map(v, {"pre_meeting_minutes", "part1_minutes", "online_break_minutes",
                 "social_minutes", "part2_minutes", "pals_clinic_minutes"});
  MeetingShape& m = config_.meeting;
  auto minutes = [&](const char* key, int* out) {
    if (auto x = f.Get(key)) {
      *out = p_.NumberBetween(*x, 0, kMaxDurationMinutes, "minutes");
    }
  };
  minutes("pre_meeting_minutes", &m.pre_meeting_minutes);
  minutes("part1_minutes", &m.part1_minutes);
  minutes("social_minutes", &m.social_minutes);
  minutes("part2_minutes", &m.part2_minutes);
  minutes("pals_clinic_minutes", &m.pals_clinic_minutes);
  if (auto x = f.Get("online_break_minutes")) {
    // The forum model gives the online break as 10-15 minutes.
    m.online_break_minutes = p_.NumberBetween(*x, 10, 15, "minutes");
  }
}

void ConfigReader::ReadVenueRules(const Value& v) {
  Fields f = p_.Map(v, {"required_features"});
  if (auto x = f.Get("required_features")) {
    std::vector<std::string> features;
    for (const Value& item : p_.List(*x)) {
      std::string feature = p_.Feature(item);
      if (std::find(features.begin(), features.end(), feature) ==
          features.end()) {
        features.push_back(feature);
      }
    }
    config_.required_venue_features = features;
  }
}

void ConfigReader::ReadVirtual(const Value& v) {
  Fields f = p_.Map(v, {"joining_link", "travel_note", "join_by_phone"});
  if (auto x = f.Get("join_by_phone")) {
    config_.join_by_phone = p_.Text(*x);
  }
  if (auto x = f.Get("joining_link")) {
    config_.default_joining_link = p_.Link(*x);
  }
  if (auto x = f.Get("travel_note")) config_.travel_note = p_.Text(*x);
}

// Name, slug and joining link, shared by the areas and the evening forum.
// Names and slugs must be unique across all six forums.
void ConfigReader::ReadForumIdentity(const Fields& f, const std::string& label,
                                     Area* area) {
  const Value name = f.Require("name", "the forum's name, e.g. East Surrey");
  area->name = p_.RequiredText(name, "the forum's name, e.g. East Surrey");
  names_.CheckForumName(name.where(), area->name);
  std::optional<Value> slug = f.Get("slug");
  if (slug) {
    area->slug = p_.Text(*slug);
    const bool ok = !area->slug.empty() && Slugify(area->slug) == area->slug;
    if (!ok) {
      p_.Fail(*slug, Quote(area->slug) +
                         " is not a valid slug (use lower-case letters, "
                         "digits and single hyphens, e.g. east-surrey)");
    }
  } else {
    area->slug = Slugify(area->name);
    if (area->slug.empty()) {
      p_.Fail(name, Quote(area->name) +
                        " has no letters or digits to make a slug from; "
                        "add a slug: such as east-surrey");
    }
  }
  names_.AddForum(label, *area, name.where(),
                  slug ? std::optional<Where>(slug->where()) : std::nullopt);
  if (auto x = f.Get("aliases")) ReadAreaAliases(*x, label, area);
  if (auto x = f.Get("joining_link")) area->joining_link = p_.Link(*x);
  if (area->joining_link.empty()) {
    area->joining_link = config_.default_joining_link;
  }
}

void ConfigReader::ReadAreaAliases(const Value& v, const std::string& label,
                                   Area* area) {
  for (const Value& item : p_.List(v)) {
    std::string alias =
        p_.RequiredText(item, "another spelling of " + Quote(area->name));
    names_.AddAlias(item.where(), alias, label, area->name);
    area->aliases.push_back(alias);
  }
}

void ConfigReader::ReadAreas(const Value& v) {
  std::vector<Value> items = p_.List(v);
  if (items.empty()) {
    p_.Fail(v, "list at least one place-based area");
  }
  for (const Value& item : items) {
    Fields f =
        p_.Map(item, {"name", "slug", "joining_link", "venues", "aliases"});
    Area area;
    ReadForumIdentity(f, item.path, &area);
    if (auto x = f.Get("venues")) {
      for (const Value& venue : p_.List(*x)) {
        area.venues.push_back(ReadVenue(venue, item.path, area.name));
      }
    }
    config_.areas.push_back(std::move(area));
    lines_.areas.push_back(item.line);
  }
}

Venue ConfigReader::ReadVenue(const Value& v, const std::string& area_path,
                              const std::string& area_name) {
  Fields f = p_.Map(v, {"name", "address", "features", "notes", "unavailable",
                        "available_weekdays"});
  Venue venue;
  const Value name = f.Require("name", "the venue's name");
  venue.name = p_.RequiredText(name, "the venue's name");
  names_.AddVenue(name.where(), venue.name, area_path + " (" + area_name + ")");
  const std::string why =
      "every venue needs a full address with postcode; it goes in the "
      "calendar";
  venue.address = p_.RequiredText(f.Require("address", why), why);
  if (auto x = f.Get("features")) {
    for (const Value& item : p_.List(*x)) {
      std::string feature = p_.Feature(item);
      if (std::find(venue.features.begin(), venue.features.end(), feature) ==
          venue.features.end()) {
        venue.features.push_back(feature);
      }
    }
  }
  if (auto x = f.Get("notes")) venue.notes = p_.Text(*x);
  if (auto x = f.Get("unavailable")) venue.unavailable = p_.Ranges(*x);
  if (auto x = f.Get("available_weekdays")) {
    std::set<int> days;
    for (const Value& item : p_.List(*x)) days.insert(p_.Weekday(item));
    venue.available_weekdays.assign(days.begin(), days.end());
  }
  return venue;
}

void ConfigReader::ReadEveningForum(const Value& v) {
  Fields f = p_.Map(v, {"name", "slug", "joining_link", "aliases"});
  Area& evening = config_.evening_forum;
  ReadForumIdentity(f, "evening_forum", &evening);
  evening.evening = true;
}

void ConfigReader::ReadRotation(const std::optional<Value>& v,
                                const Value& areas) {
  RotationOptions& r = config_.rotation;
  std::optional<Value> table;
  int line = areas.line;
  if (v) {
    Fields f = p_.Map(*v, {"mode", "start_year", "table"});
    line = v->line;
    if (auto x = f.Get("mode")) {
      const std::string mode = p_.Text(*x);
      if (mode == "table") {
        r.mode = RotationMode::kTable;
      } else if (mode == "balanced") {
        r.mode = RotationMode::kBalanced;
      } else {
        p_.Fail(*x, Describe(x->node) +
                        " is not a rotation mode (expected table or "
                        "balanced)");
      }
    }
    if (auto x = f.Get("start_year")) {
      r.start_year = p_.NumberBetween(*x, 2000, 9999);
    }
    table = f.Get("table");
  }
  if (table) {
    r.table = ReadRotationTable(*table);
    return;
  }
  // Without a table, the excerpt's table applies if it fits the areas
  // (CheckDefaultRotationFitsAreas).
  r.table = DefaultRotationTable();
  lines_.default_rotation_table = line;
}

// Only the table's shape is checked here; whether the rotation is fair
// is ValidateRotation's job.
std::vector<std::vector<std::string>> ConfigReader::ReadRotationTable(
    const Value& v) {
  std::vector<std::vector<std::string>> table;
  std::vector<Value> rows = p_.List(v);
  if (rows.empty()) {
    p_.Fail(v,
            "list at least one round: the area forums that are virtual "
            "in that round");
  }
  std::vector<std::string> area_names;
  for (const Area& a : config_.areas) area_names.push_back(a.name);
  for (const Value& row : rows) {
    std::vector<std::string> names;
    for (const Value& item : p_.List(row)) {
      const std::string text = p_.RequiredText(item, "an area name");
      const Area* area = config_.FindArea(text);
      if (area == nullptr) {
        p_.Fail(item, Quote(text) + " is not one of the areas (" +
                          Join(area_names) + ")");
      }
      if (area->evening) {
        p_.Fail(item, Quote(text) +
                          " is the evening forum, which is always "
                          "virtual; list only place-based areas");
      }
      if (std::find(names.begin(), names.end(), area->name) != names.end()) {
        p_.Fail(item, Quote(text) + " is listed twice in this round");
      }
      names.push_back(area->name);  // Slugs are accepted; names are kept.
    }
    if (!table.empty() && names.size() != table[0].size()) {
      p_.Fail(row, "lists " + std::to_string(names.size()) + " areas but " +
                       IndexPath(v.path, 0) + " lists " +
                       std::to_string(table[0].size()) +
                       "; every round must make the same number of area "
                       "forums virtual");
    }
    table.push_back(std::move(names));
  }
  return table;
}

void ConfigReader::ReadDevelopmentGroup(const Value& v) {
  Fields f = p_.Map(v, {"weekday", "time", "duration_minutes", "location"});
  DevelopmentGroupOptions& d = config_.development_group;
  if (auto x = f.Get("weekday")) {
    const std::string text = p_.Text(*x);
    if (Slugify(text) == "any") {
      d.weekday = std::nullopt;
    } else {
      d.weekday = p_.Weekday(*x);
    }
  }
  if (auto x = f.Get("time")) d.start = p_.Time(*x);
  if (auto x = f.Get("duration_minutes")) {
    d.duration_minutes =
        p_.NumberBetween(*x, 1, kMaxDurationMinutes, "minutes");
  }
  if (auto x = f.Get("location")) d.location = p_.Text(*x);
}

void ConfigReader::ReadBoardReport(const Value& v) {
  Fields f = p_.Map(v, {"working_day"});
  if (auto x = f.Get("working_day")) {
    const int n = p_.WholeNumber(*x);
    if (n == 0 || n > kMaxWorkingDayOfMonth || n < -kMaxWorkingDayOfMonth) {
      p_.Fail(*x, "must be 1 to " + std::to_string(kMaxWorkingDayOfMonth) +
                      ", or -1 to -" + std::to_string(kMaxWorkingDayOfMonth) +
                      " counting from the end of the month (-1 = the last "
                      "working day), got " +
                      std::to_string(n));
    }
    config_.board_report_working_day = n;
  }
}

void ConfigReader::ReadNewsletter(const Value& v) {
  Fields f = p_.Map(v, {"copy_deadline_working_day", "publication_working_day",
                        "get_involved"});
  if (auto x = f.Get("get_involved")) {
    config_.newsletter_get_involved.clear();
    for (const Value& item : p_.List(*x)) {
      config_.newsletter_get_involved.push_back(
          p_.RequiredText(item, "a short paragraph on how to get involved"));
    }
  }
  auto copy = f.Get("copy_deadline_working_day");
  auto publication = f.Get("publication_working_day");
  if (copy) {
    config_.newsletter_copy_deadline_working_day =
        p_.NumberBetween(*copy, 1, kMaxWorkingDayOfMonth);
  }
  if (publication) {
    config_.newsletter_publication_working_day =
        p_.NumberBetween(*publication, 1, kMaxWorkingDayOfMonth);
  }
  const int c = config_.newsletter_copy_deadline_working_day;
  const int pub = config_.newsletter_publication_working_day;
  if (c >= pub) {
    const Value& at = copy ? *copy : *publication;
    p_.Fail(at, "the copy deadline (working day " + std::to_string(c) +
                    ") must come before publication (working day " +
                    std::to_string(pub) + ")");
  }
}

// The feedback board. Without a board: section the struct defaults stay
// (no teams, so the board commands refuse tickets and say why); with one,
// themes and teams are required so a half-written section is not
// silently topped up with defaults.
void ConfigReader::ReadBoard(const Value& v) {
  Fields f = p_.Map(v, {"themes", "teams", "default_team", "max_title_chars",
                        "max_text_chars", "response_times", "trello_lists",
                        "remind_days", "escalate_after_days", "team_contacts",
                        "coordinators_contact", "reminders_from", "site_url"});
  BoardOptions& b = config_.board;
  b.themes = ReadNames(
      f.Require("themes", "the themes a ticket can be about, e.g. access"),
      "theme", "access", &b.theme_aliases);
  b.teams = ReadNames(
      f.Require("teams", "the Trust teams tickets are for, e.g. PALS"), "team",
      "PALS", &b.team_aliases);
  if (auto x = f.Get("default_team")) {
    b.default_team = p_.Text(*x);
    if (!b.default_team.empty()) {
      std::optional<std::string> team = MatchName(b.teams, b.default_team);
      if (!team) {
        p_.Fail(*x, Quote(b.default_team) + " is not a configured team " +
                        "(teams: " + Join(b.teams) + ")");
      }
      b.default_team = *team;
    }
  }
  if (auto x = f.Get("max_title_chars")) {
    b.max_title_chars = p_.NumberBetween(*x, 10, 500, "characters");
  }
  if (auto x = f.Get("max_text_chars")) {
    b.max_text_chars = p_.NumberBetween(*x, 100, 20000, "characters");
  }
  if (auto x = f.Get("response_times")) ReadResponseTimes(*x);
  if (auto x = f.Get("trello_lists")) ReadTrelloLists(*x);
  ReadReminders(f);
}

// Who `focus notify` writes to, and when.
void ConfigReader::ReadReminders(const Fields& f) {
  BoardOptions& b = config_.board;
  if (auto x = f.Get("remind_days")) {
    b.remind_days = p_.NumberBetween(*x, 0, 60, "working days");
  }
  if (auto x = f.Get("escalate_after_days")) {
    b.escalate_after_days = p_.NumberBetween(*x, 0, 120, "working days");
  }
  if (auto x = f.Get("team_contacts")) {
    auto check_key = [&](const Parser::Entry& e) {
      if (!MatchName(b.teams, e.key)) {
        p_.Fail(e.key_line, e.value.path,
                "not a configured team (teams: " + Join(b.teams) + ")");
      }
    };
    for (const Parser::Entry& e : p_.Entries(*x, check_key)) {
      const std::string team = *MatchName(b.teams, e.key);
      if (b.team_contacts.count(team) != 0) {
        p_.Fail(e.key_line, e.value.path,
                "given twice" + CaseNote(team, e.key));
      }
      b.team_contacts[team] = Address(e.value);
    }
  }
  if (auto x = f.Get("coordinators_contact")) {
    b.coordinators_contact = Address(*x);
  }
  if (auto x = f.Get("reminders_from")) b.reminders_from = Address(*x);
  if (auto x = f.Get("site_url")) {
    b.site_url = p_.Link(*x);
    while (!b.site_url.empty() && b.site_url.back() == '/') {
      b.site_url.pop_back();
    }
  }
}

// A bare e-mail address, local@domain: it goes into message headers, so
// nothing that could start another header or address is let through.
std::string ConfigReader::Address(const Value& v) {
  const std::string a =
      p_.RequiredText(v, "an e-mail address, e.g. pals@example.nhs.uk");
  const size_t at = a.find('@');
  const bool shape = at != std::string::npos && at > 0 && at + 1 < a.size() &&
                     a.find('@', at + 1) == std::string::npos;
  const bool chars = std::all_of(a.begin(), a.end(), [](unsigned char c) {
    return c > 0x20 && c < 0x7f &&
           std::string_view("<>()[]\\,;:\"").find(static_cast<char>(c)) ==
               std::string_view::npos;
  });
  if (!shape || !chars) {
    p_.Fail(v, Quote(a) +
                   " is not an e-mail address (expected name@domain, e.g. "
                   "pals@example.nhs.uk)");
  }
  return a;
}

// A non-empty list of distinct names (themes or teams), kept as written.
// Names match ignoring case (SameName), so "Access" and "access" cannot
// both be listed: which one a ticket meant could not be told. An item is
// a name, or {name: NAME, aliases: [OTHER, ...]}; no alias may match
// another name or alias of the list.
std::vector<std::string> ConfigReader::ReadNames(
    const Value& v, const std::string& what, const std::string& example,
    std::map<std::string, std::vector<std::string>>* aliases) {
  std::vector<std::string> names;
  std::vector<std::string> spellings;  // Every name and alias so far.
  auto take = [&](const Value& at, const std::string& spelling) {
    if (std::optional<std::string> seen = MatchName(spellings, spelling)) {
      p_.Fail(at,
              Quote(spelling) + " is listed twice" + CaseNote(*seen, spelling));
    }
    spellings.push_back(spelling);
  };
  for (const Value& item : p_.List(v)) {
    if (item.node.IsMap()) {
      Fields f = p_.Map(item, {"name", "aliases"});
      const Value name_value = f.Require("name", "a " + what + " name");
      std::string name = p_.RequiredText(name_value, "a " + what + " name");
      take(name_value, name);
      if (auto x = f.Get("aliases")) {
        for (const Value& alias : p_.List(*x)) {
          std::string text =
              p_.RequiredText(alias, "another spelling of " + Quote(name));
          take(alias, text);
          (*aliases)[name].push_back(std::move(text));
        }
      }
      names.push_back(std::move(name));
      continue;
    }
    std::string name = p_.RequiredText(item, "a " + what + " name");
    take(item, name);
    names.push_back(std::move(name));
  }
  if (names.empty()) {
    p_.Fail(v, "list at least one " + what + ", e.g. " + example);
  }
  return names;
}

void ConfigReader::ReadResponseTimes(const Value& v) {
  Fields f = p_.Map(v, {"acknowledge_days", "answer_days", "due_soon_days",
                        "by_theme", "by_team"});
  BoardOptions& b = config_.board;
  b.response_times = ReadSlaRule(f, SlaRule{}, "by default");
  if (auto x = f.Get("due_soon_days")) {
    const int n = p_.WholeNumber(*x);
    const int answer = b.response_times.answer_days;
    if (n < 0 || n > answer) {
      p_.Fail(*x, "must be between 0 and answer_days (" +
                      std::to_string(answer) + " working days), got " +
                      std::to_string(n));
    }
    b.due_soon_working_days = n;
  }
  if (auto x = f.Get("by_theme")) {
    b.response_times_by_theme = ReadSlaOverrides(*x, b.themes, "theme");
  }
  if (auto x = f.Get("by_team")) {
    b.response_times_by_team = ReadSlaOverrides(*x, b.teams, "team");
  }
}

// Overrides keyed by a configured theme or team. A key left out of an
// override takes the general board.response_times value.
std::map<std::string, SlaRule> ConfigReader::ReadSlaOverrides(
    const Value& v, const std::vector<std::string>& valid,
    const std::string& what) {
  auto check_key = [&](const Parser::Entry& e) {
    if (!MatchName(valid, e.key)) {
      p_.Fail(
          e.key_line, e.value.path,
          "not a configured " + what + " (" + what + "s: " + Join(valid) + ")");
    }
  };
  std::map<std::string, SlaRule> rules;
  for (const Parser::Entry& e : p_.Entries(v, check_key)) {
    // Kept under the configured spelling, which tickets carry.
    const std::string name = *MatchName(valid, e.key);
    if (rules.count(name) != 0) {
      p_.Fail(e.key_line, e.value.path, "given twice" + CaseNote(name, e.key));
    }
    Fields f = p_.Map(e.value, {"acknowledge_days", "answer_days"});
    rules[name] = ReadSlaRule(f, config_.board.response_times,
                              "from board.response_times");
  }
  return rules;
}

// acknowledge_days and answer_days of `f`, each defaulting to `base`'s.
// `inherited` says where a value that is not given comes from ("by
// default"), so an error about it makes sense.
SlaRule ConfigReader::ReadSlaRule(const Fields& f, const SlaRule& base,
                                  const std::string& inherited) {
  SlaRule rule = base;
  auto acknowledge = f.Get("acknowledge_days");
  auto answer = f.Get("answer_days");
  if (acknowledge) {
    rule.acknowledge_days =
        p_.NumberBetween(*acknowledge, 1, 60, "working days");
  }
  if (answer) {
    rule.answer_days = p_.NumberBetween(*answer, 1, 120, "working days");
  }
  // A ticket is sent to the Trust before it can be answered. `base` is
  // valid, so at least one of the two is given here.
  auto days = [&](int n, const std::optional<Value>& given) {
    return std::to_string(n) + " working days" + (given ? "" : " " + inherited);
  };
  if (rule.answer_days < rule.acknowledge_days) {
    if (answer) {
      p_.Fail(*answer, "must be at least acknowledge_days (" +
                           days(rule.acknowledge_days, acknowledge) +
                           "), got " + std::to_string(rule.answer_days));
    }
    p_.Fail(*acknowledge, "must not be more than answer_days (" +
                              days(rule.answer_days, answer) + "), got " +
                              std::to_string(rule.acknowledge_days));
  }
  return rule;
}

void ConfigReader::ReadTrelloLists(const Value& v) {
  // Every state a Trello list can stand for.
  static const auto* states = [] {
    auto* names = new std::vector<std::string>;
    for (TicketState s : PlainTicketStates()) {
      names->push_back(TicketStateName(s));
    }
    return names;
  }();
  std::map<std::string, std::string>& lists = config_.board.trello_lists;
  for (const Parser::Entry& e : p_.Entries(v)) {
    if (e.key.find_first_not_of(" \t") == std::string::npos) {
      p_.Fail(e.key_line, e.value.path, "a Trello list name must not be empty");
    }
    const std::string state =
        p_.RequiredText(e.value, "the board state of this list, e.g. raised");
    if (!Contains(*states, state)) {
      p_.Fail(e.value, Quote(state) + " is not a board state (states: " +
                           Join(*states) + ")");
    }
    lists[e.key] = state;
  }
}

// An IPv4 or IPv6 address, as a proxy's peer address is written.
bool IsIpAddress(const std::string& text) {
  unsigned char buf[sizeof(in6_addr)];
  return inet_pton(AF_INET, text.c_str(), buf) == 1 ||
         inet_pton(AF_INET6, text.c_str(), buf) == 1;
}

void ConfigReader::ReadServer(const Value& v) {
  Fields f = p_.Map(v, {"public_url", "trusted_proxies"});
  if (auto x = f.Get("public_url")) {
    config_.server.public_url = p_.Link(*x);
  }
  if (auto x = f.Get("trusted_proxies")) {
    for (const Value& item : p_.List(*x)) {
      const std::string address = p_.RequiredText(item, "a proxy's address");
      if (!IsIpAddress(address)) {
        p_.Fail(item, "'" + address +
                          "' is not an IP address (e.g. 127.0.0.1 or ::1)");
      }
      config_.server.trusted_proxies.push_back(address);
    }
  }
}

}  // namespace
}  // namespace focus::config_internal

namespace focus {

Config ParseConfig(const std::string& yaml_text, const std::string& source) {
  const YAML::Node root = config_internal::LoadDocument(yaml_text, source);
  try {
    return config_internal::ConfigReader(source).Read(root);
  } catch (const Error&) {
    throw;
  } catch (const YAML::Exception& e) {
    // Not expected (values are read without conversions that throw), but no
    // yaml-cpp exception may escape the engine.
    ThrowInvalid(config_internal::MalformedYaml(source, e, yaml_text));
  } catch (const std::exception&) {
    throw Error(ErrorKind::kInternal,
                source +
                    ": unexpected failure while reading the "
                    "configuration; please report this as a bug");
  }
}

}  // namespace focus
