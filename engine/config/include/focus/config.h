// The configuration: areas, venues, times, rotation and the year's rules.
//
// Loaded from YAML (config/focus.yaml is the default). Every field has a
// default so a small file is enough; the loader rejects unknown keys and bad
// values with "FILE:LINE: KEY: what is wrong" and ErrorKind::kInvalidInput.
#ifndef FOCUS_CONFIG_H_
#define FOCUS_CONFIG_H_

#include <ctime>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "focus/calendar_rules.h"
#include "focus/local_time.h"

namespace focus {

enum class Format { kVirtual, kInPerson };
// "virtual" / "in-person".
const char* FormatName(Format f);

enum class RotationMode {
  kTable,     // The configured table, the same four rounds every year.
  kBalanced,  // A round-robin that evens out formats across years.
};

struct DateRange {
  Date first;          // Inclusive.
  Date last;           // Inclusive; equal to `first` for a single day.
  std::string reason;  // Shown when a date is rejected, e.g. "Trust AGM".
};

struct Venue {
  std::string name;                    // Unique across the configuration.
  std::string address;                 // Required: goes in LOCATION.
  std::vector<std::string> features;   // e.g. "wifi", "step-free".
  std::string notes;                   // e.g. parking, nearest station.
  std::vector<DateRange> unavailable;  // Days the venue cannot be booked.
  // Weekdays (0=Sunday..6=Saturday) the venue can be booked; empty = any.
  std::vector<int> available_weekdays;
};

struct Area {
  std::string name;          // "East Surrey".
  std::string slug;          // "east-surrey": used in ids, UIDs and file names.
  bool evening = false;      // The Surrey-wide evening forum: always virtual.
  std::string joining_link;  // For virtual forums; defaults to the config's.
  // Other spellings people use ("Farnham & North East Hampshire"), for
  // finding the area in imported text; unique across the forums' names,
  // slugs and aliases.
  std::vector<std::string> aliases;
  std::vector<Venue> venues;  // In preference order.
};

struct MeetingShape {
  int pre_meeting_minutes = 30;   // Informal peer-support time before part 1.
  int part1_minutes = 45;         // Co-design workshop / Trust update.
  int online_break_minutes = 15;  // Online format: break (10-15 minutes).
  int social_minutes = 30;        // In-person format: social time.
  int part2_minutes = 45;         // Local feedback and problem solving.
  int pals_clinic_minutes = 30;   // In person: pop-up PALS clinic; 0 = none.
};

struct RotationOptions {
  RotationMode mode = RotationMode::kTable;
  // The first plan year the rotation (and the alternation of days and
  // times) is counted from. Years before it cannot be planned.
  int start_year = 2026;
  // table[r] = the area forums that are virtual in round r+1 (the evening
  // forum is always virtual). In balanced mode the number of virtual area
  // forums per round is table[0].size().
  std::vector<std::vector<std::string>> table;
};

struct DevelopmentGroupOptions {
  // The meeting is on the last working day of month 2 that is this weekday
  // (0=Sunday..6=Saturday); nullopt = the last working day of any weekday.
  std::optional<int> weekday;
  TimeOfDay start{14 * 60};
  int duration_minutes = 120;
  std::string location;  // Address or joining link.
};

// The Trust's agreed response times, in working days from the day a ticket
// was raised.
struct SlaRule {
  int acknowledge_days = 5;  // To be sent to the Trust.
  int answer_days = 20;      // To a published answer (or decline).
};

struct BoardOptions {
  // Themes a ticket can carry; unknown themes are refused with this list.
  std::vector<std::string> themes{
      "access",          "communication", "carers",         "crisis care",
      "medication",      "waiting times", "staff attitude", "discharge",
      "physical health", "other"};
  // Trust teams tickets are for; unknown teams are refused with this list.
  std::vector<std::string> teams;
  // Other spellings of a theme or team, by its configured name, for
  // imported labels. In YAML a theme or team is a name, or
  // {name: ..., aliases: [...]}.
  std::map<std::string, std::vector<std::string>> theme_aliases;
  std::map<std::string, std::vector<std::string>> team_aliases;
  size_t max_title_chars = 120;  // Ticket titles.
  size_t max_text_chars = 2000;  // Details, answers, reasons.
  SlaRule response_times;        // The default agreed times.
  std::map<std::string, SlaRule> response_times_by_theme;  // Overrides.
  std::map<std::string, SlaRule> response_times_by_team;   // Win over theme.
  int due_soon_working_days = 5;  // "Due soon" when this close to due.
  // Trello list name -> board state name ("raised", "sent-to-trust", ...).
  std::map<std::string, std::string> trello_lists;
  // Team for imported cards with no team label; must be in `teams`.
  std::string default_team;

