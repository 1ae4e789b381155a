// Tests for the reminders: which tickets go in which digest on a given day
// (the day is injected), the message as RFC 5322 text, and a run's record
// of what was sent, with a mailer the test controls.
#include "focus/notify.h"

#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "board_fixture.h"
#include "focus/error.h"
#include "focus/sla.h"
#include "focus/store_testing.h"

namespace focus {
namespace {

// The built-in configuration with reminders set up: PALS and CMHRS East
// Surrey have addresses, Crisis Line has none.
Config ReminderConfig() {
  Config c = ParseConfig(EmbeddedDefaultConfig(), "test");
  c.board.remind_days = 5;
  c.board.escalate_after_days = 2;
  c.board.team_contacts = {{"PALS", "pals@example.org"},
                           {"CMHRS East Surrey", "east@example.org"}};
  c.board.coordinators_contact = "focus@example.org";
  c.board.reminders_from = "noreply@example.org";
  c.board.site_url = "https://focus.example.org";
  return c;
}

Ticket Sent(int64_t id, const std::string& team, Date raised,
            TicketState state = TicketState::kSentToTrust) {
  Ticket t;
  t.id = id;
  t.title = "Ticket title " + std::to_string(id);
  t.details = "PRIVATE details of " + std::to_string(id);
  t.area = "east-surrey";
  t.themes = {"access"};
  t.team = team;
  t.state = state;
  t.raised_on = raised;
  t.sent_on = raised;
  return t;
}

// One line per reminder: "team PALS -> pals@example.org: overdue [1]
// due_soon [2] new [3]".
std::vector<std::string> Summary(const ReminderPlan& plan) {
  std::vector<std::string> lines;
  auto ids = [](const std::vector<ReminderItem>& items) {
    std::string s = "[";
    for (size_t i = 0; i < items.size(); ++i) {
      s += (i ? " " : "") + std::to_string(items[i].id);
    }
    return s + "]";
  };
  for (const Reminder& r : plan.reminders) {
    lines.push_back(std::string(ReminderKindName(r.kind)) +
                    (r.team.empty() ? "" : " " + r.team) + " -> " +
                    r.recipient + ": overdue " + ids(r.overdue) + " due_soon " +
                    ids(r.due_soon) + " new " + ids(r.newly_sent));
  }
  return lines;
}

const Date kMonday(2027, 2, 8);

struct PlanCase {
  const char* name;
  std::vector<Ticket> tickets;
  AnnouncedTickets announced;
  Date today;
  std::vector<std::string> expected;
  std::vector<std::string> warnings = {};  // None unless the case says.
};

void PrintTo(const PlanCase& c, std::ostream* os) { *os << c.name; }

class PlanRemindersTest : public ::testing::TestWithParam<PlanCase> {};

TEST_P(PlanRemindersTest, PutsEachTicketInTheRightDigest) {
  const PlanCase& c = GetParam();
  const ReminderPlan plan =
      PlanReminders(ReminderConfig(), c.tickets, c.announced, c.today);
  EXPECT_EQ(Summary(plan), c.expected);
  EXPECT_EQ(plan.warnings, c.warnings);
}

Ticket Paused(Ticket t, Date since) {
  t.state = TicketState::kWaitingForForum;
  t.paused_since = since;
  return t;
}

Ticket Answered(Ticket t, Date on) {
  t.state = TicketState::kAnswered;
  t.answer = "Done";
  t.answered_by = "PRIVATE answerer";
  t.answered_on = on;
  return t;
}

Ticket NotSent(Ticket t) {
  t.state = TicketState::kRaised;
  t.sent_on.reset();
  return t;
}

INSTANTIATE_TEST_SUITE_P(
    Cases, PlanRemindersTest,
    ::testing::Values(
        // Raised 4 Jan: due 1 Feb, 5 working days late on 8 Feb (more than
        // escalate_after_days = 2, so the coordinators hear of it too).
        PlanCase{"OverdueAndEscalated",
                 {Sent(1, "PALS", Date(2027, 1, 4))},
                 {{"PALS", {1}}},
                 kMonday,
                 {"team PALS -> pals@example.org: overdue [1] due_soon [] new "
                  "[]",
                  "escalation -> focus@example.org: overdue [1] due_soon [] "
                  "new []"}},
        // Raised 1 Feb: due 1 Mar. 4 working days late on 5 Mar is escalated,
        // 2 days late on 3 Mar is not yet.
        PlanCase{"EscalationWaitsForTheThreshold",
                 {Sent(1, "PALS", Date(2027, 2, 1))},
                 {{"PALS", {1}}},
                 Date(2027, 3, 3),
                 {"team PALS -> pals@example.org: overdue [1] due_soon [] new "
                  "[]"}},
        // Raised 11 Jan and 14 Jan: due 8 and 11 Feb, within 5 working days;
        // raised 25 Jan: due 22 Feb, 10 working days away and already told.
        PlanCase{"DueSoonSoonestFirst",
                 {Sent(2, "PALS", Date(2027, 1, 14)),
                  Sent(3, "PALS", Date(2027, 1, 11)),
                  Sent(4, "PALS", Date(2027, 1, 25))},
                 {{"PALS", {2, 3, 4}}},
                 kMonday,
                 {"team PALS -> pals@example.org: overdue [] due_soon [3 2] "
                  "new []"}},
        PlanCase{"NewUntilATeamIsTold",
                 {Sent(5, "PALS", Date(2027, 2, 1)),
                  Sent(6, "PALS", Date(2027, 2, 8)),
                  Sent(7, "CMHRS East Surrey", Date(2027, 2, 8))},
                 // PALS was told of 6 once: only 5 is new. Being told of a
                 // ticket as another team's does not count.
                 {{"PALS", {6}}, {"CMHRS East Surrey", {5}}},
                 kMonday,
                 {"team CMHRS East Surrey -> east@example.org: overdue [] "
                  "due_soon [] new [7]",
                  "team PALS -> pals@example.org: overdue [] due_soon [] new "
                  "[5]"}},
        PlanCase{"NothingToSayNoDigest",
                 {Sent(5, "PALS", Date(2027, 2, 1))},
                 {{"PALS", {5}}},
                 kMonday,
                 {}},
        // Not yet sent to the Trust: the team cannot act on it; the
        // coordinators still hear of the breach.
        PlanCase{"NotSentOnlyEscalated",
                 {NotSent(Sent(1, "PALS", Date(2027, 1, 4))),
                  NotSent(Sent(2, "PALS", Date(2027, 2, 8)))},
                 {},
                 kMonday,
                 {"escalation -> focus@example.org: overdue [1] due_soon [] "
                  "new []"}},
        PlanCase{
            "PausedAndAnsweredLeftOut",
            {Paused(Sent(1, "PALS", Date(2027, 1, 4)), Date(2027, 1, 20)),
             Answered(Sent(2, "PALS", Date(2027, 1, 4)), Date(2027, 2, 5))},
            {},
            kMonday,
            {}},
        PlanCase{"TeamWithoutAnAddressIsAWarning",
                 {Sent(1, "Crisis Line", Date(2027, 1, 4)),
                  Sent(2, "Crisis Line", Date(2027, 2, 8))},
                 {},
                 kMonday,
                 {"escalation -> focus@example.org: overdue [1] due_soon [] "
                  "new []"},
                 {"team Crisis Line has 2 tickets to be reminded of but no "
                  "address in board.team_contacts"}},
        PlanCase{"NothingOnASaturday",
                 {Sent(1, "PALS", Date(2027, 1, 4))},
                 {},
                 Date(2027, 2, 6),
                 {}},
        PlanCase{"NothingOnGoodFriday",
                 {Sent(1, "PALS", Date(2027, 1, 4))},
                 {},
                 Date(2027, 3, 26),
                 {}}),
    [](const ::testing::TestParamInfo<PlanCase>& info) {
      return std::string(info.param.name);
    });

TEST(PlanRemindersTest, NoCoordinatorsAddressNoEscalation) {
  Config c = ReminderConfig();
  c.board.coordinators_contact.clear();
  const ReminderPlan plan =
      PlanReminders(c, {Sent(1, "PALS", Date(2027, 1, 4))}, {}, kMonday);
  EXPECT_EQ(Summary(plan),
            (std::vector<std::string>{"team PALS -> pals@example.org: overdue "
                                      "[1] due_soon [] new []"}));
}

TEST(PlanRemindersTest, DueDatesAreTheResponseTimeDueDates) {
  const Config c = ReminderConfig();
  const Ticket t = Sent(1, "PALS", Date(2027, 1, 4));
  const ReminderPlan plan = PlanReminders(c, {t}, {}, kMonday);
  ASSERT_FALSE(plan.reminders.empty());
  const ReminderItem& item = plan.reminders[0].overdue.at(0);
  const TicketSla sla = ComputeSla(c, c.MakeHolidayCalendar(), t, kMonday);
  EXPECT_EQ(item.due, sla.answer_due);
  EXPECT_EQ(item.working_days_left, *sla.working_days_left);
  EXPECT_EQ(item.area, "East Surrey");
}

// Every line of `text` (CRLF ends).
std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find("\r\n", start);
    EXPECT_NE(end, std::string::npos) << "a line without CRLF";
    if (end == std::string::npos) break;
    lines.push_back(text.substr(start, end - start));
    start = end + 2;
  }
  return lines;
}

