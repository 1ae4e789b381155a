// focus/ticket_state.h: one table of states, names and labels.
#include "focus/ticket_state.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace focus {
namespace {

using S = TicketState;

TEST(TicketStateTest, NamesAndLabelsInBoardOrder) {
  const struct {
    S state;
    const char* name;
    const char* label;
  } kCases[] = {
      {S::kRaised, "raised", "Raised at a forum"},
      {S::kSentToTrust, "sent-to-trust", "Sent to the Trust"},
      {S::kInProgress, "in-progress", "You said, we are doing"},
      {S::kWaitingForForum, "waiting-for-forum",
       "Waiting for the forum to answer a question"},
      {S::kEscalated, "escalated", "Escalated to the Development Group"},
      {S::kAnswered, "answered", "You said, we did"},
      {S::kClosed, "closed", "Closed"},
      {S::kDeclined, "declined", "Declined"},
      {S::kMerged, "merged", "Merged into another ticket"},
  };
  std::vector<S> order;
  for (const auto& c : kCases) {
    EXPECT_STREQ(TicketStateName(c.state), c.name);
    EXPECT_STREQ(TicketStateLabel(c.state), c.label);
    EXPECT_EQ(ParseTicketState(c.name), c.state);
    order.push_back(c.state);
  }
  EXPECT_EQ(AllTicketStates(), order);
}

TEST(TicketStateTest, UnknownNamesAreNotStates) {
  for (const char* name : {"", "Raised", "sent to trust", "open", "merged "}) {
    EXPECT_EQ(ParseTicketState(name), std::nullopt) << name;
  }
}

TEST(TicketStateTest, PlainStatesAreAllButMerged) {
  std::vector<S> plain = AllTicketStates();
  plain.pop_back();
  EXPECT_EQ(AllTicketStates().back(), S::kMerged);
  EXPECT_EQ(PlainTicketStates(), plain);
}

TEST(TicketStateTest, MoveTargetsLeaveOutWhatOtherOperationsReach) {
  EXPECT_EQ(
      MoveTargetStates(),
      (std::vector<S>{S::kSentToTrust, S::kInProgress, S::kWaitingForForum,
                      S::kEscalated, S::kClosed, S::kDeclined}));
  EXPECT_EQ(TicketStateNames(MoveTargetStates()),
            "sent-to-trust, in-progress, waiting-for-forum, escalated, "
            "closed, declined");
  EXPECT_EQ(TicketStateNames({}), "");
}

}  // namespace
}  // namespace focus
