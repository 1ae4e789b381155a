#include "focus/ticket_state.h"

namespace focus {
namespace {

struct StateInfo {
  TicketState state;
  const char* name;
  const char* label;
};

// In board order.
constexpr StateInfo kStates[] = {
    {TicketState::kRaised, "raised", "Raised at a forum"},
    {TicketState::kSentToTrust, "sent-to-trust", "Sent to the Trust"},
    {TicketState::kInProgress, "in-progress", "You said, we are doing"},
    {TicketState::kWaitingForForum, "waiting-for-forum",
     "Waiting for the forum to answer a question"},
    {TicketState::kEscalated, "escalated",
     "Escalated to the Development Group"},
    {TicketState::kAnswered, "answered", "You said, we did"},
    {TicketState::kClosed, "closed", "Closed"},
    {TicketState::kDeclined, "declined", "Declined"},
    {TicketState::kMerged, "merged", "Merged into another ticket"},
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
