#include "focus/config.h"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <filesystem>
#include <functional>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string_view>
#include <system_error>
#include <utility>

#include "focus/error.h"
#include "focus/file_system.h"
#include "focus/screening.h"
#include "focus/text.h"
#include "focus/ticket_state.h"

namespace focus {

const char* FormatName(Format f) {
  return f == Format::kVirtual ? "virtual" : "in-person";
}

std::string VenueFeatureWords(const std::string& feature) {
  static const std::map<std::string, std::string> kWords = {
      {"wifi", "Wi-Fi"},
      {"step-free", "step-free access"},
      {"hearing-loop", "hearing loop"},
      {"informal-layout", "informal room layout"},
  };
  auto it = kWords.find(feature);
  if (it != kWords.end()) return it->second;
  std::string words = feature;
  std::replace(words.begin(), words.end(), '-', ' ');
  return words;
}

std::string Slugify(const std::string& name) {
  std::string slug;
  bool dash = false;
  for (unsigned char c : name) {
    if (std::isalnum(c)) {
      if (dash && !slug.empty()) slug += '-';
      slug += static_cast<char>(std::tolower(c));
      dash = false;
    } else {
      dash = true;
    }
  }
  return slug;
}

std::vector<const Area*> Config::Forums() const {
  std::vector<const Area*> forums;
  for (const Area& a : areas) forums.push_back(&a);
  forums.push_back(&evening_forum);
  return forums;
}

bool SameName(const std::string& a, const std::string& b) {
  auto trimmed = [](const std::string& s) {
    const size_t first = s.find_first_not_of(" \t");
    if (first == std::string::npos) return std::string_view();
    return std::string_view(s).substr(first,
                                      s.find_last_not_of(" \t") - first + 1);
  };
  const std::string_view x = trimmed(a);
  const std::string_view y = trimmed(b);
  // ASCII only: a byte of a UTF-8 sequence is never changed.
  auto fold = [](char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
  };
  return x.size() == y.size() &&
         std::equal(x.begin(), x.end(), y.begin(),
                    [&](char p, char q) { return fold(p) == fold(q); });
}

std::optional<std::string> MatchName(const std::vector<std::string>& names,
                                     const std::string& given) {
  for (const std::string& n : names) {
    if (SameName(n, given)) return n;
  }
  return std::nullopt;
}

const Area* Config::FindArea(const std::string& name_or_slug) const {
  for (const Area* a : Forums()) {
    if (SameName(a->name, name_or_slug) || SameName(a->slug, name_or_slug)) {
      return a;
    }
  }
  for (const Area* a : Forums()) {
    if (MatchName(a->aliases, name_or_slug)) return a;
  }
  return nullptr;
}

std::string Config::AreaName(const std::string& name_or_slug) const {
  const Area* area = FindArea(name_or_slug);
  return area ? area->name : name_or_slug;
}

const Venue* Config::FindVenue(const std::string& name) const {
  for (const Area& a : areas) {
    for (const Venue& v : a.venues) {
      if (SameName(v.name, name)) return &v;
    }
  }
  return nullptr;
}

HolidayCalendar Config::MakeHolidayCalendar() const {
  return HolidayCalendar(holidays);
}

namespace {

// The format rotation of the source excerpt, used when a configuration with
// the five default areas gives no rotation.table.
const std::vector<std::vector<std::string>>& DefaultRotationTable() {
  static const auto* table = new std::vector<std::vector<std::string>>{
      {"East Surrey", "Northwest Surrey"},
      {"Surrey Downs", "Guildford & Waverley"},
      {"Farnham & Northeast Hants", "East Surrey"},
      {"Northwest Surrey", "Surrey Downs"},
  };
  return *table;
}

// Meeting parts and durations must fit comfortably in a day; 240 minutes
// (four hours) for a single part is certainly a typo.
constexpr int kMaxDurationMinutes = 239;
// A month has at least 18 working days (e.g. April with Easter in it), so
// these working-day numbers exist in every month.
constexpr int kMaxWorkingDayOfMonth = 18;

std::string Quote(const std::string& s) { return "'" + s + "'"; }

// " (as 'access': names match ignoring case)" when two names that match
// are not spelt the same; "" when they are.
std::string CaseNote(const std::string& configured, const std::string& other) {
  if (configured == other) return "";
  return " (as " + Quote(configured) + ": names match ignoring case)";
}

bool Contains(const std::vector<std::string>& items, const std::string& s) {
  return std::find(items.begin(), items.end(), s) != items.end();
}

// What a node holds, for "expected X, got Y" messages.
std::string Describe(const YAML::Node& n) {
  switch (n.Type()) {
    case YAML::NodeType::Scalar:
      return Quote(n.Scalar());
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Map:
      return "keys and values";
    default:
      return "nothing";
  }
}

// 1-based line of a node, or `fallback` when yaml-cpp has no position.
int LineOf(const YAML::Node& n, int fallback) {
  const int line = n.Mark().line;
  return line >= 0 ? line + 1 : fallback;
}

std::string ChildPath(const std::string& path, const std::string& key) {
  return path.empty() ? key : path + "." + key;
}

std::string IndexPath(const std::string& path, size_t i) {
  return path + "[" + std::to_string(i) + "]";
}

bool IsWebAddress(const std::string& s) {
  const bool scheme = s.rfind("https://", 0) == 0 || s.rfind("http://", 0) == 0;
  const bool spaces = std::any_of(
      s.begin(), s.end(), [](unsigned char c) { return std::isspace(c) != 0; });
  return scheme && !spaces && s.find('.') != std::string::npos;
}

// A YAML node together with where it is, so every error can say
// "FILE:LINE: KEY.PATH: what is wrong".
struct Value {
  YAML::Node node;
  std::string path;
  int line = 1;
};

class Parser;

// The keys of one mapping, already checked against the valid keys.
class Fields {
 public:
  Fields(const Parser* parser, std::string path, int line)
      : parser_(parser), path_(std::move(path)), line_(line) {}

