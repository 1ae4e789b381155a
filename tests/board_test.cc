// Tests for the feedback board: the state machine, answers, votes, merges,
// the response-clock pause, screening, list filters, imports, and that a
// refused operation writes nothing, even with two processes writing at once.
#include "focus/board.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "board_fixture.h"
#include "focus/clock.h"
#include "focus/config.h"
#include "focus/error.h"
#include "focus/local_time.h"
#include "focus/store.h"
#include "focus/store_testing.h"
#include "test_config.h"
#include "test_util.h"

namespace focus {
namespace {

namespace fs = std::filesystem;
using S = TicketState;

const S kAllStates[] = {S::kRaised,          S::kSentToTrust, S::kInProgress,
                        S::kWaitingForForum, S::kEscalated,   S::kAnswered,
                        S::kClosed,          S::kDeclined,    S::kMerged};

const char kAreas[] =
    "east-surrey, northwest-surrey, surrey-downs, guildford-waverley, "
    "farnham-northeast-hants, surrey-wide-evening";
const char kThemes[] =
    "access, communication, carers, crisis care, medication, waiting times, "
    "staff attitude, discharge, physical health, other";

Config BoardConfig() {
  Config config = TestConfig();
  config.board.themes = {"access",         "communication", "carers",
                         "crisis care",    "medication",    "waiting times",
                         "staff attitude", "discharge",     "physical health",
                         "other"};
  config.board.teams = {"Community mental health", "Crisis line", "Estates"};
  return config;
}

class BoardTest : public BoardFixture {
 protected:
  BoardTest() : BoardFixture(BoardConfig(), Date(2027, 1, 20)) {}

  NewTicket Sample(const std::string& title = "Parking at the hub") {
    NewTicket t;
    t.title = title;
    t.details = "There are never any spaces on clinic days.";
    t.area = "East Surrey";
    t.themes = {"access"};
    t.team = "Estates";
    t.raised_by = 1;
    return t;
  }

  int64_t Add(const std::string& title = "Parking at the hub") {
    return board_->AddTicket(Sample(title), "jo");
  }

  int64_t AddForum(const std::string& area, Date held_on,
                   const std::string& plan_id = "") {
    ForumRecord f;
    f.plan_id = plan_id;
    f.area = area;
    f.held_on = held_on;
    f.attendance.service_users = 3;
    f.attendance.carers = 1;
    return board_->RecordForum(f, "jo");
  }

  // Every row of every table, as text: equal before and after means the
  // database content did not change at all.
  std::string Dump() { return testing::Dump(path_); }

  // Expects `fn` to be refused with exactly `message`, of `kind` (by default
  // kNotFound for a missing ticket, else kInvalidInput), and to write
  // nothing.
  void ExpectRefused(const std::function<void()>& fn,
                     const std::string& message,
                     std::optional<ErrorKind> kind = std::nullopt) {
    std::string before = Dump();
    Error e = Catch(fn);
    EXPECT_EQ(std::string(ErrorKindName(e.kind())),
              ErrorKindName(kind.value_or(message.rfind("no ticket #", 0) == 0
                                              ? ErrorKind::kNotFound
                                              : ErrorKind::kInvalidInput)));
    EXPECT_EQ(std::string(e.what()), message);
    EXPECT_EQ(Dump(), before) << "a refused operation wrote something";
  }

  // A ticket in `state`, reached by the board's own operations.
  int64_t TicketIn(S state) {
    int64_t id = Add("Ticket in " + std::string(TicketStateName(state)));
    switch (state) {
      case S::kRaised:
        break;
      case S::kSentToTrust:
        board_->Move(id, S::kSentToTrust, "", "jo");
        break;
      case S::kInProgress:
        board_->Move(id, S::kSentToTrust, "", "jo");
        board_->Move(id, S::kInProgress, "", "jo");
        break;
      case S::kWaitingForForum:
        board_->Move(id, S::kSentToTrust, "", "jo");
        board_->Move(id, S::kWaitingForForum, "which clinic?", "jo");
        break;
      case S::kEscalated:
        board_->Move(id, S::kEscalated, "", "jo");
        break;
      case S::kAnswered:
        board_->Move(id, S::kSentToTrust, "", "jo");
        board_->Answer(id, "We added ten spaces.", "Estates lead", false, false,
                       "sam");
        break;
      case S::kClosed:
        board_->Move(id, S::kSentToTrust, "", "jo");
        board_->Answer(id, "We added ten spaces.", "Estates lead", false, false,
                       "sam");
        board_->Move(id, S::kClosed, "", "jo");
        break;
      case S::kDeclined:
        board_->Move(id, S::kSentToTrust, "", "jo");
        board_->Move(id, S::kDeclined, "The site is not ours.", "sam");
        break;
      case S::kMerged: {
        int64_t survivor = Add("Survivor");
        board_->Merge(id, survivor, "jo");
        break;
      }
    }
    EXPECT_EQ(board_->Get(id).state, state);
    return id;
  }

