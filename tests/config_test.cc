// Tests for the configuration loader: the shipped default configuration,
// defaults for a small file, and the exact error messages a coordinator sees.
#include "focus/config.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "focus/error.h"
#include "focus/file_system.h"
#include "focus/local_time.h"
#include "test_util.h"

namespace focus {
namespace {

const std::string kSourceDir = FOCUS_SOURCE_DIR;
const std::string kDefaultConfigPath = kSourceDir + "/config/focus.yaml";
const std::string kTestData = kSourceDir + "/tests/testdata/config/";

// Everything in a Config except `source`, as text, so two configurations can
// be compared field by field with a readable diff when they differ.
std::string Dump(const Config& c) {
  std::ostringstream out;
  auto ranges = [&](const std::vector<DateRange>& rs) {
    for (const DateRange& r : rs) {
      out << " [" << FormatIsoDate(r.first) << ".." << FormatIsoDate(r.last)
          << " " << r.reason << "]";
    }
    out << "\n";
  };
  out << "organisation=" << c.organisation << "\nseries=" << c.series_name
      << "\nuid_domain=" << c.uid_domain
      << "\ndtstamp=" << (c.dtstamp ? std::to_string(*c.dtstamp) : "none")
      << "\nfirst_round_month=" << c.first_round_month
      << "\nwindow_days=" << c.window_days
      << "\nallow_weekends=" << c.allow_weekends
      << "\nmax_forums_per_day=" << c.max_forums_per_day << "\nblackouts=";
  ranges(c.blackouts);
  out << "holidays.extra=";
  for (const Holiday& h : c.holidays.extra) {
    out << " [" << FormatIsoDate(h.date) << " " << h.name << "]";
  }
  out << "\nholidays.cancelled=";
  for (Date d : c.holidays.cancelled) out << " " << FormatIsoDate(d);
  out << "\ndaytime_slots=";
  for (TimeOfDay t : c.daytime_slots) out << " " << FormatTimeOfDay(t);
  const MeetingShape& m = c.meeting;
  out << "\nevening_start=" << FormatTimeOfDay(c.evening_start)
      << "\nmeeting=" << m.pre_meeting_minutes << " " << m.part1_minutes << " "
      << m.online_break_minutes << " " << m.social_minutes << " "
      << m.part2_minutes << " " << m.pals_clinic_minutes << "\nrotation="
      << (c.rotation.mode == RotationMode::kTable ? "table" : "balanced") << " "
      << c.rotation.start_year;
  for (const auto& row : c.rotation.table) {
    out << " [";
    for (const std::string& name : row) out << name << ";";
    out << "]";
  }
  out << "\nrequired_features=";
  for (const std::string& f : c.required_venue_features) out << " " << f;
  out << "\ndefault_joining_link=" << c.default_joining_link
      << "\ntravel_note=" << c.travel_note << "\n";
  for (const Area* a : c.Forums()) {
    out << "forum " << a->name << " slug=" << a->slug
        << " evening=" << a->evening << " link=" << a->joining_link << "\n";
    for (const Venue& v : a->venues) {
      out << "  venue " << v.name << " | " << v.address << " | " << v.notes
          << " | features:";
      for (const std::string& f : v.features) out << " " << f;
      out << " | weekdays:";
      for (int d : v.available_weekdays) out << " " << d;
      out << " | unavailable:";
      ranges(v.unavailable);
    }
  }
  const DevelopmentGroupOptions& d = c.development_group;
  out << "development_group="
      << (d.weekday ? std::to_string(*d.weekday) : "any") << " "
      << FormatTimeOfDay(d.start) << " " << d.duration_minutes << " "
      << d.location << "\nboard_report=" << c.board_report_working_day
      << "\nnewsletter=" << c.newsletter_copy_deadline_working_day << " "
      << c.newsletter_publication_working_day << "\n";
  for (const std::string& line : c.newsletter_get_involved) {
    out << "get_involved: " << line << "\n";
  }
  const BoardOptions& b = c.board;
  auto rule = [&](const SlaRule& r) {
    out << " " << r.acknowledge_days << "/" << r.answer_days;
  };
  out << "board.themes=";
  for (const std::string& t : b.themes) out << " [" << t << "]";
  out << "\nboard.teams=";
  for (const std::string& t : b.teams) out << " [" << t << "]";
  out << "\nboard.default_team=" << b.default_team
      << "\nboard.max_chars=" << b.max_title_chars << " " << b.max_text_chars
      << "\nboard.response_times=";
  rule(b.response_times);
  out << " due_soon=" << b.due_soon_working_days << "\nboard.by_theme=";
  for (const auto& [theme, r] : b.response_times_by_theme) {
    out << " [" << theme << "]";
    rule(r);
  }
  out << "\nboard.by_team=";
  for (const auto& [team, r] : b.response_times_by_team) {
    out << " [" << team << "]";
    rule(r);
  }
  out << "\nboard.trello_lists=";
  for (const auto& [list, state] : b.trello_lists) {
    out << " [" << list << " -> " << state << "]";
  }
  out << "\n";
  return out.str();
}

std::vector<std::string> Names(const Config& c) {
  std::vector<std::string> names;
  for (const Area* a : c.Forums()) names.push_back(a->name);
  return names;
}

// The five default areas, each with one qualifying venue, and nothing else.
const char kMinimal[] = R"(areas:
  - name: East Surrey
    venues: [{name: Hall E, address: "1 High St, Redhill RH1 1AA", features: [wifi, step-free, hearing-loop]}]
  - name: Northwest Surrey
    venues: [{name: Hall NW, address: "1 High St, Woking GU21 1AA", features: [wifi, step-free, hearing-loop]}]
  - name: Surrey Downs
    venues: [{name: Hall SD, address: "1 High St, Epsom KT19 1AA", features: [wifi, step-free, hearing-loop]}]
  - name: Guildford & Waverley
    venues: [{name: Hall GW, address: "1 High St, Guildford GU1 1AA", features: [wifi, step-free, hearing-loop]}]
  - name: Farnham & Northeast Hants
    venues: [{name: Hall F, address: "1 High St, Farnham GU9 1AA", features: [wifi, step-free, hearing-loop]}]
evening_forum: {name: Surrey-wide evening forum}
)";

TEST(DefaultConfigTest, LoadsWithTheSixForumsInOrder) {
  const Config c = LoadConfigFile(kDefaultConfigPath);
  EXPECT_EQ(c.source, kDefaultConfigPath);
  EXPECT_EQ(Names(c), (std::vector<std::string>{
                          "East Surrey", "Northwest Surrey", "Surrey Downs",
                          "Guildford & Waverley", "Farnham & Northeast Hants",
                          "Surrey-wide evening forum"}));
  ASSERT_EQ(c.areas.size(), 5u);
  for (const Area& a : c.areas) {
    EXPECT_FALSE(a.evening) << a.name;
    EXPECT_EQ(a.slug, Slugify(a.name));
    EXPECT_EQ(a.joining_link, "https://forums.example.org/" + a.slug);
    EXPECT_GE(a.venues.size(), 1u) << a.name;
    for (const Venue& v : a.venues) {
      EXPECT_FALSE(v.address.empty()) << v.name;
    }
  }
  EXPECT_TRUE(c.evening_forum.evening);
  EXPECT_EQ(c.evening_forum.slug, "surrey-wide-evening");
  EXPECT_TRUE(c.evening_forum.venues.empty());
  EXPECT_EQ(c.evening_forum.joining_link,
            "https://forums.example.org/surrey-wide-evening");
}

TEST(DefaultConfigTest, HasTheExcerptRotationTable) {
  const Config c = LoadConfigFile(kDefaultConfigPath);
  EXPECT_EQ(c.rotation.mode, RotationMode::kTable);
  EXPECT_EQ(c.rotation.start_year, 2026);
  EXPECT_EQ(c.rotation.table, (std::vector<std::vector<std::string>>{
                                  {"East Surrey", "Northwest Surrey"},
                                  {"Surrey Downs", "Guildford & Waverley"},
                                  {"Farnham & Northeast Hants", "East Surrey"},
                                  {"Northwest Surrey", "Surrey Downs"}}));
}

TEST(DefaultConfigTest, HasTheModelsSettings) {
  const Config c = LoadConfigFile(kDefaultConfigPath);
  EXPECT_EQ(c.organisation,
            "Surrey and Borders Partnership NHS Foundation Trust");
  EXPECT_EQ(c.uid_domain, "focus.sabp.example");
  ASSERT_TRUE(c.dtstamp.has_value());
  EXPECT_EQ(*c.dtstamp, 1793491200);  // 2026-11-01T00:00:00Z
  EXPECT_EQ(c.first_round_month, 1);
  EXPECT_EQ(c.window_days, 15);
  EXPECT_FALSE(c.allow_weekends);
  EXPECT_EQ(c.daytime_slots,
            (std::vector<TimeOfDay>{{10 * 60 + 30}, {13 * 60 + 30}}));
  EXPECT_EQ(c.evening_start, TimeOfDay{18 * 60 + 30});
  EXPECT_EQ(c.meeting.part1_minutes, 45);
  EXPECT_EQ(c.meeting.online_break_minutes, 15);
  EXPECT_EQ(c.meeting.social_minutes, 30);
  EXPECT_EQ(c.meeting.part2_minutes, 45);
  EXPECT_EQ(c.required_venue_features,
            (std::vector<std::string>{"wifi", "step-free", "hearing-loop"}));
  EXPECT_NE(c.travel_note.find("BACS"), std::string::npos);
  EXPECT_NE(c.travel_note.find("axi"), std::string::npos);
  EXPECT_EQ(c.development_group.weekday, 4);  // Thursday.
  EXPECT_EQ(c.development_group.start, TimeOfDay{14 * 60});
  EXPECT_EQ(c.development_group.duration_minutes, 120);
  EXPECT_NE(c.development_group.location.find("Leatherhead KT22 7AD"),
            std::string::npos);
  EXPECT_EQ(c.board_report_working_day, -1);
  EXPECT_EQ(c.newsletter_copy_deadline_working_day, 10);
  EXPECT_EQ(c.newsletter_publication_working_day, 15);
  // The 2022 move of the spring bank holiday and the one-off days.
  EXPECT_EQ(c.holidays.cancelled, (std::vector<Date>{Date(2022, 5, 30)}));
  EXPECT_EQ(c.holidays.extra.size(), 4u);
  EXPECT_EQ(c.MakeHolidayCalendar().HolidayName(Date(2023, 5, 8)),
            "Coronation of King Charles III");
}

TEST(DefaultConfigTest, HasTheBoardSettings) {
  const BoardOptions b = LoadConfigFile(kDefaultConfigPath).board;
  EXPECT_EQ(b.themes,
            (std::vector<std::string>{
                "access", "communication", "carers", "crisis care",
                "medication", "waiting times", "care planning", "discharge",
                "physical health", "staff attitude", "environment", "other"}));
  EXPECT_EQ(b.teams, (std::vector<std::string>{
                         "CMHRS East Surrey", "CMHRS Northwest Surrey",
                         "CMHRS Surrey Downs", "CMHRS Guildford & Waverley",
                         "CMHRS Farnham & Northeast Hants", "Crisis Line",
                         "Home Treatment Teams", "Inpatient Services", "PALS",
                         "Carers Support", "Pharmacy", "Estates and Facilities",
                         "Communications", "Trust Board"}));
  EXPECT_EQ(b.default_team, "PALS");
  EXPECT_EQ(b.max_title_chars, 120u);
  EXPECT_EQ(b.max_text_chars, 2000u);
  EXPECT_EQ(b.response_times.acknowledge_days, 5);
  EXPECT_EQ(b.response_times.answer_days, 20);
  EXPECT_EQ(b.due_soon_working_days, 5);
  ASSERT_EQ(b.response_times_by_theme.size(), 1u);
  const SlaRule& crisis = b.response_times_by_theme.at("crisis care");
  EXPECT_EQ(crisis.acknowledge_days, 2);
  EXPECT_EQ(crisis.answer_days, 10);
  EXPECT_TRUE(b.response_times_by_team.empty());
  EXPECT_EQ(b.trello_lists,
            (std::map<std::string, std::string>{
                {"Raised at forums", "raised"},
                {"Sent to the Trust", "sent-to-trust"},
                {"You said, we are doing", "in-progress"},
                {"Waiting for the forum", "waiting-for-forum"},
                {"Escalated to the Development Group", "escalated"},
                {"Answered", "answered"},
                {"You said, we did", "closed"},
                {"Declined", "declined"}}));
}

TEST(DefaultConfigTest, OneSecondaryVenueLacksARequiredFeature) {
  // So that the venue choice (first venue with every required feature) is
  // exercised by the default configuration.
  const Config c = LoadConfigFile(kDefaultConfigPath);
  int lacking = 0;
  for (const Area& a : c.areas) {
    const Venue& first = a.venues.front();
    for (const std::string& f : c.required_venue_features) {
      EXPECT_NE(std::find(first.features.begin(), first.features.end(), f),
                first.features.end())
          << first.name << " lacks " << f;
    }
    for (size_t i = 1; i < a.venues.size(); ++i) {
      for (const std::string& f : c.required_venue_features) {
        const auto& fs = a.venues[i].features;
        if (std::find(fs.begin(), fs.end(), f) == fs.end()) ++lacking;
      }
    }
  }
  EXPECT_EQ(lacking, 1);
}

TEST(DefaultConfigTest, EmbeddedCopyParsesIdentically) {
  const Config from_file = LoadConfigFile(kDefaultConfigPath);
  const Config embedded =
      ParseConfig(EmbeddedDefaultConfig(), "built-in configuration");
  EXPECT_EQ(embedded.source, "built-in configuration");
  EXPECT_EQ(Dump(embedded), Dump(from_file));
  EXPECT_EQ(EmbeddedDefaultConfig().find(")FOCUSYAML\""), std::string::npos);
}

TEST(ConfigDefaultsTest, MinimalConfigGetsTheStructDefaults) {
  const Config c = ParseConfig(kMinimal, "min.yaml");
  Config expected;
  expected.source = "min.yaml";
  const char* names[] = {"East Surrey", "Northwest Surrey", "Surrey Downs",
                         "Guildford & Waverley", "Farnham & Northeast Hants"};
  const char* towns[] = {"E", "NW", "SD", "GW", "F"};
  const char* addresses[] = {
      "1 High St, Redhill RH1 1AA", "1 High St, Woking GU21 1AA",
      "1 High St, Epsom KT19 1AA", "1 High St, Guildford GU1 1AA",
      "1 High St, Farnham GU9 1AA"};
  for (int i = 0; i < 5; ++i) {
    Area a;
    a.name = names[i];
    a.slug = Slugify(names[i]);
    Venue v;
    v.name = std::string("Hall ") + towns[i];
    v.address = addresses[i];
    v.features = {"wifi", "step-free", "hearing-loop"};
    a.venues.push_back(v);
    expected.areas.push_back(a);
  }
  expected.evening_forum.name = "Surrey-wide evening forum";
  expected.evening_forum.slug = "surrey-wide-evening-forum";
  expected.evening_forum.evening = true;
  // Without a table the excerpt's table applies to the default areas.
  expected.rotation.table = {{"East Surrey", "Northwest Surrey"},
                             {"Surrey Downs", "Guildford & Waverley"},
                             {"Farnham & Northeast Hants", "East Surrey"},
                             {"Northwest Surrey", "Surrey Downs"}};
  EXPECT_EQ(Dump(c), Dump(expected));
  EXPECT_FALSE(c.dtstamp.has_value());
  EXPECT_FALSE(c.development_group.weekday.has_value());
}

TEST(ConfigDefaultsTest, EmptySectionsKeepTheirDefaults) {
  const Config c = ParseConfig(
      std::string("year:\ntimes:\nmeeting: {}\nblackouts:\n") + kMinimal,
      "cfg.yaml");
  EXPECT_EQ(Dump(c), Dump(ParseConfig(kMinimal, "cfg.yaml")));
}

TEST(ConfigDefaultsTest, NoBoardSectionLeavesTheBoardWithoutTeams) {
  // Allowed: the board commands refuse tickets and say why.
  const BoardOptions b = ParseConfig(kMinimal, "cfg.yaml").board;
  EXPECT_TRUE(b.teams.empty());
  EXPECT_EQ(b.themes, BoardOptions().themes);
  EXPECT_EQ(b.default_team, "");
  EXPECT_EQ(b.response_times.acknowledge_days, 5);
  EXPECT_EQ(b.response_times.answer_days, 20);
  EXPECT_EQ(b.due_soon_working_days, 5);
  EXPECT_TRUE(b.response_times_by_theme.empty());
  EXPECT_TRUE(b.response_times_by_team.empty());
  EXPECT_TRUE(b.trello_lists.empty());
}

TEST(ConfigDefaultsTest, BoardWithOnlyThemesAndTeams) {
  const BoardOptions b =
      ParseConfig(std::string("board:\n  themes: [access]\n  teams: [PALS]\n") +
                      kMinimal,
                  "cfg.yaml")
          .board;
  BoardOptions expected;
  expected.themes = {"access"};
  expected.teams = {"PALS"};
  Config got, want;
  got.board = b;
  want.board = expected;
  EXPECT_EQ(Dump(got), Dump(want));
}

TEST(ConfigDefaultsTest, ReminderSettingsAreReadAndOptional) {
  const std::string board =
      "board:\n  themes: [access]\n  teams: [PALS, Crisis Line]\n";
  const BoardOptions none = ParseConfig(board + kMinimal, "cfg.yaml").board;
  EXPECT_EQ(none.remind_days, 5);
  EXPECT_EQ(none.escalate_after_days, 10);
  EXPECT_TRUE(none.team_contacts.empty());
  EXPECT_EQ(none.coordinators_contact, "");
  EXPECT_EQ(none.reminders_from, "");
  EXPECT_EQ(none.site_url, "");
  const BoardOptions b =
      ParseConfig(board +
                      "  remind_days: 3\n  escalate_after_days: 0\n"
                      "  team_contacts: {pals: pals@example.org}\n"
                      "  coordinators_contact: focus@example.org\n"
                      "  reminders_from: noreply@example.org\n"
                      "  site_url: https://focus.example.org//\n" +
                      kMinimal,
                  "cfg.yaml")
          .board;
  EXPECT_EQ(b.remind_days, 3);
  EXPECT_EQ(b.escalate_after_days, 0);
  // Kept under the configured spelling, which tickets carry.
  EXPECT_EQ(b.team_contacts,
            (std::map<std::string, std::string>{{"PALS", "pals@example.org"}}));
  EXPECT_EQ(b.coordinators_contact, "focus@example.org");
  EXPECT_EQ(b.reminders_from, "noreply@example.org");
  EXPECT_EQ(b.site_url, "https://focus.example.org");
}

TEST(ConfigDefaultsTest, ResponseTimeOverridesInheritTheGeneralTimes) {
  // The general times apply to what an override leaves out, wherever they
  // are written in the section.
  const BoardOptions b = ParseConfig(std::string(R"(board:
  themes: [access, carers]
  teams: [PALS, Pharmacy]
  default_team: ""
  response_times:
    by_theme:
      Carers: {answer_days: 30}
      access: {}
    by_team:
      pharmacy: {acknowledge_days: 1}
    acknowledge_days: 3
    answer_days: 25
    due_soon_days: 0
)") + kMinimal,
                                     "cfg.yaml")
                             .board;
  // Names are kept as written; overrides take the configured spelling.
  EXPECT_EQ(b.themes, (std::vector<std::string>{"access", "carers"}));
  EXPECT_EQ(b.default_team, "");
  EXPECT_EQ(b.due_soon_working_days, 0);
  ASSERT_EQ(b.response_times_by_theme.size(), 2u);
  EXPECT_EQ(b.response_times_by_theme.at("carers").acknowledge_days, 3);
  EXPECT_EQ(b.response_times_by_theme.at("carers").answer_days, 30);
  EXPECT_EQ(b.response_times_by_theme.at("access").acknowledge_days, 3);
  EXPECT_EQ(b.response_times_by_theme.at("access").answer_days, 25);
  ASSERT_EQ(b.response_times_by_team.size(), 1u);
  EXPECT_EQ(b.response_times_by_team.at("Pharmacy").acknowledge_days, 1);
  EXPECT_EQ(b.response_times_by_team.at("Pharmacy").answer_days, 25);
}

TEST(ConfigDefaultsTest, JoiningLinksInheritTheDefault) {
  const Config c = ParseConfig(
      std::string("virtual: {joining_link: \"https://meet.example.org/x\"}\n") +
          R"(rotation: {table: [[a]]}
areas:
  - name: A
    joining_link: https://meet.example.org/a
    venues: [{name: V, address: "x", features: [wifi, step-free, hearing-loop]}]
  - name: B
    venues: [{name: W, address: "y", features: [wifi, step-free, hearing-loop]}]
evening_forum: {name: Evening}
)",
      "cfg.yaml");
  EXPECT_EQ(c.areas[0].joining_link, "https://meet.example.org/a");
  EXPECT_EQ(c.areas[1].joining_link, "https://meet.example.org/x");
  EXPECT_EQ(c.evening_forum.joining_link, "https://meet.example.org/x");
  // Table entries may be slugs; the names are kept.
  EXPECT_EQ(c.rotation.table, (std::vector<std::vector<std::string>>{{"A"}}));
}