  std::optional<Value> Get(const std::string& key) const {
    auto it = values_.find(key);
    if (it == values_.end()) return std::nullopt;
    return it->second;
  }
  // The value of `key`; an error saying it is required if it is absent.
  Value Require(const std::string& key, const std::string& what) const;

  const std::string& path() const { return path_; }
  int line() const { return line_; }

 private:
  friend class Parser;
  const Parser* parser_;
  std::string path_;
  int line_;
  std::map<std::string, Value> values_;
};

// Reads typed values out of YAML nodes; every failure is a focus::Error
// naming the file, the line and the key path.
class Parser {
 public:
  explicit Parser(std::string source) : source_(std::move(source)) {}

  [[noreturn]] void Fail(int line, const std::string& path,
                         const std::string& what) const {
    std::string where = source_ + ":" + std::to_string(line) + ": ";
    if (!path.empty()) where += path + ": ";
    ThrowInvalid(OneLine(where + what));
  }
  [[noreturn]] void Fail(const Value& v, const std::string& what) const {
    Fail(v.line, v.path, what);
  }

  // One key of a mapping and its value, with the key's own line for errors
  // about the key itself (unknown, given twice, not a configured theme).
  struct Entry {
    std::string key;
    int key_line;
    Value value;
  };

  // The entries of a mapping whose keys are free text (e.g. theme names),
  // in file order; `check_key`, if given, vets each key before the check
  // for repeats. Nothing counts as an empty mapping.
  std::vector<Entry> Entries(
      const Value& v,
      const std::function<void(const Entry&)>& check_key = nullptr) const {
    std::vector<Entry> entries;
    if (v.node.IsNull()) return entries;
    if (!v.node.IsMap()) {
      Fail(v, "expected keys and values (key: value), got " + Describe(v.node));
    }
    for (auto it = v.node.begin(); it != v.node.end(); ++it) {
      const YAML::Node key = it->first;  // A copy: `it->` is a temporary.
      const int key_line = LineOf(key, v.line);
      if (!key.IsScalar()) {
        Fail(key_line, v.path, "expected a key name, got " + Describe(key));
      }
      const std::string name = key.Scalar();
      const std::string path = ChildPath(v.path, name);
      // A null value has no useful position of its own: use the key's line.
      const YAML::Node value = it->second;
      const int line = value.IsNull() ? key_line : LineOf(value, key_line);
      Entry entry{name, key_line, Value{value, path, line}};
      if (check_key) check_key(entry);
      for (const Entry& seen : entries) {
        if (seen.key == name) {
          Fail(key_line, path,
               "given twice (also on line " + std::to_string(seen.key_line) +
                   ")");
        }
      }
      entries.push_back(std::move(entry));
    }
    return entries;
  }

  // A mapping whose keys must all be in `valid`. Nothing (e.g. "year:" with
  // no value) counts as an empty mapping so every key takes its default.
  Fields Map(const Value& v, const std::vector<std::string>& valid) const {
    Fields fields(this, v.path, v.line);
    auto check_key = [&](const Entry& e) {
      if (std::find(valid.begin(), valid.end(), e.key) == valid.end()) {
        Fail(e.key_line, e.value.path,
             "unknown key (valid keys: " + Join(valid) + ")");
      }
    };
    for (Entry& e : Entries(v, check_key)) {
      fields.values_[e.key] = std::move(e.value);
    }
    return fields;
  }

  // The items of a list; nothing counts as an empty list.
  std::vector<Value> List(const Value& v) const {
    std::vector<Value> items;
    if (v.node.IsNull()) return items;
    if (!v.node.IsSequence()) {
      Fail(v, "expected a list, got " + Describe(v.node));
    }
    size_t i = 0;
    for (auto it = v.node.begin(); it != v.node.end(); ++it, ++i) {
      items.push_back(Value{*it, IndexPath(v.path, i), LineOf(*it, v.line)});
    }
    return items;
  }