  std::vector<int64_t> Ids(const std::vector<Ticket>& tickets) {
    std::vector<int64_t> ids;
    for (const Ticket& t : tickets) ids.push_back(t.id);
    return ids;
  }
};

// ---------------------------------------------------------------------------
// States.

TEST(TicketStateTest, NamesRoundTrip) {
  for (S s : kAllStates) {
    EXPECT_EQ(ParseTicketState(TicketStateName(s)), s);
    EXPECT_STRNE(TicketStateLabel(s), "");
  }
  EXPECT_FALSE(ParseTicketState("done"));
  EXPECT_STREQ(TicketStateName(S::kSentToTrust), "sent-to-trust");
  EXPECT_STREQ(TicketStateName(S::kWaitingForForum), "waiting-for-forum");
  EXPECT_STREQ(TicketStateLabel(S::kAnswered), "You said, we did");
  EXPECT_STREQ(TicketStateLabel(S::kInProgress), "You said, we are doing");
  EXPECT_STREQ(TicketStateLabel(S::kSentToTrust), "Sent to the Trust");
}

// The board's moves as the forum model specifies them, written out
// independently of the implementation.
const std::map<S, std::set<S>>& SpecifiedMoves() {
  static const auto* kMoves = new std::map<S, std::set<S>>{
      {S::kRaised, {S::kSentToTrust, S::kEscalated}},
      {S::kSentToTrust,
       {S::kInProgress, S::kWaitingForForum, S::kEscalated, S::kDeclined}},
      {S::kInProgress, {S::kWaitingForForum, S::kEscalated, S::kDeclined}},
      {S::kWaitingForForum, {S::kSentToTrust, S::kInProgress, S::kEscalated}},
      {S::kEscalated, {S::kSentToTrust, S::kInProgress, S::kDeclined}},
      {S::kAnswered, {S::kClosed, S::kInProgress}},
      {S::kClosed, {}},
      {S::kDeclined, {}},
      {S::kMerged, {}},
  };
  return *kMoves;
}

TEST(TicketStateTest, IsAllowedMoveMatchesTheSpecifiedTable) {
  for (S from : kAllStates) {
    for (S to : kAllStates) {
      EXPECT_EQ(IsAllowedMove(from, to),
                SpecifiedMoves().at(from).count(to) > 0)
          << TicketStateName(from) << " -> " << TicketStateName(to);
    }
  }
}

// Every from/to pair through Board::Move: allowed moves happen, refused ones
// give their exact message and write nothing.
TEST_F(BoardTest, EveryMoveIsAllowedOrRefusedAsSpecified) {
  const std::map<S, std::string> allowed_text = {
      {S::kRaised, "sent-to-trust, escalated"},
      {S::kSentToTrust, "in-progress, waiting-for-forum, escalated, declined"},
      {S::kInProgress, "waiting-for-forum, escalated, declined"},
      {S::kWaitingForForum, "sent-to-trust, in-progress, escalated"},
      {S::kEscalated, "sent-to-trust, in-progress, declined"},
      {S::kAnswered, "in-progress, closed"},  // Board order.
  };
  for (S from : kAllStates) {
    for (S to : kAllStates) {
      SCOPED_TRACE(std::string(TicketStateName(from)) + " -> " +
                   TicketStateName(to));
      int64_t id = TicketIn(from);
      const std::string ref = "ticket #" + std::to_string(id);
      const std::string reason = to == S::kDeclined ? "Not for the Trust" : "";
      if (SpecifiedMoves().at(from).count(to)) {
        board_->Move(id, to, reason, "jo");
        Ticket t = board_->Get(id);
        EXPECT_EQ(t.state, to);
        std::vector<HistoryEntry> h = board_->History(id);
        bool recorded = false;
        for (const HistoryEntry& e : h) {
          recorded |= e.field == "state" &&
                      e.old_value == TicketStateName(from) &&
                      e.new_value == TicketStateName(to) && e.actor == "jo";
        }
        EXPECT_TRUE(recorded);
        continue;
      }
      std::string message;
      if (from == to) {
        message = ref + " is already " + TicketStateName(to);
      } else if (to == S::kClosed && from != S::kDeclined &&
                 from != S::kMerged) {
        message = ref + " cannot be closed: it has no published answer yet";
      } else if (SpecifiedMoves().at(from).empty()) {
        message = ref + " cannot move from " + TicketStateName(from) + " to " +
                  TicketStateName(to) + " (" + TicketStateName(from) +
                  " is final)";
      } else {
        message = ref + " cannot move from " + TicketStateName(from) + " to " +
                  TicketStateName(to) + " (allowed: " + allowed_text.at(from) +
                  ")";
      }
      ExpectRefused([&] { board_->Move(id, to, reason, "jo"); }, message,
                    ErrorKind::kConflict);
    }
  }
}

TEST_F(BoardTest, TheSpecifiedRefusalMessages) {
  int64_t id = Add();
  ASSERT_EQ(id, 1);
  ExpectRefused([&] { board_->Move(1, S::kAnswered, "", "jo"); },
                "ticket #1 cannot move from raised to answered (allowed: "
                "sent-to-trust, escalated)",
                ErrorKind::kConflict);
  ExpectRefused([&] { board_->Move(1, S::kClosed, "", "jo"); },
                "ticket #1 cannot be closed: it has no published answer yet",
                ErrorKind::kConflict);
  ExpectRefused([&] { board_->Move(42, S::kSentToTrust, "", "jo"); },
                "no ticket #42");
  ExpectRefused(
      [&] {
        board_->Answer(1, "We will look at it.", "Estates", false, false, "jo");
      },
      "ticket #1 has not been sent to the Trust yet", ErrorKind::kConflict);
}

// Each refusal names the input field it is about (by its API name) and,
// where there is one, a remedy the front ends word for themselves.
TEST_F(BoardTest, RefusalsNameTheirFieldAndRemedy) {
  const int64_t raised = Add();
  const int64_t doing = TicketIn(S::kSentToTrust);
  board_->Answer(doing, "Work starts in March.", "Estates", true, false, "sam");
  struct Case {
    const char* name;
    std::function<void()> fn;
    const char* field;
    Remedy remedy;
  };
  auto with = [&](std::function<void(NewTicket&)> change) {
    return [this, change] {
      NewTicket t = Sample();
      change(t);
      board_->AddTicket(t, "jo");
    };
  };
  const Case cases[] = {
      {"no title", with([](NewTicket& t) { t.title = " "; }), "title",
       Remedy::kNone},
      {"nhs number in details",
       with([](NewTicket& t) { t.details = "Mr X, 943 476 5919"; }), "details",
       Remedy::kAllowIdentifiers},
      {"unknown area", with([](NewTicket& t) { t.area = "Kent"; }), "area",
       Remedy::kNone},
      {"unknown theme", with([](NewTicket& t) { t.themes = {"parking"}; }),
       "themes", Remedy::kNone},
      {"no team", with([](NewTicket& t) { t.team = ""; }), "team",
       Remedy::kNone},
      {"raised by nobody", with([](NewTicket& t) { t.raised_by = 0; }),
       "raised_by", Remedy::kNone},
      {"unknown forum", with([](NewTicket& t) { t.forum_id = 9; }), "forum",
       Remedy::kNone},
      {"close unanswered", [&] { board_->Move(raised, S::kClosed, "", "jo"); },
       "state", Remedy::kAnswerFirst},
      {"close in progress", [&] { board_->Move(doing, S::kClosed, "", "jo"); },
       "state", Remedy::kFinalAnswerFirst},
      {"answer without who",
       [&] { board_->Answer(doing, "Done.", " ", false, false, "sam"); },
       "answered_by", Remedy::kNone},
      {"phone number in answer",
       [&] {
         board_->Answer(doing, "Ring 020 7946 0018", "Estates", false, false,
                        "sam");
       },
       "text", Remedy::kAllowIdentifiers},
      {"no votes", [&] { board_->AddVotes(raised, 0, {}, "", "jo"); }, "count",
       Remedy::kNone},
      {"merge into itself", [&] { board_->Merge(raised, raised, "jo"); },
       "into", Remedy::kNone},
      {"missing ticket", [&] { board_->Get(99); }, "", Remedy::kNone},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    const Error e = Catch(c.fn);
    EXPECT_EQ(e.field(), c.field);
    EXPECT_EQ(e.remedy(), c.remedy);
  }
}

TEST_F(BoardTest, AnAreaTypedAsItsAliasIsKeptAsTheArea) {
  config_.areas[0].aliases = {"Redhill & Reigate"};
  NewTicket t = Sample();
  t.area = "redhill & REIGATE";
  const int64_t id = board_->AddTicket(t, "jo");
  EXPECT_EQ(board_->Get(id).area, config_.areas[0].slug);
}

TEST_F(BoardTest, ClosingAnInProgressAnswerIsRefused) {
  int64_t id = TicketIn(S::kSentToTrust);
  board_->Answer(id, "We are talking to the landlord.", "Estates lead", true,
                 false, "sam");
  EXPECT_EQ(board_->Get(id).state, S::kInProgress);
  ExpectRefused([&] { board_->Move(id, S::kClosed, "", "jo"); },
                "ticket #1 cannot be closed: its answer says the work is "
                "still in progress",
                ErrorKind::kConflict);
}

TEST_F(BoardTest, DecliningNeedsAPublishedReason) {
  int64_t id = TicketIn(S::kSentToTrust);
  ExpectRefused([&] { board_->Move(id, S::kDeclined, "  ", "sam"); },
                "declining ticket #1 needs a reason: it is published with the "
                "ticket");
  On(Date(2027, 1, 25));
  board_->Move(id, S::kDeclined, "The car park belongs to the council.", "sam");
  Ticket t = board_->Get(id);
  EXPECT_EQ(t.state, S::kDeclined);
  EXPECT_EQ(t.decline_reason, "The car park belongs to the council.");
  EXPECT_EQ(t.declined_on, Date(2027, 1, 25));
}

TEST_F(BoardTest, SentOnIsTheFirstSend) {
  int64_t id = Add();
  On(Date(2027, 1, 21));
  board_->Move(id, S::kSentToTrust, "", "jo");
  On(Date(2027, 1, 22));
  board_->Move(id, S::kWaitingForForum, "", "jo");
  On(Date(2027, 1, 27));
  board_->Move(id, S::kSentToTrust, "", "jo");
  EXPECT_EQ(board_->Get(id).sent_on, Date(2027, 1, 21));
}

// ---------------------------------------------------------------------------
// Answers.

TEST_F(BoardTest, AnswerPublishesAndRevisionsKeepTheFirstDate) {
  int64_t id = TicketIn(S::kSentToTrust);
  On(Date(2027, 2, 1));
  board_->Answer(id, "We are talking to the landlord.", "Estates lead", true,
                 false, "sam");
  Ticket t = board_->Get(id);
  EXPECT_EQ(t.state, S::kInProgress);
  EXPECT_EQ(t.answer, "We are talking to the landlord.");
  EXPECT_EQ(t.answered_by, "Estates lead");
  EXPECT_EQ(t.answered_on, Date(2027, 2, 1));

  On(Date(2027, 3, 1));
  board_->Answer(id, "Ten new spaces from April.", "Head of estates", false,
                 false, "sam");
  t = board_->Get(id);
  EXPECT_EQ(t.state, S::kAnswered);
  EXPECT_EQ(t.answer, "Ten new spaces from April.");
  EXPECT_EQ(t.answered_by, "Head of estates");
  EXPECT_EQ(t.answered_on, Date(2027, 2, 1));  // The SLA counts the first.

  // Revising the text of an answered ticket is recorded, old and new.
  board_->Answer(id, "Ten new spaces from May.", "Head of estates", false,
                 false, "sam");
  std::vector<HistoryEntry> h = board_->History(id);
  const HistoryEntry* last_answer = nullptr;
  for (const HistoryEntry& e : h) {
    if (e.field == "answer") last_answer = &e;
  }
  ASSERT_NE(last_answer, nullptr);
  EXPECT_EQ(last_answer->old_value, "Ten new spaces from April.");
  EXPECT_EQ(last_answer->new_value, "Ten new spaces from May.");
  EXPECT_EQ(last_answer->actor, "sam");
  EXPECT_EQ(board_->Get(id).state, S::kAnswered);
}

TEST_F(BoardTest, AnswerIsRefusedWhereItCannotApply) {
  int64_t closed = TicketIn(S::kClosed);
  int64_t declined = TicketIn(S::kDeclined);
  int64_t merged = TicketIn(S::kMerged);  // Into the next id.
  int64_t sent = TicketIn(S::kSentToTrust);
  struct Case {
    int64_t id;
    std::string text, by, message;
    std::optional<ErrorKind> kind;  // Unset: as ExpectRefused infers.
  };
  const Case cases[] = {
      {closed, "x", "y", "ticket #1 is closed: it cannot be answered",
       ErrorKind::kConflict},
      {declined, "x", "y", "ticket #2 is declined: it cannot be answered",
       ErrorKind::kConflict},
      {merged, "x", "y", "ticket #3 is merged into #4: answer #4",
       ErrorKind::kConflict},
      {sent, " ", "y", "an answer needs text", std::nullopt},
      {sent, "x", "", "an answer needs who gave it (a Trust team or role)",
       std::nullopt},
      {99, "x", "y", "no ticket #99", std::nullopt},
      {sent, "Call 020 7946 0018 for details", "y",
       "answer: line 1, column 6: looks like a phone number (020 7946 0018); "
       "tickets are about services, not people: remove it",
       std::nullopt},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.message);
    ExpectRefused(
        [&] { board_->Answer(c.id, c.text, c.by, false, false, "sam"); },
        c.message, c.kind);
  }
}

// ---------------------------------------------------------------------------
// The forums' verdicts on answers.

TEST_F(BoardTest, VerdictsAreRefusedWithOneLineAndWriteNothing) {
  const int64_t early = AddForum("East Surrey", Date(2027, 1, 4));
  const int64_t answered = TicketIn(S::kAnswered);  // Answered 20 Jan.
  const int64_t raised = TicketIn(S::kRaised);
  const int64_t declined = TicketIn(S::kDeclined);
  const int64_t merged = TicketIn(S::kMerged);  // Into the next id.
  const int64_t same_day = AddForum("Surrey Downs", Date(2027, 1, 20));
  On(Date(2027, 2, 10));
  const int64_t later = AddForum("Surrey Downs", Date(2027, 2, 8));
  const int64_t given = TicketIn(S::kAnswered);  // Answered 10 Feb.
  On(Date(2027, 3, 10));
  const int64_t march = AddForum("East Surrey", Date(2027, 3, 9));
  board_->RecordVerdict(given, march, Verdict::kNotYet, "", "fay");
  const std::string a = std::to_string(answered);
  struct Case {
    int64_t ticket, forum;
    Verdict verdict;
    std::string note, actor, message;
    std::optional<ErrorKind> kind;  // Unset: as ExpectRefused infers.
  };
  const Case cases[] = {
      {99, later, Verdict::kConfirmed, "", "fay", "no ticket #99",
       std::nullopt},
      {raised, later, Verdict::kConfirmed, "", "fay",
       "ticket #" + std::to_string(raised) +
           " has no published answer for a forum to give its verdict on",
       ErrorKind::kConflict},
      {declined, later, Verdict::kConfirmed, "", "fay",
       "ticket #" + std::to_string(declined) +
           " has no published answer for a forum to give its verdict on",
       ErrorKind::kConflict},
      {merged, later, Verdict::kConfirmed, "", "fay",
       "ticket #" + std::to_string(merged) + " is merged into #" +
           std::to_string(merged + 1) + ": record the verdict on #" +
           std::to_string(merged + 1),
       ErrorKind::kConflict},
      {answered, 99, Verdict::kConfirmed, "", "fay", "no forum #99",
       std::nullopt},
      {answered, early, Verdict::kConfirmed, "", "fay",
       "forum #" + std::to_string(early) +
           " was held on 2027-01-04, not after the answer to ticket #" + a +
           " was published on 2027-01-20: a verdict comes from a later "
           "forum",
       std::nullopt},
      {answered, same_day, Verdict::kConfirmed, "", "fay",
       "forum #" + std::to_string(same_day) +
           " was held on 2027-01-20, not after the answer to ticket #" + a +
           " was published on 2027-01-20: a verdict comes from a later "
           "forum",
       std::nullopt},
      {answered, later, Verdict::kDisputed, "", "fay",
       "note: a disputed verdict needs a note saying why: it is published "
       "beside the answer",
       std::nullopt},
      {answered, later, Verdict::kDisputed, " \n ", "fay",
       "note: a disputed verdict needs a note saying why: it is published "
       "beside the answer",
       std::nullopt},
      {answered, later, Verdict::kDisputed, "Ring Jo on 020 7946 0018", "fay",
       "note: line 1, column 12: looks like a phone number (020 7946 0018); "
       "tickets are about services, not people: remove it",
       std::nullopt},
      {answered, later, Verdict::kNotYet, std::string(501, 'x'), "fay",
       "note: 501 characters is over the limit of 500", std::nullopt},
      {answered, later, Verdict::kConfirmed, "", " ",
       "every change needs to say who made it (the actor is empty)",
       std::nullopt},
      {given, march, Verdict::kConfirmed, "", "fay",
       "forum #" + std::to_string(march) +
           " already gave its verdict on the answer to ticket #" +
           std::to_string(given) + " (not-yet)",
       ErrorKind::kConflict},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.message);
    ExpectRefused(
        [&] {
          board_->RecordVerdict(c.ticket, c.forum, c.verdict, c.note, c.actor);
        },
        c.message, c.kind);
  }
  // A forum the clock has not reached (a clock set back).
  On(Date(2027, 2, 5));
  ExpectRefused(
      [&] {
        board_->RecordVerdict(answered, later, Verdict::kConfirmed, "", "fay");
      },
      "forum #" + std::to_string(later) +
          " is held on 2027-02-08, in the future (today is 2027-02-05)");
}

