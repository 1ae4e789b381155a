#include "focus/changes.h"

#include <gtest/gtest.h>

#include "focus/config.h"
#include "focus/error.h"
#include "focus/plan.h"
#include "test_util.h"

namespace focus {
namespace {

TEST(ChangesTest, PathSitsBesideTheConfiguration) {
  EXPECT_EQ(ChangesPathFor("config/focus.yaml"), "config/focus.changes.yaml");
  EXPECT_EQ(ChangesPathFor("my.yml"), "my.changes.yaml");
  EXPECT_EQ(ChangesPathFor("plain"), "plain.changes.yaml");
}

TEST(ChangesTest, MissingFileMeansNoChanges) {
  MemoryFileSystem fs;
  EXPECT_TRUE(LoadChanges(fs, "focus.changes.yaml").empty());
}

TEST(ChangesTest, RoundTripsThroughTheFile) {
  Change move;
  move.forum_id = "2027-r1-east-surrey";
  move.action = Change::Action::kMove;
  move.date = Date(2027, 1, 14);
  move.time = TimeOfDay{13 * 60 + 30};
  move.venue = "Reigate Community Centre";
  move.reason = "Room double-booked: moved, sorry";
  move.forced = true;
  move.recorded_on = "2026-11-22";
  Change cancel;
  cancel.forum_id = "2027-r2-surrey-downs";
  cancel.action = Change::Action::kCancel;
  cancel.reason = "Venue flooded";

  MemoryFileSystem fs;
  const std::string text = SerializeChanges({move, cancel});
  fs.WriteFileAtomically("c.yaml", text);
  std::vector<Change> back = LoadChanges(fs, "c.yaml");
  ASSERT_EQ(back.size(), 2u);
  EXPECT_EQ(back[0].forum_id, move.forum_id);
  EXPECT_EQ(back[0].action, Change::Action::kMove);
  EXPECT_EQ(*back[0].date, *move.date);
  EXPECT_EQ(back[0].time->minutes, move.time->minutes);
  EXPECT_EQ(*back[0].venue, *move.venue);
  EXPECT_EQ(back[0].reason, move.reason);
  EXPECT_TRUE(back[0].forced);
  EXPECT_EQ(back[0].recorded_on, "2026-11-22");
  EXPECT_EQ(back[0].source, "c.yaml:5");
  EXPECT_EQ(back[1].action, Change::Action::kCancel);
  EXPECT_FALSE(back[1].forced);
  EXPECT_FALSE(back[1].date.has_value());
  // Serialising what was read gives the same text: diffs stay minimal.
  EXPECT_EQ(SerializeChanges(back), text);
}

struct BadChanges {
  const char* name;
  const char* text;
  const char* error;
};

class BadChangesTest : public testing::TestWithParam<BadChanges> {};

TEST_P(BadChangesTest, IsRefusedNamingFileLineAndKey) {
  MemoryFileSystem fs;
  fs.WriteFileAtomically("c.yaml", GetParam().text);
  try {
    LoadChanges(fs, "c.yaml");
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kInvalidInput);
    EXPECT_STREQ(e.what(), GetParam().error);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Cases, BadChangesTest,
    testing::Values(
        BadChanges{"malformed", "changes: [\n  - {forum: x\n",
                   "c.yaml:2: malformed YAML: illegal block entry"},
        BadChanges{"unknown_key",
                   "changes:\n  - forum: 2027-r1-east-surrey\n    action: "
                   "cancel\n    reason: x\n    colour: red\n",
                   "c.yaml:5: changes[0].colour: unknown key (valid keys: "
                   "forum, action, date, time, venue, reason, forced, "
                   "recorded)"},
        BadChanges{"bad_action",
                   "changes:\n  - forum: 2027-r1-east-surrey\n    action: "
                   "postpone\n",
                   "c.yaml:3: changes[0].action: 'postpone' is not an action "
                   "(expected move or cancel)"},
        BadChanges{"bad_date",
                   "changes:\n  - forum: 2027-r1-east-surrey\n    action: "
                   "move\n    date: 2027-02-30\n",
                   "c.yaml:4: changes[0].date: '2027-02-30' is not a date "
                   "(expected YYYY-MM-DD)"},
        BadChanges{"bad_time",
                   "changes:\n  - forum: 2027-r1-east-surrey\n    action: "
                   "move\n    time: \"25:00\"\n",
                   "c.yaml:4: changes[0].time: '25:00' is not a time of day "
                   "(expected HH:MM)"},
        BadChanges{"cancel_without_reason",
                   "changes:\n  - forum: 2027-r1-east-surrey\n    action: "
                   "cancel\n",
                   "c.yaml:2: changes[0]: a cancellation needs a reason (it "
                   "is published)"},
        BadChanges{"empty_move",
                   "changes:\n  - forum: 2027-r1-east-surrey\n    action: "
                   "move\n",
                   "c.yaml:2: changes[0]: a move needs a new date, time or "
                   "venue"},
        BadChanges{"missing_forum", "changes:\n  - action: move\n",
                   "c.yaml:2: changes[0].forum: expected a value"},
        BadChanges{"not_a_list", "changes: 3\n",
                   "c.yaml:1: changes: expected a list under the key "
                   "'changes'"}),
    [](const testing::TestParamInfo<BadChanges>& info) {
      return std::string(info.param.name);
    });

// The built-in configuration's 2027: round 1 meets on 1-15 January, round 2
// on 1-15 April; 2027-r1-surrey-downs is on Wed 6 January.
struct NewChangeTest : testing::Test {
  static Change Move(const std::string& forum) {
    Change c;
    c.forum_id = forum;
    c.reason = "Room double-booked";
    return c;
  }
  std::vector<std::string> Check(const Change& c, Date today) {
    return CheckNewChange(config, plan, c, today);
  }
  Config config = ParseConfig(EmbeddedDefaultConfig(), "focus.yaml");
  Plan plan = PlanYear(config, 2027);
};

struct RefusedMove {
  const char* name;
  const char* forum;
  Date date;
  Date today;
  std::vector<std::string> rules;  // What the move breaks, in order.
};

class RefusedMoveTest : public NewChangeTest,
                        public testing::WithParamInterface<RefusedMove> {};

TEST_P(RefusedMoveTest, IsRefusedUnlessForced) {
  const RefusedMove& p = GetParam();
  Change c = Move(p.forum);
  c.date = p.date;
  std::string error = std::string(p.forum) + ": the change breaks a rule: ";
  std::vector<std::string> warnings;
  for (size_t i = 0; i < p.rules.size(); ++i) {
    error += (i ? "; " : "") + p.rules[i];
    warnings.push_back(p.forum + (": " + p.rules[i]) +
                       " (kept: the change is forced)");
  }
  EXPECT_EQ(ErrorText([&] { Check(c, p.today); }), error);
  try {
    Check(c, p.today);
  } catch (const Error& e) {
    EXPECT_EQ(e.remedy(), Remedy::kForce);
  }
  // Forced, the same rules come back as warnings, one line each.
  c.forced = true;
  EXPECT_EQ(Check(c, p.today), warnings);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, RefusedMoveTest,
    testing::Values(
        RefusedMove{"after_the_window",
                    "2027-r1-surrey-downs",
                    Date(2027, 1, 27),
                    Date(2026, 11, 22),
                    {"Wed 27 Jan 2027 is outside the round window of round 1 "
                     "of 2027, Fri 1 Jan 2027 to Fri 15 Jan 2027 "
                     "(year.window_days: 15)"}},
        RefusedMove{"previous_year",
                    "2027-r1-surrey-downs",
                    Date(2026, 12, 14),
                    Date(2026, 11, 22),
                    {"Mon 14 Dec 2026 is outside the round window of round 1 "
                     "of 2027, Fri 1 Jan 2027 to Fri 15 Jan 2027 "
                     "(year.window_days: 15)"}},
        RefusedMove{"before_a_later_round",
                    "2027-r2-east-surrey",
                    Date(2027, 3, 29),
                    Date(2026, 11, 22),
                    {"Mon 29 Mar 2027 is outside the round window of round 2 "
                     "of 2027, Thu 1 Apr 2027 to Thu 15 Apr 2027 "
                     "(year.window_days: 15)"}},
        RefusedMove{"already_past",
                    "2027-r1-surrey-downs",
                    Date(2027, 1, 14),
                    Date(2027, 1, 20),
                    {"Thu 14 Jan 2027 is already past (today is Wed 20 Jan "
                     "2027)"}},
        RefusedMove{"past_and_outside",
                    "2027-r1-surrey-downs",
                    Date(2026, 12, 14),
                    Date(2027, 1, 20),
                    {"Mon 14 Dec 2026 is already past (today is Wed 20 Jan "
                     "2027)",
                     "Mon 14 Dec 2026 is outside the round window of round 1 "
                     "of 2027, Fri 1 Jan 2027 to Fri 15 Jan 2027 "
                     "(year.window_days: 15)"}}),
    [](const testing::TestParamInfo<RefusedMove>& info) {
      return std::string(info.param.name);
    });

TEST_F(NewChangeTest, MoveInsideTheWindowFromTodayOnIsAccepted) {
  Change c = Move("2027-r1-surrey-downs");
  for (Date d : {Date(2027, 1, 1), Date(2027, 1, 13), Date(2027, 1, 15)}) {
    c.date = d;
    EXPECT_TRUE(Check(c, Date(2026, 11, 22)).empty()) << FormatIsoDate(d);
  }
  c.date = Date(2027, 1, 13);
  EXPECT_TRUE(Check(c, Date(2027, 1, 13)).empty());  // Today is not past.
}

TEST_F(NewChangeTest, WarnsWhenTheEveningForumMovesToDaytime) {
  Change c = Move("2027-r1-surrey-wide-evening");
  c.time = TimeOfDay{13 * 60 + 30};
  EXPECT_EQ(Check(c, Date(2026, 11, 22)),
            std::vector<std::string>{
                "2027-r1-surrey-wide-evening: the evening forum moves to "
                "13:30, in the daytime (times.evening_start: 18:30): people "
                "who work in the day may not be able to come"});
  c.time = TimeOfDay{19 * 60};
  EXPECT_TRUE(Check(c, Date(2026, 11, 22)).empty());
  // An area forum may meet in the daytime.
  c = Move("2027-r1-surrey-downs");
  c.time = TimeOfDay{13 * 60 + 30};
  EXPECT_TRUE(Check(c, Date(2026, 11, 22)).empty());
}

TEST_F(NewChangeTest, WarnsWhenAForumMovesToAnotherAreasVenue) {
  Change c = Move("2027-r1-surrey-downs");
  c.venue = "The Guildford Institute";
  EXPECT_EQ(Check(c, Date(2026, 11, 22)),
            std::vector<std::string>{
                "2027-r1-surrey-downs: The Guildford Institute is a venue of "
                "Guildford & Waverley, not of Surrey Downs"});
  c.venue = "Dorking Halls";
  EXPECT_TRUE(Check(c, Date(2026, 11, 22)).empty());
}

TEST_F(NewChangeTest, LeavesCancellationsAndUnknownForumsToThePlan) {
  Change cancel = Move("2027-r1-surrey-downs");
  cancel.action = Change::Action::kCancel;
  EXPECT_TRUE(Check(cancel, Date(2027, 3, 1)).empty());
  Change unknown = Move("2027-r1-nowhere");
  unknown.date = Date(2026, 1, 1);
  EXPECT_TRUE(Check(unknown, Date(2027, 3, 1)).empty());
}

}  // namespace
}  // namespace focus