TEST(ConfigParseTest, ReadsEverySettingFromAFixture) {
  const std::string path = kTestData + "full.yaml";
  const Config c = LoadConfigFile(path);
  EXPECT_EQ(c.organisation, "Example Trust");
  EXPECT_EQ(c.series_name, "Example Forums");
  EXPECT_EQ(c.uid_domain, "forums.example.org");
  EXPECT_EQ(c.first_round_month, 4);
  EXPECT_EQ(c.window_days, 10);
  EXPECT_TRUE(c.allow_weekends);
  EXPECT_EQ(c.max_forums_per_day, 2);
  ASSERT_EQ(c.blackouts.size(), 3u);
  EXPECT_EQ(c.blackouts[0].first, Date(2027, 1, 4));
  EXPECT_EQ(c.blackouts[0].last, Date(2027, 1, 4));
  EXPECT_EQ(c.blackouts[1].first, Date(2027, 12, 21));
  EXPECT_EQ(c.blackouts[1].last, Date(2028, 1, 2));
  EXPECT_EQ(c.blackouts[1].reason, "Trust closure");
  EXPECT_EQ(c.blackouts[2].first, Date(2027, 6, 10));
  EXPECT_EQ(c.blackouts[2].reason, "Trust AGM");
  ASSERT_EQ(c.holidays.extra.size(), 2u);
  EXPECT_EQ(c.holidays.extra[1].name, "Bank holiday");
  EXPECT_EQ(c.daytime_slots.size(), 3u);
  EXPECT_EQ(c.evening_start, TimeOfDay{19 * 60});
  EXPECT_EQ(c.meeting.pre_meeting_minutes, 20);
  EXPECT_EQ(c.meeting.online_break_minutes, 10);
  EXPECT_EQ(c.meeting.pals_clinic_minutes, 0);
  EXPECT_EQ(c.rotation.mode, RotationMode::kBalanced);
  EXPECT_EQ(c.rotation.start_year, 2027);
  EXPECT_EQ(c.required_venue_features,
            (std::vector<std::string>{"wifi", "quiet-room"}));
  EXPECT_EQ(c.areas[0].slug, "north-side");
  const Venue* v = c.FindVenue("North Hall");
  ASSERT_NE(v, nullptr);
  EXPECT_EQ(v->available_weekdays, (std::vector<int>{2, 4}));
  ASSERT_EQ(v->unavailable.size(), 2u);
  EXPECT_EQ(v->unavailable[1].reason, "Refurbishment");
  EXPECT_EQ(v->notes, "Parking behind the hall.");
  EXPECT_EQ(c.evening_forum.slug, "evening");
  EXPECT_FALSE(c.development_group.weekday.has_value());
  EXPECT_EQ(c.development_group.duration_minutes, 90);
  EXPECT_EQ(c.board_report_working_day, 3);
  EXPECT_EQ(c.newsletter_copy_deadline_working_day, 5);
  EXPECT_EQ(c.newsletter_publication_working_day, 12);
  EXPECT_EQ(
      c.newsletter_get_involved,
      (std::vector<std::string>{"Ring 01234 567890.", "Come to any forum."}));
  const BoardOptions& b = c.board;
  EXPECT_EQ(b.themes, (std::vector<std::string>{"Access", "Parking"}));
  EXPECT_EQ(b.teams, (std::vector<std::string>{"Helpdesk", "Estates"}));
  EXPECT_EQ(b.default_team, "Helpdesk");
  EXPECT_EQ(b.max_title_chars, 80u);
  EXPECT_EQ(b.max_text_chars, 500u);
  EXPECT_EQ(b.response_times.acknowledge_days, 3);
  EXPECT_EQ(b.response_times.answer_days, 15);
  EXPECT_EQ(b.due_soon_working_days, 4);
  ASSERT_EQ(b.response_times_by_theme.size(), 1u);
  EXPECT_EQ(b.response_times_by_theme.at("Parking").acknowledge_days, 3);
  EXPECT_EQ(b.response_times_by_theme.at("Parking").answer_days, 30);
  ASSERT_EQ(b.response_times_by_team.size(), 1u);
  EXPECT_EQ(b.response_times_by_team.at("Estates").acknowledge_days, 1);
  EXPECT_EQ(b.response_times_by_team.at("Estates").answer_days, 10);
  EXPECT_EQ(b.trello_lists, (std::map<std::string, std::string>{
                                {"To do", "raised"},
                                {"Doing", "in-progress"},
                                {"Done: published", "closed"}}));
}

