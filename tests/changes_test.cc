#include "focus/changes.h"

#include <gtest/gtest.h>

#include "focus/error.h"

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

}  // namespace
}  // namespace focus
