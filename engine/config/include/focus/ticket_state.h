// The states a ticket moves through, named once for the board, the
// configuration (which Trello list stands for which state), Trello and the
// web pages.
//
//   raised -> sent-to-trust -> answered -> closed   ("you said, we did")
//   in-progress                                     ("you said, we are doing")
//   declined (reason published), escalated (to the Development Group),
//   waiting-for-forum (the Trust asked the forum a question; the response
//   clock pauses), merged (a repeat folded into another ticket).
#ifndef FOCUS_TICKET_STATE_H_
#define FOCUS_TICKET_STATE_H_

#include <optional>
#include <string>
#include <vector>

namespace focus {

enum class TicketState {
  kRaised,
  kSentToTrust,
  kInProgress,
  kWaitingForForum,
  kEscalated,
  kAnswered,
  kClosed,
  kDeclined,
  kMerged,
};

// Every state in board order: the order of the board's columns and of the
// "allowed: ..." lists in messages. kMerged is last.
const std::vector<TicketState>& AllTicketStates();

// The states a ticket can be put in directly, e.g. by a Trello list: all but
// kMerged, which needs the ticket it is merged into.
std::vector<TicketState> PlainTicketStates();

// The states a person moves a ticket to directly (`Board::Move`): all but
// raised, answered and merged, which other operations reach.
std::vector<TicketState> MoveTargetStates();

// The states' names joined with ", ", for messages and help text.
std::string TicketStateNames(const std::vector<TicketState>& states);

// "raised", "sent-to-trust", "in-progress", "waiting-for-forum", "escalated",
// "answered", "closed", "declined", "merged".
const char* TicketStateName(TicketState s);
std::optional<TicketState> ParseTicketState(const std::string& name);
// Plain words for people: "Sent to the Trust", "You said, we did", ...
const char* TicketStateLabel(TicketState s);

}  // namespace focus

#endif  // FOCUS_TICKET_STATE_H_
