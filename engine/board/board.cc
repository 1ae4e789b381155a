// The board's vocabulary (verdicts, the moves between states) and its
// reads: tickets, their histories, forums and filtered lists.
#include "focus/board.h"

#include <SQLiteCpp/SQLiteCpp.h>

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
using board_internal::ResolveArea;
using board_internal::ResolveTeam;
using board_internal::ResolveTheme;
using board_internal::RoundRange;
using board_internal::SqlWhere;
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
    SQLite::Statement exists(db, "SELECT 1 FROM tickets WHERE id = ?");
    exists.bind(1, id);
    found = exists.executeStep();
    if (!found) return;
    SQLite::Statement q(
        db,
        "WITH RECURSIVE fam(id) AS (SELECT ?"
        "  UNION SELECT m.id FROM tickets m JOIN fam ON m.merged_into = fam.id)"
        " SELECT h.id, h.ticket_id, h.at, h.actor, h.field, h.old_value,"
        "  h.new_value, h.note FROM history h"
        " WHERE h.ticket_id IN (SELECT id FROM fam) ORDER BY h.id");
    q.bind(1, id);
    while (q.executeStep()) {
      HistoryEntry e;
      e.id = q.getColumn(0).getInt64();
      e.ticket_id = q.getColumn(1).getInt64();
      e.at = q.getColumn(2).getString();
      e.actor = q.getColumn(3).getString();
      e.field = q.getColumn(4).getString();
      e.old_value = q.getColumn(5).getString();
      e.new_value = q.getColumn(6).getString();
      e.note = q.getColumn(7).getString();
      entries.push_back(std::move(e));
    }
  });
  if (!found) ThrowNotFound("no ticket #" + std::to_string(id));
  return entries;
}

std::vector<Ticket> Board::List(const TicketFilter& filter) const {
  if (filter.as_of) return ListAsOf(filter);
  SqlWhere where;
  if (filter.since) {
    where.terms.push_back(
        "t.id IN (SELECT ticket_id FROM history WHERE at >= ?)");
    where.binds.emplace_back(StartOfLondonDayUtc(*filter.since));
  }
  if (filter.state) {
    where.terms.push_back("t.state = ?");
    where.binds.emplace_back(std::string(TicketStateName(*filter.state)));
  }
  if (!filter.include_merged && filter.state != TicketState::kMerged) {
    where.terms.push_back("t.state <> 'merged'");
  }
  if (!filter.area.empty()) {
    where.terms.push_back("t.area = ?");
    where.binds.emplace_back(ResolveArea(config_, filter.area, "a filter"));
  }
  if (!filter.theme.empty()) {
    // IN (uncorrelated) runs the subquery once, not once per ticket.
    where.terms.push_back(
        "t.id IN (SELECT ticket_id FROM ticket_themes WHERE theme = ?)");
    where.binds.emplace_back(ResolveTheme(config_, filter.theme));
  }
  if (!filter.team.empty()) {
    where.terms.push_back("t.team = ?");
    where.binds.emplace_back(ResolveTeam(config_, filter.team));
  }
  if (filter.forum_id) {
    // Raised or voted at the forum, itself or through a merged repeat.
    where.terms.push_back(
        "t.id IN (WITH RECURSIVE up(id) AS ("
        "  SELECT id FROM tickets WHERE forum_id = ?"
        "  UNION SELECT ticket_id FROM votes WHERE forum_id = ?"
        "  UNION SELECT m.merged_into FROM tickets m JOIN up ON m.id = up.id"
        "    WHERE m.merged_into IS NOT NULL)"
        " SELECT id FROM up)");
    where.binds.emplace_back(*filter.forum_id);
    where.binds.emplace_back(*filter.forum_id);
  }
  if (!filter.round.empty()) {
    auto [first, next] = RoundRange(config_, Trim(filter.round));
    // The forum's date, or the ticket's own when it has no forum.
    where.terms.push_back(
        "t.forum_id IN (SELECT id FROM forums WHERE held_on >= ? AND held_on "
        "< ?) OR (t.forum_id IS NULL AND t.raised_on >= ? AND t.raised_on < "
        "?)");
    for (int i = 0; i < 2; ++i) {
      where.binds.emplace_back(FormatIsoDate(first));
      where.binds.emplace_back(FormatIsoDate(next));
    }
  }
  std::vector<Ticket> tickets;
  store_.Read([&](Connection& db) {
    if (filter.forum_id) CheckForumExists(db, *filter.forum_id);
    tickets = LoadTickets(db, where, filter.by_votes);
  });
  return tickets;
}

}  // namespace focus