TEST(ConfigParseTest, MissingFileIsAnIoError) {
  const std::string path = kTestData + "no-such-file.yaml";
  try {
    LoadConfigFile(path);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kIo);
    EXPECT_EQ(std::string(e.what()),
              "cannot read " + path + ": No such file or directory");
  }
}

TEST(ConfigParseTest, FolderIsAnIoError) {
  try {
    LoadConfigFile(kTestData);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kIo);
    EXPECT_EQ(std::string(e.what()),
              "cannot read " + kTestData + ": it is a folder, not a file");
  }
}

TEST(ConfigParseTest, FileErrorsNameTheFile) {
  const std::string path = kTestData + "bad_venue_features.yaml";
  try {
    LoadConfigFile(path);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kInvalidInput);
    EXPECT_EQ(std::string(e.what()),
              path +
                  ":12: areas[1] (Surrey Downs): no venue has hearing-loop "
                  "(required by venues.required_features); add the feature "
                  "to a venue or add a venue that has it");
  }
}

// A valid ending for the error cases below: two custom areas, so line
// numbers in the cases only depend on what comes before it.
const char kTail[] = R"(rotation:
  table: [[North], [South]]
areas:
  - name: North
    venues: [{name: Hall N, address: "1 North St, Town AB1 2CD", features: [wifi, step-free, hearing-loop]}]
  - name: South
    venues: [{name: Hall S, address: "1 South St, Town AB1 2CE", features: [wifi, step-free, hearing-loop]}]