TEST(ComposeReminderTest, IsMultipartAlternativeWithShortCrlfLines) {
  const Config c = ReminderConfig();
  const ReminderPlan plan = PlanReminders(
      c, {Sent(1, "PALS", Date(2027, 1, 4)), Sent(2, "PALS", kMonday)}, {},
      kMonday);
  const ReminderMessage m = ComposeReminder(
      c, plan.reminders.at(0), LondonToUnix(kMonday, TimeOfDay{7 * 60}));
  EXPECT_EQ(m.subject,
            "Feedback board reminder for PALS: 1 past the agreed time, 1 new");
  EXPECT_EQ(m.file_name, "2027-02-08-team-pals.eml");
  const std::vector<std::string> lines = Lines(m.text);
  const std::vector<std::string> head(lines.begin(), lines.begin() + 9);
  EXPECT_EQ(head, (std::vector<std::string>{
                      "Date: Mon, 08 Feb 2027 07:00:00 +0000",
                      "From: \"FoCUS Community Forums\" <noreply@example.org>",
                      "To: <pals@example.org>",
                      "Subject: Feedback board reminder for PALS: 1 past the "
                      "agreed time, 1 new",
                      "Message-ID: <reminder.2027-02-08.team.pals@" +
                          c.uid_domain + ">",
                      "Auto-Submitted: auto-generated", "MIME-Version: 1.0",
                      "Content-Type: multipart/alternative; "
                      "boundary=\"=_focus_2027-02-08\"",
                      ""}));
  for (const std::string& line : lines) EXPECT_LE(line.size(), 76u) << line;
  EXPECT_NE(m.text.find("Content-Type: text/plain; charset=utf-8"),
            std::string::npos);
  EXPECT_NE(m.text.find("Content-Type: text/html; charset=utf-8"),
            std::string::npos);
  EXPECT_EQ(m.text.find("PRIVATE"), std::string::npos);
  EXPECT_EQ(lines.back(), "--=_focus_2027-02-08--");
}

