#include "focus/plan.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>

#include "focus/error.h"
#include "focus/rotation.h"

namespace focus {
namespace {

Config DefaultConfig() {
  return LoadConfigFile(std::string(FOCUS_SOURCE_DIR) + "/config/focus.yaml");
}

std::vector<const Event*> Forums(const Plan& plan, bool lookahead = false) {
  std::vector<const Event*> forums;
  for (const Event& e : plan.events) {
    if (e.kind == EventKind::kForum && e.lookahead == lookahead) {
      forums.push_back(&e);
    }
  }
  return forums;
}

int Weekday(Date d) { return d.day_of_week().as_number(); }

// Checks every rule of the yearly plan on `plan`.
void ExpectPlanKeepsTheRules(const Config& config, const Plan& plan) {
  const HolidayCalendar holidays = config.MakeHolidayCalendar();
  const std::vector<const Event*> forums = Forums(plan);
  ASSERT_EQ(forums.size(), 24u);
  EXPECT_TRUE(plan.warnings.empty())
      << plan.year << ": " << (plan.warnings.empty() ? "" : plan.warnings[0]);

  std::map<int, std::vector<const Event*>> by_round;
  std::set<Date> days;
  for (const Event* e : forums) {
    by_round[e->round].push_back(e);
    // Hard date rules.
    EXPECT_NE(Weekday(e->date), 0) << e->id;
    EXPECT_NE(Weekday(e->date), 6) << e->id;
    EXPECT_FALSE(holidays.HolidayName(e->date).has_value()) << e->id;
    EXPECT_TRUE(days.insert(e->date).second) << "two forums on " << e->id;
    // Month 1 of the quarter, within the window.
    int month = (config.first_round_month - 1 + 3 * (e->round - 1)) % 12 + 1;
    EXPECT_EQ(e->date.month(), month) << e->id;
    EXPECT_LE(e->date.day(), config.window_days) << e->id;
    // Meeting shape.
    const MeetingShape& m = config.meeting;
    if (e->format == Format::kVirtual) {
      EXPECT_EQ(e->duration_minutes, m.pre_meeting_minutes + m.part1_minutes +
                                         m.online_break_minutes +
                                         m.part2_minutes);
      EXPECT_FALSE(e->joining_link.empty()) << e->id;
      EXPECT_FALSE(e->venue.has_value()) << e->id;
    } else {
      EXPECT_EQ(e->duration_minutes, m.pre_meeting_minutes + m.part1_minutes +
                                         m.social_minutes + m.part2_minutes +
                                         m.pals_clinic_minutes);
      ASSERT_TRUE(e->venue.has_value()) << e->id;
      for (const std::string& f : config.required_venue_features) {
        EXPECT_NE(
            std::find(e->venue->features.begin(), e->venue->features.end(), f),
            e->venue->features.end())
            << e->id << " venue lacks " << f;
      }
    }
    EXPECT_NE(e->description.find("Part 1"), std::string::npos) << e->id;
    EXPECT_NE(e->description.find("Part 2"), std::string::npos) << e->id;
    if (e->evening) {
      EXPECT_EQ(e->format, Format::kVirtual) << e->id;
      EXPECT_EQ(*e->start, config.evening_start) << e->id;
    }
  }
  // Each round: six forums, formats as the rotation says.
  ASSERT_EQ(by_round.size(), 4u);
  for (auto& [round, list] : by_round) {
    ASSERT_EQ(list.size(), 6u) << "round " << round;
    std::vector<Format> formats =
        RoundFormats(config, GlobalRoundIndex(config, plan.year, round));
    std::vector<const Area*> areas = config.Forums();
    for (size_t i = 0; i < areas.size(); ++i) {
      auto it = std::find_if(list.begin(), list.end(), [&](const Event* e) {
        return e->area_slug == areas[i]->slug;
      });
      ASSERT_NE(it, list.end()) << areas[i]->name << " round " << round;
      EXPECT_EQ((*it)->format, formats[i]) << (*it)->id;
    }
  }
}

// Rounds of a forum in order, this year's and the look-ahead.
std::map<std::string, std::vector<const Event*>> ByArea(const Plan& plan) {
  std::map<std::string, std::vector<const Event*>> by_area;
  for (const Event& e : plan.events) {
    if (e.kind == EventKind::kForum) by_area[e.area_slug].push_back(&e);
  }
  return by_area;
}

TEST(PlanTest, Plan2027KeepsEveryRule) {
  const Config config = DefaultConfig();
  ExpectPlanKeepsTheRules(config, PlanYear(config, 2027));
}

TEST(PlanTest, Plan2028KeepsEveryRuleAroundEasterAndNewYear) {
  const Config config = DefaultConfig();
  const Plan plan = PlanYear(config, 2028);
  ExpectPlanKeepsTheRules(config, plan);
  for (const Event* e : Forums(plan)) {
    EXPECT_NE(e->date, Date(2028, 1, 3)) << "New Year substitute " << e->id;
    EXPECT_NE(e->date, Date(2028, 4, 14)) << "Good Friday " << e->id;
    EXPECT_NE(e->date, Date(2028, 4, 17)) << "Easter Monday " << e->id;
  }
}

TEST(PlanTest, TenYearsInBothModesKeepEveryRule) {
  for (RotationMode mode : {RotationMode::kTable, RotationMode::kBalanced}) {
    Config config = DefaultConfig();
    config.rotation.mode = mode;
    for (int year = config.rotation.start_year;
         year < config.rotation.start_year + 10; ++year) {
      SCOPED_TRACE(year);
      ExpectPlanKeepsTheRules(config, PlanYear(config, year));
    }
  }
}

TEST(PlanTest, DaysAndTimesAlternateFromRoundToRound) {
  const Config config = DefaultConfig();
  for (int year : {2027, 2028, 2031}) {
    const Plan plan = PlanYear(config, year);
    for (const auto& [slug, rounds] : ByArea(plan)) {
      std::set<int> weekdays;
      std::set<int> times;
      for (size_t i = 0; i < rounds.size(); ++i) {
        const Event* e = rounds[i];
        if (!e->lookahead) {
          weekdays.insert(Weekday(e->date));
          times.insert(e->start->minutes);
        }
        if (i == 0) continue;
        const Event* before = rounds[i - 1];
        EXPECT_FALSE(Weekday(before->date) == Weekday(e->date) &&
                     *before->start == *e->start)
            << e->id << " repeats the weekday and time of " << before->id;
      }
      EXPECT_GE(weekdays.size(), 3u) << slug << " " << year;
      if (slug != config.evening_forum.slug) {
        EXPECT_EQ(times.size(), config.daytime_slots.size())
            << slug << " " << year;
      }
    }
  }
}

TEST(PlanTest, LookaheadIsTheNextYearsFirstTwoRounds) {
  const Config config = DefaultConfig();
  const Plan plan = PlanYear(config, 2027);
  const Plan next = PlanYear(config, 2028);
  std::vector<const Event*> ahead = Forums(plan, /*lookahead=*/true);
  ASSERT_EQ(ahead.size(), 12u);
  for (const Event* e : ahead) {
    EXPECT_EQ(e->plan_year, 2028);
    EXPECT_LE(e->round, 2);
    const Event* same = FindEvent(next, e->id);
    ASSERT_NE(same, nullptr) << e->id;
    EXPECT_EQ(same->uid, e->uid);
    EXPECT_EQ(same->date, e->date) << e->id;
    EXPECT_EQ(*same->start, *e->start) << e->id;
    EXPECT_EQ(same->format, e->format) << e->id;
  }
}

TEST(PlanTest, QuarterMilestones) {
  const Config config = DefaultConfig();
  const HolidayCalendar holidays = config.MakeHolidayCalendar();
  const Plan plan = PlanYear(config, 2027);
  std::map<EventKind, std::vector<const Event*>> by_kind;
  for (const Event& e : plan.events) by_kind[e.kind].push_back(&e);
  ASSERT_EQ(by_kind[EventKind::kDevelopmentGroup].size(), 4u);
  ASSERT_EQ(by_kind[EventKind::kBoardReport].size(), 12u);
  ASSERT_EQ(by_kind[EventKind::kNewsletterDeadline].size(), 4u);
  ASSERT_EQ(by_kind[EventKind::kNewsletter].size(), 4u);
  for (const Event* e : by_kind[EventKind::kDevelopmentGroup]) {
    // End of month 2: the last working day that is the configured weekday.
    EXPECT_EQ(e->date.month(), 3 * (e->round - 1) + 2) << e->id;
    EXPECT_TRUE(holidays.IsWorkingDay(e->date)) << e->id;
    ASSERT_TRUE(config.development_group.weekday.has_value());
    EXPECT_EQ(Weekday(e->date), *config.development_group.weekday);
    for (Date later = e->date + boost::gregorian::days(7);
         later.month() == e->date.month(); later += boost::gregorian::days(7)) {
      EXPECT_FALSE(holidays.IsWorkingDay(later))
          << e->id << ": " << FormatIsoDate(later) << " is later";
    }
  }
  // 2027-02-25 is the last Thursday of February 2027.
  EXPECT_EQ(by_kind[EventKind::kDevelopmentGroup][0]->date, Date(2027, 2, 25));
  for (size_t i = 0; i < 12; ++i) {
    EXPECT_EQ(by_kind[EventKind::kBoardReport][i]->date.month(), i + 1);
  }
  for (int r = 0; r < 4; ++r) {
    const Event* deadline = by_kind[EventKind::kNewsletterDeadline][r];
    const Event* published = by_kind[EventKind::kNewsletter][r];
    EXPECT_EQ(deadline->date.month(), 3 * r + 3);
    EXPECT_EQ(published->date.month(), 3 * r + 3);
    EXPECT_LT(deadline->date, published->date);
    EXPECT_FALSE(deadline->start.has_value());  // All-day milestones.
  }
}

TEST(PlanTest, FinancialYearStartsInApril) {
  Config config = DefaultConfig();
  config.first_round_month = 4;
  const Plan plan = PlanYear(config, 2027);
  ExpectPlanKeepsTheRules(config, plan);
  std::set<std::pair<int, int>> months;
  for (const Event* e : Forums(plan)) {
    months.insert({static_cast<int>(e->date.year()), e->date.month()});
  }
  EXPECT_EQ(months, (std::set<std::pair<int, int>>{
                        {2027, 4}, {2027, 7}, {2027, 10}, {2028, 1}}));
  for (const Event* e : Forums(plan, true)) {
    EXPECT_TRUE(e->date.year() == 2028 &&
                (e->date.month() == 4 || e->date.month() == 7))
        << e->id;
  }
}

TEST(PlanTest, BlackoutsAndExtraHolidaysAreAvoided) {
  Config config = DefaultConfig();
  const Plan before = PlanYear(config, 2027);
  std::set<Date> used;
  for (const Event* e : Forums(before)) used.insert(e->date);
  // Black out two days the plan used and proclaim a one-off holiday on a
  // third; the new plan must avoid all three.
  std::vector<Date> taken(used.begin(), used.end());
  config.blackouts.push_back({taken[0], taken[0], "Trust AGM"});
  config.blackouts.push_back({taken[1], taken[1], ""});
  config.holidays.extra.push_back({taken[2], "Royal wedding"});
  const Plan after = PlanYear(config, 2027);
  ExpectPlanKeepsTheRules(config, after);
  for (const Event* e : Forums(after)) {
    EXPECT_NE(e->date, taken[0]);
    EXPECT_NE(e->date, taken[1]);
    EXPECT_NE(e->date, taken[2]);
  }
}

TEST(PlanTest, UnavailableVenueFallsBackOrFailsClearly) {
  Config config = DefaultConfig();
  // Surrey Downs meets in person in round 1 of 2027 (January).
  Area* downs = nullptr;
  for (Area& a : config.areas) {
    if (a.slug == "surrey-downs") downs = &a;
  }
  ASSERT_NE(downs, nullptr);
  for (Venue& v : downs->venues) {
    v.unavailable.push_back({Date(2027, 1, 1), Date(2027, 1, 31), "refit"});
  }
  try {
    PlanYear(config, 2027);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kUnsatisfiable);
    std::string msg = e.what();
    EXPECT_EQ(msg.rfind("cannot plan round 1 of 2027 (January 2027): Surrey "
                        "Downs meets in person but none of its venues (",
                        0),
              0u)
        << msg;
    EXPECT_NE(msg.find("(rule: venue availability)"), std::string::npos) << msg;
  }
}

TEST(PlanTest, WindowTooShortNamesTheRoundAndRule) {
  Config config = DefaultConfig();
  config.window_days = 5;
  try {
    PlanYear(config, 2028);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kUnsatisfiable);
    // 1-5 January 2028: Sat, Sun, Mon 3 (New Year substitute), Tue, Wed.
    EXPECT_STREQ(e.what(),
                 "cannot plan round 1 of 2028 (January 2028): the window Sat "
                 "1 Jan 2028 to Wed 5 Jan 2028 (year.window_days: 5) has 2 "
                 "suitable days for 6 forums at most 1 a day (rule: at most 1 "
                 "forum per day; no weekends, bank holidays or blackouts); "
                 "excluded: Mon 3 Jan 2028 (bank holiday: New Year's Day "
                 "(substitute day))");
  }
}