evening_forum: {name: Evening}
)";

struct BadCase {
  const char* name;
  std::string yaml;
  std::string error;
};

// Names the case in gtest's failure output instead of dumping its bytes.
void PrintTo(const BadCase& c, std::ostream* os) { *os << c.name; }

class BadConfigTest : public testing::TestWithParam<BadCase> {};

TEST_P(BadConfigTest, GivesTheExactError) {
  const BadCase& c = GetParam();
  try {
    ParseConfig(c.yaml, "cfg.yaml");
    FAIL() << "no error for:\n" << c.yaml;
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kInvalidInput);
    EXPECT_EQ(std::string(e.what()), c.error);
  }
}

std::string WithTail(const std::string& head) { return head + kTail; }

// A board section on lines 1-3 followed by `rest` (from line 4) and kTail.
std::string WithBoard(const std::string& rest) {
  return "board:\n  themes: [access, crisis care]\n"
         "  teams: [PALS, Crisis Line]\n" +
         rest + kTail;
}

TEST(ConfigTest, ReadsTheServerSection) {
  const Config none = ParseConfig(WithTail(""), "cfg.yaml");
  EXPECT_EQ(none.server.public_url, "");
  EXPECT_TRUE(none.server.trusted_proxies.empty());
  const Config c =
      ParseConfig(WithTail("server:\n  public_url: https://focus.example.org\n"
                           "  trusted_proxies: [127.0.0.1, \"::1\"]\n"),
                  "cfg.yaml");
  EXPECT_EQ(c.server.public_url, "https://focus.example.org");
  EXPECT_EQ(c.server.trusted_proxies,
            (std::vector<std::string>{"127.0.0.1", "::1"}));
}

const char kStates[] =
    "raised, sent-to-trust, in-progress, waiting-for-forum, escalated, "
    "answered, closed, declined";

const char kTopKeys[] =
    "organisation, calendar, year, blackouts, holidays, times, meeting, "
    "rotation, venues, virtual, areas, evening_forum, development_group, "
    "board_report, newsletter, board, server";