TEST(ComposeReminderTest, EncodesTextThatIsNotAscii) {
  Config c = ReminderConfig();
  c.series_name = "Forums, Café";
  Reminder r;
  r.team = "Équipe";
  r.recipient = "e@example.org";
  r.day = kMonday;
  ReminderItem item;
  item.id = 9;
  item.title = "Café closes at 2";
  item.area = "East Surrey";
  item.due = kMonday;
  r.newly_sent = {item};
  const ReminderMessage m = ComposeReminder(c, r, 0);
  EXPECT_NE(m.text.find("Subject: =?UTF-8?Q?Feedback_board_reminder_for_"
                        "=C3=89quipe=3A_1_new?=\r\n"),
            std::string::npos);
  EXPECT_NE(m.text.find("From: =?UTF-8?Q?Forums=2C_Caf=C3=A9?= "),
            std::string::npos);
  EXPECT_NE(m.text.find("Ticket 9: Caf=C3=A9 closes at 2"), std::string::npos);
}

// A mailer that keeps what it is given, or fails when told to.
class FakeMailer : public Mailer {
 public:
  void Send(const std::string& from, const std::string& to,
            const std::string& message) override {
    if (fail) ThrowIo("smtp://mail.test: refused");
    sent.push_back({from, to, message});
  }
  struct Mail {
    std::string from, to, text;
  };
  std::vector<Mail> sent;
  bool fail = false;
};

class RunNotifyTest : public BoardFixture {
 protected:
  RunNotifyTest() : BoardFixture(ReminderConfig(), Date(2027, 1, 4)) {}

  int64_t AddSent(const std::string& title, const std::string& team) {
    NewTicket t;
    t.title = title;
    t.details = "PRIVATE details";
    t.area = "East Surrey";
    t.themes = {"access"};
    t.team = team;
    const int64_t id = board_->AddTicket(t, "jo");
    board_->Move(id, TicketState::kSentToTrust, "", "jo");
    return id;
  }

  NotifyOutcome Run() {
    return RunNotify(*store_, *board_, config_, clock_, &mailer_, {});
  }

  std::vector<std::string> Statuses() {
    std::vector<std::string> out;
    for (const auto& row : testing::RawDatabase(store_->path())
                               .Query("SELECT day || ' ' || kind || ' ' || "
                                      "team || ' ' || status FROM reminders "
                                      "ORDER BY id")) {
      out.push_back(row[0]);
    }
    return out;
  }

  FakeMailer mailer_;
};

