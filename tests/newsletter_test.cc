// Tests for the newsletter view: the "since the last newsletter" window,
// the response-time sentence, the next two rounds across the year end, an
// empty quarter, privacy, and that the view's shape (which templates are
// checked against) has exactly the view's names.
#include "focus/newsletter.h"

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

TEST(ParseQuarter, Forms) {
  EXPECT_EQ(ParseQuarter("2027-Q2").plan_year, 2027);
  EXPECT_EQ(ParseQuarter("2027-q4").round, 4);
  EXPECT_EQ(QuarterId(ParseQuarter("2028-Q1")), "2028-Q1");
  for (const char* bad : {"2027-Q5", "2027-Q0", "2027Q2", "27-Q2", "", "Q2"}) {
    EXPECT_EQ(ErrorText([&] { ParseQuarter(bad); }),
              std::string("quarter '") + bad +
                  "' is not like 2027-Q2 (plan year, Q, round 1 to 4)");
  }
}

class NewsletterTest : public BoardFixture {
 protected:
  int64_t Forum(const std::string& plan_id, Date held_on, int service_users) {
    On(held_on);
    ForumRecord f;
    f.plan_id = plan_id;
    f.area = plan_id.substr(8);
    f.held_on = held_on;
    f.attendance.service_users = service_users;
    return board_->RecordForum(f, "jo");
  }

  int64_t Add(Date raised_on, const std::string& title,
              const std::string& theme = "communication",
              std::optional<int64_t> forum = std::nullopt) {
    On(raised_on);
    NewTicket t;
    t.title = title;
    t.details = "Private details from the facilitator";
    t.area = "East Surrey";
    t.themes = {theme};
    t.team = "CMHRS East Surrey";
    t.forum_id = forum;
    return board_->AddTicket(t, "jo");
  }

  void Answer(int64_t id, Date on, const std::string& text,
              bool in_progress = false) {
    On(on);
    board_->Move(id, TicketState::kSentToTrust, "", "jo");
    board_->Answer(id, text, "Service lead", in_progress, false, "jo");
  }

  json View(const Quarter& q, Date today) {
    return BuildNewsletterView(config_, *board_, PlanYear(config_, q.plan_year),
                               q, today);
  }

  std::vector<std::string> Titles(const json& groups) {
    std::vector<std::string> titles;
    for (const json& g : groups) {
      for (const json& t : g["tickets"]) titles.push_back(t["title"]);
    }
    return titles;
  }
};

TEST_F(NewsletterTest, WindowRunsFromThePreviousCopyDeadlineToThisOne) {
  // Copy deadlines (10th working day of month 3): Mon 14 Dec 2026 and
  // Fri 12 Mar 2027.
  const int64_t on_old_deadline = Add(Date(2026, 12, 1), "Old deadline");
  const int64_t day_after = Add(Date(2026, 12, 1), "Day after");
  const int64_t on_deadline = Add(Date(2027, 1, 4), "On the deadline");
  const int64_t too_late = Add(Date(2027, 1, 4), "After the deadline");
  Answer(on_old_deadline, Date(2026, 12, 14), "a");
  Answer(day_after, Date(2026, 12, 15), "b");
  Answer(on_deadline, Date(2027, 3, 12), "c");
  Answer(too_late, Date(2027, 3, 15), "d");

  json view = View({2027, 1}, Date(2027, 3, 20));
  EXPECT_EQ(view["since"], "Tuesday 15 December 2026");
  EXPECT_EQ(view["until"], "Friday 12 March 2027");
  EXPECT_EQ(view["copy_deadline"], "Friday 12 March 2027");
  EXPECT_EQ(view["early_draft"], false);
  EXPECT_EQ(Titles(view["we_did"]),
            (std::vector<std::string>{"Day after", "On the deadline"}));
  // Answered after the deadline: still waiting in this issue, and in the
  // next issue's window.
  ASSERT_EQ(view["waiting"].size(), 1u);
  EXPECT_EQ(view["waiting"][0]["title"], "After the deadline");
  json next = View({2027, 2}, Date(2027, 6, 30));
  EXPECT_EQ(Titles(next["we_did"]),
            (std::vector<std::string>{"After the deadline"}));
}