// Found by the bad-input corpus: a year before the rotation started planned
// nothing and wrote empty calendars with status 0.
TEST(PlanTest, YearBeforeTheRotationStartsIsRefused) {
  Config config = DefaultConfig();
  try {
    PlanYear(config, config.rotation.start_year - 1);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kInvalidInput);
    EXPECT_EQ(std::string(e.what()),
              "cannot plan " + std::to_string(config.rotation.start_year - 1) +
                  ": the rotation starts in " +
                  std::to_string(config.rotation.start_year) +
                  " (rotation.start_year in " + config.source + ")");
  }
}

TEST(PlanTest, TwoForumsADayWhenConfigured) {
  Config config = DefaultConfig();
  config.window_days = 5;
  config.max_forums_per_day = 3;
  const Plan plan = PlanYear(config, 2027);
  std::map<Date, int> per_day;
  for (const Event* e : Forums(plan)) ++per_day[e->date];
  for (auto& [day, n] : per_day) EXPECT_LE(n, 3) << FormatIsoDate(day);
}

Change Move(const std::string& id, Date date) {
  Change c;
  c.forum_id = id;
  c.action = Change::Action::kMove;
  c.date = date;
  c.reason = "Venue closed";
  c.source = "focus.changes.yaml:2";
  return c;
}