  // Reminders by e-mail (focus notify). Optional: a team without an address
  // gets no digest, and no coordinators' address means no escalation.
  int remind_days = 5;  // Remind a team this many working days before due.
  // Breaches more than this many working days past due also go to the
  // coordinators.
  int escalate_after_days = 10;
  std::map<std::string, std::string> team_contacts;  // Team -> address.
  std::string coordinators_contact;                  // An e-mail address.
  std::string reminders_from;  // The From: address of every reminder.
  // The web board's address ("https://focus.example.org"): each ticket in a
  // reminder links to SITE_URL/board/tickets/ID.
  std::string site_url;
};

// `focus serve` behind a proxy (the server section).
struct ServerConfig {
  // The address people use ("https://focus.example.org"); https marks the
  // session cookies Secure. "" = not given.
  std::string public_url;
  // Addresses of the reverse proxies whose X-Forwarded-For is believed
  // (IPv4 or IPv6, exact); from anyone else the header is ignored.
  std::vector<std::string> trusted_proxies;
};

struct Config {
  std::string source;  // Path the configuration was read from.

  // Names.
  std::string organisation =
      "Surrey and Borders Partnership NHS Foundation Trust";
  std::string series_name = "FoCUS Community Forums";
  std::string uid_domain = "focus.invalid";  // Right-hand side of every UID.
  // DTSTAMP of every calendar event; SOURCE_DATE_EPOCH wins if set. Never the
  // wall clock, so the same inputs give byte-identical files.
  std::optional<std::time_t> dtstamp;

  // The year.
  int first_round_month = 1;  // 1 = January; 4 = NHS financial year.
  int window_days = 15;       // Forums fall on days 1..window_days of month 1.
  bool allow_weekends = false;
  int max_forums_per_day = 1;
  std::vector<DateRange> blackouts;  // No forum on these days.
  HolidayOverrides holidays;         // On top of the England & Wales rules.

  // Times.
  std::vector<TimeOfDay> daytime_slots{{10 * 60 + 30}, {13 * 60 + 30}};
  TimeOfDay evening_start{18 * 60 + 30};
  MeetingShape meeting;

  // Rotation of formats.
  RotationOptions rotation;

  // Places.
  std::vector<std::string> required_venue_features{"wifi", "step-free",
                                                   "hearing-loop"};
  std::string default_joining_link;
  std::string travel_note;  // e.g. how travel is reimbursed.
  // How to join a virtual forum by telephone ("Ring 020 ... and give the
  // code ..."): on posters, for people without a computer. "" = none.
  std::string join_by_phone;
  // Whom to ring with questions, with the number: on every poster.
  std::string contact;
  std::vector<Area> areas;  // The five place-based areas, in config order.
  Area evening_forum;       // evening == true.

  // The rest of the quarter.
  DevelopmentGroupOptions development_group;
  int board_report_working_day = -1;              // Each month; -1 = last.
  int newsletter_copy_deadline_working_day = 10;  // Month 3.
  int newsletter_publication_working_day = 15;    // Month 3.
  // How to get involved, printed at the end of every newsletter: short
  // paragraphs, one idea each (contacts, other ways to give feedback).
  std::vector<std::string> newsletter_get_involved;

  // The feedback board and the agreed response times.
  BoardOptions board;

  // The web server.
  ServerConfig server;

  // The six forums: the areas then the evening forum.
  std::vector<const Area*> Forums() const;
  // The area whose name, slug or one of whose aliases is `name_or_slug`
  // (SameName), or nullptr. Names and slugs win over aliases.
  const Area* FindArea(const std::string& name_or_slug) const;
  // The area's display name for a name or slug; the text itself if unknown.
  std::string AreaName(const std::string& name_or_slug) const;
  // The venue named `name` (SameName) in any area, or nullptr.
  const Venue* FindVenue(const std::string& name) const;
  HolidayCalendar MakeHolidayCalendar() const;
};

// Configured names (forums and their slugs, venues, themes, teams) match
// the way people type them: blanks around a name are ignored and ASCII
// letters match in either case ("Access", "pals", "EAST SURREY"); other
// characters, accented letters included, must match exactly. Loading a
// configuration refuses two names that would match each other, so a match
// is never ambiguous.
bool SameName(const std::string& a, const std::string& b);
// The configured spelling of `given` among `names`, if it matches one.
std::optional<std::string> MatchName(const std::vector<std::string>& names,
                                     const std::string& given);

// Parses and validates configuration text. `source` names it in errors.
Config ParseConfig(const std::string& yaml_text, const std::string& source);

// Reads and parses a configuration file.
Config LoadConfigFile(const std::string& path);

// The default configuration compiled into the binary (config/focus.yaml).
const std::string& EmbeddedDefaultConfig();

// "East Surrey" -> "east-surrey"; "Guildford & Waverley" ->
// "guildford-waverley".
std::string Slugify(const std::string& name);

// A venue feature in words for the public: "wifi" -> "Wi-Fi",
// "step-free" -> "step-free access"; any other feature with its dashes as
// spaces ("quiet-room" -> "quiet room"). Every output that describes a
// venue (calendar, web pages, newsletter, posters) uses these words.
std::string VenueFeatureWords(const std::string& feature);

}  // namespace focus

#endif  // FOCUS_CONFIG_H_
