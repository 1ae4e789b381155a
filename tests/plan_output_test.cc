#include "focus/plan_output.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <nlohmann/json.hpp>

#include "focus/error.h"

namespace focus {
namespace {

Config DefaultConfig() {
  return LoadConfigFile(std::string(FOCUS_SOURCE_DIR) + "/config/focus.yaml");
}

class PlanOutputTest : public testing::Test {
 protected:
  void SetUp() override { unsetenv("SOURCE_DATE_EPOCH"); }
  void TearDown() override { unsetenv("SOURCE_DATE_EPOCH"); }

  const Config config_ = DefaultConfig();
  const Plan plan_ = PlanYear(config_, 2027);
};

TEST_F(PlanOutputTest, FileSetIsComplete) {
  std::map<std::string, std::string> files = RenderPlanFiles(config_, plan_);
  std::vector<std::string> names;
  for (const auto& [name, content] : files) names.push_back(name);
  EXPECT_EQ(names,
            (std::vector<std::string>{
                "areas/east-surrey.ics", "areas/farnham-northeast-hants.ics",
                "areas/guildford-waverley.ics", "areas/northwest-surrey.ics",
                "areas/surrey-downs.ics", "calendar.ics", "internal.ics",
                "plan.json"}));
}

size_t Count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos;
       at = text.find(what, at + 1)) {
    ++n;
  }
  return n;
}

TEST_F(PlanOutputTest, CalendarsHoldTheRightEvents) {
  std::map<std::string, std::string> files = RenderPlanFiles(config_, plan_);
  EXPECT_EQ(Count(files["calendar.ics"], "BEGIN:VEVENT"), 24u);
  EXPECT_EQ(Count(files["internal.ics"], "BEGIN:VEVENT"), 48u);
  EXPECT_EQ(Count(files["areas/surrey-downs.ics"], "BEGIN:VEVENT"), 8u);
  // No look-ahead forum is published in this year's calendars.
  EXPECT_EQ(Count(files["internal.ics"], "UID:2028-"), 0u);
  EXPECT_NE(files["calendar.ics"].find(
                "X-WR-CALNAME:FoCUS Community Forums 2027\r\n"),
            std::string::npos);
  EXPECT_NE(files["areas/surrey-downs.ics"].find(
                "X-WR-CALNAME:FoCUS Community Forums 2027: Surrey Downs\r\n"),
            std::string::npos);
}

TEST_F(PlanOutputTest, JsonSeparatesLookaheadAndUsesOffsets) {
  nlohmann::json j = nlohmann::json::parse(RenderPlanJson(config_, plan_));
  EXPECT_EQ(j["year"], 2027);
  EXPECT_EQ(j["timezone"], "Europe/London");
  EXPECT_EQ(j["events"].size(), 48u);
  EXPECT_EQ(j["lookahead"].size(), 12u);
  for (const auto& e : j["events"]) {
    if (e["kind"] != "forum") continue;
    const std::string start = e["start"];
    const std::string expected_offset =
        start.substr(5, 2) == "01" ? "+00:00" : "+01:00";
    EXPECT_EQ(start.substr(start.size() - 6), expected_offset) << e["id"];
    EXPECT_TRUE(e.contains("venue") != e.contains("joining_link")) << e["id"];
  }
  const auto& milestone =
      *std::find_if(j["events"].begin(), j["events"].end(),
                    [](const auto& e) { return e["kind"] == "newsletter"; });
  EXPECT_EQ(milestone["all_day"], true);
  EXPECT_EQ(milestone["start"], "2027-03-19T00:00:00+00:00");
  EXPECT_EQ(milestone["end"], "2027-03-20T00:00:00+00:00");
}

TEST_F(PlanOutputTest, TableGroupsByRound) {
  const std::string table = RenderPlanTable(config_, plan_);
  size_t r1 = table.find("Round 1 of 2027: January 2027 to March 2027");
  size_t r4 = table.find("Round 4 of 2027: October 2027 to December 2027");
  size_t ahead = table.find("Look-ahead: the first two rounds of 2028");
  ASSERT_NE(r1, std::string::npos);
  ASSERT_NE(r4, std::string::npos);
  ASSERT_NE(ahead, std::string::npos);
  EXPECT_LT(r1, r4);
  EXPECT_LT(r4, ahead);
  // The 2027 round 1 East Surrey forum row, exactly.
  EXPECT_NE(table.find("  Mon 4 Jan 2027   10:30-12:45  East Surrey community "
                       "forum (online)                  virtual    online: "
                       "https://forums.example.org/east-surrey\n"),
            std::string::npos)
      << table;
  EXPECT_EQ(table.find("Warnings:"), std::string::npos);
}

TEST_F(PlanOutputTest, ChangedForumsShowReasonAndWarning) {
  Change cancel;
  cancel.forum_id = "2027-r1-east-surrey";
  cancel.action = Change::Action::kCancel;
  cancel.reason = "Facilitator unwell";
  Change move;
  move.forum_id = "2027-r1-surrey-downs";
  move.date = Date(2027, 1, 1);  // New Year's Day.
  move.reason = "Only day the hall is free";
  move.forced = true;
  const Plan plan = PlanYear(config_, 2027, {cancel, move});
  const std::string table = RenderPlanTable(config_, plan);
  EXPECT_NE(table.find("CANCELLED: East Surrey community forum (online)"),
            std::string::npos);
  EXPECT_NE(table.find("reason: Facilitator unwell\n"), std::string::npos);
  EXPECT_NE(table.find("WARNING (forced): Fri 1 Jan 2027 is a bank holiday "
                       "(New Year's Day)\n"),
            std::string::npos);
  nlohmann::json j = nlohmann::json::parse(RenderPlanJson(config_, plan));
  for (const auto& e : j["events"]) {
    if (e["id"] == "2027-r1-east-surrey") {
      EXPECT_EQ(e["status"], "cancelled");
      EXPECT_EQ(e["sequence"], 1);
      EXPECT_EQ(e["change_reason"], "Facilitator unwell");
    }
  }
}

TEST_F(PlanOutputTest, TimestampPrecedence) {
  EXPECT_EQ(CalendarTimestamp(config_, 2027), *config_.dtstamp);
  Config no_stamp = config_;
  no_stamp.dtstamp.reset();
  EXPECT_EQ(CalendarTimestamp(no_stamp, 2027), 1798761600);  // 2027-01-01Z.
  setenv("SOURCE_DATE_EPOCH", "1800000000", 1);
  EXPECT_EQ(CalendarTimestamp(config_, 2027), 1800000000);
  setenv("SOURCE_DATE_EPOCH", "soon", 1);
  EXPECT_THROW(CalendarTimestamp(config_, 2027), Error);
}

TEST_F(PlanOutputTest, SameInputsGiveIdenticalFiles) {
  EXPECT_EQ(RenderPlanFiles(config_, plan_),
            RenderPlanFiles(config_, PlanYear(config_, 2027)));
}

TEST_F(PlanOutputTest, WritesEveryFileUnderTheOutputFolder) {
  MemoryFileSystem fs;
  WritePlanFiles(fs, config_, plan_, "out/2027");
  EXPECT_EQ(fs.files.size(), 8u);  // 5 area calendars + 3.
  EXPECT_TRUE(fs.Exists("out/2027/calendar.ics"));
  EXPECT_TRUE(fs.Exists("out/2027/areas/east-surrey.ics"));
}

}  // namespace
}  // namespace focus
