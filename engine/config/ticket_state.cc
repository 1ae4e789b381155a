#include "focus/ticket_state.h"

#include "focus/text.h"

namespace focus {
namespace {

struct StateInfo {
  TicketState state;
  const char* name;
  const char* label;
  // Whether a person moves a ticket here directly: raised is where a ticket
  // starts, an answer makes it answered and a merge makes it merged.
  bool move_target;
};

// In board order.
constexpr StateInfo kStates[] = {
    {TicketState::kRaised, "raised", "Raised at a forum", false},
    {TicketState::kSentToTrust, "sent-to-trust", "Sent to the Trust", true},
    {TicketState::kInProgress, "in-progress", "You said, we are doing", true},
    {TicketState::kWaitingForForum, "waiting-for-forum",
     "Waiting for the forum to answer a question", true},
    {TicketState::kEscalated, "escalated", "Escalated to the Development Group",
     true},
    {TicketState::kAnswered, "answered", "You said, we did", false},
    {TicketState::kClosed, "closed", "Closed", true},
    {TicketState::kDeclined, "declined", "Declined", true},
    {TicketState::kMerged, "merged", "Merged into another ticket", false},
};

const StateInfo* Find(TicketState s) {
  for (const StateInfo& i : kStates) {
    if (i.state == s) return &i;
  }
  return nullptr;
}

}  // namespace

const std::vector<TicketState>& AllTicketStates() {
  static const std::vector<TicketState> kAll = [] {
    std::vector<TicketState> all;
    for (const StateInfo& i : kStates) all.push_back(i.state);
    return all;
  }();
  return kAll;
}

std::vector<TicketState> PlainTicketStates() {
  std::vector<TicketState> out;
  for (TicketState s : AllTicketStates()) {
    if (s != TicketState::kMerged) out.push_back(s);
  }
  return out;
}

std::vector<TicketState> MoveTargetStates() {
  std::vector<TicketState> out;
  for (const StateInfo& i : kStates) {
    if (i.move_target) out.push_back(i.state);
  }
  return out;
}

std::string TicketStateNames(const std::vector<TicketState>& states) {
  std::vector<std::string> names;
  for (TicketState s : states) names.push_back(TicketStateName(s));
  return Join(names, ", ");
}

const char* TicketStateName(TicketState s) {
  const StateInfo* i = Find(s);
  return i ? i->name : "unknown";
}

std::optional<TicketState> ParseTicketState(const std::string& name) {
  for (const StateInfo& i : kStates) {
    if (name == i.name) return i.state;
  }
  return std::nullopt;
}

const char* TicketStateLabel(TicketState s) {
  const StateInfo* i = Find(s);
  return i ? i->label : "Unknown";
}

}  // namespace focus