INSTANTIATE_TEST_SUITE_P(
    Errors, BadConfigTest,
    testing::Values(
        // Malformed YAML: yaml-cpp's message, our position format.
        BadCase{"MalformedFlowList",
                "times:\n  daytime_slots: [\"10:30\", \"13:30\"\n"
                "  evening_start: \"18:30\"\n",
                "cfg.yaml:3:3: malformed YAML: end of sequence flow not "
                "found"},
        BadCase{"MalformedUnterminatedQuote", WithTail("year: {x: 'abc}\n"),
                "cfg.yaml:10:1: malformed YAML: end of map flow not found"},
        BadCase{"MalformedMapValue",
                "organisation:\n  name: Trust: uid_domain: x\n",
                "cfg.yaml:2:14: malformed YAML: illegal map value"},
        BadCase{"MalformedTab", "year:\n\twindow_days: 10\n",
                "cfg.yaml:2:1: malformed YAML: a tab is used for indentation; "
                "indent with spaces only"},
        // Found by config_fuzz (corpus/config_fuzz/timeout-stray-comma.yaml):
        // yaml-cpp 0.7's LoadAll looped for ever, growing, on a stray ','.
        BadCase{"MalformedStrayComma", "\n,#",
                "cfg.yaml:2:1: malformed YAML: unexpected ',' outside a [ ] "
                "or { } list"},
        BadCase{"MalformedStrayCommaAfterDocument", "year: {}\n---\n,\n",
                "cfg.yaml:3:1: malformed YAML: unexpected ',' outside a [ ] "
                "or { } list"},
        // Found by config_fuzz (crash-escape-newline-message.yaml): a NUL
        // byte gave yaml-cpp's "unknown escape character: " and a raw
        // newline, a message of two lines.
        BadCase{"NulByte", std::string("a: [b]\0\nc: d\n", 13),
                "cfg.yaml:1:7: a NUL byte (\\0) is not allowed in a "
                "configuration file"},
        // Found by config_fuzz (crash-multiline-key-message.yaml): a key
        // that spans lines made an error message of several lines.
        BadCase{
            "UnknownMultiLineKey", "\"a\\nb\\tc\": 1\n",
            std::string("cfg.yaml:1: a\\nb\\tc: unknown key (valid keys: ") +
                kTopKeys + ")"},
        BadCase{"MalformedTwoDocuments", "year: {}\n---\nyear: {}\n",
                "cfg.yaml:3: malformed YAML: a second YAML document starts "
                "here; the configuration must be a single document"},
        BadCase{"NotAMapping", "- areas\n- evening_forum\n",
                "cfg.yaml:1: expected the configuration's sections "
                "(organisation:, areas:, ...), got a list"},
        // Unknown keys at several depths.
        BadCase{"UnknownTopLevelKey", WithTail("yaer: {}\n"),
                std::string("cfg.yaml:1: yaer: unknown key (valid keys: ") +
                    kTopKeys + ")"},
        BadCase{"UnknownYearKey",
                WithTail("# The year.\nyear:\n  windw_days: 10\n"),
                "cfg.yaml:3: year.windw_days: unknown key (valid keys: "
                "first_round_month, window_days, allow_weekends, "
                "max_forums_per_day)"},
        BadCase{"UnknownVenueKey",
                "areas:\n"
                "  - name: North\n"
                "    venues:\n"
                "      - name: Hall N\n"
                "        adress: 1 North St\n",
                "cfg.yaml:5: areas[0].venues[0].adress: unknown key (valid "
                "keys: name, address, features, notes, unavailable, "
                "available_weekdays)"},
        BadCase{"UnknownBlackoutKey",
                WithTail("blackouts:\n  - {from: 2027-01-04, until: "
                         "2027-01-05}\n"),
                "cfg.yaml:2: blackouts[0].until: unknown key (valid keys: "
                "date, from, to, reason)"},
        BadCase{"KeyGivenTwice",
                WithTail("year:\n  window_days: 10\n  window_days: 12\n"),
                "cfg.yaml:3: year.window_days: given twice (also on line "
                "2)"},
        // Required sections.
        BadCase{"NoAreas", "evening_forum: {name: Evening}\n",
                "cfg.yaml:1: areas: required (the list of place-based "
                "areas)"},
        BadCase{"EmptyFile", "",
                "cfg.yaml:1: areas: required (the list of place-based "
                "areas)"},
        BadCase{"NoEveningForum", "areas:\n  - name: North\n",
                "cfg.yaml:1: evening_forum: required (the Surrey-wide "
                "evening forum)"},
        // Areas and venues.
        BadCase{"DuplicateArea",
                "areas:\n  - name: North\n  - name: South\n  - name: North\n",
                "cfg.yaml:4: areas[2].name: 'North' is already the name of "
                "areas[0]; forum names must be unique"},
        BadCase{"DuplicateSlug",
                "areas:\n  - name: North Side\n  - name: north-side\n",
                "cfg.yaml:3: areas[1].name: 'north-side' is already the slug "
                "of areas[0] (North Side); a forum is found by its name or "
                "slug, so they must be unique"},
        BadCase{"DuplicateExplicitSlug",
                "areas:\n  - {name: North, slug: n}\n  - {name: South, slug: "
                "n}\n",
                "cfg.yaml:3: areas[1].slug: 'n' is already the slug of "
                "areas[0] (North); slugs must be unique"},
        BadCase{"BadSlug", "areas:\n  - {name: North, slug: North Side}\n",
                "cfg.yaml:2: areas[0].slug: 'North Side' is not a valid slug "
                "(use lower-case letters, digits and single hyphens, e.g. "
                "east-surrey)"},
        BadCase{"EveningForumNameClash",
                "areas:\n  - name: North\nevening_forum: {name: North}\n",
                "cfg.yaml:3: evening_forum.name: 'North' is already the name "
                "of areas[0]; forum names must be unique"},
        BadCase{"DuplicateVenue",
                "areas:\n"
                "  - name: North\n"
                "    venues: [{name: Hall, address: x}]\n"
                "  - name: South\n"
                "    venues: [{name: Hall, address: y}]\n",
                "cfg.yaml:5: areas[1].venues[0].name: 'Hall' is already the "
                "name of a venue in areas[0] (North); venue names must be "
                "unique"},
        BadCase{"VenueWithoutAddress",
                "areas:\n"
                "  - name: North\n"
                "    venues:\n"
                "      - name: Hall N\n"
                "        features: [wifi]\n",
                "cfg.yaml:4: areas[0].venues[0].address: required (every "
                "venue needs a full address with postcode; it goes in the "
                "calendar)"},
        BadCase{"VenueWithEmptyAddress",
                "areas:\n"
                "  - name: North\n"
                "    venues:\n"
                "      - name: Hall N\n"
                "        address:\n",
                "cfg.yaml:5: areas[0].venues[0].address: required (every "
                "venue needs a full address with postcode; it goes in the "
                "calendar)"},
        BadCase{"AreaWithoutQualifyingVenue",
                "areas:\n"
                "  - name: North\n"
                "    venues: [{name: N, address: x, features: [wifi, "
                "step-free, hearing-loop]}]\n"
                "  - name: South\n"
                "    venues:\n"
                "      - {name: S1, address: x, features: [wifi, step-free]}\n"
                "      - {name: S2, address: x, features: [step-free]}\n"
                "evening_forum: {name: Evening}\n"
                "rotation: {table: [[North]]}\n",
                "cfg.yaml:4: areas[1] (South): no venue has hearing-loop "
                "(required by venues.required_features); add the feature to "
                "a venue or add a venue that has it"},
        BadCase{"AreaWhoseVenuesEachLackSomething",
                "venues: {required_features: [wifi, hearing-loop]}\n"
                "areas:\n"
                "  - name: North\n"
                "    venues:\n"
                "      - {name: N1, address: x, features: [wifi]}\n"
                "      - {name: N2, address: x, features: [hearing-loop]}\n"
                "evening_forum: {name: Evening}\n"
                "rotation: {table: [[North]]}\n",
                "cfg.yaml:3: areas[0] (North): no venue has all of wifi and "
                "hearing-loop (required by venues.required_features); the "
                "closest, N1, lacks hearing-loop; add the missing feature to "
                "it or add a venue that has them all"},
        BadCase{"AreaWithoutVenues",
                "areas:\n  - name: North\nevening_forum: {name: Evening}\n"
                "rotation: {table: [[North]]}\n",
                "cfg.yaml:2: areas[0] (North): no venues listed; add at least "
                "one venue for its in-person forums with wifi, step-free and "
                "hearing-loop (required by venues.required_features)"},
        BadCase{"FeatureInUpperCase",
                "areas:\n  - name: North\n    venues: [{name: N, address: x, "
                "features: [WiFi]}]\n",
                "cfg.yaml:3: areas[0].venues[0].features[0]: 'WiFi' must be "
                "written in lower case with hyphens instead of spaces, e.g. "
                "hearing-loop"},
        BadCase{"BadJoiningLink",
                "virtual:\n  joining_link: forums.example.org/join\n",
                "cfg.yaml:2: virtual.joining_link: 'forums.example.org/join' "
                "is not a web address (expected https://..., e.g. "
                "https://forums.example.org/east-surrey)"},
        // Times.
        BadCase{"BadTimeOfDay",
                "# Line 1.\n#\n#\n#\n#\n#\n#\n#\n#\n#\n#\n"
                "times:\n  daytime_slots:\n    - \"10:30\"\n    - \"25:00\"\n",
                "cfg.yaml:15: times.daytime_slots[1]: '25:00' is not a time "
                "of day (expected HH:MM, 00:00-23:59)"},
        BadCase{"OneDaytimeSlot",
                WithTail("times: {daytime_slots: [\"10:30\"]}\n"),
                "cfg.yaml:1: times.daytime_slots: at least 2 different times "
                "are needed so that forums can alternate their time of day "
                "(got 1)"},
        BadCase{"RepeatedDaytimeSlot",
                WithTail("times: {daytime_slots: [\"10:30\", \"10:30\"]}\n"),
                "cfg.yaml:1: times.daytime_slots[1]: '10:30' is listed "
                "twice"},
        BadCase{"EveningBeforeDaytime",
                WithTail("times: {evening_start: \"12:00\"}\n"),
                "cfg.yaml:1: times.evening_start: 12:00 must be later than "
                "every daytime slot (the latest is 13:30)"},
        BadCase{"EveningRunsPastMidnight",
                WithTail("times:\n  evening_start: \"22:30\"\n"),
                "cfg.yaml:2: times.evening_start: a forum starting at 22:30 "
                "would run past midnight (with the meeting: settings it "
                "lasts 135 minutes)"},
        BadCase{"DaytimeRunsPastMidnight",
                WithTail("times:\n  daytime_slots: [\"10:30\", \"21:30\"]\n"
                         "  evening_start: \"21:45\"\n"),
                "cfg.yaml:2: times.daytime_slots[1]: a forum starting at 21:30 "
                "would run past midnight (with the meeting: settings it "
                "lasts 180 minutes)"},
        // Weekdays and dates.
        BadCase{"BadWeekday",
                WithTail("development_group:\n  weekday: Funday\n"),
                "cfg.yaml:2: development_group.weekday: 'Funday' is not a "
                "day of the week (expected Monday to Sunday)"},
        BadCase{"BadVenueWeekday",
                "areas:\n  - name: North\n    venues:\n      - name: N\n"
                "        address: x\n"
                "        available_weekdays: [Monday, Thursdy]\n",
                "cfg.yaml:6: areas[0].venues[0].available_weekdays[1]: "
                "'Thursdy' is not a day of the week (expected Monday to "
                "Sunday)"},
        BadCase{"InvalidDate", WithTail("blackouts:\n  - 2027-02-30\n"),
                "cfg.yaml:2: blackouts[0]: '2027-02-30' is not a valid date "
                "(expected YYYY-MM-DD, e.g. 2027-01-04)"},
        BadCase{"InvalidRangeDate",
                WithTail("blackouts:\n  - {from: 2027-02-01, to: 2027-2-3}\n"),
                "cfg.yaml:2: blackouts[0].to: '2027-2-3' is not a valid date "
                "(expected YYYY-MM-DD, e.g. 2027-01-04)"},
        BadCase{"BackwardsRange",
                WithTail("blackouts:\n  - from: 2027-12-21\n"
                         "    to: 2027-12-01\n"),
                "cfg.yaml:3: blackouts[0].to: 2027-12-01 is before from: "
                "2027-12-21"},
        BadCase{"RangeWithoutTo",
                WithTail("blackouts:\n  - {from: 2027-12-21, reason: x}\n"),
                "cfg.yaml:2: blackouts[0]: give either date: (one day) or "
                "both from: and to: (a range)"},
        BadCase{"CancelledDayIsNotAHoliday",
                WithTail("holidays:\n  cancelled: [2022-05-31]\n"),
                "cfg.yaml:2: holidays.cancelled[0]: 2022-05-31 is not a bank "
                "holiday by the England & Wales rules, so it cannot be "
                "cancelled"},
        // Found by config_fuzz: parsed, then refused by the calendar.
        BadCase{"ExtraHolidayBeforeTheRules",
                WithTail("holidays:\n  extra:\n"
                         "    - {date: 1497-06-02, name: Moved}\n"),
                "cfg.yaml:3: holidays.extra[0]: bank holidays are only known "
                "for the years 1583 to 9999, not 1497"},
        BadCase{"CancelledHolidayBeforeTheRules",
                WithTail("holidays:\n  cancelled: [1497-12-25]\n"),
                "cfg.yaml:2: holidays.cancelled[0]: bank holidays are only "
                "known for the years 1583 to 9999, not 1497"},
        BadCase{"ExtraHolidayTwice",
                WithTail("holidays:\n  extra: [2027-06-07, 2027-06-07]\n"),
                "cfg.yaml:2: holidays.extra[1]: extra bank holiday 2027-06-07 "
                "is listed twice"},
        BadCase{"ExtraHolidayIsARuleDay",
                WithTail("holidays:\n  extra: [2027-12-27]\n"),
                "cfg.yaml:2: holidays.extra[0]: extra bank holiday 2027-12-27 "
                "(Bank holiday) is already Christmas Day (substitute day)"},
        BadCase{"BadTimestamp",
                WithTail("calendar: {dtstamp: \"2026-11-01 00:00\"}\n"),
                "cfg.yaml:1: calendar.dtstamp: '2026-11-01 00:00' is not a "
                "UTC timestamp (expected YYYY-MM-DDTHH:MM:SSZ, e.g. "
                "2026-11-01T00:00:00Z)"},
        // Numbers and types.
        BadCase{"NegativeDuration", WithTail("meeting:\n  part1_minutes: -5\n"),
                "cfg.yaml:2: meeting.part1_minutes: must be between 0 and "
                "239 minutes, got -5"},
        BadCase{"DurationTooLong",
                WithTail("development_group: {duration_minutes: 240}\n"),
                "cfg.yaml:1: development_group.duration_minutes: must be "
                "between 1 and 239 minutes, got 240"},
        BadCase{"OnlineBreakTooLong",
                WithTail("meeting:\n  online_break_minutes: 20\n"),
                "cfg.yaml:2: meeting.online_break_minutes: must be between 10 "
                "and 15 minutes, got 20"},
        BadCase{"NotAWholeNumber", WithTail("year:\n  window_days: fifteen\n"),
                "cfg.yaml:2: year.window_days: expected a whole number, got "
                "'fifteen'"},
        BadCase{"FractionNotAWholeNumber",
                WithTail("year:\n  window_days: 1.5\n"),
                "cfg.yaml:2: year.window_days: expected a whole number, got "
                "'1.5'"},
        BadCase{"MissingNumber", WithTail("year:\n  window_days:\n"),
                "cfg.yaml:2: year.window_days: expected a whole number, got "
                "nothing"},
        BadCase{"NotABoolean", WithTail("year: {allow_weekends: maybe}\n"),
                "cfg.yaml:1: year.allow_weekends: expected true or false, got "
                "'maybe'"},
        BadCase{"NotAList", WithTail("times:\n  daytime_slots: \"10:30\"\n"),
                "cfg.yaml:2: times.daytime_slots: expected a list, got "
                "'10:30'"},
        BadCase{"NotASection", WithTail("year: 2027\n"),
                "cfg.yaml:1: year: expected keys and values (key: value), got "
                "'2027'"},
        BadCase{"TextExpected", WithTail("organisation:\n  name: [a, b]\n"),
                "cfg.yaml:2: organisation.name: expected text, got a list"},
        BadCase{"MonthOutOfRange", WithTail("year: {first_round_month: 13}\n"),
                "cfg.yaml:1: year.first_round_month: must be between 1 and "
                "12, got 13"},
        BadCase{"WindowOutOfRange", WithTail("year: {window_days: 29}\n"),
                "cfg.yaml:1: year.window_days: must be between 1 and 28, got "
                "29"},
        BadCase{"NoForumsPerDay", WithTail("year: {max_forums_per_day: 0}\n"),
                "cfg.yaml:1: year.max_forums_per_day: must be at least 1, got "
                "0"},
        BadCase{"EmptyUidDomain",
                WithTail("organisation: {uid_domain: \"\"}\n"),
                "cfg.yaml:1: organisation.uid_domain: must not be empty (it "
                "ends every calendar event's id, e.g. focus.example.org)"},
        BadCase{"BoardReportDayZero",
                WithTail("board_report: {working_day: 0}\n"),
                "cfg.yaml:1: board_report.working_day: must be 1 to 18, or -1 "
                "to -18 counting from the end of the month (-1 = the last "
                "working day), got 0"},
        BadCase{"NewsletterOutOfOrder",
                WithTail("newsletter: {copy_deadline_working_day: 15}\n"),
                "cfg.yaml:1: newsletter.copy_deadline_working_day: the copy "
                "deadline (working day 15) must come before publication "
                "(working day 15)"},
        BadCase{"GetInvolvedNotAList",
                WithTail("newsletter: {get_involved: Ring us.}\n"),
                "cfg.yaml:1: newsletter.get_involved: expected a list, got "
                "'Ring us.'"},
        BadCase{
            "GetInvolvedBlankItem",
            WithTail("newsletter:\n  get_involved: [\"Ring us.\", \" \"]\n"),
            "cfg.yaml:2: newsletter.get_involved[1]: required (a short "
            "paragraph on how to get involved)"},
        // The feedback board.
        BadCase{"BoardUnknownKey", WithBoard("  sla: {}\n"),
                "cfg.yaml:4: board.sla: unknown key (valid keys: themes, "
                "teams, default_team, max_title_chars, max_text_chars, "
                "response_times, trello_lists, remind_days, "
                "escalate_after_days, team_contacts, coordinators_contact, "
                "reminders_from, site_url)"},
        // Reminders (focus notify).
        BadCase{"RemindDaysTooMany", WithBoard("  remind_days: 61\n"),
                "cfg.yaml:4: board.remind_days: must be between 0 and 60 "
                "working days, got 61"},
        BadCase{"EscalateAfterNotANumber",
                WithBoard("  escalate_after_days: soon\n"),
                "cfg.yaml:4: board.escalate_after_days: expected a whole "
                "number, got 'soon'"},
        BadCase{"ContactForUnknownTeam",
                WithBoard("  team_contacts:\n    Pharmacy: p@example.org\n"),
                "cfg.yaml:5: board.team_contacts.Pharmacy: not a configured "
                "team (teams: PALS, Crisis Line)"},
        BadCase{"ContactGivenTwice",
                WithBoard("  team_contacts:\n    PALS: a@example.org\n"
                          "    pals: b@example.org\n"),
                "cfg.yaml:6: board.team_contacts.pals: given twice (as 'PALS': "
                "names match ignoring case)"},
        BadCase{"ContactNotAnAddress",
                WithBoard("  team_contacts:\n    PALS: PALS team\n"),
                "cfg.yaml:5: board.team_contacts.PALS: 'PALS team' is not an "
                "e-mail address (expected name@domain, e.g. "
                "pals@example.nhs.uk)"},
        BadCase{"ContactWithAHeaderInIt",
                WithBoard("  coordinators_contact: \"a@example.org\\nBcc: "
                          "x@example.org\"\n"),
                "cfg.yaml:4: board.coordinators_contact: 'a@example.org\\nBcc: "
                "x@example.org' is not an e-mail address (expected "
                "name@domain, e.g. pals@example.nhs.uk)"},
        BadCase{"FromEmpty", WithBoard("  reminders_from: \"\"\n"),
                "cfg.yaml:4: board.reminders_from: required (an e-mail "
                "address, e.g. pals@example.nhs.uk)"},
        BadCase{"TrustedProxyNotAnAddress",
                WithTail("server:\n  trusted_proxies: [127.0.0.1, nginx]\n"),
                "cfg.yaml:2: server.trusted_proxies[1]: 'nginx' is not an IP "
                "address (e.g. 127.0.0.1 or ::1)"},
        BadCase{"SiteUrlNotAWebAddress",
                WithBoard("  site_url: focus.example.org\n"),
                "cfg.yaml:4: board.site_url: 'focus.example.org' is not a web "
                "address (expected https://..., e.g. "
                "https://forums.example.org/east-surrey)"},
        BadCase{"BoardUnknownResponseTimesKey",
                WithBoard("  response_times:\n    answer_day: 20\n"),
                "cfg.yaml:5: board.response_times.answer_day: unknown key "
                "(valid keys: acknowledge_days, answer_days, due_soon_days, "
                "by_theme, by_team)"},
        BadCase{"BoardUnknownOverrideKey",
                WithBoard("  response_times:\n    by_theme:\n"
                          "      crisis care: {answer: 10}\n"),
                "cfg.yaml:6: board.response_times.by_theme.crisis "
                "care.answer: unknown key (valid keys: acknowledge_days, "
                "answer_days)"},
        BadCase{"BoardUnknownThemeInByTheme",
                WithBoard("  response_times:\n    by_theme:\n"
                          "      crisis-care: {answer_days: 10}\n"),
                "cfg.yaml:6: board.response_times.by_theme.crisis-care: not a "
                "configured theme (themes: access, crisis care)"},
        BadCase{"BoardThemeOverrideGivenTwiceInAnotherCase",
                WithBoard("  response_times:\n"
                          "    by_theme: {access: {answer_days: 10}, Access: "
                          "{answer_days: 12}}\n"),
                "cfg.yaml:5: board.response_times.by_theme.Access: given "
                "twice (as 'access': names match ignoring case)"},
        BadCase{"BoardUnknownTeamInByTeam",
                WithBoard("  response_times:\n"
                          "    by_team:\n      Pals Office: {answer_days: "
                          "15}\n"),
                "cfg.yaml:6: board.response_times.by_team.Pals Office: not a "
                "configured team (teams: PALS, Crisis Line)"},
        BadCase{"BoardThemeOverrideGivenTwice",
                WithBoard("  response_times:\n    by_theme:\n"
                          "      access: {answer_days: 10}\n"
                          "      access: {answer_days: 12}\n"),
                "cfg.yaml:7: board.response_times.by_theme.access: given "
                "twice (also on line 6)"},
        BadCase{"BoardBadState",
                WithBoard("  trello_lists:\n    To do: raised\n"
                          "    Done: finished\n"),
                std::string("cfg.yaml:6: board.trello_lists.Done: 'finished' "
                            "is not a board state (states: ") +
                    kStates + ")"},
        BadCase{"BoardMergedIsNotAListState",
                WithBoard("  trello_lists: {Repeats: merged}\n"),
                std::string("cfg.yaml:4: board.trello_lists.Repeats: "
                            "'merged' is not a board state (states: ") +
                    kStates + ")"},
        BadCase{"BoardListWithoutState",
                WithBoard("  trello_lists:\n    To do:\n"),
                "cfg.yaml:5: board.trello_lists.To do: required (the board "
                "state of this list, e.g. raised)"},
        BadCase{"BoardAnswerBeforeAcknowledge",
                WithBoard("  response_times:\n    acknowledge_days: 10\n"
                          "    answer_days: 5\n"),
                "cfg.yaml:6: board.response_times.answer_days: must be at "
                "least acknowledge_days (10 working days), got 5"},
        BadCase{"BoardAcknowledgeAfterDefaultAnswer",
                WithBoard("  response_times:\n    acknowledge_days: 30\n"),
                "cfg.yaml:5: board.response_times.acknowledge_days: must not "
                "be more than answer_days (20 working days by default), got "
                "30"},
        BadCase{"BoardOverrideAnswerBeforeGeneralAcknowledge",
                WithBoard("  response_times:\n    by_team:\n"
                          "      PALS: {answer_days: 3}\n"),
                "cfg.yaml:6: board.response_times.by_team.PALS.answer_days: "
                "must be at least acknowledge_days (5 working days from "
                "board.response_times), got 3"},
        BadCase{"BoardOverrideAcknowledgeAfterGeneralAnswer",
                WithBoard("  response_times:\n    answer_days: 10\n"
                          "    by_theme:\n"
                          "      crisis care: {acknowledge_days: 12}\n"),
                "cfg.yaml:7: board.response_times.by_theme.crisis "
                "care.acknowledge_days: must not be more than answer_days (10 "
                "working days from board.response_times), got 12"},
        BadCase{"BoardAcknowledgeOutOfRange",
                WithBoard("  response_times: {acknowledge_days: 0}\n"),
                "cfg.yaml:4: board.response_times.acknowledge_days: must be "
                "between 1 and 60 working days, got 0"},
        BadCase{"BoardAnswerOutOfRange",
                WithBoard("  response_times: {answer_days: 121}\n"),
                "cfg.yaml:4: board.response_times.answer_days: must be "
                "between 1 and 120 working days, got 121"},
        BadCase{"BoardDueSoonAfterAnswer",
                WithBoard("  response_times: {answer_days: 10, "
                          "due_soon_days: 11}\n"),
                "cfg.yaml:4: board.response_times.due_soon_days: must be "
                "between 0 and answer_days (10 working days), got 11"},
        BadCase{"BoardDueSoonNegative",
                WithBoard("  response_times: {due_soon_days: -1}\n"),
                "cfg.yaml:4: board.response_times.due_soon_days: must be "
                "between 0 and answer_days (20 working days), got -1"},
        BadCase{"BoardTitleLimitOutOfRange",
                WithBoard("  max_title_chars: 5\n"),
                "cfg.yaml:4: board.max_title_chars: must be between 10 and "
                "500 characters, got 5"},
        BadCase{"BoardTextLimitOutOfRange",
                WithBoard("  max_text_chars: 20001\n"),
                "cfg.yaml:4: board.max_text_chars: must be between 100 and "
                "20000 characters, got 20001"},
        BadCase{"BoardDuplicateTheme",
                WithTail("board:\n  themes:\n    - access\n    - carers\n"
                         "    - access\n  teams: [PALS]\n"),
                "cfg.yaml:5: board.themes[2]: 'access' is listed twice"},
        BadCase{"BoardDuplicateTeam",
                WithTail("board:\n  themes: [access]\n"
                         "  teams: [PALS, Pharmacy, PALS]\n"),
                "cfg.yaml:3: board.teams[2]: 'PALS' is listed twice"},
        // Names match ignoring case, so two that differ only in case could
        // not be told apart.
        BadCase{"BoardThemesDifferingOnlyInCase",
                WithTail("board:\n  themes: [access, Access]\n"
                         "  teams: [PALS]\n"),
                "cfg.yaml:2: board.themes[1]: 'Access' is listed twice (as "
                "'access': names match ignoring case)"},
        BadCase{"BoardTeamsDifferingOnlyInCase",
                WithTail("board:\n  themes: [access]\n"
                         "  teams: [PALS, Pharmacy, pals]\n"),
                "cfg.yaml:3: board.teams[2]: 'pals' is listed twice (as "
                "'PALS': names match ignoring case)"},
        BadCase{"ForumNamesDifferingOnlyInCase",
                "areas:\n  - {name: North, slug: n}\n"
                "  - {name: NORTH, slug: m}\n",
                "cfg.yaml:3: areas[1].name: 'NORTH' is already the name of "
                "areas[0] (as 'North': names match ignoring case); forum "
                "names must be unique"},
        BadCase{"SlugMatchingAnotherForumsName",
                "areas:\n  - {name: North, slug: n}\n"
                "  - {name: South, slug: north}\n",
                "cfg.yaml:3: areas[1].slug: 'north' is already the name of "
                "areas[0] (as 'North': names match ignoring case); a forum is "
                "found by its name or slug, so they must be unique"},
        BadCase{"VenueNamesDifferingOnlyInCase",
                "areas:\n"
                "  - name: North\n"
                "    venues: [{name: The Hall, address: x}]\n"
                "  - name: South\n"
                "    venues: [{name: the hall, address: y}]\n",
                "cfg.yaml:5: areas[1].venues[0].name: 'the hall' is already "
                "the name of a venue in areas[0] (North) (as 'The Hall': names "
                "match ignoring case); venue names must be unique"},
        BadCase{"BoardEmptyTheme",
                WithTail("board:\n  themes: [access, \"\"]\n  teams: [PALS]\n"),
                "cfg.yaml:2: board.themes[1]: required (a theme name)"},
        BadCase{"BoardEmptyTeams",
                WithTail("board:\n  themes: [access]\n  teams: []\n"),
                "cfg.yaml:3: board.teams: list at least one team, e.g. PALS"},
        BadCase{"BoardNoTeams",
                WithTail("# The board.\nboard:\n  themes: [access]\n"),
                "cfg.yaml:3: board.teams: required (the Trust teams tickets "
                "are for, e.g. PALS)"},
        BadCase{"BoardNoThemes", WithTail("board:\n  teams: [PALS]\n"),
                "cfg.yaml:2: board.themes: required (the themes a ticket can "
                "be about, e.g. access)"},
        BadCase{"BoardEmpty", WithTail("board:\n"),
                "cfg.yaml:1: board.themes: required (the themes a ticket can "
                "be about, e.g. access)"},
        BadCase{"BoardDefaultTeamNotInTeams",
                WithBoard("  default_team: Parking\n"),
                "cfg.yaml:4: board.default_team: 'Parking' is not a "
                "configured team (teams: PALS, Crisis Line)"},
        // The feedback board: wrong types.
        BadCase{"BoardNotASection", WithTail("board: [access]\n"),
                "cfg.yaml:1: board: expected keys and values (key: value), "
                "got a list"},
        BadCase{"BoardThemesNotAList",
                WithTail("board:\n  themes: access\n  teams: [PALS]\n"),
                "cfg.yaml:2: board.themes: expected a list, got 'access'"},
        BadCase{"BoardTeamNotText",
                WithTail("board:\n  themes: [access]\n"
                         "  teams:\n    - [PALS]\n"),
                "cfg.yaml:4: board.teams[0]: expected text, got a list"},
        BadCase{"BoardDefaultTeamNotText",
                WithBoard("  default_team: [PALS]\n"),
                "cfg.yaml:4: board.default_team: expected text, got a list"},
        BadCase{"BoardTitleLimitNotANumber",
                WithBoard("  max_title_chars: long\n"),
                "cfg.yaml:4: board.max_title_chars: expected a whole number, "
                "got 'long'"},
        BadCase{"BoardResponseTimesNotASection",
                WithBoard("  response_times: 5\n"),
                "cfg.yaml:4: board.response_times: expected keys and values "
                "(key: value), got '5'"},
        BadCase{"BoardByThemeNotASection",
                WithBoard("  response_times:\n    by_theme: [crisis care]\n"),
                "cfg.yaml:5: board.response_times.by_theme: expected keys and "
                "values (key: value), got a list"},
        BadCase{"BoardOverrideNotASection",
                WithBoard("  response_times:\n    by_theme:\n"
                          "      crisis care: 10\n"),
                "cfg.yaml:6: board.response_times.by_theme.crisis care: "
                "expected keys and values (key: value), got '10'"},
        BadCase{"BoardAnswerDaysNotANumber",
                WithBoard("  response_times: {answer_days: 4 weeks}\n"),
                "cfg.yaml:4: board.response_times.answer_days: expected a "
                "whole number, got '4 weeks'"},
        BadCase{"BoardTrelloListsNotASection",
                WithBoard("  trello_lists: [To do, Done]\n"),
                "cfg.yaml:4: board.trello_lists: expected keys and values "
                "(key: value), got a list"},
        BadCase{"BoardStateNotText",
                WithBoard("  trello_lists:\n    Done: [closed]\n"),
                "cfg.yaml:5: board.trello_lists.Done: expected text, got a "
                "list"},
        // Rotation table syntax.
        BadCase{"RotationUnknownArea",
                "rotation:\n  table:\n    - [North]\n    - [Sooth]\n"
                "areas: [{name: North}, {name: South}]\n"
                "evening_forum: {name: Evening}\n",
                "cfg.yaml:4: rotation.table[1][0]: 'Sooth' is not one of the "
                "areas (North, South)"},
        BadCase{"RotationAreaTwice",
                "rotation:\n  table:\n    - [North, North]\n"
                "areas: [{name: North}, {name: South}]\n"
                "evening_forum: {name: Evening}\n",
                "cfg.yaml:3: rotation.table[0][1]: 'North' is listed twice in "
                "this round"},
        BadCase{"RotationRowSizes",
                "rotation:\n  table:\n    - [North]\n    - [North, South]\n"
                "areas: [{name: North}, {name: South}]\n"
                "evening_forum: {name: Evening}\n",
                "cfg.yaml:4: rotation.table[1]: lists 2 areas but "
                "rotation.table[0] lists 1; every round must make the same "
                "number of area forums virtual"},
        BadCase{"RotationEveningForum",
                "rotation:\n  table:\n    - [North, Evening]\n"
                "areas: [{name: North}, {name: South}]\n"
                "evening_forum: {name: Evening}\n",
                "cfg.yaml:3: rotation.table[0][1]: 'Evening' is the evening "
                "forum, which is always virtual; list only place-based "
                "areas"},
        BadCase{"TopLevelKeyGivenTwice", WithTail("rotation: {mode: random}\n"),
                "cfg.yaml:2: rotation: given twice (also on line 1)"},
        BadCase{"RotationBadMode",
                "rotation: {mode: random}\n"
                "areas: [{name: North}]\nevening_forum: {name: Evening}\n",
                "cfg.yaml:1: rotation.mode: 'random' is not a rotation mode "
                "(expected table or balanced)"},
        BadCase{"RotationTableRequired",
                "areas:\n  - name: North\n"
                "    venues: [{name: N, address: x, features: [wifi, "
                "step-free, hearing-loop]}]\n"
                "evening_forum: {name: Evening}\n",
                "cfg.yaml:2: rotation.table: required when the areas are not "
                "the five default Surrey areas"},
        BadCase{"RotationTableEmpty",
                "rotation: {table: []}\n"
                "areas: [{name: North}]\nevening_forum: {name: Evening}\n",
                "cfg.yaml:1: rotation.table: list at least one round: the "
                "area forums that are virtual in that round"}),
    [](const testing::TestParamInfo<BadCase>& info) {
      return std::string(info.param.name);
    });