TEST_F(BoardTest, DisputedVerdictReopensWithANewClockAndKeepsTheAnswer) {
  const int64_t id = TicketIn(S::kClosed);  // Answered and closed 20 Jan.
  On(Date(2027, 2, 10));
  const int64_t forum = AddForum("Surrey Downs", Date(2027, 2, 8));
  const int64_t other = AddForum("East Surrey", Date(2027, 2, 9));
  board_->RecordVerdict(id, forum, Verdict::kNotYet, "", "fay");
  EXPECT_EQ(board_->Get(id).state, S::kClosed) << "only a dispute reopens";
  EXPECT_TRUE(AwaitsVerdict(board_->Get(id)));

  board_->RecordVerdict(id, other, Verdict::kDisputed,
                        "  The spaces are still coned off  ", "fay");
  Ticket t = board_->Get(id);
  EXPECT_EQ(t.state, S::kSentToTrust);
  EXPECT_EQ(t.reopened_on, Date(2027, 2, 10));
  EXPECT_EQ(t.answer, "We added ten spaces.") << "the answer stays published";
  EXPECT_EQ(t.answered_on, Date(2027, 1, 20));
  EXPECT_FALSE(AwaitsVerdict(t));
  ASSERT_EQ(t.verdicts.size(), 2u);
  EXPECT_EQ(t.verdicts[0].verdict, Verdict::kNotYet);
  EXPECT_EQ(t.verdicts[0].forum_id, forum);
  EXPECT_EQ(t.verdicts[0].area, "surrey-downs");
  EXPECT_EQ(t.verdicts[0].held_on, Date(2027, 2, 8));
  EXPECT_EQ(t.verdicts[1].verdict, Verdict::kDisputed);
  EXPECT_EQ(t.verdicts[1].note, "The spaces are still coned off");
  EXPECT_EQ(t.verdicts[1].answered_on, Date(2027, 1, 20));
  std::vector<std::string> fields;
  for (const HistoryEntry& h : board_->History(id)) {
    if (h.at >= "2027-02-10") fields.push_back(h.field + ":" + h.new_value);
  }
  EXPECT_EQ(fields, (std::vector<std::string>{
                        "verdict:not-yet", "verdict:disputed",
                        "state:sent-to-trust", "reopened-on:2027-02-10"}));
  // Reopened: no verdict until the Trust answers again.
  ExpectRefused(
      [&] { board_->RecordVerdict(id, forum, Verdict::kConfirmed, "", "fay"); },
      "ticket #" + std::to_string(id) +
          " went back to the Trust after a disputed verdict on 2027-02-10: "
          "wait for the Trust's new answer",
      ErrorKind::kConflict);

  // The new answer restarts what the SLA measures, and can be judged.
  On(Date(2027, 3, 1));
  board_->Answer(id, "The cones are gone; ten spaces are free.", "Estates lead",
                 false, false, "sam");
  t = board_->Get(id);
  EXPECT_EQ(t.state, S::kAnswered);
  EXPECT_EQ(t.answered_on, Date(2027, 3, 1));
  EXPECT_TRUE(AwaitsVerdict(t));
  On(Date(2027, 3, 10));
  const int64_t march = AddForum("Surrey Downs", Date(2027, 3, 9));
  board_->RecordVerdict(id, march, Verdict::kConfirmed, "", "fay");
  EXPECT_EQ(board_->Get(id).verdicts.back().answered_on, Date(2027, 3, 1));
}

TEST_F(BoardTest, VerdictsAsOfADate) {
  const int64_t id = TicketIn(S::kAnswered);
  On(Date(2027, 2, 10));
  const int64_t forum = AddForum("Surrey Downs", Date(2027, 2, 8));
  board_->RecordVerdict(id, forum, Verdict::kDisputed, "Still coned off",
                        "fay");
  const Ticket before = board_->AsOf(Date(2027, 2, 9)).at(0);
  EXPECT_TRUE(before.verdicts.empty());
  EXPECT_EQ(before.state, S::kAnswered);
  EXPECT_EQ(before.reopened_on, std::nullopt);
  const Ticket after = board_->AsOf(Date(2027, 2, 10)).at(0);
  ASSERT_EQ(after.verdicts.size(), 1u);
  EXPECT_EQ(after.state, S::kSentToTrust);
  EXPECT_EQ(after.reopened_on, Date(2027, 2, 10));
}