TEST_F(NewsletterTest, EarlyDraftStopsAtToday) {
  const int64_t id = Add(Date(2027, 1, 4), "Letters");
  Answer(id, Date(2027, 2, 1), "Sent earlier now");
  json view = View({2027, 1}, Date(2027, 1, 20));
  EXPECT_EQ(view["early_draft"], true);
  EXPECT_EQ(view["until"], "Wednesday 20 January 2027");
  EXPECT_EQ(view["nothing_answered"], true);
  EXPECT_EQ(view["waiting_count"], 1);
}

TEST_F(NewsletterTest, GroupsByThemeAndCountsResponseTimes) {
  const int64_t forum = Forum("2027-r1-east-surrey", Date(2027, 1, 4), 5);
  const int64_t a = Add(Date(2027, 1, 4), "A", "access", forum);
  const int64_t b = Add(Date(2027, 1, 4), "B", "communication", forum);
  const int64_t c = Add(Date(2027, 1, 4), "C", "access", forum);
  const int64_t d = Add(Date(2027, 1, 4), "D", "carers", forum);
  Add(Date(2027, 1, 4), "E", "carers", forum);   // Never answered.
  Answer(a, Date(2027, 1, 20), "done a");        // Due Mon 1 Feb: on time.
  Answer(b, Date(2027, 2, 2), "doing b", true);  // Late, in progress.
  Answer(c, Date(2027, 2, 1), "done c");         // On the due date.
  On(Date(2027, 1, 8));
  board_->Move(d, TicketState::kSentToTrust, "", "jo");
  board_->Move(d, TicketState::kDeclined, "Not ours to change", "jo");

  json view = View({2027, 1}, Date(2027, 3, 20));
  ASSERT_EQ(view["we_did"].size(), 1u);
  EXPECT_EQ(view["we_did"][0]["theme"], "Access");
  EXPECT_EQ(Titles(view["we_did"]), (std::vector<std::string>{"A", "C"}));
  EXPECT_EQ(view["we_did"][0]["tickets"][0]["forums"],
            "East Surrey forum (Mon 4 Jan 2027)");
  EXPECT_EQ(view["we_did"][0]["tickets"][0]["answer"], "done a");
  EXPECT_EQ(Titles(view["we_are_doing"]), (std::vector<std::string>{"B"}));
  EXPECT_EQ(view["declined"][0]["reason"], "Not ours to change");
  EXPECT_EQ(view["responses"], 4);
  EXPECT_EQ(view["responses_on_time"], 3);
  EXPECT_EQ(view["responses_late"], 1);
  EXPECT_EQ(view["waiting_count"], 1);
  EXPECT_EQ(view["waiting_late_count"], 1);
  EXPECT_EQ(view["agreed_time"], "20 working days (10 for crisis care)");
  EXPECT_EQ(view["nothing_answered"], false);

  const auto files = RenderNewsletter(config_, view);
  EXPECT_NE(files.at("newsletter.txt")
                .find("Since the last newsletter, 3 of 4 answered within the "
                      "agreed time (1 late)."),
            std::string::npos);
}

