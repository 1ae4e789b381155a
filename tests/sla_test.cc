#include "focus/sla.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>

#include "board_fixture.h"
#include "focus/board.h"
#include "focus/clock.h"
#include "focus/error.h"
#include "focus/store.h"
#include "focus/store_testing.h"
#include "focus/text.h"
#include "test_config.h"
#include "test_util.h"

namespace focus {
namespace {

Date D(const std::string& iso) {
  std::optional<Date> d = ParseIsoDate(iso);
  if (!d) throw std::runtime_error("bad test date " + iso);
  return *d;
}

// TestConfig with the plan window and the teams these tests name.
Config SlaConfig() {
  Config c = TestConfig();
  c.window_days = 15;
  c.allow_weekends = false;
  c.newsletter_copy_deadline_working_day = 10;
  c.board.teams = {"Access team", "CMHRS East Surrey", "Pharmacy"};
  return c;
}

Ticket MakeTicket(int64_t id, Date raised, std::string team = "Access team",
                  std::vector<std::string> themes = {"access"},
                  std::string area = "east-surrey") {
  Ticket t;
  t.id = id;
  t.title = "Ticket " + std::to_string(id);
  t.raised_on = raised;
  t.team = std::move(team);
  t.themes = std::move(themes);
  t.area = std::move(area);
  return t;
}

class SlaTest : public ::testing::Test {
 protected:
  Config config_ = SlaConfig();
  HolidayCalendar holidays_ = config_.MakeHolidayCalendar();

