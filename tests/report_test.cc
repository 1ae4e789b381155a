// Tests for the monthly board report and the Development Group pack: what
// each counts and as of when, attendance by role and format, the CSV tables
// (BOM, CRLF, formula guard), and that each view's shape has exactly the
// view's names.
#include "focus/report.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <memory>
#include <set>
#include <string>

#include "board_fixture.h"
#include "focus/clock.h"
#include "focus/config.h"
#include "focus/error.h"
#include "focus/plan.h"
#include "focus/store.h"
#include "json_shape.h"
#include "test_util.h"

namespace focus {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

TEST(ParseMonth, Forms) {
  EXPECT_EQ(ParseMonth("2027-03").month, 3);
  EXPECT_EQ(ParseMonth("2027-12").year, 2027);
  for (const char* bad : {"2027-13", "2027-00", "2027-3", "27-03", ""}) {
    EXPECT_EQ(
        ErrorText([&] { ParseMonth(bad); }),
        std::string("month '") + bad + "' is not like 2027-03 (year-month)");
  }
}

class ReportTest : public BoardFixture {
 protected:
  int64_t Forum(const std::string& plan_id, Date held_on, Format format,
                int service_users, int carers, int staff) {
    On(held_on);
    ForumRecord f;
    f.plan_id = plan_id;
    f.area = plan_id.substr(8);
    f.held_on = held_on;
    f.format = format;
    f.attendance.service_users = service_users;
    f.attendance.carers = carers;
    f.attendance.trust_staff = staff;
    return board_->RecordForum(f, "jo");
  }