TEST_F(BoardTest, ListSinceShowsTicketsChangedFromThatDay) {
  On(Date(2027, 2, 1));
  const int64_t quiet = Add("Quiet");
  const int64_t voted = Add("Voted");
  const int64_t moved = Add("Moved");
  On(Date(2027, 2, 15));
  board_->AddVotes(voted, 2, std::nullopt, "", "jo");
  On(Date(2027, 3, 1));
  board_->Move(moved, S::kSentToTrust, "", "jo");
  const int64_t added = Add("Added");

  struct Case {
    Date since;
    std::optional<Date> as_of;
    std::vector<int64_t> ids;
  };
  const Case cases[] = {
      {Date(2027, 2, 1), std::nullopt, {quiet, voted, moved, added}},
      {Date(2027, 2, 2), std::nullopt, {voted, moved, added}},
      {Date(2027, 2, 15), std::nullopt, {voted, moved, added}},
      {Date(2027, 2, 16), std::nullopt, {moved, added}},
      {Date(2027, 3, 2), std::nullopt, {}},
      {Date(2027, 2, 2), Date(2027, 2, 28), {voted}},
      {Date(2027, 2, 1), Date(2027, 2, 14), {quiet, voted, moved}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(FormatIsoDate(c.since));
    TicketFilter f;
    f.since = c.since;
    f.as_of = c.as_of;
    EXPECT_EQ(Ids(board_->List(f)), c.ids);
    EXPECT_EQ(
        board_->ChangedBetween(c.since, c.as_of.value_or(Date(2027, 3, 1))),
        c.ids);
  }
}

// ---------------------------------------------------------------------------
// Adding tickets and validation.

TEST_F(BoardTest, AddTicketStoresWhatWasRaised) {
  int64_t forum =
      AddForum("surrey-downs", Date(2027, 1, 12), "2027-r1-surrey-downs");
  NewTicket n = Sample();
  n.area = "surrey downs";  // Name, slug, or near enough.
  n.themes = {"Access", "crisis care", "access"};
  n.team = "estates";
  n.raised_by = 4;
  n.forum_id = forum;
  int64_t id = board_->AddTicket(n, "jo");

  Ticket t = board_->Get(id);
  EXPECT_EQ(t.title, "Parking at the hub");
  EXPECT_EQ(t.details, "There are never any spaces on clinic days.");
  EXPECT_EQ(t.area, "surrey-downs");
  EXPECT_EQ(t.themes, (std::vector<std::string>{"access", "crisis care"}));
  EXPECT_EQ(t.team, "Estates");
  EXPECT_EQ(t.state, S::kRaised);
  EXPECT_EQ(t.raised_on, Date(2027, 1, 12));  // The forum's day.
  EXPECT_EQ(t.forum_id, forum);
  EXPECT_EQ(t.raised_by, 4);
  EXPECT_EQ(t.votes, 4);  // Those who raised it are its first votes.
  EXPECT_EQ(t.forum_ids, std::vector<int64_t>{forum});
  EXPECT_FALSE(t.sent_on);

  std::vector<HistoryEntry> h = board_->History(id);
  ASSERT_EQ(h.size(), 1u);
  EXPECT_EQ(h[0].field, "created");
  EXPECT_EQ(h[0].actor, "jo");
  EXPECT_EQ(h[0].at, FormatUtc(clock_.Now()));
  EXPECT_EQ(h[0].new_value, "Parking at the hub");

  // Without a forum: raised today.
  EXPECT_EQ(board_->Get(Add()).raised_on, Date(2027, 1, 20));
}

TEST_F(BoardTest, BadTicketsAreRefusedWithOneLineAndWriteNothing) {
  AddForum("east-surrey", Date(2027, 1, 5));
  struct Case {
    std::string name;
    std::function<void(NewTicket&)> change;
    std::string message;
    std::optional<ErrorKind> kind;  // Unset: as ExpectRefused infers.
  };
  const std::vector<Case> cases = {
      {"no title", [](NewTicket& t) { t.title = "   "; },
       "a ticket needs a title", std::nullopt},
      {"long title", [](NewTicket& t) { t.title = std::string(121, 'x'); },
       "title: 121 characters is over the limit of 120", std::nullopt},
      {"long details", [](NewTicket& t) { t.details = std::string(2001, 'x'); },
       "details: 2001 characters is over the limit of 2000", std::nullopt},
      {"bad utf-8", [](NewTicket& t) { t.details = "caf\xC3"; },
       "details: not valid UTF-8 at byte 3", std::nullopt},
      {"nhs number", [](NewTicket& t) { t.details = "Mr X, 943 476 5919"; },
       "details: line 1, column 7: looks like an NHS number (943 476 5919); "
       "tickets are about services, not people: remove it",
       std::nullopt},
      {"unknown area", [](NewTicket& t) { t.area = "Atlantis"; },
       std::string("unknown area 'Atlantis' (areas: ") + kAreas + ")",
       std::nullopt},
      {"no area", [](NewTicket& t) { t.area = ""; },
       std::string("a ticket needs an area (areas: ") + kAreas + ")",
       std::nullopt},
      {"unknown theme",
       [](NewTicket& t) {
         t.themes = {"access", "parking"};
       },
       std::string("unknown theme 'parking' (themes: ") + kThemes + ")",
       std::nullopt},
      {"no theme", [](NewTicket& t) { t.themes.clear(); },
       std::string("a ticket needs at least one theme (themes: ") + kThemes +
           ")",
       std::nullopt},
      {"unknown team", [](NewTicket& t) { t.team = "Catering"; },
       "unknown team 'Catering' (teams: Community mental health, Crisis "
       "line, Estates)",
       std::nullopt},
      {"no team", [](NewTicket& t) { t.team = ""; },
       "a ticket needs the Trust team it is for (teams: Community mental "
       "health, Crisis line, Estates)",
       std::nullopt},
      {"raised by nobody", [](NewTicket& t) { t.raised_by = 0; },
       "raised by must be a whole number of people, at least 1, not 0",
       std::nullopt},
      {"unknown forum", [](NewTicket& t) { t.forum_id = 7; }, "no forum #7",
       std::nullopt},
      {"future", [](NewTicket& t) { t.raised_on = Date(2027, 2, 1); },
       "raised on 2027-02-01 is in the future (today is 2027-01-20)",
       std::nullopt},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    NewTicket t = Sample();
    c.change(t);
    ExpectRefused([&] { board_->AddTicket(t, "jo"); }, c.message, c.kind);
  }
  ExpectRefused([&] { board_->AddTicket(Sample(), " "); },
                "every change needs to say who made it (the actor is empty)");
}

TEST_F(BoardTest, NoTeamsConfiguredSaysWhereToAddThem) {
  config_.board.teams.clear();
  config_.source = "/etc/focus/focus.yaml";
  ExpectRefused([&] { board_->AddTicket(Sample(), "jo"); },
                "no teams are configured: add board.teams to "
                "/etc/focus/focus.yaml");
}

TEST_F(BoardTest, ScreeningOverrideIsRecordedWithoutTheText) {
  NewTicket n = Sample();
  n.details = "The leaflet says ring 07700 900123 but nobody answers.";
  n.allow_identifiers = true;  // It is the clinic's published number.
  int64_t id = board_->AddTicket(n, "jo");
  EXPECT_EQ(board_->Get(id).details, n.details);

  std::vector<HistoryEntry> h = board_->History(id);
  int overrides = 0;
  for (const HistoryEntry& e : h) {
    EXPECT_EQ(e.new_value.find("07700"), std::string::npos);
    EXPECT_EQ(e.note.find("07700"), std::string::npos);
    if (e.field == "screening-override") {
      ++overrides;
      EXPECT_EQ(e.new_value, "details: phone number");
      EXPECT_EQ(e.actor, "jo");
    }
  }
  EXPECT_EQ(overrides, 1);

  // The override also applies to answers, and is recorded there too.
  board_->Move(id, S::kSentToTrust, "", "jo");
  board_->Answer(id, "Ring the hub on 01483 443535 instead.", "Hub manager",
                 false, true, "sam");
  h = board_->History(id);
  EXPECT_EQ(h.back().field, "screening-override");
  EXPECT_EQ(h.back().new_value, "answer: phone number");
}

// ---------------------------------------------------------------------------
// Votes and merges.

TEST_F(BoardTest, VotesAddUpAndBadCountsAreRefused) {
  int64_t downs = AddForum("surrey-downs", Date(2027, 1, 14));
  int64_t id = Add();
  board_->AddVotes(id, 3, downs, "raised again at Surrey Downs", "jo");
  board_->AddVotes(id, 1, std::nullopt, "", "jo");
  Ticket t = board_->Get(id);
  EXPECT_EQ(t.votes, 5);
  EXPECT_EQ(t.forum_ids, std::vector<int64_t>{downs});
  const HistoryEntry last = board_->History(id).back();
  EXPECT_EQ(last.field, "votes");
  EXPECT_EQ(last.old_value, "4");
  EXPECT_EQ(last.new_value, "5");

  struct Case {
    int64_t id;
    int count;
    std::optional<int64_t> forum;
    std::string note, message;
    std::optional<ErrorKind> kind;  // Unset: as ExpectRefused infers.
  };
  const Case cases[] = {
      {id, 0, std::nullopt, "",
       "votes must be a whole number of at least 1, not 0", std::nullopt},
      {id, -3, std::nullopt, "",
       "votes must be a whole number of at least 1, not -3", std::nullopt},
      {42, 1, std::nullopt, "", "no ticket #42", std::nullopt},
      {id, 1, 7, "", "no forum #7", std::nullopt},
      {id, 1, std::nullopt, "ask jo@example.org",
       "note: line 1, column 5: looks like an e-mail address "
       "(jo@example.org); tickets are about services, not people: remove it",
       std::nullopt},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.message);
    ExpectRefused(
        [&] { board_->AddVotes(c.id, c.count, c.forum, c.note, "jo"); },
        c.message, c.kind);
  }
}