// Each verdict beside its answer; a disputed answer listed apart, still
// published, with its new due date and not counted as an answer.
TEST_F(NewsletterTest, VerdictsShowBesideTheirAnswers) {
  const int64_t confirmed = Add(Date(2027, 1, 4), "Letters");
  const int64_t disputed = Add(Date(2027, 1, 4), "Parking", "access");
  const int64_t not_yet = Add(Date(2027, 1, 4), "Signs", "access");
  Answer(confirmed, Date(2027, 1, 20), "Letters go out earlier");
  Answer(disputed, Date(2027, 1, 20), "Ten more spaces");
  Answer(not_yet, Date(2027, 1, 20), "New signs", true);
  const int64_t forum = Forum("2027-r1-surrey-downs", Date(2027, 2, 4), 4);
  On(Date(2027, 2, 5));
  board_->RecordVerdict(confirmed, forum, Verdict::kConfirmed, "", "fay");
  board_->RecordVerdict(disputed, forum, Verdict::kDisputed,
                        "The spaces are still coned off", "fay");
  board_->RecordVerdict(not_yet, forum, Verdict::kNotYet, "Only one so far.",
                        "fay");

  // Before the forum: no verdicts, the parking answer among "we did".
  json before = View({2027, 1}, Date(2027, 2, 3));
  EXPECT_EQ(Titles(before["we_did"]),
            (std::vector<std::string>{"Parking", "Letters"}));
  EXPECT_EQ(before["has_disputed"], false);

  json view = View({2027, 1}, Date(2027, 3, 20));
  EXPECT_EQ(Titles(view["we_did"]), (std::vector<std::string>{"Letters"}));
  const json& letters = view["we_did"][0]["tickets"][0];
  ASSERT_EQ(letters["verdicts"].size(), 1u);
  EXPECT_EQ(letters["verdicts"][0]["sentence"],
            "The Surrey Downs forum confirmed this on Thursday 4 February "
            "2027.");
  EXPECT_EQ(view["we_are_doing"][0]["tickets"][0]["verdicts"][0]["sentence"],
            "The Surrey Downs forum said on Thursday 4 February 2027 that "
            "this has not happened yet: Only one so far.");
  ASSERT_EQ(view["disputed"].size(), 1u);
  const json& parking = view["disputed"][0];
  EXPECT_EQ(parking["answer"], "Ten more spaces");
  EXPECT_EQ(parking["verdicts"][0]["sentence"],
            "The Surrey Downs forum disputed this on Thursday 4 February "
            "2027: The spaces are still coned off.");
  // 20 working days from 5 Feb: past by the copy deadline, 12 Mar.
  EXPECT_EQ(parking["due"], "Friday 5 March 2027");
  EXPECT_EQ(parking["late"], true);
  EXPECT_EQ(view["responses"], 2) << "the disputed answer is not counted";

  const auto files = RenderNewsletter(config_, view);
  for (const char* want :
       {"  *The Surrey Downs forum confirmed this on Thursday 4 February "
        "2027.*\n",
        "### Answers a forum disputed\n",
        "  **The Trust said:** Ten more spaces (CMHRS East Surrey)\n",
        "  *The Surrey Downs forum disputed this on Thursday 4 February 2027: "
        "The spaces are still coned off.*\n",
        "  The new answer is late: it was due by Friday 5 March 2027.\n"}) {
    EXPECT_NE(files.at("newsletter.md").find(want), std::string::npos)
        << want << "\n"
        << files.at("newsletter.md");
  }
  EXPECT_NE(files.at("newsletter.html")
                .find("<p class=\"verdict verdict-disputed\">The Surrey "
                      "Downs forum disputed this"),
            std::string::npos);
  // Who recorded them is never published.
  for (const auto& [name, text] : files) {
    EXPECT_EQ(text.find("fay"), std::string::npos) << name;
  }
}

// A ticket waiting for the forum shows the Trust's question, and its
// working days left stay as they were when the clock paused.
TEST_F(NewsletterTest, WaitingForTheForumShowsTheQuestionAndFrozenDays) {
  const int64_t id = Add(Date(2027, 1, 4), "Letters");  // Due Mon 1 Feb.
  On(Date(2027, 1, 18));                                // 10 working days left.
  board_->Move(id, TicketState::kSentToTrust, "", "jo");
  board_->Move(id, TicketState::kWaitingForForum,
               "Which letters: appointments or results?", "jo");
  for (const Date today : {Date(2027, 1, 20), Date(2027, 3, 20)}) {
    SCOPED_TRACE(FormatIsoDate(today));
    json view = View({2027, 1}, today);
    ASSERT_EQ(view["waiting"].size(), 1u);
    const json& w = view["waiting"][0];
    EXPECT_EQ(w["question"], "Which letters: appointments or results?");
    EXPECT_EQ(w["paused"], true);
    EXPECT_EQ(w["days_left"], 10);
    EXPECT_NE(RenderNewsletter(config_, view)
                  .at("newsletter.txt")
                  .find("- Letters (East Surrey): the answer clock is paused "
                        "while the Trust waits for the forum, with 10 working "
                        "days left. The Trust has asked the forum a question "
                        "about it. The Trust asked you: Which letters: "
                        "appointments or results?\n"),
              std::string::npos);
  }
  // Before the question was asked there was none.
  json early = View({2027, 1}, Date(2027, 1, 17));
  EXPECT_EQ(early["waiting"][0]["has_question"], false);
  EXPECT_EQ(early["waiting"][0]["paused"], false);
}