// docs/configuration.md ends with "a small complete file"; it must work.
TEST(ConfigParseTest, SmallFileInTheDocsIsValid) {
  const std::string doc =
      DiskFileSystem().ReadFile(kSourceDir + "/docs/configuration.md");
  const size_t start = doc.rfind("```yaml\n");
  ASSERT_NE(start, std::string::npos);
  const size_t end = doc.find("```", start + 8);
  ASSERT_NE(end, std::string::npos);
  const Config c =
      ParseConfig(doc.substr(start + 8, end - start - 8), "docs.yaml");
  EXPECT_EQ(c.areas.size(), 5u);
  EXPECT_EQ(c.rotation.table.size(), 4u);
  EXPECT_EQ(c.evening_forum.joining_link, "https://forums.example.org/join");
}

TEST(ConfigParseTest, TrailingEmptyDocumentIsHarmless) {
  const Config c = ParseConfig(std::string(kMinimal) + "---\n", "cfg.yaml");
  EXPECT_EQ(c.areas.size(), 5u);
}

// Whatever is cut off or removed, the loader answers with a positioned
// kInvalidInput error (or a valid configuration), never a library exception.
TEST(ConfigParseTest, DamagedFilesGiveOnlyPositionedErrors) {
  const std::string text = EmbeddedDefaultConfig();
  std::vector<std::string> damaged;
  for (size_t n = 0; n < text.size(); n += 11) {
    damaged.push_back(text.substr(0, n));
  }
  for (size_t start = 0; start < text.size();) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) break;
    damaged.push_back(text.substr(0, start) + text.substr(end + 1));
    damaged.push_back(text.substr(0, start) + "  " + text.substr(start));
    start = end + 1;
  }
  for (const std::string& t : damaged) {
    try {
      ParseConfig(t, "cfg.yaml");
    } catch (const Error& e) {
      const std::string what = e.what();
      EXPECT_EQ(e.kind(), ErrorKind::kInvalidInput) << what;
      EXPECT_EQ(what.rfind("cfg.yaml:", 0), 0u) << what;
      EXPECT_TRUE(std::isdigit(static_cast<unsigned char>(what[9]))) << what;
      EXPECT_EQ(what.find("yaml-cpp"), std::string::npos) << what;
    } catch (...) {
      ADD_FAILURE() << "not a focus::Error for:\n" << t;
    }
  }
}