TEST_F(BoardTest, MergeCarriesVotesForumsAndHistory) {
  int64_t east = AddForum("east-surrey", Date(2027, 1, 5));
  int64_t downs = AddForum("surrey-downs", Date(2027, 1, 12));
  int64_t guildford = AddForum("guildford-waverley", Date(2027, 1, 14));

  NewTicket a = Sample("Parking at the hub");
  a.forum_id = east;
  a.raised_by = 2;
  int64_t survivor = board_->AddTicket(a, "jo");
  NewTicket b = Sample("No parking at Epsom hub");
  b.area = "surrey-downs";
  b.forum_id = downs;
  b.raised_by = 3;
  int64_t repeat = board_->AddTicket(b, "jo");
  board_->AddVotes(repeat, 1, guildford, "and again", "jo");

  board_->Merge(repeat, survivor, "kim");
  Ticket s = board_->Get(survivor);
  Ticket r = board_->Get(repeat);
  EXPECT_EQ(s.votes, 2 + 3 + 1);
  EXPECT_EQ(s.forum_ids, (std::vector<int64_t>{east, downs, guildford}));
  EXPECT_EQ(s.state, S::kRaised);
  EXPECT_EQ(r.state, S::kMerged);
  EXPECT_EQ(r.merged_into, survivor);

  // The survivor's history holds both tickets', oldest first, and the
  // merge is recorded on each.
  std::vector<HistoryEntry> h = board_->History(survivor);
  std::set<int64_t> tickets;
  bool on_survivor = false, on_repeat = false;
  for (size_t i = 0; i < h.size(); ++i) {
    tickets.insert(h[i].ticket_id);
    if (i > 0) {
      EXPECT_LT(h[i - 1].id, h[i].id);
    }
    on_survivor |= h[i].ticket_id == survivor && h[i].field == "merged" &&
                   h[i].new_value == "#2" && h[i].actor == "kim";
    on_repeat |= h[i].ticket_id == repeat && h[i].field == "merged-into" &&
                 h[i].new_value == "1";
  }
  EXPECT_EQ(tickets, (std::set<int64_t>{survivor, repeat}));
  EXPECT_TRUE(on_survivor);
  EXPECT_TRUE(on_repeat);

  // Merged tickets are hidden from lists unless asked for.
  EXPECT_EQ(Ids(board_->List({})), std::vector<int64_t>{survivor});
  TicketFilter all;
  all.include_merged = true;
  EXPECT_EQ(Ids(board_->List(all)), (std::vector<int64_t>{survivor, repeat}));

  // Forums reached through a merge count for the survivor in the forum
  // filter too.
  TicketFilter at_guildford;
  at_guildford.forum_id = guildford;
  EXPECT_EQ(Ids(board_->List(at_guildford)), std::vector<int64_t>{survivor});

  // Votes go to the survivor.
  ExpectRefused([&] { board_->AddVotes(repeat, 1, std::nullopt, "", "jo"); },
                "ticket #2 is merged into #1: add the votes to #1",
                ErrorKind::kConflict);
}

TEST_F(BoardTest, MergesChainRecursively) {
  int64_t f1 = AddForum("east-surrey", Date(2027, 1, 5));
  int64_t f2 = AddForum("surrey-downs", Date(2027, 1, 12));
  int64_t f3 = AddForum("guildford-waverley", Date(2027, 1, 14));
  int64_t ids[3];
  int64_t forums[3] = {f1, f2, f3};
  for (int i = 0; i < 3; ++i) {
    NewTicket n = Sample("Parking " + std::to_string(i));
    n.forum_id = forums[i];
    ids[i] = board_->AddTicket(n, "jo");
  }
  board_->Merge(ids[2], ids[1], "jo");  // C into B ...
  board_->Merge(ids[1], ids[0], "jo");  // ... then B into A.
  Ticket a = board_->Get(ids[0]);
  EXPECT_EQ(a.votes, 3);
  EXPECT_EQ(a.forum_ids, (std::vector<int64_t>{f1, f2, f3}));
  std::set<int64_t> tickets;
  for (const HistoryEntry& e : board_->History(ids[0])) {
    tickets.insert(e.ticket_id);
  }
  EXPECT_EQ(tickets, (std::set<int64_t>{ids[0], ids[1], ids[2]}));
}

TEST_F(BoardTest, BadMergesAreRefused) {
  int64_t a = Add("A");
  int64_t b = Add("B");
  int64_t c = Add("C");
  int64_t declined = TicketIn(S::kDeclined);
  int64_t closed = TicketIn(S::kClosed);
  board_->Merge(b, a, "jo");
  struct Case {
    int64_t repeat, survivor;
    std::string message;
    std::optional<ErrorKind> kind;  // Unset: as ExpectRefused infers.
  };
  const Case cases[] = {
      {a, a, "cannot merge ticket #1 into itself", std::nullopt},
      {b, c, "ticket #2 is already merged into #1", ErrorKind::kConflict},
      {c, b, "cannot merge into #2: it is merged into #1 (merge into that one)",
       ErrorKind::kConflict},
      {c, declined, "cannot merge into #4: it is declined",
       ErrorKind::kConflict},
      {c, closed, "cannot merge into #5: it is closed", ErrorKind::kConflict},
      {c, 99, "no ticket #99", std::nullopt},
      {99, c, "no ticket #99", std::nullopt},
  };
  for (const Case& x : cases) {
    SCOPED_TRACE(x.message);
    ExpectRefused([&] { board_->Merge(x.repeat, x.survivor, "jo"); }, x.message,
                  x.kind);
  }
}

TEST_F(BoardTest, MergeNeverHidesAPublishedAnswer) {
  const int64_t answered = TicketIn(S::kAnswered);        // #1
  const int64_t declined = TicketIn(S::kDeclined);        // #2
  const int64_t open = TicketIn(S::kSentToTrust);         // #3
  const int64_t other_answered = TicketIn(S::kAnswered);  // #4
  struct Case {
    int64_t repeat, survivor;
    std::string message;
    std::optional<ErrorKind> kind;  // Unset: as ExpectRefused infers.
  };
  const Case cases[] = {
      {answered, open,
       "cannot merge #1 into #3: #1 has a published answer, which would "
       "disappear; merge #3 into #1 instead",
       ErrorKind::kConflict},
      {declined, open,
       "cannot merge #2 into #3: #2 has a published reason for declining, "
       "which would disappear",
       ErrorKind::kConflict},
      {answered, other_answered,
       "cannot merge #1 into #4: #1 has a published answer, which would "
       "disappear",
       ErrorKind::kConflict},
  };
  for (const Case& x : cases) {
    SCOPED_TRACE(x.message);
    ExpectRefused([&] { board_->Merge(x.repeat, x.survivor, "jo"); }, x.message,
                  x.kind);
  }
  // The other way keeps the answer and adds the repeat's votes.
  board_->AddVotes(open, 2, {}, "", "jo");
  board_->Merge(open, answered, "jo");
  const Ticket t = board_->Get(answered);
  EXPECT_EQ(t.state, S::kAnswered);
  EXPECT_EQ(t.answer, "We added ten spaces.");
  EXPECT_EQ(t.votes, 4);
}

TEST_F(BoardTest, ImportRefusesAnAnswerWithoutItsWords) {
  struct Case {
    S state;
    std::string message;
    std::optional<ErrorKind> kind;  // Unset: as ExpectRefused infers.
  };
  const Case cases[] = {
      {S::kAnswered,
       "cards[0]: a ticket cannot be imported as answered without the text "
       "of its published answer",
       std::nullopt},
      {S::kClosed,
       "cards[0]: a ticket cannot be imported as closed without the text of "
       "its published answer",
       std::nullopt},
      {S::kDeclined,
       "cards[0]: a ticket cannot be imported as declined without its "
       "published reason",
       std::nullopt},
  };
  for (const Case& x : cases) {
    SCOPED_TRACE(x.message);
    ImportedTicket item;
    item.ticket.title = "Parking";
    item.ticket.area = "East Surrey";
    item.ticket.themes = {"access"};
    item.ticket.team = "Estates";
    item.state = x.state;
    item.sent_on = Date(2027, 1, 4);
    item.where = "cards[0]";
    ExpectRefused([&] { board_->ImportTickets({item}, "jo"); }, x.message,
                  x.kind);
  }
}

TEST_F(BoardTest, AsOfShowsTheTicketAsItStoodThatDay) {
  On(Date(2027, 1, 4));
  const int64_t id = Add("Parking");
  On(Date(2027, 1, 5));
  board_->Move(id, S::kSentToTrust, "", "jo");
  const Ticket then = board_->Get(id);
  On(Date(2027, 3, 19));
  board_->AddVotes(id, 3, {}, "raised again", "jo");
  On(Date(2027, 3, 22));
  board_->Move(id, S::kWaitingForForum, "which car park?", "sam");
  On(Date(2027, 4, 21));
  board_->Answer(id, "We added ten spaces.", "Estates lead", false, false,
                 "sam");
  const int64_t repeat = Add("Parking again");
  board_->Merge(repeat, id, "jo");

  const std::vector<Ticket> feb = board_->AsOf(Date(2027, 2, 5));
  ASSERT_EQ(feb.size(), 1u) << "the repeat was not on the board yet";
  EXPECT_EQ(feb[0].state, S::kSentToTrust);
  EXPECT_EQ(feb[0].votes, then.votes);
  EXPECT_EQ(feb[0].answer, "");
  EXPECT_EQ(feb[0].answered_on, std::nullopt);
  EXPECT_EQ(feb[0].paused_since, std::nullopt);
  EXPECT_EQ(feb[0].sent_on, Date(2027, 1, 5));

  const std::vector<Ticket> march = board_->AsOf(Date(2027, 3, 31));
  ASSERT_EQ(march.size(), 1u);
  EXPECT_EQ(march[0].state, S::kWaitingForForum);
  EXPECT_EQ(march[0].votes, then.votes + 3);
  EXPECT_EQ(march[0].paused_since, Date(2027, 3, 22));

  EXPECT_TRUE(board_->ChangedAfter(Date(2027, 4, 20)));
  EXPECT_FALSE(board_->ChangedAfter(Date(2027, 4, 21)));
  const std::vector<Ticket> now = board_->AsOf(Date(2027, 4, 21));
  ASSERT_EQ(now.size(), 2u);
  EXPECT_EQ(now[0].state, S::kAnswered);
  EXPECT_EQ(now[1].state, S::kMerged);
  EXPECT_EQ(now[1].merged_into, id);
}