TEST(PlanTest, MovedForumKeepsItsUidAndBumpsSequence) {
  const Config config = DefaultConfig();
  const Plan original = PlanYear(config, 2027);
  const Event* target = FindEvent(original, "2027-r2-east-surrey");
  ASSERT_NE(target, nullptr);
  // Find a free working day in April 2027 after the forums.
  const HolidayCalendar holidays = config.MakeHolidayCalendar();
  Date free_day(2027, 4, 20);
  while (!holidays.IsWorkingDay(free_day))
    free_day += boost::gregorian::days(1);

  const Plan moved = PlanYear(config, 2027, {Move(target->id, free_day)});
  const Event* e = FindEvent(moved, target->id);
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->uid, target->uid);
  EXPECT_EQ(e->date, free_day);
  EXPECT_EQ(e->sequence, 1);
  EXPECT_EQ(e->change_reason, "Venue closed");
  EXPECT_TRUE(e->warnings.empty());
  // Nothing else moved: one change does not reshuffle later rounds.
  for (const Event& other : original.events) {
    if (other.id == target->id) continue;
    const Event* same = FindEvent(moved, other.id);
    ASSERT_NE(same, nullptr);
    EXPECT_EQ(same->date, other.date) << other.id;
    EXPECT_EQ(same->sequence, 0) << other.id;
  }
}