  TicketSla Sla(const Ticket& t, Date as_of) {
    return ComputeSla(config_, holidays_, t, as_of);
  }
};

// ---- Due dates ------------------------------------------------------------

struct DueCase {
  const char* name;
  const char* raised;
  int acknowledge_days;
  int answer_days;
  const char* acknowledge_due;
  const char* answer_due;
};

TEST_F(SlaTest, DueDatesSkipWeekendsAndBankHolidays) {
  const DueCase cases[] = {
      {"plain weeks: 15 Jan 2027 + 20", "2027-01-15", 5, 20, "2027-01-22",
       "2027-02-12"},
      {"Friday + 1 is Monday", "2026-11-06", 1, 1, "2026-11-09", "2026-11-09"},
      {"raised on Saturday counts from Monday", "2026-11-07", 1, 5,
       "2026-11-09", "2026-11-13"},
      {"0 days is the day itself, even a Sunday", "2026-11-08", 0, 0,
       "2026-11-08", "2026-11-08"},
      // Easter 2027: Good Friday 26 Mar, Easter Monday 29 Mar.
      {"Easter 2027: Thursday + 1 skips to Tuesday", "2027-03-25", 1, 1,
       "2027-03-30", "2027-03-30"},
      {"Easter 2027: Monday + 5 lands Wednesday after", "2027-03-22", 5, 5,
       "2027-03-31", "2027-03-31"},
      // Christmas 2026: Fri 25 Dec, Boxing Day (Sat) substituted Mon 28 Dec;
      // New Year's Day Fri 1 Jan 2027.
      {"Christmas 2026: Thursday + 1 is Tuesday 29", "2026-12-24", 1, 1,
       "2026-12-29", "2026-12-29"},
      {"Christmas and New Year 2026-27", "2026-12-23", 5, 5, "2027-01-04",
       "2027-01-04"},
      // The clocks change on a Sunday; days, not hours, are counted.
      {"BST ends Sun 25 Oct 2026", "2026-10-23", 1, 5, "2026-10-26",
       "2026-10-30"},
      {"BST starts Sun 29 Mar 2026, then Easter 2026", "2026-03-27", 1, 5,
       "2026-03-30", "2026-04-07"},
  };
  for (const DueCase& c : cases) {
    SCOPED_TRACE(c.name);
    config_.board.response_times = {c.acknowledge_days, c.answer_days};
    const Ticket t = MakeTicket(1, D(c.raised));
    const TicketSla s = Sla(t, D(c.raised));
    EXPECT_EQ(s.acknowledge_due, D(c.acknowledge_due));
    EXPECT_EQ(s.answer_due, D(c.answer_due));
    EXPECT_EQ(s.acknowledge_days, c.acknowledge_days);
    EXPECT_EQ(s.answer_days, c.answer_days);
  }
}

TEST_F(SlaTest, WorkingDaysToAnswerAcrossTheClockChange) {
  Ticket t = MakeTicket(1, D("2026-10-23"));  // Fri; BST ends Sun 25 Oct.
  t.answered_on = D("2026-10-26");
  EXPECT_EQ(Sla(t, D("2026-11-01")).working_days_to_answer, 1);
  t.answered_on = D("2026-10-30");
  EXPECT_EQ(Sla(t, D("2026-11-01")).working_days_to_answer, 5);
}

// Answers decades late (hand-edited data) are counted apart from the usual
// few weeks; the median is still the middle one.
TEST_F(SlaTest, MedianOfVeryLongWaits) {
  const Date as_of = D("2027-01-15");
  std::vector<Ticket> tickets;
  std::vector<int> days;
  for (const char* raised :
       {"2000-01-04", "2026-11-02", "2003-06-02", "1990-03-05", "2026-10-05"}) {
    Ticket t = MakeTicket(static_cast<int64_t>(tickets.size()) + 1, D(raised));
    t.state = TicketState::kAnswered;
    t.answered_on = D("2026-12-01");
    days.push_back(*Sla(t, as_of).working_days_to_answer);
    tickets.push_back(t);
    std::vector<int> sorted = days;
    std::sort(sorted.begin(), sorted.end());
    const size_t mid = sorted.size() / 2;
    const double median = sorted.size() % 2 == 1
                              ? sorted[mid]
                              : (sorted[mid - 1] + sorted[mid]) / 2.0;
    SCOPED_TRACE(tickets.size());
    EXPECT_EQ(BuildSlaReport(config_, tickets, as_of)
                  .overall.median_working_days_to_answer,
              median);
  }
  EXPECT_GT(*std::max_element(days.begin(), days.end()), 5000);
}

// ---- Pauses ---------------------------------------------------------------

struct PauseCase {
  const char* name;
  int paused_working_days;           // Closed pauses.
  std::optional<Date> paused_since;  // Open pause.
  std::optional<Date> answered_on;
  const char* as_of;
  const char* answer_due;
  bool paused;
  std::optional<int> working_days_to_answer;
};

TEST_F(SlaTest, PausesMoveTheDueDate) {
  // Raised Fri 15 Jan 2027; 20 working days: due Fri 12 Feb 2027.
  const PauseCase cases[] = {
      {"no pause", 0, {}, {}, "2027-02-01", "2027-02-12", false, {}},
      {"closed pause of 3", 3, {}, {}, "2027-02-01", "2027-02-17", false, {}},
      {"open pause since Mon 1 Feb, as of Fri 5 Feb: 4 days",
       0,
       D("2027-02-01"),
       {},
       "2027-02-05",
       "2027-02-18",
       true,
       {}},
      {"open pause begun today: 0 days so far",
       0,
       D("2027-02-05"),
       {},
       "2027-02-05",
       "2027-02-12",
       true,
       {}},
      {"open pause over a weekend: Fri to Mon is 1",
       0,
       D("2027-02-05"),
       {},
       "2027-02-08",
       "2027-02-15",
       true,
       {}},
      {"closed 2 and open 2",
       2,
       D("2027-02-03"),
       {},
       "2027-02-05",
       "2027-02-18",
       true,
       {}},
      {"answered: an open pause no longer counts", 1, D("2027-02-01"),
       D("2027-02-10"), "2027-02-20", "2027-02-15", false, 17},
      {"answered after a closed pause of 3: 20 days to answer",
       3,
       {},
       D("2027-02-17"),
       "2027-02-20",
       "2027-02-17",
       false,
       20},
      {"a pause starting after the report date is not known yet",
       0,
       D("2027-02-10"),
       {},
       "2027-02-05",
       "2027-02-12",
       false,
       {}},
  };
  for (const PauseCase& c : cases) {
    SCOPED_TRACE(c.name);
    Ticket t = MakeTicket(1, D("2027-01-15"));
    t.paused_working_days = c.paused_working_days;
    t.paused_since = c.paused_since;
    t.answered_on = c.answered_on;
    const TicketSla s = Sla(t, D(c.as_of));
    EXPECT_EQ(s.answer_due, D(c.answer_due));
    EXPECT_EQ(s.paused, c.paused);
    EXPECT_EQ(s.working_days_to_answer, c.working_days_to_answer);
  }
}

TEST_F(SlaTest, PausedBeforeTheDueDateNeverBreaches) {
  Ticket t = MakeTicket(1, D("2027-01-15"));  // Due Fri 12 Feb.
  t.paused_since = D("2027-02-01");
  const TicketSla s = Sla(t, D("2027-06-01"));
  EXPECT_TRUE(s.paused);
  EXPECT_NE(s.status, SlaStatus::kBreached);
  EXPECT_GE(s.answer_due, D("2027-06-01"));
}

TEST_F(SlaTest, PausedAfterTheDueDateStaysBreachedWithOverdueFrozen) {
  Ticket t = MakeTicket(1, D("2027-01-15"));  // Due Fri 12 Feb.
  t.paused_since = D("2027-02-17");           // 3 working days overdue.
  for (const char* as_of : {"2027-02-17", "2027-02-24", "2027-03-31"}) {
    SCOPED_TRACE(as_of);
    const TicketSla s = Sla(t, D(as_of));
    EXPECT_TRUE(s.paused);
    EXPECT_EQ(s.status, SlaStatus::kBreached);
    EXPECT_EQ(s.working_days_left, -3);
  }
}

// While paused the due date moves on but the working days left stay as
// they were when the pause began.
TEST_F(SlaTest, PausedKeepsItsWorkingDaysLeft) {
  Ticket t = MakeTicket(1, D("2027-01-15"));  // Due Fri 12 Feb.
  t.paused_since = D("2027-02-01");           // 9 working days left.
  for (const char* as_of : {"2027-02-01", "2027-02-12", "2027-06-01"}) {
    SCOPED_TRACE(as_of);
    const TicketSla s = Sla(t, D(as_of));
    EXPECT_TRUE(s.paused);
    EXPECT_EQ(s.working_days_left, 9);
  }
}

// A disputed verdict sends the ticket back to the Trust: the answer clock
// runs again from that day, and the answer from before it no longer counts.
TEST_F(SlaTest, ADisputeStartsANewAnswerClock) {
  struct Case {
    const char* name;
    std::optional<Date> answered_on;  // As the board keeps it.
    const char* as_of;
    SlaStatus status;
    const char* answer_due;
    std::optional<int> days_to_answer;
  };
  // Raised Fri 15 Jan 2027, first answered Mon 1 Feb, disputed Mon 1 Mar:
  // a new answer due 20 working days later (Easter: Good Friday 26 Mar,
  // Easter Monday 29 Mar), Wed 31 Mar.
  const Case cases[] = {
      {"disputed, no new answer yet", D("2027-02-01"), "2027-03-10",
       SlaStatus::kOnTime, "2027-03-31", std::nullopt},
      {"disputed, no new answer, late", D("2027-02-01"), "2027-04-01",
       SlaStatus::kBreached, "2027-03-31", std::nullopt},
      {"answered again in time", D("2027-03-15"), "2027-04-01",
       SlaStatus::kAnsweredOnTime, "2027-03-31", 10},
      {"answered again late", D("2027-04-05"), "2027-04-09",
       SlaStatus::kAnsweredLate, "2027-03-31", 23},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    Ticket t = MakeTicket(1, D("2027-01-15"));
    t.sent_on = D("2027-01-18");
    t.answered_on = c.answered_on;
    t.reopened_on = D("2027-03-01");
    const TicketSla s = Sla(t, D(c.as_of));
    EXPECT_TRUE(s.disputed);
    EXPECT_EQ(s.clock_from, D("2027-03-01"));
    EXPECT_EQ(s.status, c.status);
    EXPECT_EQ(s.answer_due, D(c.answer_due));
    EXPECT_EQ(s.working_days_to_answer, c.days_to_answer);
    EXPECT_TRUE(s.acknowledged);
    EXPECT_FALSE(s.missed_acknowledge);
  }
  // Before the dispute, the first answer is the response.
  Ticket t = MakeTicket(1, D("2027-01-15"));
  t.answered_on = D("2027-02-01");
  t.reopened_on = D("2027-03-01");
  const TicketSla before = Sla(t, D("2027-02-20"));
  EXPECT_FALSE(before.disputed);
  EXPECT_EQ(before.status, SlaStatus::kAnsweredOnTime);
  EXPECT_EQ(before.clock_from, D("2027-01-15"));
}

// The report counts disputed answers per team apart from the answers on
// time, counts every ticket that missed the send-to-Trust time and lists
// the open ones.
TEST_F(SlaTest, DisputedAndSentLateAreCountedAndListed) {
  const Date as_of = D("2027-03-10");
  Ticket on_time = MakeTicket(1, D("2027-01-15"), "Access team");
  on_time.sent_on = D("2027-01-18");
  on_time.answered_on = D("2027-02-01");
  Ticket disputed = MakeTicket(2, D("2027-01-15"), "Access team");
  disputed.sent_on = D("2027-01-18");
  disputed.answered_on = D("2027-02-01");
  disputed.reopened_on = D("2027-03-01");
  Ticket sent_late = MakeTicket(3, D("2027-01-15"), "Pharmacy");
  sent_late.sent_on = D("2027-01-26");  // Due by Fri 22 Jan.
  Ticket never_sent = MakeTicket(4, D("2027-01-04"), "Pharmacy");
  Ticket not_due = MakeTicket(5, D("2027-03-08"), "Pharmacy");
  Ticket answered_late_sent = MakeTicket(6, D("2027-01-15"), "Pharmacy");
  answered_late_sent.sent_on = D("2027-01-27");
  answered_late_sent.answered_on = D("2027-02-01");
  const SlaReport r = BuildSlaReport(
      config_,
      {on_time, disputed, sent_late, never_sent, not_due, answered_late_sent},
      as_of);
  EXPECT_EQ(r.overall.disputed, 1);
  EXPECT_EQ(r.overall.missed_acknowledge, 3);
  EXPECT_EQ(r.overall.answered, 2);
  EXPECT_EQ(r.overall.answered_on_time, 2);
  ASSERT_EQ(r.by_team.size(), 2u);
  EXPECT_EQ(r.by_team[0].key, "Access team");
  EXPECT_EQ(r.by_team[0].disputed, 1);
  EXPECT_EQ(r.by_team[0].missed_acknowledge, 0);
  EXPECT_EQ(r.by_team[1].disputed, 0);
  EXPECT_EQ(r.by_team[1].missed_acknowledge, 3);
  // The open ones, earliest send-by date first; the answered one is only
  // counted.
  ASSERT_EQ(r.missed_acknowledge.size(), 2u);
  EXPECT_EQ(r.missed_acknowledge[0].ticket.id, 4);
  EXPECT_EQ(r.missed_acknowledge[1].ticket.id, 3);
  EXPECT_EQ(r.breached.size(), 2u) << "both are past the answer time too";

  const std::string text = RenderSlaReportText(config_, r);
  for (const char* want : {
           "  3 not sent to the Trust within the agreed time.\n",
           "  1 answer disputed by a forum: sent back to the Trust with a "
           "new clock (not\n    counted as on time).\n",
           "Sent to the Trust late: open tickets past the agreed time to "
           "send (2)\n",
           "  #4      Ticket 4  Pharmacy  Mon 11 Jan 2027  not sent yet\n",
           "  #3      Ticket 3  Pharmacy  Fri 22 Jan 2027  Tue 26 Jan 2027\n",
       }) {
    EXPECT_NE(text.find(want), std::string::npos) << want << "\n" << text;
  }
  const nlohmann::json j =
      nlohmann::json::parse(RenderSlaReportJson(config_, r));
  EXPECT_EQ(j["overall"]["disputed"], 1);
  EXPECT_EQ(j["overall"]["missed_acknowledge"], 3);
  EXPECT_EQ(j["missed_acknowledge"][0]["id"], 4);
  EXPECT_EQ(j["missed_acknowledge"][0]["missed_acknowledge"], true);
}

// ---- Status boundaries ----------------------------------------------------

struct StatusCase {
  const char* name;
  const char* as_of;
  std::optional<Date> answered_on;
  std::optional<Date> declined_on;
  SlaStatus status;
  std::optional<int> working_days_left;
};

TEST_F(SlaTest, StatusBoundaries) {
  // Raised Fri 15 Jan 2027, due Fri 12 Feb 2027, due soon within 5.
  const StatusCase cases[] = {
      {"6 days left: on time", "2027-02-04", {}, {}, SlaStatus::kOnTime, 6},
      {"5 days left: due soon", "2027-02-05", {}, {}, SlaStatus::kDueSoon, 5},
      {"due today: due soon, not breached",
       "2027-02-12",
       {},
       {},
       SlaStatus::kDueSoon,
       0},
      {"the day after (Saturday): breached",
       "2027-02-13",
       {},
       {},
       SlaStatus::kBreached,
       0},
      {"the next working day: breached by 1",
       "2027-02-15",
       {},
       {},
       SlaStatus::kBreached,
       -1},
      {"answered on the due date: on time",
       "2027-03-01",
       D("2027-02-12"),
       {},
       SlaStatus::kAnsweredOnTime,
       {}},
      {"answered the next working day: late",
       "2027-03-01",
       D("2027-02-15"),
       {},
       SlaStatus::kAnsweredLate,
       {}},
      {"declined on the due date: on time",
       "2027-03-01",
       {},
       D("2027-02-12"),
       SlaStatus::kAnsweredOnTime,
       {}},
      {"declined late",
       "2027-03-01",
       {},
       D("2027-02-16"),
       SlaStatus::kAnsweredLate,
       {}},
      {"the earlier of answer and decline counts",
       "2027-03-01",
       D("2027-02-20"),
       D("2027-02-10"),
       SlaStatus::kAnsweredOnTime,
       {}},
      {"answered after the report date: still open",
       "2027-02-12",
       D("2027-02-15"),
       {},
       SlaStatus::kDueSoon,
       0},
  };
  for (const StatusCase& c : cases) {
    SCOPED_TRACE(c.name);
    Ticket t = MakeTicket(1, D("2027-01-15"));
    t.answered_on = c.answered_on;
    t.declined_on = c.declined_on;
    const TicketSla s = Sla(t, D(c.as_of));
    EXPECT_EQ(SlaStatusName(s.status), std::string(SlaStatusName(c.status)));
    EXPECT_EQ(s.working_days_left, c.working_days_left);
  }
}

TEST_F(SlaTest, Acknowledgement) {
  struct Case {
    const char* name;
    std::optional<Date> sent_on, answered_on, declined_on;
    bool acknowledged, late;
  };
  // Raised Fri 15 Jan 2027: acknowledge within 5, by Fri 22 Jan.
  const Case cases[] = {
      {"not sent", {}, {}, {}, false, false},
      {"sent on the due date", D("2027-01-22"), {}, {}, true, false},
      {"sent the next working day", D("2027-01-25"), {}, {}, true, true},
      {"answered before being sent", {}, D("2027-01-20"), {}, true, false},
      {"declined straight away", {}, {}, D("2027-01-18"), true, false},
      {"earliest of sent and answered",
       D("2027-01-28"),
       D("2027-01-21"),
       {},
       true,
       false},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    Ticket t = MakeTicket(1, D("2027-01-15"));
    t.sent_on = c.sent_on;
    t.answered_on = c.answered_on;
    t.declined_on = c.declined_on;
    const TicketSla s = Sla(t, D("2027-02-01"));
    EXPECT_EQ(s.acknowledge_due, D("2027-01-22"));
    EXPECT_EQ(s.acknowledged, c.acknowledged);
    EXPECT_EQ(s.acknowledged_late, c.late);
  }
}

TEST_F(SlaTest, RejectsAReportDateBeforeTheTicket) {
  const Ticket t = MakeTicket(7, D("2027-01-15"));
  try {
    Sla(t, D("2027-01-14"));
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kInvalidInput);
    EXPECT_NE(std::string(e.what()).find("#7"), std::string::npos);
  }
}

TEST_F(SlaTest, NewsletterDeadlineOfTheTicketsQuarter) {
  // 2027-r1: copy deadline is working day 10 of March, Fri 12 Mar 2027.
  Ticket t = MakeTicket(1, D("2027-01-15"));
  TicketSla s = Sla(t, D("2027-01-15"));
  EXPECT_EQ(s.newsletter_deadline, D("2027-03-12"));
  EXPECT_FALSE(s.misses_newsletter);  // Due 12 Feb.
  config_.board.response_times = {5, 41};
  s = Sla(t, D("2027-01-15"));
  EXPECT_EQ(s.answer_due, D("2027-03-15"));
  EXPECT_TRUE(s.misses_newsletter);
}

// ---- Rule precedence ------------------------------------------------------

TEST_F(SlaTest, TeamRuleWinsThenShortestThemeThenDefault) {
  config_.board.response_times = {5, 20};
  config_.board.response_times_by_theme = {{"crisis care", {1, 5}},
                                           {"medication", {2, 10}},
                                           {"access", {3, 10}},
                                           {"carers", {4, 30}}};
  config_.board.response_times_by_team = {{"Pharmacy", {5, 30}}};
  struct Case {
    const char* name;
    std::string team;
    std::vector<std::string> themes;
    int acknowledge_days, answer_days;
  };
  const Case cases[] = {
      {"team rule over a shorter theme", "Pharmacy", {"crisis care"}, 5, 30},
      {"shortest of two themes",
       "Access team",
       {"carers", "crisis care"},
       1,
       5},
      {"equal answer times: shorter acknowledge",
       "Access team",
       {"access", "medication"},
       2,
       10},
      {"a longer theme rule still beats the default",
       "Access team",
       {"carers"},
       4,
       30},
      {"no rule matches: default", "Access team", {"other"}, 5, 20},
      {"no themes: default", "CMHRS East Surrey", {}, 5, 20},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    const Ticket t = MakeTicket(1, D("2027-01-15"), c.team, c.themes);
    const SlaRule r = SlaRuleFor(config_, t);
    EXPECT_EQ(r.acknowledge_days, c.acknowledge_days);
    EXPECT_EQ(r.answer_days, c.answer_days);
    const TicketSla s = Sla(t, D("2027-01-15"));
    EXPECT_EQ(s.answer_days, c.answer_days);
    EXPECT_EQ(s.answer_due,
              holidays_.AddWorkingDays(t.raised_on, c.answer_days));
  }
}

// ---- The report -----------------------------------------------------------

// A ticket raised on `raised` and answered `days` working days later.
Ticket Answered(const HolidayCalendar& h, int64_t id, Date raised, int days,
                std::string team = "Access team",
                std::vector<std::string> themes = {"access"}) {
  Ticket t = MakeTicket(id, raised, std::move(team), std::move(themes));
  t.answered_on = h.AddWorkingDays(raised, days);
  t.state = TicketState::kAnswered;
  return t;
}

const SlaGroup* Find(const std::vector<SlaGroup>& groups,
                     const std::string& key) {
  for (const SlaGroup& g : groups) {
    if (g.key == key) return &g;
  }
  return nullptr;
}

TEST_F(SlaTest, MedianOddAndEven) {
  const Date raised = D("2027-01-15");
  const Date as_of = D("2027-03-01");
  const std::vector<Ticket> tickets = {
      // Odd: 3, 1, 2 -> 2.
      Answered(holidays_, 1, raised, 3, "Access team"),
      Answered(holidays_, 2, raised, 1, "Access team"),
      Answered(holidays_, 3, raised, 2, "Access team"),
      // Even: 4, 1, 3, 2 -> 2.5.
      Answered(holidays_, 4, raised, 4, "Pharmacy"),
      Answered(holidays_, 5, raised, 1, "Pharmacy"),
      Answered(holidays_, 6, raised, 3, "Pharmacy"),
      Answered(holidays_, 7, raised, 2, "Pharmacy"),
      // Open: not in the median.
      MakeTicket(8, raised, "Pharmacy"),
  };
  const SlaReport r = BuildSlaReport(config_, tickets, as_of);
  ASSERT_NE(Find(r.by_team, "Access team"), nullptr);
  ASSERT_NE(Find(r.by_team, "Pharmacy"), nullptr);
  EXPECT_EQ(Find(r.by_team, "Access team")->median_working_days_to_answer, 2.0);
  EXPECT_EQ(Find(r.by_team, "Pharmacy")->median_working_days_to_answer, 2.5);
  // All seven: 1, 1, 2, 2, 3, 3, 4 -> 2.
  EXPECT_EQ(r.overall.median_working_days_to_answer, 2.0);
  EXPECT_EQ(r.overall.answered, 7);
  EXPECT_EQ(r.overall.open, 1);
}

TEST_F(SlaTest, NothingAnsweredHasNoPercentOrMedian) {
  const std::vector<Ticket> tickets = {MakeTicket(1, D("2027-01-15"))};
  const SlaReport r = BuildSlaReport(config_, tickets, D("2027-01-20"));
  EXPECT_FALSE(r.overall.percent_on_time.has_value());
  EXPECT_FALSE(r.overall.median_working_days_to_answer.has_value());
}

TEST_F(SlaTest, GroupsByTeamAreaThemeAndRound) {
  const Date as_of = D("2027-05-03");
  std::vector<Ticket> tickets = {
      MakeTicket(1, D("2027-01-12"), "Pharmacy", {"access", "carers"},
                 "east-surrey"),
      MakeTicket(2, D("2027-01-13"), "Access team", {"access"}, "surrey-downs"),
      MakeTicket(3, D("2027-04-08"), "Access team", {"carers", "carers"},
                 "east-surrey"),
      MakeTicket(4, D("2026-12-01"), "Pharmacy", {}, "east-surrey"),
  };
  tickets[1].answered_on = D("2027-01-20");  // On time.
  tickets[3].declined_on = D("2027-02-26");  // Late (due 31 Dec 2026).
  // Skipped: merged into another, or raised after the report date.
  Ticket merged = MakeTicket(5, D("2027-01-12"), "Pharmacy", {"access"});
  merged.state = TicketState::kMerged;
  merged.merged_into = 1;
  tickets.push_back(merged);
  tickets.push_back(MakeTicket(6, D("2027-05-04"), "Pharmacy", {"access"}));

  const SlaReport r = BuildSlaReport(config_, tickets, as_of);
  EXPECT_EQ(r.as_of, as_of);
  EXPECT_EQ(r.overall.tickets, 4);
  EXPECT_EQ(r.overall.answered, 2);
  EXPECT_EQ(r.overall.answered_on_time, 1);
  EXPECT_EQ(r.overall.percent_on_time, 50.0);
  EXPECT_EQ(r.overall.open, 2);
  EXPECT_EQ(r.overall.breached, 1);  // #1, due 9 Feb 2027.
  // #3 is due Fri 7 May; as of the early May bank holiday, 4 days left.
  EXPECT_EQ(r.overall.due_soon, 1);

  auto keys = [](const std::vector<SlaGroup>& gs) {
    std::vector<std::string> k;
    for (const SlaGroup& g : gs) k.push_back(g.key);
    return k;
  };
  EXPECT_EQ(keys(r.by_team),
            (std::vector<std::string>{"Access team", "Pharmacy"}));
  EXPECT_EQ(keys(r.by_area),
            (std::vector<std::string>{"east-surrey", "surrey-downs"}));
  EXPECT_EQ(keys(r.by_theme), (std::vector<std::string>{"access", "carers"}));
  EXPECT_EQ(keys(r.by_round),
            (std::vector<std::string>{"2026-r4", "2027-r1", "2027-r2"}));

  // #1 has two themes and counts in both; #3 lists carers twice: once.
  EXPECT_EQ(Find(r.by_theme, "access")->tickets, 2);
  EXPECT_EQ(Find(r.by_theme, "carers")->tickets, 2);
  EXPECT_EQ(Find(r.by_area, "east-surrey")->tickets, 3);
  EXPECT_EQ(Find(r.by_team, "Pharmacy")->tickets, 2);
  EXPECT_EQ(Find(r.by_team, "Pharmacy")->answered, 1);
  EXPECT_EQ(Find(r.by_team, "Pharmacy")->percent_on_time, 0.0);
  EXPECT_EQ(Find(r.by_round, "2027-r1")->tickets, 2);
  EXPECT_EQ(Find(r.by_round, "2027-r2")->open, 1);
}

TEST_F(SlaTest, BreachedMostOverdueFirstAndDueSoonSoonestFirst) {
  const Date as_of = D("2027-03-01");
  // Due dates: raised + 20 working days.
  const std::vector<Ticket> tickets = {
      MakeTicket(10, D("2027-01-20")),  // Due 17 Feb: breached.
      MakeTicket(11, D("2027-01-11")),  // Due 8 Feb: most overdue.
      MakeTicket(12, D("2027-01-20")),  // Due 17 Feb: ties with #10 by id.
      MakeTicket(13, D("2027-02-03")),  // Due 3 Mar: 2 days left.
      MakeTicket(14, D("2027-02-01")),  // Due 1 Mar: due today.
      MakeTicket(15, D("2027-02-22")),  // Due 22 Mar: on time.
  };
  const SlaReport r = BuildSlaReport(config_, tickets, as_of);
  std::vector<int64_t> breached, due_soon;
  for (const SlaLine& l : r.breached) breached.push_back(l.ticket.id);
  for (const SlaLine& l : r.due_soon) due_soon.push_back(l.ticket.id);
  EXPECT_EQ(breached, (std::vector<int64_t>{11, 10, 12}));
  EXPECT_EQ(due_soon, (std::vector<int64_t>{14, 13}));
  EXPECT_EQ(r.breached[0].sla.working_days_left, -15);
  EXPECT_EQ(r.due_soon[0].sla.working_days_left, 0);
  EXPECT_EQ(r.due_soon[1].sla.working_days_left, 2);
}

TEST_F(SlaTest, TablesLineUpWithWideCharactersInTitles) {
  std::vector<Ticket> tickets = {MakeTicket(10, D("2027-01-20")),
                                 MakeTicket(11, D("2027-01-11"))};
  tickets[0].title = "Parking";
  // "待ち時間が長い" (waits are long): 7 wide characters, 14 columns.
  tickets[1].title =
      "\xE5\xBE\x85\xE3\x81\xA1\xE6\x99\x82\xE9\x96\x93\xE3\x81\x8C"
      "\xE9\x95\xB7\xE3\x81\x84";
  const std::string text = RenderSlaReportText(
      config_, BuildSlaReport(config_, tickets, D("2027-03-01")));
  // The column after the title starts at the same display column on both
  // rows of the breached list.
  std::vector<size_t> team_at;
  for (const char* id : {"#11", "#10"}) {
    const size_t row = text.rfind('\n', text.find(std::string("  ") + id)) + 1;
    const std::string line = text.substr(row, text.find('\n', row) - row);
    team_at.push_back(DisplayWidth(line.substr(0, line.find("Access team"))));
  }
  EXPECT_EQ(team_at[0], team_at[1]) << text;
}

// ---- Warnings -------------------------------------------------------------

struct WarningCase {
  const char* name;
  SlaRule default_rule;
  std::map<std::string, SlaRule> by_theme;
  std::map<std::string, SlaRule> by_team;
  std::vector<std::string> expected;
};

TEST_F(SlaTest, WarnsWhenTheAgreedTimeMissesTheNewsletter) {
  // As of Mon 1 Feb 2027: round 2027-r1. Its window ends Fri 15 Jan; the
  // copy deadline is Fri 12 Mar, 40 working days later.
  const std::string tail =
      "a ticket raised at a forum on Fri 15 Jan 2027, the last day of the "
      "2027-r1 forum window, is due ";
  const std::string end =
      ", after that quarter's copy deadline of Fri 12 Mar 2027, so the people "
      "who raised it would not read the answer in the roundup before their "
      "next forum. At most 40 working days would get every answer from that "
      "round into the roundup.";
  const WarningCase cases[] = {
      {"20 days fits", {5, 20}, {}, {}, {}},
      {"exactly 40 fits", {5, 40}, {}, {}, {}},
      {"41 does not",
       {5, 41},
       {},
       {},
       {"The agreed 41 working days to answer (the default) cannot get an "
        "answer into the newsletter: " +
        tail + "Mon 15 Mar 2027" + end}},
      {"45 by default and for a theme; a short theme is fine",
       {5, 45},
       {{"medication", {5, 45}}, {"crisis care", {1, 5}}},
       {},
       {"The agreed 45 working days to answer (the default, and for theme "
        "medication) cannot get an answer into the newsletter: " +
        tail + "Fri 19 Mar 2027" + end}},
      {"overrides only",
       {5, 20},
       {{"carers", {5, 50}}},
       {{"Pharmacy", {5, 50}}, {"Estates", {5, 60}}},
       {"The agreed 50 working days to answer (for theme carers and team "
        "Pharmacy) cannot get an answer into the newsletter: " +
            tail + "Tue 30 Mar 2027" + end,
        "The agreed 60 working days to answer (for team Estates) cannot get "
        "an answer into the newsletter: " +
            tail + "Tue 13 Apr 2027" + end}},
  };
  for (const WarningCase& c : cases) {
    SCOPED_TRACE(c.name);
    config_.board.response_times = c.default_rule;
    config_.board.response_times_by_theme = c.by_theme;
    config_.board.response_times_by_team = c.by_team;
    const SlaReport r = BuildSlaReport(config_, {}, D("2027-02-01"));
    EXPECT_EQ(r.warnings, c.expected);
  }
}

TEST_F(SlaTest, WindowEndingAtAWeekendUsesTheLastWeekday) {
  config_.window_days = 17;  // Sun 17 Jan 2027: last forum Fri 15 Jan.
  config_.board.response_times = {5, 41};
  const SlaReport r = BuildSlaReport(config_, {}, D("2027-02-01"));
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_NE(r.warnings[0].find("forum on Fri 15 Jan 2027"), std::string::npos)
      << r.warnings[0];
}

TEST_F(SlaTest, WarnsAboutOpenTicketsThatWillMissTheirNewsletter) {
  config_.board.response_times = {5, 20};
  config_.board.response_times_by_team = {{"Estates", {5, 45}}};
  std::vector<Ticket> tickets = {
      MakeTicket(9, D("2027-01-15"), "Estates"),  // Due 19 Mar: misses.
      MakeTicket(4, D("2027-01-12"), "Estates"),  // Due 16 Mar: misses.
      MakeTicket(5, D("2027-01-15")),             // Due 12 Feb: fine.
      MakeTicket(6, D("2027-01-15"), "Estates"),  // Answered: fine.
  };
  tickets[3].answered_on = D("2027-01-29");
  SlaReport r = BuildSlaReport(config_, tickets, D("2027-02-01"));
  ASSERT_FALSE(r.warnings.empty());
  EXPECT_EQ(r.warnings.back(),
            "2 open tickets will miss their quarter's newsletter unless "
            "answered early: #4, #9");

  tickets.resize(1);
  r = BuildSlaReport(config_, tickets, D("2027-02-01"));
  EXPECT_EQ(r.warnings.back(),
            "1 open ticket will miss its quarter's newsletter unless answered "
            "early: #9");

  // After the copy deadline it has already missed it: nothing to warn of.
  r = BuildSlaReport(config_, tickets, D("2027-03-15"));
  for (const std::string& w : r.warnings) {
    EXPECT_EQ(w.find("open ticket"), std::string::npos) << w;
  }
}

// ---- Rendering ------------------------------------------------------------

std::vector<Ticket> TwentyAnsweredTwoLate(const HolidayCalendar& h) {
  std::vector<Ticket> tickets;
  for (int i = 1; i <= 20; ++i) {
    tickets.push_back(Answered(h, i, D("2026-10-06"), i <= 18 ? 10 : 25,
                               i % 2 ? "Access team" : "Pharmacy",
                               {"access", "crisis care"}));
  }
  Ticket breached = MakeTicket(21, D("2026-10-07"), "Pharmacy", {"carers"});
  breached.title =
      "Letters about appointments arrive after the appointment "
      "date";
  tickets.push_back(breached);
  Ticket soon = MakeTicket(22, D("2026-10-26"), "Access team", {"carers"},
                           "surrey-downs");
  soon.title = "No hearing loop at the venue";
  soon.paused_since = D("2026-11-20");
  tickets.push_back(soon);
  return tickets;
}

TEST_F(SlaTest, TextReport) {
  const SlaReport r = BuildSlaReport(config_, TwentyAnsweredTwoLate(holidays_),
                                     D("2026-11-22"));
  const std::string text = RenderSlaReportText(config_, r);
  for (const char* want : {
           "as of Sun 22 Nov 2026",
           "22 tickets: 2 open, 20 answered",
           "18 of 20 answered within the agreed time (90%).",
           "Median time to answer: 10 working days",
           "By team\n",
           "By area\n",
           "By theme\n",
           "By round\n",
           "2026-r4",
           "East Surrey",
           "Surrey Downs",
           "Breached: past the agreed time and not yet answered (1)",
           "#21",
           "Letters about appointments arrive aft...",
           "Due soon: 5 working days or fewer left (1)",
           "(paused: waiting for the forum)",
           "Warnings (0)",
       }) {
    EXPECT_NE(text.find(want), std::string::npos) << want << "\n" << text;
  }
  // Tables line up: the header and every row of the team table have their
  // "Tickets" column ending at the same place.
  const size_t at = text.find("By team\n") + 8;
  const std::string header = text.substr(at, text.find('\n', at) - at);
  const size_t tickets_end = header.find("Tickets") + 7;
  size_t row = text.find('\n', at) + 1;
  for (int i = 0; i < 2; ++i) {
    const std::string line = text.substr(row, text.find('\n', row) - row);
    ASSERT_GT(line.size(), tickets_end) << line;
    EXPECT_NE(line[tickets_end - 1], ' ') << line;
    EXPECT_EQ(line[tickets_end], ' ') << line;
    row = text.find('\n', row) + 1;
  }
}

TEST_F(SlaTest, PercentNeverRoundsToEveryOne) {
  std::vector<Ticket> tickets;
  for (int i = 1; i <= 200; ++i) {
    tickets.push_back(
        Answered(holidays_, i, D("2026-10-06"), i == 1 ? 25 : 10));
  }
  const SlaReport r = BuildSlaReport(config_, tickets, D("2026-11-22"));
  EXPECT_NEAR(*r.overall.percent_on_time, 99.5, 1e-9);
  EXPECT_NE(RenderSlaReportText(config_, r)
                .find("199 of 200 answered within "
                      "the agreed time (99%)"),
            std::string::npos);
}

TEST_F(SlaTest, JsonReport) {
  config_.board.response_times_by_theme = {{"medication", {1, 45}}};
  const SlaReport r = BuildSlaReport(config_, TwentyAnsweredTwoLate(holidays_),
                                     D("2026-11-22"));
  const auto j = nlohmann::json::parse(RenderSlaReportJson(config_, r));
  EXPECT_EQ(j["as_of"], "2026-11-22");
  EXPECT_EQ(j["response_times"]["default"]["answer_days"], 20);
  EXPECT_EQ(j["response_times"]["by_theme"]["medication"]["answer_days"], 45);
  EXPECT_EQ(j["response_times"]["due_soon_working_days"], 5);
  const auto& overall = j["overall"];
  EXPECT_EQ(overall["tickets"], 22);
  EXPECT_EQ(overall["open"], 2);
  EXPECT_EQ(overall["answered"], 20);
  EXPECT_EQ(overall["answered_on_time"], 18);
  EXPECT_EQ(overall["breached"], 1);
  EXPECT_EQ(overall["due_soon"], 1);
  EXPECT_EQ(overall["percent_on_time"], 90);
  EXPECT_EQ(overall["median_working_days_to_answer"], 10);
  for (const char* key : {"by_team", "by_area", "by_theme", "by_round"}) {
    ASSERT_TRUE(j[key].is_array()) << key;
    EXPECT_FALSE(j[key].empty()) << key;
  }
  EXPECT_EQ(j["by_area"][0]["key"], "east-surrey");
  EXPECT_EQ(j["by_area"][0]["name"], "East Surrey");
  EXPECT_EQ(j["by_round"][0]["key"], "2026-r4");
  ASSERT_EQ(j["breached"].size(), 1u);
  const auto& b = j["breached"][0];
  EXPECT_EQ(b["id"], 21);
  EXPECT_EQ(b["status"], "breached");
  EXPECT_EQ(b["raised_on"], "2026-10-07");
  EXPECT_EQ(b["answer_due"], "2026-11-04");
  EXPECT_EQ(b["working_days_left"], -12);
  EXPECT_EQ(b["newsletter_deadline"], "2026-12-14");
  EXPECT_EQ(b["team"], "Pharmacy");
  ASSERT_EQ(j["due_soon"].size(), 1u);
  EXPECT_EQ(j["due_soon"][0]["paused"], true);
  EXPECT_TRUE(j["due_soon"][0]["sent_on"].is_null());
  // Medication's 45 days cannot reach the 2026-r4 newsletter.
  ASSERT_EQ(j["warnings"].size(), 1u);
  EXPECT_NE(j["warnings"][0].get<std::string>().find("theme medication"),
            std::string::npos);
}

// ---- Scale ----------------------------------------------------------------

// Ten years of tickets: answered ones (on time or late) and open ones, with
// pauses and merges. Counts are known by construction; open tickets are
// checked one by one against ComputeSla, which does not use the report's
// working-day table.
std::vector<Ticket> Generate(const HolidayCalendar& h, int n, Date first,
                             Date as_of) {
  const std::vector<std::string> teams = {"Access team", "CMHRS East Surrey",
                                          "Pharmacy"};
  const std::vector<std::string> areas = {"east-surrey", "surrey-downs",
                                          "northwest-surrey"};
  // Answers take at most 30 working days: raising those tickets 60 days
  // before the report date keeps every answer before it.
  const int span = static_cast<int>((as_of - first).days());
  const int answered_span = span - 60;
  std::vector<Ticket> tickets;
  tickets.reserve(n);
  for (int i = 0; i < n; ++i) {
    const int kind = i % 10;
    const bool answered = kind <= 5;
    Ticket t;
    t.id = i + 1;
    t.title = "Generated";
    t.raised_on =
        first + boost::gregorian::days(static_cast<long>(i) * 7919 %
                                       ((answered ? answered_span : span) + 1));
    t.team = teams[i % 3];
    t.area = areas[i % 3];
    t.themes = {i % 2 ? "access" : "carers"};
    if (i % 5 == 0) t.themes.push_back("crisis care");
    switch (kind) {
      case 4:  // Answered late: 30 working days.
        t.answered_on = h.AddWorkingDays(t.raised_on, 30);
        break;
      case 5:  // Declined on time.
        t.declined_on = h.AddWorkingDays(t.raised_on, 3);
        break;
      case 6:  // Open, with a closed pause.
        t.paused_working_days = 4;
        break;
      case 7:  // Open and paused now.
        t.paused_since = t.raised_on;
        break;
      case 8:  // Open.
        break;
      case 9:  // Merged: skipped.
        t.state = TicketState::kMerged;
        t.merged_into = 1;
        break;
      default:  // 0-3: answered on time, in 10 working days.
        t.answered_on = h.AddWorkingDays(t.raised_on, 10);
        break;
    }
    tickets.push_back(std::move(t));
  }
  return tickets;
}

void CheckLargeReport(int n) {
  Config config = SlaConfig();
  const HolidayCalendar h = config.MakeHolidayCalendar();
  const Date first = D("2017-01-02");
  const Date as_of = D("2026-12-31");
  const std::vector<Ticket> tickets = Generate(h, n, first, as_of);

  // Correctness only: scripts/run-benchmarks times `focus sla` over a
  // million tickets.
  const SlaReport r = BuildSlaReport(config, tickets, as_of);

  ASSERT_EQ(n % 10, 0);
  const int per_kind = n / 10;
  EXPECT_EQ(r.overall.tickets, 9 * per_kind);
  EXPECT_EQ(r.overall.answered, 6 * per_kind);
  EXPECT_EQ(r.overall.answered_on_time, 5 * per_kind);
  EXPECT_EQ(r.overall.open, 3 * per_kind);
  EXPECT_EQ(r.overall.median_working_days_to_answer, 10.0);

  // Open tickets, one by one, against the plain calendar.
  int breached = 0, due_soon = 0;
  for (const Ticket& t : tickets) {
    if (t.state == TicketState::kMerged || t.answered_on || t.declined_on) {
      continue;
    }
    const TicketSla s = ComputeSla(config, h, t, as_of);
    breached += s.status == SlaStatus::kBreached;
    due_soon += s.status == SlaStatus::kDueSoon;
  }
  EXPECT_EQ(r.overall.breached, breached);
  EXPECT_EQ(r.overall.due_soon, due_soon);
  EXPECT_EQ(static_cast<int>(r.breached.size()), breached);
  EXPECT_EQ(static_cast<int>(r.due_soon.size()), due_soon);
  for (size_t i = 0; i < r.due_soon.size(); ++i) {
    const TicketSla s = ComputeSla(config, h, r.due_soon[i].ticket, as_of);
    EXPECT_EQ(s.answer_due, r.due_soon[i].sla.answer_due);
    EXPECT_EQ(s.working_days_left, r.due_soon[i].sla.working_days_left);
  }
  for (size_t i = 1; i < r.breached.size(); ++i) {
    EXPECT_LE(r.breached[i - 1].sla.answer_due, r.breached[i].sla.answer_due);
  }

  // Every group sums back to the whole.
  auto sum = [](const std::vector<SlaGroup>& gs) {
    int total = 0;
    for (const SlaGroup& g : gs) total += g.tickets;
    return total;
  };
  EXPECT_EQ(sum(r.by_team), r.overall.tickets);
  EXPECT_EQ(sum(r.by_area), r.overall.tickets);
  EXPECT_EQ(sum(r.by_round), r.overall.tickets);
  EXPECT_EQ(r.by_round.size(), 40u);
  // Every tenth ticket also has crisis care; one in ten of those is merged.
  const SlaGroup* crisis = Find(r.by_theme, "crisis care");
  ASSERT_NE(crisis, nullptr);
  EXPECT_EQ(crisis->tickets, n / 5);  // i % 5 == 0: kinds 0 and 5, none merged.
  EXPECT_EQ(sum(r.by_theme), r.overall.tickets + n / 5);
}

// ---- The fast path over a stored board ----------------------------------

// A board of a few thousand tickets written through the engine: every state,
// answers and declines before and after the report dates, closed and open
// pauses, merges, several themes (with and without their own agreed times),
// every team (one with its own time) and area, over three years.
class BoardSlaReportTest : public BoardFixture {
 protected:
  BoardSlaReportTest() : BoardFixture(SlaConfig(), D("2027-01-29")) {
    config_.board.response_times_by_theme["crisis care"] = {2, 10};
    config_.board.response_times_by_theme["carers"] = {4, 12};
    config_.board.response_times_by_team["Pharmacy"] = {3, 15};
  }