// Found by the bad-input corpus: a Latin-1 byte used to load, then made
// `focus plan --json` fail with an internal error (JSON must be UTF-8).
TEST(ConfigParseTest, TextThatIsNotUtf8IsRefusedWithItsPosition) {
  const std::string latin1 =
      std::string(kMinimal) + "organisation:\n  name: Caf\xE9 forum\n";
  const size_t byte = latin1.find('\xE9');
  EXPECT_EQ(ErrorText([&] { ParseConfig(latin1, "cfg.yaml"); }),
            "cfg.yaml:14:12: not valid UTF-8 at byte " + std::to_string(byte) +
                "; save the file as UTF-8");
  // Columns count characters: "é" before the bad byte is one column.
  EXPECT_EQ(ErrorText([] { ParseConfig("a: \xC3\xA9\xFF\n", "cfg.yaml"); }),
            "cfg.yaml:1:5: not valid UTF-8 at byte 5; save the file as UTF-8");
}

TEST(ConfigParseTest, Utf16WithByteOrderMarkStillLoads) {
  std::string utf16 = "\xFF\xFE";  // UTF-16LE: ASCII byte, then NUL.
  for (char c : std::string(kMinimal)) {
    utf16 += c;
    utf16 += '\0';
  }
  EXPECT_EQ(ParseConfig(utf16, "cfg.yaml").areas.size(), 5u);
}