// ---------------------------------------------------------------------------
// The response clock pause.

TEST_F(BoardTest, PauseAccountingSkipsWeekendsAndBankHolidays) {
  int64_t id = TicketIn(S::kSentToTrust);
  // Friday 28 May 2027; Monday 31 May is the spring bank holiday.
  On(Date(2027, 5, 28));
  board_->Move(id, S::kWaitingForForum, "Which clinic do you mean?", "sam");
  Ticket t = board_->Get(id);
  EXPECT_EQ(t.paused_since, Date(2027, 5, 28));
  EXPECT_EQ(t.paused_working_days, 0);

  On(Date(2027, 6, 1));  // Tuesday: one working day waited.
  board_->Move(id, S::kInProgress, "The forum said: Epsom.", "sam");
  t = board_->Get(id);
  EXPECT_FALSE(t.paused_since);
  EXPECT_EQ(t.paused_working_days, 1);

  // A second pause, ended by the answer itself.
  board_->Move(id, S::kWaitingForForum, "", "sam");
  On(Date(2027, 6, 8));  // Wed 2 .. Tue 8: five working days.
  board_->Answer(id, "Fixed.", "Estates lead", false, false, "sam");
  t = board_->Get(id);
  EXPECT_FALSE(t.paused_since);
  EXPECT_EQ(t.paused_working_days, 6);
  EXPECT_EQ(t.state, S::kAnswered);

  bool recorded = false;
  for (const HistoryEntry& e : board_->History(id)) {
    recorded |= e.field == "paused-working-days" && e.old_value == "1" &&
                e.new_value == "6";
  }
  EXPECT_TRUE(recorded);
}

TEST_F(BoardTest, PauseUsesConfiguredOneOffHolidays) {
  config_.holidays.extra.push_back({Date(2027, 6, 2), "A one-off holiday"});
  int64_t id = TicketIn(S::kSentToTrust);
  On(Date(2027, 6, 1));
  board_->Move(id, S::kWaitingForForum, "", "sam");
  On(Date(2027, 6, 4));  // Wed 2 is a holiday: Thu 3, Fri 4.
  board_->Move(id, S::kEscalated, "", "sam");
  EXPECT_EQ(board_->Get(id).paused_working_days, 2);
}

// ---------------------------------------------------------------------------
// Forums.

TEST_F(BoardTest, RecordForumAndReadItBack) {
  ForumRecord f;
  f.plan_id = "2027-r1-east-surrey";
  f.area = "East Surrey";
  f.held_on = Date(2027, 1, 12);
  f.format = Format::kVirtual;
  f.attendance = {1, 0, 4, 1, 2};
  f.apologies = {"Ward manager", " ", "Head of psychology"};
  int64_t id = board_->RecordForum(f, "jo");
  ForumRecord got = board_->GetForum(id);
  EXPECT_EQ(got.id, id);
  EXPECT_EQ(got.plan_id, "2027-r1-east-surrey");
  EXPECT_EQ(got.area, "east-surrey");
  EXPECT_EQ(got.held_on, Date(2027, 1, 12));
  EXPECT_EQ(got.format, Format::kVirtual);
  EXPECT_EQ(got.attendance.trust_staff, 4);
  EXPECT_EQ(got.attendance.others, 2);
  EXPECT_EQ(got.apologies,
            (std::vector<std::string>{"Ward manager", "Head of psychology"}));
  EXPECT_TRUE(got.BelowInvolvementMinimum());

  int64_t ad_hoc = AddForum("surrey-wide-evening", Date(2027, 1, 6));
  EXPECT_FALSE(board_->GetForum(ad_hoc).BelowInvolvementMinimum());
  std::vector<ForumRecord> all = board_->Forums();
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].id, ad_hoc);  // By date.
  EXPECT_EQ(all[0].plan_id, "");
  ExpectRefused([&] { board_->GetForum(9); }, "no forum #9");
}

TEST_F(BoardTest, BadForumsAreRefused) {
  AddForum("east-surrey", Date(2027, 1, 12), "2027-r1-east-surrey");
  struct Case {
    std::string name;
    std::function<void(ForumRecord&)> change;
    std::string message;
    std::optional<ErrorKind> kind;  // Unset: as ExpectRefused infers.
  };
  const std::vector<Case> cases = {
      {"no area", [](ForumRecord& f) { f.area = ""; },
       std::string("a forum needs an area (areas: ") + kAreas + ")",
       std::nullopt},
      {"unknown area", [](ForumRecord& f) { f.area = "Kent"; },
       std::string("unknown area 'Kent' (areas: ") + kAreas + ")",
       std::nullopt},
      {"bad plan id", [](ForumRecord& f) { f.plan_id = "january"; },
       "plan id 'january' is not a forum id from the plan (like "
       "2027-r1-east-surrey)",
       std::nullopt},
      {"other area's plan id",
       [](ForumRecord& f) { f.plan_id = "2027-r1-surrey-downs"; },
       "plan id '2027-r1-surrey-downs' is a forum of surrey-downs, not of "
       "east-surrey",
       std::nullopt},
      {"recorded twice",
       [](ForumRecord& f) { f.plan_id = "2027-r1-east-surrey"; },
       "forum 2027-r1-east-surrey is already recorded (forum #1)",
       ErrorKind::kConflict},
      {"no date", [](ForumRecord& f) { f.held_on = Date(); },
       "a forum needs the date it was held", std::nullopt},
      {"future", [](ForumRecord& f) { f.held_on = Date(2027, 4, 6); },
       "a forum is recorded after it is held: 2027-04-06 is in the future "
       "(today is 2027-01-20)",
       std::nullopt},
      {"negative count", [](ForumRecord& f) { f.attendance.carers = -1; },
       "attendance: carers must be 0 or more, not -1", std::nullopt},
      {"apology with a phone number",
       [](ForumRecord& f) { f.apologies = {"Dr Y 07700 900123"}; },
       "apologies: line 1, column 6: looks like a phone number (07700 "
       "900123); tickets are about services, not people: remove it",
       std::nullopt},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    ForumRecord f;
    f.area = "east-surrey";
    f.held_on = Date(2027, 1, 12);
    c.change(f);
    ExpectRefused([&] { board_->RecordForum(f, "jo"); }, c.message, c.kind);
  }
}

// ---------------------------------------------------------------------------
// Lists.