TEST(PlanTest, MoveOntoABankHolidayIsRefusedUnlessForced) {
  const Config config = DefaultConfig();
  Change c = Move("2027-r2-surrey-downs", Date(2027, 3, 29));  // Easter Mon.
  try {
    PlanYear(config, 2027, {c});
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kInvalidInput);
    EXPECT_STREQ(e.what(),
                 "focus.changes.yaml:2: 2027-r2-surrey-downs: the change "
                 "breaks a hard rule: Mon 29 Mar 2027 is a bank holiday "
                 "(Easter Monday)");
    EXPECT_EQ(e.remedy(), Remedy::kForce);
  }
  c.forced = true;
  const Plan plan = PlanYear(config, 2027, {c});
  const Event* e = FindEvent(plan, "2027-r2-surrey-downs");
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->date, Date(2027, 3, 29));
  EXPECT_EQ(e->warnings,
            std::vector<std::string>{
                "Mon 29 Mar 2027 is a bank holiday (Easter Monday)"});
}

TEST(PlanTest, MoveOntoAnotherForumsDayBreaksTheOnePerDayRule) {
  const Config config = DefaultConfig();
  const Plan original = PlanYear(config, 2027);
  const Event* a = FindEvent(original, "2027-r1-east-surrey");
  const Event* b = FindEvent(original, "2027-r1-surrey-downs");
  ASSERT_TRUE(a && b);
  try {
    PlanYear(config, 2027, {Move(a->id, b->date)});
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find(
                  "already has 1 forum(s) (2027-r1-surrey-downs); at most 1 "
                  "a day"),
              std::string::npos)
        << e.what();
  }
}

TEST(PlanTest, CancelledForumStaysInThePlan) {
  const Config config = DefaultConfig();
  Change c;
  c.forum_id = "2027-r3-guildford-waverley";
  c.action = Change::Action::kCancel;
  c.reason = "Venue flooded";
  c.source = "x:1";
  Change again = Move("2027-r3-guildford-waverley", Date(2027, 7, 20));
  const Plan plan = PlanYear(config, 2027, {c});
  const Event* e = FindEvent(plan, c.forum_id);
  ASSERT_NE(e, nullptr);
  EXPECT_TRUE(e->cancelled);
  EXPECT_EQ(e->sequence, 1);
  EXPECT_EQ(e->change_reason, "Venue flooded");
  EXPECT_EQ(Forums(plan).size(), 24u);
  EXPECT_THROW(PlanYear(config, 2027, {c, again}), Error);
}