TEST(SlugifyTest, Examples) {
  EXPECT_EQ(Slugify("East Surrey"), "east-surrey");
  EXPECT_EQ(Slugify("Guildford & Waverley"), "guildford-waverley");
  EXPECT_EQ(Slugify("Farnham & Northeast Hants"), "farnham-northeast-hants");
  EXPECT_EQ(Slugify("Surrey-wide evening forum"), "surrey-wide-evening-forum");
  EXPECT_EQ(Slugify("  St. Helier's (Hall 2)  "), "st-helier-s-hall-2");
  EXPECT_EQ(Slugify("---"), "");
  EXPECT_EQ(Slugify(""), "");
}

TEST(SameNameTest, AsciiLettersInAnyCaseAndBlanksAround) {
  EXPECT_TRUE(SameName("PALS", "pals"));
  EXPECT_TRUE(SameName("East Surrey", "  EAST surrey\t"));
  EXPECT_FALSE(SameName("East Surrey", "EastSurrey"));
  EXPECT_FALSE(SameName("access", "acces"));
  // Other characters must match exactly: UTF-8 bytes are never folded.
  EXPECT_FALSE(SameName("Équipe", "équipe"));
  EXPECT_TRUE(SameName("Équipe santé", "ÉQUIPE SANTé"));
  EXPECT_EQ(MatchName({"access", "crisis care"}, "Crisis Care"),
            std::optional<std::string>("crisis care"));
  EXPECT_EQ(MatchName({"access"}, "parking"), std::nullopt);
}

TEST(VenueFeatureWordsTest, OneWordingForEveryOutput) {
  const std::pair<const char*, const char*> kCases[] = {
      {"wifi", "Wi-Fi"},
      {"step-free", "step-free access"},
      {"hearing-loop", "hearing loop"},
      {"informal-layout", "informal room layout"},
      {"quiet-room", "quiet room"},  // Not known: dashes become spaces.
      {"lift", "lift"},
  };
  for (const auto& [feature, words] : kCases) {
    EXPECT_EQ(VenueFeatureWords(feature), words) << feature;
  }
}

TEST(SameNameTest, AreasAndVenuesAreFoundInAnyCase) {
  const Config c = ParseConfig(kMinimal, "cfg.yaml");
  ASSERT_FALSE(c.areas.empty());
  const Area& area = c.areas.front();
  std::string upper = area.name;
  for (char& ch : upper) ch = static_cast<char>(std::toupper(ch));
  EXPECT_EQ(c.FindArea(upper), &area);
  EXPECT_EQ(c.FindArea(" " + area.slug + " "), &area);
  ASSERT_FALSE(area.venues.empty());
  std::string lower = area.venues.front().name;
  for (char& ch : lower) ch = static_cast<char>(std::tolower(ch));
  EXPECT_EQ(c.FindVenue(lower), &area.venues.front());
}

}  // namespace
}  // namespace focus