TEST_F(BoardTest, ListFiltersAndVoteOrder) {
  int64_t r1 = AddForum("east-surrey", Date(2027, 1, 12));
  On(Date(2027, 4, 20));
  int64_t r2 = AddForum("surrey-downs", Date(2027, 4, 8));

  NewTicket n1 = Sample("One");
  n1.forum_id = r1;
  n1.raised_by = 2;
  int64_t t1 = board_->AddTicket(n1, "jo");  // r1, access, Estates, 2
  NewTicket n2 = Sample("Two");
  n2.area = "surrey-downs";
  n2.forum_id = r2;
  n2.themes = {"communication", "access"};
  n2.team = "Crisis line";
  n2.raised_by = 5;
  int64_t t2 = board_->AddTicket(n2, "jo");  // r2, 5 votes
  NewTicket n3 = Sample("Three");
  n3.raised_on = Date(2027, 3, 31);  // No forum: its own date, round 1.
  n3.themes = {"carers"};
  n3.raised_by = 2;
  int64_t t3 = board_->AddTicket(n3, "jo");
  int64_t t4 = board_->AddTicket(Sample("Four"), "jo");  // 2027-04-20, r2
  board_->Move(t4, S::kSentToTrust, "", "jo");

  auto list = [&](const std::function<void(TicketFilter&)>& set) {
    TicketFilter f;
    set(f);
    return Ids(board_->List(f));
  };
  using V = std::vector<int64_t>;
  EXPECT_EQ(list([](TicketFilter&) {}), (V{t1, t2, t3, t4}));
  EXPECT_EQ(list([](TicketFilter& f) { f.state = S::kSentToTrust; }), V{t4});
  EXPECT_EQ(list([](TicketFilter& f) { f.area = "Surrey Downs"; }), V{t2});
  EXPECT_EQ(list([](TicketFilter& f) { f.theme = "access"; }), (V{t1, t2, t4}));
  EXPECT_EQ(list([](TicketFilter& f) { f.theme = "carers"; }), V{t3});
  EXPECT_EQ(list([](TicketFilter& f) { f.team = "crisis line"; }), V{t2});
  EXPECT_EQ(list([&](TicketFilter& f) { f.forum_id = r1; }), V{t1});
  EXPECT_EQ(list([](TicketFilter& f) { f.round = "2027-r1"; }), (V{t1, t3}));
  EXPECT_EQ(list([](TicketFilter& f) { f.round = "2027-r2"; }), (V{t2, t4}));
  EXPECT_EQ(list([](TicketFilter& f) { f.round = "2026-r4"; }), V{});
  EXPECT_EQ(list([](TicketFilter& f) {
              f.round = "2027-r2";
              f.theme = "access";
              f.team = "Estates";
            }),
            V{t4});
  // Most voted first; ties by id.
  EXPECT_EQ(list([](TicketFilter& f) { f.by_votes = true; }),
            (V{t2, t1, t3, t4}));

  // Themes come back in the order given.
  EXPECT_EQ(board_->List({})[1].themes,
            (std::vector<std::string>{"communication", "access"}));

  struct Case {
    std::function<void(TicketFilter&)> set;
    std::string message;
  };
  const Case bad[] = {
      {[](TicketFilter& f) { f.theme = "parking"; },
       std::string("unknown theme 'parking' (themes: ") + kThemes + ")"},
      {[](TicketFilter& f) { f.area = "Kent"; },
       std::string("unknown area 'Kent' (areas: ") + kAreas + ")"},
      {[](TicketFilter& f) { f.team = "Catering"; },
       "unknown team 'Catering' (teams: Community mental health, Crisis "
       "line, Estates)"},
      {[](TicketFilter& f) { f.round = "spring"; },
       "round 'spring' is not a round id like 2027-r1 (year, r, 1 to 4)"},
      {[](TicketFilter& f) { f.forum_id = 9; }, "no forum #9"},
  };
  for (const Case& c : bad) {
    SCOPED_TRACE(c.message);
    ExpectRefused([&] { list(c.set); }, c.message);
  }
}

TEST_F(BoardTest, RoundsFollowTheFirstRoundMonth) {
  config_.first_round_month = 4;  // NHS financial year.
  NewTicket n = Sample();
  n.raised_on = Date(2027, 1, 15);  // Round 4 of plan year 2026.
  int64_t id = board_->AddTicket(n, "jo");
  TicketFilter f;
  f.round = "2026-r4";
  EXPECT_EQ(Ids(board_->List(f)), std::vector<int64_t>{id});
  f.round = "2027-r1";
  EXPECT_TRUE(board_->List(f).empty());
}

// ---------------------------------------------------------------------------
// Imports.

// Three imported items: answered with a comment, raised, waiting for a
// forum with votes; cards[0..2].
std::vector<ImportedTicket> ImportItems(const NewTicket& sample) {
  ImportedTicket answered;
  answered.ticket = sample;
  answered.ticket.raised_on = Date(2027, 1, 4);
  answered.state = TicketState::kAnswered;
  answered.sent_on = Date(2027, 1, 6);
  answered.answer = "Done.";
  answered.answered_by = "Estates lead";
  answered.answered_on = Date(2027, 1, 15);
  answered.comments = {{"2027-01-05T10:00:00Z by Jo", "Chased the Trust."}};
  answered.origin = "Trello card 5f2b";
  answered.where = "cards[0]";
  ImportedTicket raised = answered;
  raised.ticket.title = "Raised only";
  raised.state = TicketState::kRaised;
  raised.sent_on.reset();
  raised.answer = raised.answered_by = "";
  raised.answered_on.reset();
  raised.where = "cards[1]";
  ImportedTicket waiting = raised;
  waiting.ticket.title = "Waiting";
  waiting.state = TicketState::kWaitingForForum;
  waiting.sent_on = Date(2027, 1, 6);
  waiting.extra_votes = 3;
  waiting.where = "cards[2]";
  return {answered, raised, waiting};
}

TEST_F(BoardTest, ImportIsAllOrNothing) {
  ImportedTicket good = ImportItems(Sample("Imported one"))[0];
  good.extra_votes = 2;
  ImportedTicket bad = good;
  bad.ticket.themes = {"parking"};
  bad.where = "cards[1]";

  ExpectRefused(
      [&] {
        board_->ImportTickets({good, bad}, "jo");
      },
      std::string("cards[1]: unknown theme 'parking' (themes: ") + kThemes +
          ")");

  std::vector<int64_t> ids = board_->ImportTickets({good}, "jo");
  ASSERT_EQ(ids.size(), 1u);
  Ticket t = board_->Get(ids[0]);
  EXPECT_EQ(t.state, S::kAnswered);
  EXPECT_EQ(t.votes, 3);
  EXPECT_EQ(t.sent_on, Date(2027, 1, 6));
  EXPECT_EQ(t.answer, "Done.");
  EXPECT_EQ(t.answered_on, Date(2027, 1, 15));
  std::vector<HistoryEntry> h = board_->History(ids[0]);
  EXPECT_NE(h.front().note.find("imported from Trello card 5f2b"),
            std::string::npos);
  // The origin once, on "created": the rows after it only say "imported".
  for (size_t i = 1; i + 1 < h.size(); ++i) {
    EXPECT_EQ(h[i].note, "imported") << h[i].field;
  }
  EXPECT_EQ(h.back().field, "comment");
  EXPECT_EQ(h.back().new_value, "Chased the Trust.");
  EXPECT_EQ(h.back().note, "2027-01-05T10:00:00Z by Jo");

  ImportedTicket merged = good;
  merged.state = S::kMerged;
  ExpectRefused([&] { board_->ImportTickets({merged}, "jo"); },
                "cards[0]: a ticket cannot be imported as merged: import the "
                "ticket it repeats and add its votes there");
}

// Hands items on one at a time, as an import that makes them while the
// board writes (ImportFeed); throws instead of the item at `give_up_at`.
class ItemFeed : public ImportFeed {
 public:
  explicit ItemFeed(std::vector<ImportedTicket> items,
                    std::optional<size_t> give_up_at = std::nullopt)
      : items_(std::move(items)), give_up_at_(give_up_at) {}
  std::optional<ImportedTicket> Next() override {
    if (give_up_at_ == next_) ThrowInvalid("the maker gave up");
    if (next_ == items_.size()) return std::nullopt;
    return items_[next_++];
  }

 private:
  std::vector<ImportedTicket> items_;
  std::optional<size_t> give_up_at_;
  size_t next_ = 0;
};

TEST_F(BoardTest, ImportFedOneAtATimeWritesWhatAllAtOnceWrites) {
  const std::vector<ImportedTicket> items = ImportItems(Sample());
  const std::vector<int64_t> at_once = board_->ImportTickets(items, "jo");
  ItemFeed feed(items);
  const std::vector<int64_t> fed =
      board_->ImportTickets(feed, items.size(), "jo", {});
  ASSERT_EQ(fed.size(), 3u);
  // The same tickets and history, under the next numbers.
  auto shown = [&](int64_t id) {
    const Ticket t = board_->Get(id);
    std::string s = t.title + "|" + TicketStateName(t.state) + "|" +
                    std::to_string(t.votes) + "|" + t.answer + "|" +
                    FormatIsoDate(t.raised_on);
    for (const HistoryEntry& h : board_->History(id)) {
      s += "\n" + h.at + " " + h.field + " " + h.old_value + " -> " +
           h.new_value + " (" + h.note + ")";
    }
    return s;
  };
  for (size_t i = 0; i < items.size(); ++i) {
    EXPECT_EQ(fed[i], at_once[i] + 3);
    EXPECT_EQ(shown(fed[i]), shown(at_once[i]));
  }
}

TEST_F(BoardTest, ImportFedOneAtATimeIsAllOrNothing) {
  std::vector<ImportedTicket> items = ImportItems(Sample());
  ExpectRefused(
      [&] {
        ItemFeed feed(items, 2);  // After two were written.
        board_->ImportTickets(feed, items.size(), "jo", {});
      },
      "the maker gave up");
  items[1].ticket.themes = {"parking"};
  ExpectRefused(
      [&] {
        ItemFeed feed(items);
        board_->ImportTickets(feed, items.size(), "jo", {});
      },
      std::string("cards[1]: unknown theme 'parking' (themes: ") + kThemes +
          ")");
}

// A number kept, a merge or a history carried need every item first.
TEST_F(BoardTest, ImportFedOneAtATimeRefusesWhatNeedsEveryItem) {
  for (int change = 0; change < 3; ++change) {
    std::vector<ImportedTicket> items = ImportItems(Sample());
    if (change == 0) items[2].number = 7;
    if (change == 1) items[2].merged_into_item = 0;
    if (change == 2) items[2].verbatim = true;
    ExpectRefused(
        [&] {
          ItemFeed feed(items);
          board_->ImportTickets(feed, items.size(), "jo", {});
        },
        "an item of an import fed one at a time needs the others first (it "
        "keeps a number, is merged or carries its history)",
        ErrorKind::kInternal);
  }
}