TEST(PlanTest, ChangeNamingAnUnknownForumIsRefused) {
  const Config config = DefaultConfig();
  try {
    PlanYear(config, 2027, {Move("2027-r1-east-surey", Date(2027, 1, 20))});
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(),
                 "focus.changes.yaml:2: forum '2027-r1-east-surey' is not in "
                 "the plan; forum ids look like 2027-r1-east-surrey");
    EXPECT_EQ(e.remedy(), Remedy::kListForums);
  }
  // A change for another year is left for that year's plan.
  EXPECT_NO_THROW(
      PlanYear(config, 2027, {Move("2030-r1-east-surey", Date(2030, 1, 9))}));
}

TEST(PlanTest, IdsAreStableAndReadable) {
  const Config config = DefaultConfig();
  const Plan a = PlanYear(config, 2027);
  const Plan b = PlanYear(config, 2027);
  ASSERT_EQ(a.events.size(), b.events.size());
  for (size_t i = 0; i < a.events.size(); ++i) {
    EXPECT_EQ(a.events[i].uid, b.events[i].uid);
    EXPECT_EQ(a.events[i].date, b.events[i].date);
  }
  EXPECT_NE(FindEvent(a, "2027-r1-surrey-wide-evening"), nullptr);
  EXPECT_NE(FindEvent(a, "2027-r1-development-group"), nullptr);
  EXPECT_NE(FindEvent(a, "2027-board-report-2027-12"), nullptr);
  EXPECT_EQ(FindEvent(a, "2027-r1-east-surrey")->uid,
            "2027-r1-east-surrey@" + config.uid_domain);
  EXPECT_EQ(PlanYearOfId("2027-r1-east-surrey"), 2027);
  EXPECT_EQ(PlanYearOfId("east-surrey"), std::nullopt);
  EXPECT_EQ(config.AreaName("east-surrey"), "East Surrey");
  EXPECT_EQ(config.AreaName("East Surrey"), "East Surrey");
  EXPECT_EQ(config.AreaName("mole-valley"), "mole-valley");
}

}  // namespace
}  // namespace focus

namespace focus {
namespace {

TEST(RoundOfDateTest, CalendarAndFinancialYears) {
  Config config = DefaultConfig();
  EXPECT_EQ(RoundOfDate(config, Date(2027, 1, 4)), std::make_pair(2027, 1));
  EXPECT_EQ(RoundOfDate(config, Date(2027, 6, 30)), std::make_pair(2027, 2));
  EXPECT_EQ(RoundOfDate(config, Date(2027, 12, 31)), std::make_pair(2027, 4));
  config.first_round_month = 4;
  EXPECT_EQ(RoundOfDate(config, Date(2027, 4, 1)), std::make_pair(2027, 1));
  EXPECT_EQ(RoundOfDate(config, Date(2028, 2, 10)), std::make_pair(2027, 4));
  EXPECT_EQ(RoundOfDate(config, Date(2028, 3, 31)), std::make_pair(2027, 4));
  EXPECT_EQ(RoundId(2027, 3), "2027-r3");
  // With April first: round 4 of 2027 runs January to March 2028.
  EXPECT_EQ(RoundMonth(config, 2027, 4), std::make_pair(2028, 1));
  EXPECT_EQ(RoundMonth(config, 2027, 4, 3), std::make_pair(2028, 3));
  EXPECT_EQ(RoundMonth(config, 2027, 2, 2), std::make_pair(2027, 8));
}

TEST(RoundOfDateTest, NewsletterDeadlineMatchesThePlan) {
  const Config config = DefaultConfig();
  const HolidayCalendar holidays = config.MakeHolidayCalendar();
  const Plan plan = PlanYear(config, 2027);
  for (const Event& e : plan.events) {
    if (e.kind != EventKind::kNewsletterDeadline) continue;
    // Any day of the quarter, e.g. its first forum's date, maps to it.
    const Event* forum =
        FindEvent(plan, RoundId(2027, e.round) + "-east-surrey");
    ASSERT_NE(forum, nullptr);
    EXPECT_EQ(NewsletterCopyDeadline(config, holidays, forum->date), e.date);
  }
  // Years before the rotation's start still have deadlines (old tickets).
  EXPECT_EQ(NewsletterCopyDeadline(config, holidays, Date(2020, 1, 6)),
            holidays.NthWorkingDayOfMonth(2020, 3, 10));
}

}  // namespace
}  // namespace focus