  int64_t Add(Date raised_on, const std::string& title, const std::string& area,
              const std::string& theme, const std::string& team,
              std::optional<int64_t> forum = std::nullopt) {
    On(raised_on);
    NewTicket t;
    t.title = title;
    t.area = area;
    t.themes = {theme};
    t.team = team;
    t.forum_id = forum;
    return board_->AddTicket(t, "jo");
  }
};

TEST_F(ReportTest, MonthlyCountsTheMonthAsOfItsLastDay) {
  const int64_t east =
      Forum("2027-r1-east-surrey", Date(2027, 1, 4), Format::kVirtual, 5, 2, 3);
  const int64_t downs = Forum("2027-r1-surrey-downs", Date(2027, 1, 6),
                              Format::kInPerson, 1, 0, 2);
  const int64_t a = Add(Date(2027, 1, 4), "Letters late", "East Surrey",
                        "communication", "CMHRS East Surrey", east);
  Add(Date(2027, 1, 6), "Parking", "Surrey Downs", "access",
      "Estates and Facilities", downs);
  board_->AddVotes(a, 1, downs, "", "jo");  // Two forums now.
  Add(Date(2027, 2, 1), "Next month", "Surrey Downs", "access",
      "Estates and Facilities");
  board_->AddVotes(a, 1, std::nullopt, "", "jo");  // Not by 31 January.

  json view =
      BuildMonthlyReportView(config_, *board_, {2027, 1}, Date(2027, 3, 1));
  EXPECT_EQ(view["as_of"], "Sunday 31 January 2027");
  EXPECT_EQ(view["early"], false);
  EXPECT_EQ(view["raised_count"], 2);
  EXPECT_EQ(view["raised_by_area"],
            json::parse(R"([{"name": "East Surrey", "count": 1},
                            {"name": "Surrey Downs", "count": 1}])"));
  EXPECT_EQ(view["raised_by_theme"],
            json::parse(R"([{"name": "Access", "count": 1},
                            {"name": "Communication", "count": 1}])"));
  ASSERT_EQ(view["attention"].size(), 1u);
  EXPECT_EQ(view["attention"][0]["title"], "Letters late");
  EXPECT_EQ(view["attention"][0]["several_forums"], true);
  // Both due Mon 1 Feb / Wed 3 Feb: due soon on 31 Jan, none breached yet.
  EXPECT_EQ(view["breached_count"], 0);
  EXPECT_EQ(view["due_soon_count"], 2);
  EXPECT_EQ(view["due"][0]["working_days"], 1);
  EXPECT_EQ(view["due"][0]["team"], "CMHRS East Surrey");

  EXPECT_EQ(view["forum_count"], 2);
  EXPECT_EQ(view["attendance_total"]["service_users"], 6);
  EXPECT_EQ(view["attendance_total"]["total"], 13);
  // By format: in person first, then online.
  EXPECT_EQ(view["attendance_by_format"][0]["format"], "in person");
  EXPECT_EQ(view["attendance_by_format"][0]["average_service_users_carers"],
            "1");
  EXPECT_EQ(view["attendance_by_format"][1]["format"], "online");
  EXPECT_EQ(view["attendance_by_format"][1]["average_service_users_carers"],
            "7");
  ASSERT_EQ(view["below_minimum"].size(), 1u);
  EXPECT_EQ(view["below_minimum"][0]["name"],
            "Surrey Downs forum (Wed 6 Jan 2027)");

  // A month later the same tickets are past their time.
  json feb =
      BuildMonthlyReportView(config_, *board_, {2027, 2}, Date(2027, 3, 1));
  EXPECT_EQ(feb["raised_count"], 1);
  EXPECT_EQ(feb["breached_count"], 2);
  EXPECT_EQ(feb["has_forums"], false);
}

TEST_F(ReportTest, MonthlyShowsTheStateAsItWasThen) {
  const int64_t a = Add(Date(2027, 1, 4), "Letters", "East Surrey",
                        "communication", "CMHRS East Surrey");
  On(Date(2027, 1, 5));
  board_->Move(a, TicketState::kSentToTrust, "", "jo");
  On(Date(2027, 2, 3));
  board_->Answer(a, "Done", "Lead", false, false, "jo");
  json jan =
      BuildMonthlyReportView(config_, *board_, {2027, 1}, Date(2027, 3, 1));
  EXPECT_EQ(jan["raised"][0]["state"], "Sent to the Trust");
  EXPECT_EQ(jan["raised"][0]["answer"], "");
  json today =
      BuildMonthlyReportView(config_, *board_, {2027, 1}, Date(2027, 1, 20));
  EXPECT_EQ(today["early"], true);
  EXPECT_EQ(today["as_of"], "Wednesday 20 January 2027");
  EXPECT_EQ(
      ErrorText([&] {
        BuildMonthlyReportView(config_, *board_, {2027, 5}, Date(2027, 3, 1));
      }),
      "month 2027-05 has not started yet (today is 2027-03-01)");
}

// Answers no forum has confirmed or disputed yet, and the tickets changed
// since the last report (from the first of the month), as they stood then.
TEST_F(ReportTest, MonthlyListsAnswersWaitingForAVerdictAndWhatChanged) {
  const int64_t old = Add(Date(2026, 12, 1), "Old", "East Surrey",
                          "communication", "CMHRS East Surrey");
  const int64_t judged = Add(Date(2026, 12, 1), "Judged", "East Surrey",
                             "access", "Estates and Facilities");
  const int64_t not_yet = Add(Date(2026, 12, 1), "Not yet", "East Surrey",
                              "access", "Estates and Facilities");
  On(Date(2026, 12, 10));
  for (int64_t id : {judged, not_yet}) {
    board_->Move(id, TicketState::kSentToTrust, "", "jo");
    board_->Answer(id, "Done", "Lead", false, false, "jo");
  }
  const int64_t forum =
      Forum("2027-r1-east-surrey", Date(2027, 1, 4), Format::kVirtual, 3, 1, 1);
  board_->RecordVerdict(judged, forum, Verdict::kConfirmed, "", "fay");
  board_->RecordVerdict(not_yet, forum, Verdict::kNotYet, "", "fay");
  const int64_t fresh = Add(Date(2027, 1, 6), "Fresh", "Surrey Downs", "access",
                            "Estates and Facilities");
  On(Date(2027, 2, 2));
  board_->AddVotes(old, 1, std::nullopt, "", "jo");  // After January.

  json jan =
      BuildMonthlyReportView(config_, *board_, {2027, 1}, Date(2027, 3, 1));
  std::vector<std::string> waiting, changed;
  for (const json& t : jan["awaiting_verdict"]) waiting.push_back(t["title"]);
  for (const json& t : jan["changed"]) changed.push_back(t["title"]);
  EXPECT_EQ(waiting, (std::vector<std::string>{"Not yet"}));
  EXPECT_EQ(jan["awaiting_verdict"][0]["answered_on"],
            "Thursday 10 December 2026");
  EXPECT_EQ(changed, (std::vector<std::string>{"Judged", "Not yet", "Fresh"}));
  EXPECT_EQ(jan["changed"][2]["new"], true);
  EXPECT_EQ(jan["changed"][0]["new"], false);
  EXPECT_EQ(jan["changed_since"], "Friday 1 January 2027");
  // December: both answers were still waiting; January's changes not yet.
  json dec =
      BuildMonthlyReportView(config_, *board_, {2026, 12}, Date(2027, 3, 1));
  EXPECT_EQ(dec["awaiting_verdict_count"], 2);
  EXPECT_EQ(dec["changed_count"], 3);
  (void)fresh;

  const auto files = RenderMonthlyReport(config_, jan);
  EXPECT_NE(files.at("report.md")
                .find("| 3 | Not yet | Estates and Facilities | Thursday 10 "
                      "December 2026 | The East Surrey forum said on Monday 4 "
                      "January 2027 that this has not happened yet. |"),
            std::string::npos)
      << files.at("report.md");
}

// The pack lists disputed answers and each team's verdict rates.
TEST_F(ReportTest, DevelopmentGroupPackShowsTheForumsVerdicts) {
  std::vector<int64_t> ids;
  for (const char* title : {"A", "B", "C"}) {
    ids.push_back(Add(Date(2027, 1, 4), title, "East Surrey", "access",
                      "Estates and Facilities"));
  }
  On(Date(2027, 1, 20));
  for (int64_t id : ids) {
    board_->Move(id, TicketState::kSentToTrust, "", "jo");
    board_->Answer(id, "Done", "Lead", false, false, "jo");
  }
  const int64_t forum = Forum("2027-r1-farnham-northeast-hants",
                              Date(2027, 2, 1), Format::kVirtual, 3, 1, 1);
  board_->RecordVerdict(ids[0], forum, Verdict::kConfirmed, "", "fay");
  board_->RecordVerdict(ids[1], forum, Verdict::kConfirmed, "", "fay");
  board_->RecordVerdict(ids[2], forum, Verdict::kDisputed, "Not done", "fay");
  json view = BuildDevelopmentGroupView(
      config_, *board_, PlanYear(config_, 2027), {2027, 1}, Date(2027, 3, 20));
  ASSERT_EQ(view["verdicts_by_team"].size(), 1u);
  EXPECT_EQ(view["verdicts_by_team"][0],
            json::parse(R"({"name": "Estates and Facilities", "verdicts": 3,
                "confirmed": 2, "not_yet": 0, "disputed": 1,
                "confirmed_rate": "67%", "not_yet_rate": "0%",
                "disputed_rate": "33%"})"));
  ASSERT_EQ(view["disputed"].size(), 1u);
  EXPECT_EQ(view["disputed"][0]["title"], "C");
  EXPECT_EQ(view["disputed"][0]["state"], "Sent to the Trust");
  EXPECT_EQ(view["disputed"][0]["dispute"]["sentence"],
            "The Farnham & Northeast Hants forum disputed this on Monday 1 "
            "February 2027: Not done.");
  const auto files = RenderDevelopmentGroupReport(config_, view);
  EXPECT_NE(files.at("verdicts-by-team.csv")
                .find("Estates and Facilities,3,2,0,1\r\n"),
            std::string::npos)
      << files.at("verdicts-by-team.csv");
}

TEST_F(ReportTest, MonthlyCsvFollowsTheBoardExportConventions) {
  Add(Date(2027, 1, 4), "=HYPERLINK(\"http://x\")", "East Surrey", "access",
      "PALS");
  Add(Date(2027, 1, 5), "Comma, and \"quotes\"", "East Surrey", "access",
      "PALS");
  json view =
      BuildMonthlyReportView(config_, *board_, {2027, 1}, Date(2027, 1, 31));
  const auto files = RenderMonthlyReport(config_, view);
  EXPECT_EQ(
      files.at("new-tickets.csv"),
      "\xEF\xBB\xBFticket,raised_on,title,areas,themes,team,votes,state\r\n"
      "1,2027-01-04,\"'=HYPERLINK(\"\"http://x\"\")\",East Surrey,access,"
      "PALS,1,Raised at a forum\r\n"
      "2,2027-01-05,\"Comma, and \"\"quotes\"\"\",East Surrey,access,PALS,"
      "1,Raised at a forum\r\n");
  for (const char* name :
       {"report.md", "report.html", "due.csv", "attendance.csv"}) {
    EXPECT_EQ(files.count(name), 1u) << name;
  }
}

TEST_F(ReportTest, DevelopmentGroupPack) {
  const int64_t east =
      Forum("2027-r1-east-surrey", Date(2027, 1, 4), Format::kVirtual, 5, 2, 3);
  const int64_t downs = Forum("2027-r1-surrey-downs", Date(2027, 1, 6),
                              Format::kInPerson, 1, 0, 2);
  const int64_t a = Add(Date(2027, 1, 4), "Letters", "East Surrey",
                        "communication", "CMHRS East Surrey", east);
  const int64_t b = Add(Date(2027, 1, 6), "Letters again", "Surrey Downs",
                        "communication", "CMHRS Surrey Downs", downs);
  Add(Date(2027, 1, 6), "Parking", "Surrey Downs", "access",
      "Estates and Facilities", downs);
  board_->AddVotes(b, 4, std::nullopt, "", "jo");
  On(Date(2027, 1, 8));
  board_->Move(a, TicketState::kSentToTrust, "", "jo");
  board_->Answer(a, "Done", "Lead", false, false, "jo");

  const Plan plan = PlanYear(config_, 2027);
  json view = BuildDevelopmentGroupView(config_, *board_, plan, {2027, 1},
                                        Date(2027, 6, 1));
  // Round 1's Development Group: the last Thursday of February 2027.
  EXPECT_EQ(view["meeting_date"], "Thursday 25 February 2027");
  EXPECT_EQ(view["as_of"], "Thursday 25 February 2027");
  EXPECT_EQ(view["most_voted"][0]["title"], "Letters again");
  EXPECT_EQ(view["most_voted"][0]["votes"], 5);
  EXPECT_EQ(view["most_voted"][0]["rank"], 1);
  // Communication was raised in two areas.
  json communication;
  for (const json& t : view["themes"]) {
    if (t["theme"] == "Communication") communication = t;
  }
  EXPECT_EQ(communication["total"], 2);
  EXPECT_EQ(communication["area_count"], 2);
  EXPECT_EQ(communication["several_areas"], true);
  EXPECT_EQ(communication["cells"].size(), 6u);
  // Response times by team, from the SLA report.
  ASSERT_EQ(view["response_by_team"].size(), 3u);
  EXPECT_EQ(view["response_by_team"][0]["name"], "CMHRS East Surrey");
  EXPECT_EQ(view["response_by_team"][0]["on_time"], "1 of 1");
  EXPECT_EQ(view["response_by_team"][0]["median_days"], "4");
  EXPECT_EQ(view["response_by_team"][1]["on_time"], "-");
  // Attendance over the year by format and by round.
  EXPECT_EQ(view["attendance_by_format"][0]["below_minimum"], 1);
  EXPECT_EQ(view["attendance_by_format"][1]["service_users"], 5);
  EXPECT_EQ(view["attendance_by_round"].size(), 2u);
  EXPECT_EQ(view["attendance_by_round"][0]["round"], "Round 1");

  const auto files = RenderDevelopmentGroupReport(config_, view);
  EXPECT_EQ(files.at("themes-by-area.csv").substr(0, 3), "\xEF\xBB\xBF");
  EXPECT_NE(files.at("response-times-by-team.csv")
                .find("CMHRS Surrey Downs,1,1,0,0,,1,0,0,1\r\n"),
            std::string::npos)
      << files.at("response-times-by-team.csv");
}

TEST_F(ReportTest, ShapesHaveExactlyTheViewsNames) {
  const int64_t downs = Forum("2027-r1-surrey-downs", Date(2027, 1, 6),
                              Format::kInPerson, 1, 0, 2);
  const int64_t a = Add(Date(2027, 1, 6), "Letters", "Surrey Downs",
                        "communication", "CMHRS Surrey Downs", downs);
  Add(Date(2027, 1, 6), "Parking", "Surrey Downs", "access", "PALS", downs);
  board_->AddVotes(a, 4, std::nullopt, "", "jo");
  json monthly =
      BuildMonthlyReportView(config_, *board_, {2027, 1}, Date(2027, 1, 29));
  for (const char* list : {"raised", "attention", "due", "forums",
                           "below_minimum", "raised_by_area"}) {
    ASSERT_FALSE(monthly[list].empty()) << list;
  }
  ExpectSameNames(monthly, MonthlyReportViewShape(config_), "monthly");
  json group = BuildDevelopmentGroupView(
      config_, *board_, PlanYear(config_, 2027), {2027, 1}, Date(2027, 2, 1));
  ExpectSameNames(group, DevelopmentGroupViewShape(config_), "group");
}

}  // namespace
}  // namespace focus