  // Text; nothing counts as the empty string.
  std::string Text(const Value& v) const {
    if (v.node.IsNull()) return "";
    if (!v.node.IsScalar()) Fail(v, "expected text, got " + Describe(v.node));
    return v.node.Scalar();
  }

  std::string RequiredText(const Value& v, const std::string& what) const {
    std::string text = Text(v);
    if (text.find_first_not_of(" \t") == std::string::npos) {
      Fail(v, "required (" + what + ")");
    }
    return text;
  }

  int WholeNumber(const Value& v) const {
    const std::string text = v.node.IsScalar() ? v.node.Scalar() : "";
    long long n = 0;
    const char* first = text.data();
    const char* last = text.data() + text.size();
    if (first != last && *first == '+') ++first;
    auto [end, ec] = std::from_chars(first, last, n);
    if (text.empty() || ec != std::errc() || end != last ||
        n < std::numeric_limits<int>::min() ||
        n > std::numeric_limits<int>::max()) {
      Fail(v, "expected a whole number, got " + Describe(v.node));
    }
    return static_cast<int>(n);
  }

  int NumberBetween(const Value& v, int lo, int hi,
                    const std::string& unit = "") const {
    const int n = WholeNumber(v);
    if (n < lo || n > hi) {
      const std::string u = unit.empty() ? "" : " " + unit;
      Fail(v, "must be between " + std::to_string(lo) + " and " +
                  std::to_string(hi) + u + ", got " + std::to_string(n));
    }
    return n;
  }

  bool Boolean(const Value& v) const {
    bool b = false;
    if (!v.node.IsScalar() || !YAML::convert<bool>::decode(v.node, b)) {
      Fail(v, "expected true or false, got " + Describe(v.node));
    }
    return b;
  }

  Date IsoDate(const Value& v) const {
    const std::string text = Text(v);
    std::optional<Date> d = ParseIsoDate(text);
    if (!v.node.IsScalar() || !d) {
      Fail(v, Describe(v.node) +
                  " is not a valid date (expected YYYY-MM-DD, e.g. "
                  "2027-01-04)");
    }
    return *d;
  }

  TimeOfDay Time(const Value& v) const {
    const std::string text = Text(v);
    std::optional<TimeOfDay> t = ParseTimeOfDay(text);
    if (!v.node.IsScalar() || !t) {
      Fail(v, Describe(v.node) +
                  " is not a time of day (expected HH:MM, 00:00-23:59)");
    }
    return *t;
  }

  int Weekday(const Value& v) const {
    const std::string text = Text(v);
    std::optional<int> d = ParseWeekday(text);
    if (!v.node.IsScalar() || !d) {
      Fail(v, Describe(v.node) +
                  " is not a day of the week (expected Monday to Sunday)");
    }
    return *d;
  }

  // A web address for joining a virtual forum; empty if not given.
  std::string Link(const Value& v) const {
    std::string link = Text(v);
    if (!link.empty() && !IsWebAddress(link)) {
      Fail(v, Quote(link) +
                  " is not a web address (expected https://..., e.g. "
                  "https://forums.example.org/east-surrey)");
    }
    return link;
  }

  // A feature name such as "hearing-loop". Features are compared exactly,
  // so upper case (a likely slip) is refused rather than silently unmatched.
  std::string Feature(const Value& v) const {
    std::string f = RequiredText(v, "a feature name such as hearing-loop");
    const bool bad = std::any_of(f.begin(), f.end(), [](unsigned char c) {
      return std::isupper(c) || std::isspace(c);
    });
    if (bad) {
      Fail(v, Quote(f) +
                  " must be written in lower case with hyphens instead of "
                  "spaces, e.g. hearing-loop");
    }
    return f;
  }

  // One day ("2027-01-04") or a range of days:
  // {date: 2027-01-04, reason: ...} or {from: ..., to: ..., reason: ...}.
  DateRange Range(const Value& v) const {
    if (v.node.IsScalar()) {
      Date d = IsoDate(v);
      return DateRange{d, d, ""};
    }
    if (!v.node.IsMap()) {
      Fail(v,
           "expected a date (YYYY-MM-DD) or keys date:, or from: and to:, "
           "with an optional reason:, got " +
               Describe(v.node));
    }
    Fields f = Map(v, {"date", "from", "to", "reason"});
    DateRange r;
    auto date = f.Get("date");
    auto from = f.Get("from");
    auto to = f.Get("to");
    if (date && !from && !to) {
      r.first = r.last = IsoDate(*date);
    } else if (!date && from && to) {
      r.first = IsoDate(*from);
      r.last = IsoDate(*to);
      if (r.last < r.first) {
        Fail(*to, FormatIsoDate(r.last) +
                      " is before from: " + FormatIsoDate(r.first));
      }
    } else {
      Fail(v, "give either date: (one day) or both from: and to: (a range)");
    }
    if (auto reason = f.Get("reason")) r.reason = Text(*reason);
    return r;
  }