TEST_F(NewsletterTest, NothingIdentifyingIsInTheView) {
  const int64_t id = Add(Date(2027, 1, 4), "Letters");
  Answer(id, Date(2027, 1, 20), "Sent earlier now");
  board_->AddVotes(id, 2, std::nullopt, "raised again by Mrs Example", "jo");
  const std::string dump = View({2027, 1}, Date(2027, 3, 20)).dump();
  EXPECT_EQ(dump.find("Private details"), std::string::npos);
  EXPECT_EQ(dump.find("Mrs Example"), std::string::npos);
  EXPECT_EQ(dump.find("\"jo\""), std::string::npos);
}

TEST_F(NewsletterTest, MergedRepeatsAreNotListedTwice) {
  const int64_t a = Add(Date(2027, 1, 4), "Letters late");
  const int64_t b = Add(Date(2027, 1, 5), "Letters too late");
  On(Date(2027, 1, 6));
  board_->Merge(b, a, "jo");
  json view = View({2027, 1}, Date(2027, 3, 20));
  EXPECT_EQ(view["waiting_count"], 1);
}

TEST_F(NewsletterTest, NextTwoRoundsCrossTheYearEnd) {
  struct Case {
    Quarter q;
    std::vector<std::string> names;
  };
  for (const Case& c :
       {Case{{2027, 1}, {"Round 2 of 2027", "Round 3 of 2027"}},
        Case{{2027, 3}, {"Round 4 of 2027", "Round 1 of 2028"}},
        Case{{2027, 4}, {"Round 1 of 2028", "Round 2 of 2028"}}}) {
    json view = View(c.q, Date(2027, 12, 31));
    ASSERT_EQ(view["next_rounds"].size(), 2u);
    for (size_t i = 0; i < 2; ++i) {
      EXPECT_EQ(view["next_rounds"][i]["name"], c.names[i]);
      EXPECT_EQ(view["next_rounds"][i]["forums"].size(), 6u);
    }
  }
  json view = View({2027, 4}, Date(2027, 12, 31));
  EXPECT_EQ(view["next_rounds"][0]["months"], "January to March 2028");
  // Every forum says how to come: a venue with its access, or a link.
  for (const json& round : view["next_rounds"]) {
    for (const json& f : round["forums"]) {
      if (f["in_person"] == true) {
        EXPECT_NE(f["venue_address"], "") << f["title"];
        EXPECT_EQ(f["step_free"], true) << f["title"];
        EXPECT_EQ(f["hearing_loop"], true) << f["title"];
      } else {
        EXPECT_NE(f["joining_link"], "") << f["title"];
      }
      EXPECT_EQ(f["informal_minutes"], 30);
    }
  }
}

TEST_F(NewsletterTest, MostVotedHaveTwoVotesOrMoreAndStopAtFive) {
  // One vote each (the raiser's) to start with; B has 2 votes, ... G 7.
  Add(Date(2027, 1, 4), "A");
  int extra = 1;
  for (const char* title : {"B", "C", "D", "E", "F", "G"}) {
    board_->AddVotes(Add(Date(2027, 1, 4), title), extra++, std::nullopt, "",
                     "jo");
  }
  // Raised after the copy deadline (Fri 12 Mar 2027): not in this issue.
  board_->AddVotes(Add(Date(2027, 3, 15), "Late"), 8, std::nullopt, "", "jo");

  json view = View({2027, 1}, Date(2027, 3, 20));
  std::vector<std::string> titles;
  std::vector<int> votes;
  for (const json& t : view["most_voted"]) {
    titles.push_back(t["title"]);
    votes.push_back(t["votes"]);
  }
  EXPECT_EQ(titles, (std::vector<std::string>{"G", "F", "E", "D", "C"}));
  EXPECT_EQ(votes, (std::vector<int>{7, 6, 5, 4, 3}));
  EXPECT_EQ(view["most_voted"][0]["rank"], 1);

  // With room for all, the one-vote ticket is still left out.
  NewsletterOptions options;
  options.most_voted = 10;
  json all = BuildNewsletterView(config_, *board_, PlanYear(config_, 2027),
                                 {2027, 1}, Date(2027, 3, 20), options);
  ASSERT_EQ(all["most_voted"].size(), 6u);
  EXPECT_EQ(all["most_voted"][5]["title"], "B");
}