  // Imports `n` tickets raised from 2024-01-02 on, a few a day.
  std::vector<int64_t> Generate(int n) {
    const HolidayCalendar h = config_.MakeHolidayCalendar();
    const std::vector<std::string>& themes = config_.board.themes;
    const std::vector<std::string>& teams = config_.board.teams;
    std::vector<const Area*> areas = config_.Forums();
    std::vector<ImportedTicket> items;
    uint64_t seed = 7;
    auto next = [&](int below) {
      seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
      return static_cast<int>((seed >> 33) % below);
    };
    for (int i = 0; i < n; ++i) {
      ImportedTicket item;
      NewTicket& t = item.ticket;
      t.title = "Point " + std::to_string(i);
      t.area = areas[next(static_cast<int>(areas.size()))]->slug;
      t.team = teams[next(static_cast<int>(teams.size()))];
      const int n_themes = 1 + next(3);
      for (int k = 0; k < n_themes; ++k) {
        t.themes.push_back(themes[next(static_cast<int>(themes.size()))]);
      }
      // Over the three years before today, however many there are.
      t.raised_on = D("2024-01-02") +
                    boost::gregorian::days(static_cast<int64_t>(i) * 37 * 3000 /
                                           (100 * std::max(n, 3000)));
      const Date raised = *t.raised_on;
      switch (next(8)) {
        case 0:
          item.state = TicketState::kRaised;
          break;
        case 1:
          item.state = TicketState::kSentToTrust;
          item.sent_on = h.AddWorkingDays(raised, next(9));
          break;
        case 2:
          item.state = TicketState::kInProgress;
          item.sent_on = h.AddWorkingDays(raised, next(4));
          item.answer = "We are on it.";
          item.answered_by = "PALS";
          item.answered_on = h.AddWorkingDays(raised, 5 + next(30));
          break;
        case 3:
          item.state = TicketState::kDeclined;
          item.sent_on = h.AddWorkingDays(raised, next(4));
          item.decline_reason = "Not ours.";
          item.declined_on = h.AddWorkingDays(raised, 5 + next(30));
          break;
        case 4:
          item.state = TicketState::kEscalated;
          break;
        case 5:
          item.state = TicketState::kClosed;
          item.sent_on = h.AddWorkingDays(raised, next(4));
          item.answer = "Done.";
          item.answered_by = "PALS";
          item.answered_on = h.AddWorkingDays(raised, 5 + next(30));
          break;
        default:
          item.state = TicketState::kAnswered;
          item.sent_on = h.AddWorkingDays(raised, next(4));
          item.answer = "Done.";
          item.answered_by = "PALS";
          item.answered_on = h.AddWorkingDays(raised, 5 + next(30));
          break;
      }
      for (std::optional<Date>* d :
           {&item.sent_on, &item.answered_on, &item.declined_on}) {
        if (*d && **d > kToday) *d = kToday;
      }
      items.push_back(std::move(item));
    }
    On(kToday);
    return board_->ImportTickets(items, "test");
  }