  std::vector<DateRange> Ranges(const Value& v) const {
    std::vector<DateRange> ranges;
    for (const Value& item : List(v)) ranges.push_back(Range(item));
    return ranges;
  }

 private:
  std::string source_;
};

Value Fields::Require(const std::string& key, const std::string& what) const {
  auto v = Get(key);
  if (!v)
    parser_->Fail(line_, ChildPath(path_, key), "required (" + what + ")");
  return *v;
}

// Reads one whole configuration. Sections are read in dependency order:
// areas before the rotation table that names them, and everything before
// the cross-checks.
class ConfigReader {
 public:
  explicit ConfigReader(const std::string& source) : p_(source) {
    config_.source = source;
  }

  Config Read(const YAML::Node& root) {
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
         "development_group", "board_report", "newsletter", "board"});
    if (auto v = top.Get("organisation")) ReadOrganisation(*v);
    if (auto v = top.Get("calendar")) ReadCalendar(*v);
    if (auto v = top.Get("year")) ReadYear(*v);
    if (auto v = top.Get("blackouts")) config_.blackouts = p_.Ranges(*v);
    if (auto v = top.Get("holidays")) ReadHolidays(*v);
    if (auto v = top.Get("times")) ReadTimes(*v);
    if (auto v = top.Get("meeting")) ReadMeeting(*v);
    CheckMeetingsFitInADay();
    if (auto v = top.Get("venues")) ReadVenueRules(*v);
    if (auto v = top.Get("virtual")) ReadVirtual(*v);
    const Value areas = top.Require("areas", "the list of place-based areas");
    ReadAreas(areas);
    ReadEveningForum(
        top.Require("evening_forum", "the Surrey-wide evening forum"));
    CheckAliasesAgainstLaterForums();
    ReadRotation(top.Get("rotation"), areas);
    if (auto v = top.Get("development_group")) ReadDevelopmentGroup(*v);
    if (auto v = top.Get("board_report")) ReadBoardReport(*v);
    if (auto v = top.Get("newsletter")) ReadNewsletter(*v);
    if (auto v = top.Get("board")) ReadBoard(*v);
    CheckVenuesHaveRequiredFeatures();
    return std::move(config_);
  }

 private:
  void ReadOrganisation(const Value& v) {
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

  void ReadCalendar(const Value& v) {
    Fields f = p_.Map(v, {"dtstamp"});
    if (auto x = f.Get("dtstamp")) {
      const std::string text = p_.Text(*x);
      std::optional<std::time_t> t = ParseUtcTimestamp(text);
      if (!x->node.IsScalar() || !t) {
        p_.Fail(*x, Describe(x->node) +
                        " is not a UTC timestamp (expected "
                        "YYYY-MM-DDTHH:MM:SSZ, e.g. 2026-11-01T00:00:00Z)");
      }
      config_.dtstamp = *t;
    }
  }

  void ReadYear(const Value& v) {
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

  void ReadHolidays(const Value& v) {
    Fields f = p_.Map(v, {"extra", "cancelled"});
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
        config_.holidays.extra.push_back(h);
      }
    }
    if (auto x = f.Get("cancelled")) {
      for (const Value& item : p_.List(*x)) {
        const Date d = p_.IsoDate(item);
        // A cancelled day that is not a rule holiday is almost certainly a
        // typo, and silently ignoring it would keep the real holiday.
        // Dates before 1583 parse but have no rule holidays to cancel.
        const std::vector<Holiday> rules = d.year() >= 1583
                                               ? RuleBankHolidays(d.year())
                                               : std::vector<Holiday>{};
        const bool is_rule_day =
            std::any_of(rules.begin(), rules.end(),
                        [&](const Holiday& h) { return h.date == d; });
        if (!is_rule_day) {
          p_.Fail(item, FormatIsoDate(d) +
                            " is not a bank holiday by the England & Wales "
                            "rules, so it cannot be cancelled");
        }
        config_.holidays.cancelled.push_back(d);
      }
    }
  }