TEST_F(NewsletterTest, EmptyQuarterSaysSoPlainly) {
  Add(Date(2027, 1, 4), "Still open");
  json view = View({2027, 1}, Date(2027, 3, 20));
  EXPECT_EQ(view["nothing_answered"], true);
  const auto files = RenderNewsletter(config_, view);
  for (const auto& [name, text] : files) {
    EXPECT_EQ(text.find("You said, we did"), std::string::npos) << name;
    EXPECT_EQ(text.find("What the Trust cannot do"), std::string::npos) << name;
  }
  EXPECT_NE(files.at("newsletter.md")
                .find("No answers were published since the last newsletter. "
                      "Points still waiting for an answer: 1 (see below)."),
            std::string::npos);
  EXPECT_NE(files.at("newsletter-easy-read.txt")
                .find("The Trust has not answered anything new since the "
                      "last news."),
            std::string::npos);
}

TEST_F(NewsletterTest, ShapeHasExactlyTheViewsNames) {
  const int64_t forum = Forum("2027-r1-east-surrey", Date(2027, 1, 4), 5);
  const int64_t a = Add(Date(2027, 1, 4), "A", "access", forum);
  const int64_t b = Add(Date(2027, 1, 4), "B", "access", forum);
  const int64_t c = Add(Date(2027, 1, 4), "C", "access", forum);
  Add(Date(2027, 1, 4), "D", "access", forum);
  board_->AddVotes(a, 3, std::nullopt, "", "jo");
  Answer(a, Date(2027, 1, 20), "done");
  Answer(b, Date(2027, 1, 20), "doing", true);
  On(Date(2027, 1, 20));
  board_->Move(c, TicketState::kSentToTrust, "", "jo");
  board_->Move(c, TicketState::kDeclined, "no", "jo");
  json view = View({2027, 1}, Date(2027, 3, 20));
  for (const char* list :
       {"we_did", "we_are_doing", "declined", "waiting", "most_voted"}) {
    ASSERT_FALSE(view[list].empty()) << list;
  }
  ExpectSameNames(view, NewsletterViewShape(config_), "view");
}

TEST_F(NewsletterTest, HowToGetInvolvedComesFromConfiguration) {
  // config/focus.yaml's newsletter.get_involved, one paragraph per item.
  ASSERT_EQ(config_.newsletter_get_involved.size(), 3u);
  EXPECT_EQ(config_.newsletter_get_involved[0],
            "Come to any forum. You do not need to book. Carers, family and "
            "friends are welcome.");
  config_.newsletter_get_involved = {"Ring us.", "Write to us."};
  json view = View({2027, 1}, Date(2027, 3, 20));
  EXPECT_EQ(view["has_get_involved"], true);
  EXPECT_EQ(view["get_involved"],
            json::parse(R"(["Ring us.", "Write to us."])"));
  EXPECT_NE(RenderNewsletter(config_, view)
                .at("newsletter.txt")
                .find("HOW TO GET INVOLVED\n\nRing us.\n\nWrite to us.\n"),
            std::string::npos);
  // None configured: the part is left out.
  config_.newsletter_get_involved.clear();
  view = View({2027, 1}, Date(2027, 3, 20));
  EXPECT_EQ(view["has_get_involved"], false);
  EXPECT_EQ(RenderNewsletter(config_, view)
                .at("newsletter.md")
                .find("How to get involved"),
            std::string::npos);
}

TEST_F(NewsletterTest, BuiltInTemplatesUseOnlyKnownNames) {
  // Rendering checks every template against the shape, whatever the data.
  json view = View({2027, 1}, Date(2027, 3, 20));
  const auto files = RenderNewsletter(config_, view);
  EXPECT_EQ(files.size(), 6u);
  for (const auto& [name, text] : files) {
    EXPECT_EQ(text.find('\x1f'), std::string::npos) << name;
    EXPECT_EQ(text.find("{{"), std::string::npos) << name;
  }
}

}  // namespace
}  // namespace focus