TEST_F(BoardTest, ImportKeepsRepeatsPausesAndForums) {
  ForumRecord forum;
  forum.area = "east-surrey";
  forum.held_on = Date(2027, 1, 4);
  forum.title = "Extra forum";
  ImportedTicket live;
  live.ticket = Sample("Survivor");
  live.forum_item = 0;
  live.extra_votes = 3;  // Its repeat's 2, and 1 at the forum.
  live.voted_at_items = {0};
  live.where = "cards[0]";
  ImportedTicket repeat;
  repeat.ticket = Sample("Repeat");
  repeat.ticket.raised_on = Date(2027, 1, 5);
  repeat.state = S::kMerged;
  repeat.merged_into_item = 0;
  repeat.extra_votes = 1;
  repeat.where = "cards[1]";
  ImportedTicket waiting;
  waiting.ticket = Sample("Waiting");
  waiting.ticket.raised_on = Date(2027, 1, 5);
  waiting.state = S::kWaitingForForum;
  waiting.paused_since = Date(2027, 1, 6);
  waiting.paused_working_days = 2;
  waiting.where = "cards[2]";

  const std::string today = FormatIsoDate(clock_.Today());
  struct Case {
    std::function<void(ImportedTicket&)> edit;
    std::string message;
  };
  const Case cases[] = {
      {[](ImportedTicket& r) { r.state = S::kRaised; },
       "cards[1]: only a merged ticket is merged into another, not one that "
       "is raised"},
      {[](ImportedTicket& r) { r.merged_into_item = 5; },
       "cards[1]: merged into item 6, which is not in the import"},
      {[](ImportedTicket& r) { r.merged_into_item = 1; },
       "cards[1]: merged into a ticket merged back into it"},
      {[](ImportedTicket& r) { r.decline_reason = "No."; },
       "cards[1]: a merged repeat cannot have a published answer or reason"},
      {[](ImportedTicket& r) { r.paused_since = Date(2027, 1, 6); },
       "cards[1]: only a ticket waiting for a forum is paused, not one that "
       "is merged"},
      {[](ImportedTicket& r) { r.paused_working_days = -1; },
       "cards[1]: paused working days must be at least 0, not -1"},
      {[](ImportedTicket& r) {
         r.voted_at_items = {0, 0};
       },
       "cards[1]: voted at more forums (2) than it has votes beyond the "
       "people who raised it (1)"},
      {[](ImportedTicket& r) { r.forum_item = 1; },
       "cards[1]: forum 2 is not in the import (it has 1)"},
  };
  for (const Case& c : cases) {
    ImportedTicket bad = repeat;
    c.edit(bad);
    ExpectRefused(
        [&] {
          board_->ImportTickets({live, bad}, "jo", {forum});
        },
        c.message);
  }
  ImportedTicket early = waiting;
  early.paused_since = Date(2027, 1, 1);
  ExpectRefused([&] { board_->ImportTickets({early}, "jo"); },
                "cards[2]: paused since 2027-01-01 is not between raised on "
                "(2027-01-05) and today (" +
                    today + ")");

  const std::vector<int64_t> ids =
      board_->ImportTickets({live, repeat, waiting}, "jo", {forum});
  ASSERT_EQ(ids.size(), 3u);
  const Ticket survivor = board_->Get(ids[0]);
  EXPECT_EQ(survivor.forum_id, board_->Forums().at(0).id);
  EXPECT_EQ(survivor.forum_ids, std::vector<int64_t>{*survivor.forum_id});
  EXPECT_EQ(survivor.votes, 4);
  EXPECT_EQ(board_->Get(ids[1]).merged_into, ids[0]);
  EXPECT_EQ(board_->Get(ids[1]).votes, 2);
  EXPECT_EQ(board_->Get(ids[2]).paused_since, Date(2027, 1, 6));
  EXPECT_EQ(board_->Get(ids[2]).paused_working_days, 2);
}

TEST_F(BoardTest, ImportLeavesTextsTheImporterScreenedAlone) {
  // An importer that screened the title, details and comments itself says
  // so; the board then trusts it for those texts. (A real importer never
  // passes an identifier on: this shows which texts the board skips.)
  ImportedTicket item;
  item.ticket = Sample("Imported one");
  item.ticket.raised_on = Date(2027, 1, 4);
  item.ticket.details = "Call 07700 900123.";
  item.comments = {{"2027-01-05T10:00:00Z by Jo", "Mail jo@example.com"}};
  item.where = "cards[0]";
  ExpectRefused([&] { board_->ImportTickets({item}, "jo"); },
                "cards[0]: details: line 1, column 6: looks like a phone "
                "number (07700 900123); tickets are about services, not "
                "people: remove it");
  item.texts_screened = true;
  ASSERT_EQ(board_->ImportTickets({item}, "jo").size(), 1u);

  // The answer, who answered and the reason are screened as always.
  ImportedTicket answered = item;
  answered.state = S::kAnswered;
  answered.sent_on = Date(2027, 1, 6);
  answered.answer = "Ring 07700 900123.";
  answered.answered_on = Date(2027, 1, 15);
  ExpectRefused([&] { board_->ImportTickets({answered}, "jo"); },
                "cards[0]: answer: line 1, column 6: looks like a phone "
                "number (07700 900123); tickets are about services, not "
                "people: remove it");
}

TEST_F(BoardTest, ImportRecordsOverridesEvenOfScreenedTexts) {
  // With the override the board screens every text again, to record what
  // the override let through.
  ImportedTicket item;
  item.ticket = Sample("Imported one");
  item.ticket.raised_on = Date(2027, 1, 4);
  item.ticket.details = "Call 07700 900123.";
  item.ticket.allow_identifiers = true;
  item.comments = {{"2027-01-05T10:00:00Z by Jo", "Mail jo@example.com"}};
  item.texts_screened = true;
  std::vector<int64_t> ids = board_->ImportTickets({item}, "jo");
  ASSERT_EQ(ids.size(), 1u);
  std::vector<std::string> overrides;
  for (const HistoryEntry& e : board_->History(ids[0])) {
    if (e.field == "screening-override") overrides.push_back(e.new_value);
  }
  EXPECT_EQ(overrides, (std::vector<std::string>{"details: phone number",
                                                 "note: e-mail address"}));
}

// ---------------------------------------------------------------------------
// Two processes at once.

TEST_F(BoardTest, TwoProcessesWritingAtOnceBothSucceed) {
  // The children open their own connections: none may cross the fork.
  board_.reset();
  store_.reset();
  constexpr int kPerChild = 200;
  RunInChildProcesses(2, [&](int c) {
    Store store(path_);
    FixedClock clock(Date(2027, 1, 20));
    Board board(store, config_, clock);
    for (int i = 0; i < kPerChild; ++i) {
      NewTicket n =
          Sample("Child " + std::to_string(c) + " ticket " + std::to_string(i));
      board.AddTicket(n, "child" + std::to_string(c));
      if (i % 10 == 0) board.List({});  // Readers in the mix too.
    }
  });
  Store store(path_);
  Board board(store, config_, clock_);
  std::vector<Ticket> all = board.List({});
  EXPECT_EQ(all.size(), 2u * kPerChild);
  std::set<std::string> titles;
  for (const Ticket& t : all) titles.insert(t.title);
  EXPECT_EQ(titles.size(), 2u * kPerChild);
  store.Read([](Connection& db) {
    EXPECT_EQ(testing::Int(db, "SELECT count(*) FROM history"), 2 * kPerChild);
  });
}

// Both processes find a brand-new file and create the schema at once.
TEST_F(BoardTest, TwoProcessesCreatingTheDatabaseAtOnce) {
  board_.reset();
  store_.reset();
  std::string fresh = dir_ + "/fresh.db";
  RunInChildProcesses(2, [&](int) {
    StoreOptions options;
    options.create_if_missing = true;
    Store store(fresh, options);
    FixedClock clock(Date(2027, 1, 20));
    Board board(store, config_, clock);
    for (int i = 0; i < 20; ++i) board.AddTicket(Sample(), "child");
  });
  Store store(fresh);
  EXPECT_EQ(store.schema_version(), CurrentSchemaVersion());
  EXPECT_EQ(Board(store, config_, clock_).List({}).size(), 40u);
}

// Areas, themes and teams match the way people type them (SameName) and
// are stored as configured, whoever calls the board: CLI, web API, import.
TEST_F(BoardTest, NamesInAnyCaseAreStoredAsConfigured) {
  const int64_t forum = AddForum("SURREY downs", Date(2027, 1, 12));
  EXPECT_EQ(board_->Forums().back().area, "surrey-downs");
  NewTicket n = Sample();
  n.area = "EAST SURREY";
  n.themes = {"Access", " CRISIS CARE "};
  n.team = "estates";
  n.forum_id = forum;
  const Ticket t = board_->Get(board_->AddTicket(n, "jo"));
  EXPECT_EQ(t.area, "east-surrey");
  EXPECT_EQ(t.themes, (std::vector<std::string>{"access", "crisis care"}));
  EXPECT_EQ(t.team, "Estates");
  TicketFilter f;
  f.area = "East-Surrey";
  f.theme = "ACCESS";
  f.team = "ESTATES";
  ASSERT_EQ(board_->List(f).size(), 1u);
  EXPECT_EQ(board_->List(f).front().id, t.id);
  // Only ASCII letters fold: a near miss is still unknown.
  n.team = "Estate";
  EXPECT_EQ(ErrorText([&] { board_->AddTicket(n, "jo"); }),
            "unknown team 'Estate' (teams: Community mental health, Crisis "
            "line, Estates)");
}

}  // namespace
}  // namespace focus