  void ReadTimes(const Value& v) {
    Fields f = p_.Map(v, {"daytime_slots", "evening_start"});
    if (auto x = f.Get("daytime_slots")) {
      std::vector<TimeOfDay> slots;
      for (const Value& item : p_.List(*x)) {
        const TimeOfDay t = p_.Time(item);
        if (std::find(slots.begin(), slots.end(), t) != slots.end()) {
          p_.Fail(item, Quote(FormatTimeOfDay(t)) + " is listed twice");
        }
        slots.push_back(t);
        slot_lines_.push_back(item.line);
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
      evening_start_line_ = x->line;
    }
  }

  void ReadMeeting(const Value& v) {
    Fields f = p_.Map(
        v, {"pre_meeting_minutes", "part1_minutes", "online_break_minutes",
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

  // A forum, from the informal time before it to the end of part 2 (online)
  // or of the PALS clinic (in person), must end before midnight. The
  // evening forum is always online.
  void CheckMeetingsFitInADay() {
    const MeetingShape& m = config_.meeting;
    const int online = m.pre_meeting_minutes + m.part1_minutes +
                       m.online_break_minutes + m.part2_minutes;
    const int in_person = m.pre_meeting_minutes + m.part1_minutes +
                          m.social_minutes + m.part2_minutes +
                          m.pals_clinic_minutes;
    auto check = [&](TimeOfDay start, int length, int line,
                     const std::string& path) {
      if (start.minutes + length > 24 * 60) {
        p_.Fail(line, path,
                "a forum starting at " + FormatTimeOfDay(start) +
                    " would run past midnight (with the meeting: settings "
                    "it lasts " +
                    std::to_string(length) + " minutes)");
      }
    };
    for (size_t i = 0; i < config_.daytime_slots.size(); ++i) {
      check(config_.daytime_slots[i], std::max(online, in_person),
            i < slot_lines_.size() ? slot_lines_[i] : 1,
            IndexPath("times.daytime_slots", i));
    }
    check(config_.evening_start, online, evening_start_line_,
          "times.evening_start");
  }

  void ReadVenueRules(const Value& v) {
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

  void ReadVirtual(const Value& v) {
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
  void ReadForumIdentity(const Fields& f, const std::string& label,
                         Area* area) {
    const Value name = f.Require("name", "the forum's name, e.g. East Surrey");
    area->name = p_.RequiredText(name, "the forum's name, e.g. East Surrey");
    // A forum is found by its name or its slug, in any case (SameName).
    for (const auto& [other_name, other_label] : names_) {
      if (SameName(other_name, area->name)) {
        p_.Fail(name, Quote(area->name) + " is already the name of " +
                          other_label + CaseNote(other_name, area->name) +
                          "; forum names must be unique");
      }
    }
    for (const auto& [other_slug, other_label] : slugs_) {
      if (SameName(other_slug, area->name)) {
        p_.Fail(name, Quote(area->name) + " is already the slug of " +
                          other_label + CaseNote(other_slug, area->name) +
                          "; a forum is found by its name or slug, so they "
                          "must be unique");
      }
    }
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
    for (const auto& [other_slug, other_label] : slugs_) {
      if (other_slug == area->slug) {
        if (slug) {
          p_.Fail(*slug, Quote(area->slug) + " is already the slug of " +
                             other_label + "; slugs must be unique");
        }
        p_.Fail(name, Quote(area->name) + " gives the slug " +
                          Quote(area->slug) + ", already the slug of " +
                          other_label + "; add a different slug:");
      }
    }
    for (const auto& [other_name, other_label] : names_) {
      if (SameName(other_name, area->slug)) {
        p_.Fail(slug ? *slug : name,
                Quote(area->slug) + " is already the name of " + other_label +
                    CaseNote(other_name, area->slug) +
                    "; a forum is found by its name or slug, so they must be "
                    "unique");
      }
    }
    names_.emplace_back(area->name, label);
    slugs_.emplace_back(area->slug, label + " (" + area->name + ")");
    if (auto x = f.Get("aliases")) ReadAreaAliases(*x, label, area);
    if (auto x = f.Get("joining_link")) area->joining_link = p_.Link(*x);
    if (area->joining_link.empty()) {
      area->joining_link = config_.default_joining_link;
    }
  }

  // An alias must not match any forum's name, slug or alias, before or
  // after it: the area it finds must be certain.
  void ReadAreaAliases(const Value& v, const std::string& label, Area* area) {
    for (const Value& item : p_.List(v)) {
      std::string alias =
          p_.RequiredText(item, "another spelling of " + Quote(area->name));
      for (const auto* taken : {&names_, &slugs_, &aliases_}) {
        for (const auto& [other, other_label] : *taken) {
          if (SameName(other, alias)) {
            p_.Fail(item, Quote(alias) + " already names " + other_label +
                              CaseNote(other, alias) +
                              "; an alias must name one forum");
          }
        }
      }
      area->aliases.push_back(alias);
      aliases_.emplace_back(alias, label + " (" + area->name + ")");
      alias_values_.push_back(item);
    }
  }

  // A forum name or slug read after an alias that matches it.
  void CheckAliasesAgainstLaterForums() {
    for (size_t i = 0; i < aliases_.size(); ++i) {
      for (const auto* taken : {&names_, &slugs_}) {
        for (const auto& [other, other_label] : *taken) {
          if (SameName(other, aliases_[i].first)) {
            p_.Fail(alias_values_[i], Quote(aliases_[i].first) +
                                          " already names " + other_label +
                                          "; an alias must name one forum");
          }
        }
      }
    }
  }

  void ReadAreas(const Value& v) {
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
      area_lines_.push_back(item.line);
    }
  }

  Venue ReadVenue(const Value& v, const std::string& area_path,
                  const std::string& area_name) {
    Fields f = p_.Map(v, {"name", "address", "features", "notes", "unavailable",
                          "available_weekdays"});
    Venue venue;
    const Value name = f.Require("name", "the venue's name");
    venue.name = p_.RequiredText(name, "the venue's name");
    for (const auto& [other, where] : venue_names_) {
      if (SameName(other, venue.name)) {
        p_.Fail(name, Quote(venue.name) +
                          " is already the name of a venue in " + where +
                          CaseNote(other, venue.name) +
                          "; venue names must be unique");
      }
    }
    venue_names_.emplace_back(venue.name, area_path + " (" + area_name + ")");
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

  void ReadEveningForum(const Value& v) {
    Fields f = p_.Map(v, {"name", "slug", "joining_link", "aliases"});
    Area& evening = config_.evening_forum;
    ReadForumIdentity(f, "evening_forum", &evening);
    evening.evening = true;
  }

  void ReadRotation(const std::optional<Value>& v, const Value& areas) {
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
    // Without a table, the excerpt's table applies, but only if it names
    // areas that exist: guessing a rotation for other areas would be wrong.
    for (const auto& row : DefaultRotationTable()) {
      for (const std::string& name : row) {
        const Area* a = config_.FindArea(name);
        if (a == nullptr || a->evening) {
          p_.Fail(line, "rotation.table",
                  "required when the areas are not the five default Surrey "
                  "areas");
        }
      }
    }
    r.table = DefaultRotationTable();
  }

  // Only the table's shape is checked here; whether the rotation is fair
  // is ValidateRotation's job.
  std::vector<std::vector<std::string>> ReadRotationTable(const Value& v) {
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

  void ReadDevelopmentGroup(const Value& v) {
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

  void ReadBoardReport(const Value& v) {
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

  void ReadNewsletter(const Value& v) {
    Fields f = p_.Map(v, {"copy_deadline_working_day",
                          "publication_working_day", "get_involved"});
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
  void ReadBoard(const Value& v) {
    Fields f =
        p_.Map(v, {"themes", "teams", "default_team", "max_title_chars",
                   "max_text_chars", "response_times", "trello_lists",
                   "remind_days", "escalate_after_days", "team_contacts",
                   "coordinators_contact", "reminders_from", "site_url"});
    BoardOptions& b = config_.board;
    b.themes = ReadNames(
        f.Require("themes", "the themes a ticket can be about, e.g. access"),
        "theme", "access", &b.theme_aliases);
    b.teams = ReadNames(
        f.Require("teams", "the Trust teams tickets are for, e.g. PALS"),
        "team", "PALS", &b.team_aliases);
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
  void ReadReminders(const Fields& f) {
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
  std::string Address(const Value& v) {
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
  std::vector<std::string> ReadNames(
      const Value& v, const std::string& what, const std::string& example,
      std::map<std::string, std::vector<std::string>>* aliases) {
    std::vector<std::string> names;
    std::vector<std::string> spellings;  // Every name and alias so far.
    auto take = [&](const Value& at, const std::string& spelling) {
      if (std::optional<std::string> seen = MatchName(spellings, spelling)) {
        p_.Fail(at, Quote(spelling) + " is listed twice" +
                        CaseNote(*seen, spelling));
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

  void ReadResponseTimes(const Value& v) {
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
  std::map<std::string, SlaRule> ReadSlaOverrides(
      const Value& v, const std::vector<std::string>& valid,
      const std::string& what) {
    auto check_key = [&](const Parser::Entry& e) {
      if (!MatchName(valid, e.key)) {
        p_.Fail(e.key_line, e.value.path,
                "not a configured " + what + " (" + what + "s: " + Join(valid) +
                    ")");
      }
    };
    std::map<std::string, SlaRule> rules;
    for (const Parser::Entry& e : p_.Entries(v, check_key)) {
      // Kept under the configured spelling, which tickets carry.
      const std::string name = *MatchName(valid, e.key);
      if (rules.count(name) != 0) {
        p_.Fail(e.key_line, e.value.path,
                "given twice" + CaseNote(name, e.key));
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
  SlaRule ReadSlaRule(const Fields& f, const SlaRule& base,
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
      return std::to_string(n) + " working days" +
             (given ? "" : " " + inherited);
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

  void ReadTrelloLists(const Value& v) {
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
        p_.Fail(e.key_line, e.value.path,
                "a Trello list name must not be empty");
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

  // Every area's in-person forums need a venue with all the required
  // features; say which feature is missing so the coordinator can fix it.
  void CheckVenuesHaveRequiredFeatures() {
    const std::vector<std::string>& required = config_.required_venue_features;
    for (size_t i = 0; i < config_.areas.size(); ++i) {
      const Area& area = config_.areas[i];
      const std::string label = IndexPath("areas", i) + " (" + area.name + ")";
      if (area.venues.empty()) {
        std::string what =
            "no venues listed; add at least one venue for its "
            "in-person forums";
        if (!required.empty()) {
          what += " with " + JoinWords(required, "and") +
                  " (required by venues.required_features)";
        }
        p_.Fail(area_lines_[i], label, what);
      }
      const Venue* best = nullptr;
      std::vector<std::string> best_missing;
      std::vector<std::string> missing_everywhere = required;
      for (const Venue& venue : area.venues) {
        std::vector<std::string> missing;
        for (const std::string& feature : required) {
          if (std::find(venue.features.begin(), venue.features.end(),
                        feature) == venue.features.end()) {
            missing.push_back(feature);
          }
        }
        if (missing.empty()) {
          best = nullptr;
          missing_everywhere.clear();
          break;
        }
        if (best == nullptr || missing.size() < best_missing.size()) {
          best = &venue;
          best_missing = missing;
        }
        missing_everywhere.erase(
            std::remove_if(missing_everywhere.begin(), missing_everywhere.end(),
                           [&](const std::string& f) {
                             return std::find(missing.begin(), missing.end(),
                                              f) == missing.end();
                           }),
            missing_everywhere.end());
      }
      if (best == nullptr) continue;
      if (!missing_everywhere.empty()) {
        const bool one = missing_everywhere.size() == 1;
        p_.Fail(area_lines_[i], label,
                "no venue has " + JoinWords(missing_everywhere, "or") +
                    " (required by venues.required_features); add the " +
                    (one ? "feature to a venue or add a venue that has it"
                         : "features to a venue or add a venue that has "
                           "them"));
      }
      p_.Fail(area_lines_[i], label,
              "no venue has all of " + JoinWords(required, "and") +
                  " (required by venues.required_features); the closest, " +
                  best->name + ", lacks " + JoinWords(best_missing, "and") +
                  "; add the missing feature to it or add a venue that has "
                  "them all");
    }
  }

  Parser p_;
  Config config_;
  std::vector<int> area_lines_;  // Line of each area, for the cross-checks.
  // Lines of the daytime slots, for the midnight check (none = defaults).
  std::vector<int> slot_lines_;
  int evening_start_line_ = 1;
  // (name or slug, "areas[i]") of the forums read so far.
  std::vector<std::pair<std::string, std::string>> names_;
  std::vector<std::pair<std::string, std::string>> slugs_;
  // (alias, "areas[i] (name)"), and where each was given.
  std::vector<std::pair<std::string, std::string>> aliases_;
  std::vector<Value> alias_values_;
  // Venue name, its area.
  std::vector<std::pair<std::string, std::string>> venue_names_;
};

// "FILE:LINE:COLUMN: malformed YAML: MESSAGE", without yaml-cpp's own
// "yaml-cpp: error at line ..." prefix.
std::string MalformedYaml(const std::string& source, const YAML::Exception& e,
                          const std::string& text) {
  // Tabs in indentation are the commonest slip in hand-edited YAML, and
  // yaml-cpp reports them as something else ("illegal map value").
  int line = 1;
  for (size_t start = 0; start < text.size() && line <= e.mark.line + 1;
       ++line) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    const size_t indent_end = text.find_first_not_of(' ', start);
    const size_t content = text.find_first_not_of(" \t\r", start);
    if (indent_end < end && text[indent_end] == '\t' && content < end) {
      return source + ":" + std::to_string(line) + ":" +
             std::to_string(indent_end - start + 1) +
             ": malformed YAML: a tab is used for indentation; indent with "
             "spaces only";
    }
    start = end + 1;
  }
  std::string where = source + ":";
  if (e.mark.line >= 0) {
    where += std::to_string(e.mark.line + 1) + ":" +
             std::to_string(e.mark.column + 1) + ":";
  }
  return where + " malformed YAML: " + OneLine(e.msg);
}

// yaml-cpp passes bytes that are not UTF-8 straight into the values, and
// they would reach the calendar files and plan.json (which must be UTF-8).
// YAML also allows UTF-16 and UTF-32, which start with a byte-order mark or
// a NUL byte: yaml-cpp decodes those itself.
// yaml-cpp takes a NUL byte in UTF-8 text for an escape ("unknown escape
// character") on the next line: say what and where it really is.
void CheckNoNul(const std::string& text, const std::string& source) {
  if (const size_t nul = text.find('\0'); nul != std::string::npos) {
    const std::string before = text.substr(0, nul);
    const size_t newline = before.rfind('\n');
    const size_t line_begin = newline == std::string::npos ? 0 : newline + 1;
    ThrowInvalid(
        source + ":" +
        std::to_string(1 + std::count(before.begin(), before.end(), '\n')) +
        ":" + std::to_string(Utf8Length(before.substr(line_begin)) + 1) +
        ": a NUL byte (\\0) is not allowed in a configuration file");
  }
}

void CheckUtf8(const std::string& text, const std::string& source) {
  const bool wide = text.size() >= 2 && (text[0] == '\0' || text[1] == '\0' ||
                                         text.rfind("\xFE\xFF", 0) == 0 ||
                                         text.rfind("\xFF\xFE", 0) == 0);
  size_t bad = 0;
  if (wide) return;  // yaml-cpp reads UTF-16 and UTF-32 itself.
  if (IsValidUtf8(text, &bad)) {
    CheckNoNul(text, source);
    return;
  }
  const std::string before = text.substr(0, bad);
  const size_t newline = before.rfind('\n');
  const size_t line_begin = newline == std::string::npos ? 0 : newline + 1;
  // The text before the bad byte is valid, so columns count characters.
  const size_t column = Utf8Length(before.substr(line_begin)) + 1;
  const long line = 1 + std::count(before.begin(), before.end(), '\n');
  ThrowInvalid(source + ":" + std::to_string(line) + ":" +
               std::to_string(column) + ": not valid UTF-8 at byte " +
               std::to_string(bad) + "; save the file as UTF-8");
}

// Counts what a document holds and where its lone null (if that is all it
// holds) is; keeps nothing else.
class DocumentWalker : public YAML::EventHandler {
 public:
  void OnDocumentStart(const YAML::Mark&) override {
    events_ = 0;
    null_pos_ = -1;
  }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& mark, YAML::anchor_t) override {
    if (events_++ == 0) null_mark_ = mark, null_pos_ = mark.pos;
  }
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override { ++events_; }
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t,
                const std::string&) override {
    ++events_;
  }
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {
    ++events_;
  }
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {
    ++events_;
  }
  void OnMapEnd() override {}

  // The position of the document's lone null, or -1 if it holds more.
  int LoneNull() const { return events_ == 1 ? null_pos_ : -1; }
  const YAML::Mark& null_mark() const { return null_mark_; }

 private:
  int events_ = 0;
  int null_pos_ = -1;
  YAML::Mark null_mark_;
};

// yaml-cpp 0.7 (Debian's) loops for ever in LoadAll, growing without bound,
// when a stray ',' stands at the top level (a file that is just ",": yaml-cpp
// issue #1040, fixed upstream by PR #1319): its parser returns the same null
// "document" again and again without moving on. Walks the documents first,
// keeping nothing, and throws a ParserException at the first one that does
// not move on, so LoadAll is only called on text it finishes.
void CheckDocumentsEnd(const std::string& text) {
  std::istringstream in(text);
  YAML::Parser parser(in);
  DocumentWalker walker;
  int previous = -1;
  size_t documents = 0;
  while (parser.HandleNextDocument(walker)) {
    const int lone_null = walker.LoneNull();
    // Every real document moves on by at least a character ("---").
    if ((lone_null >= 0 && lone_null == previous) ||
        ++documents > text.size() + 1) {
      const YAML::Mark& at = walker.null_mark();
      const size_t pos = static_cast<size_t>(std::max(at.pos, 0));
      std::string what = "unexpected content";
      if (pos < text.size() && text[pos] > ' ' && text[pos] < 0x7f) {
        what = std::string("unexpected '") + text[pos] + "'";
        if (text[pos] == ',') what += " outside a [ ] or { } list";
      }
      throw YAML::ParserException(at, what);
    }
    previous = lone_null;
  }
}

}  // namespace

Config ParseConfig(const std::string& yaml_text, const std::string& source) {
  CheckUtf8(yaml_text, source);
  std::vector<YAML::Node> documents;
  try {
    CheckDocumentsEnd(yaml_text);
    documents = YAML::LoadAll(yaml_text);
  } catch (const YAML::Exception& e) {
    ThrowInvalid(MalformedYaml(source, e, yaml_text));
  }
  // Empty documents (e.g. a stray "---" at the end) are harmless.
  documents.erase(
      std::remove_if(documents.begin(), documents.end(),
                     [](const YAML::Node& d) { return d.IsNull(); }),
      documents.end());
  if (documents.size() > 1) {
    ThrowInvalid(source + ":" + std::to_string(LineOf(documents[1], 1)) +
                 ": malformed YAML: a second YAML document starts here; the "
                 "configuration must be a single document");
  }
  const YAML::Node root = documents.empty() ? YAML::Node() : documents[0];
  try {
    return ConfigReader(source).Read(root);
  } catch (const Error&) {
    throw;
  } catch (const YAML::Exception& e) {
    // Not expected (values are read without conversions that throw), but no
    // yaml-cpp exception may escape the engine.
    ThrowInvalid(MalformedYaml(source, e, yaml_text));
  } catch (const std::exception&) {
    throw Error(ErrorKind::kInternal,
                source +
                    ": unexpected failure while reading the "
                    "configuration; please report this as a bug");
  }
}

Config LoadConfigFile(const std::string& path) {
  // Reading a folder "succeeds" with no bytes on Linux; say what happened.
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    ThrowIo("cannot read " + path + ": it is a folder, not a file");
  }
  return ParseConfig(DiskFileSystem().ReadFile(path), path);
}

}  // namespace focus