  const Date kToday = D("2027-01-29");
};

TEST_F(BoardSlaReportTest, GivesTheSameReportAsTheTicketList) {
  const std::vector<int64_t> ids = Generate(3000);
  ASSERT_EQ(ids.size(), 3000u);
  // Pauses: some closed (waited, then sent on), some still open.
  for (size_t i = 5; i < ids.size(); i += 23) {
    const Ticket t = board_->Get(ids[i]);
    if (t.state != TicketState::kSentToTrust ||
        t.raised_on >= D("2026-11-02")) {
      continue;
    }
    On(D("2026-11-02"));
    board_->Move(t.id, TicketState::kWaitingForForum, "", "test");
    if (i % 2 == 0) {
      On(D("2026-11-20"));
      board_->Move(t.id, TicketState::kSentToTrust, "", "test");
    }
  }
  // Merges: repeats fold into earlier tickets.
  On(kToday);
  for (size_t i = 11; i + 1 < ids.size(); i += 131) {
    const Ticket survivor = board_->Get(ids[i - 10]);
    const Ticket repeat = board_->Get(ids[i]);
    if (survivor.state == TicketState::kClosed ||
        survivor.state == TicketState::kDeclined || !repeat.answer.empty() ||
        !repeat.decline_reason.empty()) {
      continue;
    }
    board_->Merge(ids[i], survivor.id, "test");
  }

  const std::vector<Ticket> all = board_->List({});
  int paused = 0, merged = 0;
  TicketFilter with_merged;
  with_merged.include_merged = true;
  for (const Ticket& t : board_->List(with_merged)) {
    paused += t.paused_since.has_value() || t.paused_working_days > 0;
    merged += t.state == TicketState::kMerged;
  }
  EXPECT_GT(paused, 5);
  EXPECT_GT(merged, 5);

  // Today (some pauses still open) and later: dates after every change, so
  // the fast scan reads the board as it stands. Earlier dates are the board
  // as it stood then (as_of_test).
  for (const char* as_of : {"2027-01-29", "2027-03-01", "2027-08-31"}) {
    SCOPED_TRACE(as_of);
    const SlaReport list = BuildSlaReport(config_, all, D(as_of));
    const SlaReport fast = BuildBoardSlaReport(config_, *board_, D(as_of));
    EXPECT_FALSE(list.breached.empty());
    EXPECT_EQ(RenderSlaReportText(config_, fast),
              RenderSlaReportText(config_, list));
    EXPECT_EQ(RenderSlaReportJson(config_, fast),
              RenderSlaReportJson(config_, list));
    // The listed lines carry the whole ticket, as the list path's do.
    ASSERT_EQ(fast.breached.size(), list.breached.size());
    for (size_t i = 0; i < fast.breached.size(); ++i) {
      EXPECT_EQ(fast.breached[i].ticket.details,
                list.breached[i].ticket.details);
      EXPECT_EQ(fast.breached[i].ticket.forum_ids,
                list.breached[i].ticket.forum_ids);
      EXPECT_EQ(fast.breached[i].ticket.paused_working_days,
                list.breached[i].ticket.paused_working_days);
    }
  }
}

// A report as of a past date says what the board said that day, whatever
// was recorded after it.
TEST_F(BoardSlaReportTest, APastDateIsTheBoardAsItStoodThen) {
  On(D("2027-01-04"));
  NewTicket t;
  t.title = "Parking";
  t.area = "East Surrey";
  t.themes = {"access"};
  t.team = "Pharmacy";
  const int64_t id = board_->AddTicket(t, "jo");
  On(D("2027-01-05"));
  board_->Move(id, TicketState::kSentToTrust, "", "jo");
  On(D("2027-02-05"));
  const std::string then = RenderSlaReportJson(
      config_, BuildBoardSlaReport(config_, *board_, D("2027-02-05")));
  ASSERT_EQ(
      BuildBoardSlaReport(config_, *board_, D("2027-02-05")).breached.size(),
      1u);

  On(D("2027-03-20"));
  board_->Move(id, TicketState::kWaitingForForum, "which car park?", "sam");
  On(D("2027-04-21"));
  board_->Answer(id, "We added ten spaces.", "Pharmacy", false, false, "sam");
  const int64_t repeat = board_->AddTicket(t, "jo");
  board_->AddVotes(id, 4, {}, "", "jo");
  board_->Merge(repeat, id, "jo");

  EXPECT_EQ(RenderSlaReportJson(config_, BuildBoardSlaReport(config_, *board_,
                                                             D("2027-02-05"))),
            then);
}

// A disputed verdict on the board: the fast scan and the board as it stood
// agree, before and after it.
TEST_F(BoardSlaReportTest, DisputedAnswersTheSameBothWays) {
  On(D("2027-01-04"));
  NewTicket t;
  t.title = "Parking";
  t.area = "East Surrey";
  t.themes = {"access"};
  t.team = "Pharmacy";
  const int64_t id = board_->AddTicket(t, "jo");
  board_->Move(id, TicketState::kSentToTrust, "", "jo");
  board_->Answer(id, "We added ten spaces.", "Pharmacy", false, false, "sam");
  On(D("2027-02-10"));
  ForumRecord f;
  f.area = "Surrey Downs";
  f.held_on = D("2027-02-08");
  const int64_t forum = board_->RecordForum(f, "jo");
  const std::string before = RenderSlaReportJson(
      config_, BuildBoardSlaReport(config_, *board_, D("2027-02-09")));
  board_->RecordVerdict(id, forum, Verdict::kDisputed, "Still coned off",
                        "fay");
  const SlaReport fast = BuildBoardSlaReport(config_, *board_, D("2027-02-10"));
  EXPECT_EQ(
      RenderSlaReportJson(config_, fast),
      RenderSlaReportJson(
          config_, BuildSlaReport(config_, board_->List({}), D("2027-02-10"))));
  EXPECT_EQ(fast.overall.disputed, 1);
  EXPECT_EQ(fast.overall.open, 1);
  EXPECT_EQ(RenderSlaReportJson(config_, BuildBoardSlaReport(config_, *board_,
                                                             D("2027-02-09"))),
            before);
}

// The scan reads tickets in chunks on a second thread: a board of several
// chunks gives the same report, and a damaged row in a later chunk fails as
// the list does.
TEST_F(BoardSlaReportTest, ManyChunksGiveTheSameReportAndErrors) {
  const std::vector<int64_t> ids = Generate(9000);
  ASSERT_EQ(ids.size(), 9000u);
  for (const char* as_of : {"2027-01-29", "2027-06-30"}) {
    SCOPED_TRACE(as_of);
    const SlaReport list = BuildSlaReport(config_, board_->List({}), D(as_of));
    const SlaReport fast = BuildBoardSlaReport(config_, *board_, D(as_of));
    EXPECT_EQ(RenderSlaReportJson(config_, fast),
              RenderSlaReportJson(config_, list));
  }

  testing::RawDatabase(path_).Exec(
      "UPDATE tickets SET sent_on = '2026-13-01' WHERE id = 8500");
  const std::string list_error =
      ErrorText([&] { board_->List({}); }, ErrorKind::kIo);
  const std::string fast_error = ErrorText(
      [&] { BuildBoardSlaReport(config_, *board_, kToday); }, ErrorKind::kIo);
  EXPECT_NE(list_error.find("sent_on of #8500"), std::string::npos)
      << list_error;
  EXPECT_EQ(fast_error, list_error);
}

// The medians (counted, not sorted, in the report) are those of the tickets'
// working days to answer, one by one.
TEST_F(BoardSlaReportTest, MediansAreThoseOfTheTicketsOneByOne) {
  Generate(3000);
  const HolidayCalendar h = config_.MakeHolidayCalendar();
  const std::vector<Ticket> all = board_->List({});
  std::set<size_t> parities;
  auto median = [](std::vector<int> v) -> std::optional<double> {
    if (v.empty()) return std::nullopt;
    std::sort(v.begin(), v.end());
    const size_t mid = v.size() / 2;
    return v.size() % 2 == 1 ? v[mid] : (v[mid - 1] + v[mid]) / 2.0;
  };
  for (const char* as_of : {"2027-01-29", "2027-03-01", "2027-08-31"}) {
    SCOPED_TRACE(as_of);
    std::vector<int> overall;
    std::map<std::string, std::vector<int>> by_team;
    for (const Ticket& t : all) {
      if (t.raised_on > D(as_of)) continue;
      const TicketSla s = ComputeSla(config_, h, t, D(as_of));
      if (!s.working_days_to_answer) continue;
      overall.push_back(*s.working_days_to_answer);
      by_team[t.team].push_back(*s.working_days_to_answer);
    }
    ASSERT_GT(overall.size(), 10u);
    const SlaReport r = BuildBoardSlaReport(config_, *board_, D(as_of));
    EXPECT_EQ(r.overall.median_working_days_to_answer, median(overall));
    for (const SlaGroup& g : r.by_team) {
      SCOPED_TRACE(g.key);
      EXPECT_EQ(g.median_working_days_to_answer, median(by_team[g.key]));
    }
    for (const auto& [team, days] : by_team) parities.insert(days.size() % 2);
  }
  // Both an odd and an even number of answers were among the groups.
  EXPECT_EQ(parities.size(), 2u);
}

TEST_F(BoardSlaReportTest, EmptyBoard) {
  const Date as_of = D("2027-01-29");
  EXPECT_EQ(RenderSlaReportText(config_,
                                BuildBoardSlaReport(config_, *board_, as_of)),
            RenderSlaReportText(config_, BuildSlaReport(config_, {}, as_of)));
}

TEST_F(BoardSlaReportTest, ADamagedDateIsAnIoErrorAsInTheList) {
  Generate(3);
  testing::RawDatabase(path_).Exec(
      "UPDATE tickets SET answered_on = '2027-02-30' WHERE id = 2");
  const std::string list_error =
      ErrorText([&] { board_->List({}); }, ErrorKind::kIo);
  const std::string fast_error = ErrorText(
      [&] { BuildBoardSlaReport(config_, *board_, kToday); }, ErrorKind::kIo);
  EXPECT_NE(list_error.find("answered_on of #2 is '2027-02-30', not a date"),
            std::string::npos)
      << list_error;
  EXPECT_EQ(fast_error, list_error);
}

TEST(SlaScaleTest, ReportOver200000Tickets) { CheckLargeReport(200000); }

// The same checks at the benchmark's scale, whose time scripts/run-benchmarks
// measures; run with --gtest_also_run_disabled_tests.
TEST(SlaScaleTest, DISABLED_ReportOverAMillionTickets) {
  CheckLargeReport(1000000);
}

}  // namespace
}  // namespace focus