TEST_F(RunNotifyTest, SendsOnceADayAndRecordsIt) {
  AddSent("Parking", "PALS");
  On(kMonday);
  NotifyOutcome first = Run();
  ASSERT_EQ(mailer_.sent.size(), 2u);  // PALS, then the escalation.
  EXPECT_EQ(mailer_.sent[0].from, "noreply@example.org");
  EXPECT_EQ(mailer_.sent[0].to, "pals@example.org");
  EXPECT_EQ(mailer_.sent[1].to, "focus@example.org");
  EXPECT_EQ(first.sent.size(), 2u);
  NotifyOutcome again = Run();
  EXPECT_EQ(mailer_.sent.size(), 2u);
  EXPECT_EQ(again.skipped,
            (std::vector<std::string>{
                "PALS (pals@example.org): already sent today",
                "the coordinators (focus@example.org): already sent today"}));
  EXPECT_EQ(Statuses(),
            (std::vector<std::string>{"2027-02-08 team PALS sent",
                                      "2027-02-08 escalation  sent"}));
}

TEST_F(RunNotifyTest, FailedSendIsRecordedReportedAndRetried) {
  AddSent("Parking", "PALS");
  On(kMonday);
  mailer_.fail = true;
  NotifyOutcome out = Run();
  EXPECT_EQ(out.failed.front(),
            "could not send the reminder to PALS (pals@example.org): "
            "smtp://mail.test: refused");
  EXPECT_EQ(UndeliveredReminders(*store_),
            (std::vector<std::string>{
                "Reminder to PALS (pals@example.org) of 2027-02-08 not "
                "delivered; the next run retries it: smtp://mail.test: "
                "refused",
                "Reminder to the coordinators (focus@example.org) of "
                "2027-02-08 not delivered; the next run retries it: "
                "smtp://mail.test: refused"}));
  mailer_.fail = false;
  On(Date(2027, 2, 9));
  Run();
  EXPECT_EQ(mailer_.sent.size(), 2u);
  EXPECT_TRUE(UndeliveredReminders(*store_).empty());
}

TEST_F(RunNotifyTest, FailureWithNothingLeftToSayIsNoLongerReported) {
  const int64_t id = AddSent("Parking", "PALS");
  On(Date(2027, 1, 5));
  mailer_.fail = true;
  Run();  // The new ticket, for PALS.
  ASSERT_EQ(UndeliveredReminders(*store_).size(), 1u);
  board_->Answer(id, "Fixed", "Estates", false, false, "jo");
  mailer_.fail = false;
  On(Date(2027, 1, 6));
  Run();
  EXPECT_TRUE(mailer_.sent.empty());
  EXPECT_TRUE(UndeliveredReminders(*store_).empty());
  EXPECT_EQ(Statuses(),
            (std::vector<std::string>{"2027-01-05 team PALS failed",
                                      "2027-01-06 team PALS nothing-left"}));
}

TEST_F(RunNotifyTest, NewTicketIsNewOnlyUntilDelivered) {
  AddSent("Parking", "PALS");
  On(Date(2027, 1, 5));
  Run();
  ASSERT_EQ(mailer_.sent.size(), 1u);
  On(Date(2027, 1, 6));
  NotifyOutcome out = Run();
  EXPECT_EQ(mailer_.sent.size(), 1u);
  EXPECT_TRUE(out.sent.empty());
}

TEST_F(RunNotifyTest, DryRunWritesFilesAndRecordsNothing) {
  AddSent("Parking", "PALS");
  On(kMonday);
  NotifyOptions options;
  options.dry_run_dir = dir_ + "/mail";
  NotifyOutcome out =
      RunNotify(*store_, *board_, config_, clock_, nullptr, options);
  EXPECT_EQ(out.files, (std::vector<std::string>{
                           dir_ + "/mail/2027-02-08-team-pals.eml",
                           dir_ + "/mail/2027-02-08-escalation.eml"}));
  EXPECT_TRUE(Statuses().empty());
  EXPECT_TRUE(mailer_.sent.empty());
}

TEST_F(RunNotifyTest, NeedsAFromAddressAndSomeoneToWriteTo) {
  config_.board.reminders_from.clear();
  try {
    Run();
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kInvalidInput);
    EXPECT_EQ(std::string(e.what()),
              "test: board.reminders_from is not set: reminders need a From: "
              "address (see docs/configuration.md#board)");
  }
  config_.board.reminders_from = "noreply@example.org";
  config_.board.team_contacts.clear();
  config_.board.coordinators_contact.clear();
  try {
    Run();
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()),
              "test: neither board.team_contacts nor "
              "board.coordinators_contact is set: there is no one to remind "
              "(see docs/configuration.md#board)");
  }
}

}  // namespace
}  // namespace focus
