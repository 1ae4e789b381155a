// The board's vocabulary (verdicts, the moves between states) and its
// reads: tickets, their histories, forums and filtered lists.
#include "focus/board.h"

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "board_internal.h"
#include "focus/error.h"
#include "focus/text.h"

namespace focus {

using board_internal::CheckForumExists;
using board_internal::FindTicket;
using board_internal::LoadForums;
using board_internal::LoadTickets;
using board_internal::LoadVerdictRecords;
using board_internal::ResolveArea;
using board_internal::ResolveTeam;
using board_internal::ResolveTheme;
using board_internal::RoundRange;
using board_internal::StartOfLondonDayUtc;

namespace {

constexpr std::pair<Verdict, const char*> kVerdicts[] = {
    {Verdict::kConfirmed, "confirmed"},
    {Verdict::kNotYet, "not-yet"},
    {Verdict::kDisputed, "disputed"},
};

}  // namespace

const char* VerdictName(Verdict v) {
  for (const auto& [verdict, name] : kVerdicts) {
    if (verdict == v) return name;
  }
  return "unknown";
}

std::optional<Verdict> ParseVerdict(const std::string& name) {
  for (const auto& [verdict, n] : kVerdicts) {
    if (name == n) return verdict;
  }
  return std::nullopt;
}

bool AwaitsVerdict(const Ticket& t) {
  if (t.answer.empty() || !t.answered_on) return false;
  if (t.state == TicketState::kMerged) return false;
  return !t.reopened_on || *t.answered_on >= *t.reopened_on;
}

std::string PublicAnswerer(const Config& config, const Ticket& t) {
  return t.team.empty() ? config.organisation : t.team;
}

bool IsAllowedMove(TicketState from, TicketState to) {
  using S = TicketState;
  switch (from) {
    case S::kRaised:
      return to == S::kSentToTrust || to == S::kEscalated;
    case S::kSentToTrust:
      return to == S::kInProgress || to == S::kWaitingForForum ||
             to == S::kEscalated || to == S::kDeclined;
    case S::kInProgress:
      return to == S::kWaitingForForum || to == S::kEscalated ||
             to == S::kDeclined;
    case S::kWaitingForForum:
      return to == S::kSentToTrust || to == S::kInProgress ||
             to == S::kEscalated;
    case S::kEscalated:
      return to == S::kSentToTrust || to == S::kInProgress ||
             to == S::kDeclined;
    case S::kAnswered:
      return to == S::kClosed || to == S::kInProgress;
    case S::kClosed:
    case S::kDeclined:
    case S::kMerged:
      return false;  // Final.
  }
  return false;
}

Board::Board(Store& store, const Config& config, const Clock& clock)
    : store_(store), config_(config), clock_(clock) {}

std::vector<ForumRecord> Board::Forums() const {
  std::vector<ForumRecord> forums;
  store_.Read([&](Connection& db) { forums = LoadForums(db, std::nullopt); });
  return forums;
}

std::vector<ForumRecord> Board::ForumsAsOf(Date as_of) const {
  std::vector<ForumRecord> forums;
  store_.Read([&](Connection& db) {
    forums = LoadForums(db, std::nullopt, EndOfLondonDayUtc(as_of));
  });
  return forums;
}

ForumRecord Board::GetForum(int64_t id) const {
  std::vector<ForumRecord> forums;
  store_.Read([&](Connection& db) { forums = LoadForums(db, id); });
  if (forums.empty()) ThrowInvalid("no forum #" + std::to_string(id), "forum");
  return forums.front();
}

Ticket Board::Get(int64_t id) const {
  std::optional<Ticket> t;
  store_.Read([&](Connection& db) { t = FindTicket(db, id); });
  if (!t) ThrowNotFound("no ticket #" + std::to_string(id));
  return std::move(*t);
}

std::vector<HistoryEntry> Board::History(int64_t id) const {
  std::vector<HistoryEntry> entries;
  bool found = false;
  store_.Read([&](Connection& db) {
    TicketsRepository tickets(db);
    found = tickets.Exists(id);
    if (!found) return;
    for (HistoryRow& row : tickets.HistoryOfFamily(id)) {
      HistoryEntry e;
      e.id = row.id;
      e.ticket_id = row.ticket_id;
      e.at = std::move(row.at);
      e.actor = std::move(row.actor);
      e.field = std::move(row.field);
      e.old_value = std::move(row.old_value);
      e.new_value = std::move(row.new_value);
      e.note = std::move(row.note);
      entries.push_back(std::move(e));
    }
  });
  if (!found) ThrowNotFound("no ticket #" + std::to_string(id));
  return entries;
}

std::vector<VoteRecord> Board::Votes(int64_t id) const {
  std::vector<VoteRecord> votes;
  bool found = false;
  store_.Read([&](Connection& db) {
    TicketsRepository tickets(db);
    found = tickets.Exists(id);
    if (!found) return;
    for (VoteRow& row : tickets.VotesOf(id)) {
      VoteRecord v;
      v.id = row.id;
      v.forum_id = row.forum_id;
      v.count = static_cast<int>(row.count);
      v.note = std::move(row.note);
      v.at = std::move(row.at);
      v.actor = std::move(row.actor);
      votes.push_back(std::move(v));
    }
  });
  if (!found) ThrowNotFound("no ticket #" + std::to_string(id));
  return votes;
}

std::vector<VerdictRecord> Board::Verdicts(int64_t id) const {
  std::vector<VerdictRecord> verdicts;
  store_.Read([&](Connection& db) { verdicts = LoadVerdictRecords(db, id); });
  return verdicts;
}

std::vector<Ticket> Board::List(const TicketFilter& filter) const {
  if (filter.as_of) return ListAsOf(filter);
  TicketQuery query;
  if (filter.since) query.changed_since = StartOfLondonDayUtc(*filter.since);
  if (filter.state) query.state = TicketStateName(*filter.state);
  query.exclude_merged =
      !filter.include_merged && filter.state != TicketState::kMerged;
  if (!filter.area.empty()) {
    query.area = ResolveArea(config_, filter.area, "a filter");
  }
  if (!filter.theme.empty()) query.theme = ResolveTheme(config_, filter.theme);
  if (!filter.team.empty()) query.team = ResolveTeam(config_, filter.team);
  query.forum_id = filter.forum_id;
  if (!filter.round.empty()) {
    auto [first, next] = RoundRange(config_, Trim(filter.round));
    query.held_in = {FormatIsoDate(first), FormatIsoDate(next)};
  }
  query.by_votes = filter.by_votes;
  std::vector<Ticket> tickets;
  store_.Read([&](Connection& db) {
    if (filter.forum_id) CheckForumExists(db, *filter.forum_id);
    tickets = LoadTickets(db, query);
  });
  return tickets;
}

}  // namespace focus
