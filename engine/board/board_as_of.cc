// The board as it stood at the end of a day (Board::AsOf), and what was
// recorded when: today's rows with later changes undone from the history.
#include <algorithm>
#include <charconv>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <system_error>
#include <unordered_map>
#include <utility>
#include <vector>

#include "board_internal.h"
#include "focus/error.h"
#include "focus/text.h"

namespace focus {

using board_internal::LoadTickets;
using board_internal::ResolveArea;
using board_internal::ResolveTeam;
using board_internal::ResolveTheme;
using board_internal::RoundRange;
using board_internal::Shown;
using board_internal::StartOfLondonDayUtc;
using board_internal::StoredDate;
using board_internal::StoredState;

namespace {

int StoredCount(const std::string& text, const Ticket& t, const char* what) {
  int n = 0;
  const auto [end, ec] =
      std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc() || end != text.data() + text.size() || n < 0) {
    ThrowIo("the board database is damaged: the history of #" +
            std::to_string(t.id) + " has " + what + " '" + Shown(text) +
            "', not a count");
  }
  return n;
}

std::optional<Date> StoredOptionalDate(const std::string& text, const Ticket& t,
                                       const char* what) {
  if (text.empty()) return std::nullopt;
  return StoredDate(text, t.id, what);
}

// Each history field that records a change of a ticket column, and how to
// put back the value an entry replaced. Other entries (created, merged,
// comment, screening-override) change no column.
struct UndoableField {
  const char* field;
  void (*undo)(Ticket& t, const std::string& old_value);
};

constexpr UndoableField kUndoable[] = {
    {"state",
     [](Ticket& t, const std::string& v) { t.state = StoredState(v, t.id); }},
    {"votes",
     [](Ticket& t, const std::string& v) {
       t.votes = StoredCount(v, t, "votes");
     }},
    {"merged-into",
     [](Ticket& t, const std::string& v) {
       t.merged_into =
           v.empty() ? std::nullopt
                     : std::optional<int64_t>(StoredCount(v, t, "merged into"));
     }},
    {"sent-on",
     [](Ticket& t, const std::string& v) {
       t.sent_on = StoredOptionalDate(v, t, "sent_on");
     }},
    {"answer", [](Ticket& t, const std::string& v) { t.answer = v; }},
    {"answered-by", [](Ticket& t, const std::string& v) { t.answered_by = v; }},
    {"answered-on",
     [](Ticket& t, const std::string& v) {
       t.answered_on = StoredOptionalDate(v, t, "answered_on");
     }},
    {"decline-reason",
     [](Ticket& t, const std::string& v) { t.decline_reason = v; }},
    {"declined-on",
     [](Ticket& t, const std::string& v) {
       t.declined_on = StoredOptionalDate(v, t, "declined_on");
     }},
    {"paused-working-days",
     [](Ticket& t, const std::string& v) {
       t.paused_working_days = StoredCount(v, t, "paused working days");
     }},
    {"paused-since",
     [](Ticket& t, const std::string& v) {
       t.paused_since = StoredOptionalDate(v, t, "paused_since");
     }},
    {"reopened-on",
     [](Ticket& t, const std::string& v) {
       t.reopened_on = StoredOptionalDate(v, t, "reopened_on");
     }},
};

const UndoableField* FindUndoable(const std::string& field) {
  for (const UndoableField& f : kUndoable) {
    if (field == f.field) return &f;
  }
  return nullptr;
}

// Undoes, field by field, the changes recorded at or after `cutoff`: the
// first such entry of a field holds the value the field had before them.
void UndoChangesFrom(TicketsRepository& repo, const std::string& cutoff,
                     std::vector<Ticket>& tickets,
                     const std::unordered_map<int64_t, size_t>& index) {
  std::set<std::pair<int64_t, const UndoableField*>> undone;
  for (const TicketsRepository::FieldChange& c : repo.ChangesFrom(cutoff)) {
    auto it = index.find(c.ticket_id);
    if (it == index.end()) continue;  // Created after the cutoff.
    const UndoableField* f = FindUndoable(c.field);
    if (f == nullptr || !undone.emplace(it->first, f).second) continue;
    f->undo(tickets[it->second], c.old_value);
  }
}

// Drops the verdicts recorded at or after `cutoff`.
void DropVerdictsFrom(TicketsRepository& repo, const std::string& cutoff,
                      std::vector<Ticket>& tickets,
                      const std::unordered_map<int64_t, size_t>& index) {
  for (const std::pair<int64_t, int64_t>& dropped : repo.VerdictsFrom(cutoff)) {
    auto it = index.find(dropped.first);
    if (it == index.end()) continue;
    const int64_t id = dropped.second;
    std::vector<ForumVerdict>& v = tickets[it->second].verdicts;
    v.erase(std::remove_if(v.begin(), v.end(),
                           [&](const ForumVerdict& x) { return x.id == id; }),
            v.end());
  }
}

// The forums that raised or voted for each ticket by `cutoff`, those of its
// merged repeats (as merged by then) included, as LoadTickets gathers them
// for today.
void GatherForumsBefore(TicketsRepository& repo, const std::string& cutoff,
                        std::vector<Ticket>& tickets,
                        const std::unordered_map<int64_t, size_t>& index) {
  std::vector<std::vector<int64_t>> own(tickets.size());
  for (size_t i = 0; i < tickets.size(); ++i) {
    if (tickets[i].forum_id) own[i].push_back(*tickets[i].forum_id);
    tickets[i].forum_ids.clear();
  }
  for (const auto& [ticket, forum] : repo.ForumVotesBefore(cutoff)) {
    auto it = index.find(ticket);
    if (it != index.end()) own[it->second].push_back(forum);
  }
  for (size_t i = 0; i < tickets.size(); ++i) {
    // Up the chain of merges; no longer than the board, whatever the data.
    size_t at = i;
    for (size_t steps = 0; steps <= tickets.size(); ++steps) {
      std::vector<int64_t>& into = tickets[at].forum_ids;
      into.insert(into.end(), own[i].begin(), own[i].end());
      const std::optional<int64_t> up = tickets[at].merged_into;
      auto it = up ? index.find(*up) : index.end();
      if (it == index.end()) break;
      at = it->second;
    }
  }
  for (Ticket& t : tickets) {
    std::sort(t.forum_ids.begin(), t.forum_ids.end());
    t.forum_ids.erase(std::unique(t.forum_ids.begin(), t.forum_ids.end()),
                      t.forum_ids.end());
  }
}

}  // namespace

namespace board_internal {

std::string StartOfLondonDayUtc(Date d) {
  return EndOfLondonDayUtc(d - boost::gregorian::days(1));
}

}  // namespace board_internal

// List's filters, applied in memory to the board as it stood then: the
// same names resolve the same way, and a forum counts as List counts it
// (raised there, voted there, or through a merged repeat: forum_ids).
std::vector<Ticket> Board::ListAsOf(const TicketFilter& filter) const {
  const std::string area =
      filter.area.empty() ? "" : ResolveArea(config_, filter.area, "a filter");
  const std::string theme =
      filter.theme.empty() ? "" : ResolveTheme(config_, filter.theme);
  const std::string team =
      filter.team.empty() ? "" : ResolveTeam(config_, filter.team);
  std::optional<std::pair<Date, Date>> round;
  if (!filter.round.empty()) round = RoundRange(config_, Trim(filter.round));
  std::map<int64_t, Date> held_on;
  for (const ForumRecord& f : ForumsAsOf(*filter.as_of))
    held_on[f.id] = f.held_on;
  if (filter.forum_id && held_on.count(*filter.forum_id) == 0) {
    ThrowInvalid("no forum #" + std::to_string(*filter.forum_id), "forum");
  }
  auto keep = [&](const Ticket& t) {
    const bool merged = t.state == TicketState::kMerged;
    if (filter.state ? t.state != *filter.state
                     : merged && !filter.include_merged) {
      return false;
    }
    if (!area.empty() && t.area != area) return false;
    if (!theme.empty() &&
        std::find(t.themes.begin(), t.themes.end(), theme) == t.themes.end()) {
      return false;
    }
    if (!team.empty() && t.team != team) return false;
    if (filter.forum_id && std::find(t.forum_ids.begin(), t.forum_ids.end(),
                                     *filter.forum_id) == t.forum_ids.end()) {
      return false;
    }
    if (round) {
      auto forum = t.forum_id ? held_on.find(*t.forum_id) : held_on.end();
      const Date d = forum != held_on.end() ? forum->second : t.raised_on;
      if (d < round->first || d >= round->second) return false;
    }
    return true;
  };
  std::vector<int64_t> changed;
  if (filter.since) changed = ChangedBetween(*filter.since, *filter.as_of);
  std::vector<Ticket> out;
  for (Ticket& t : AsOf(*filter.as_of)) {
    if (filter.since &&
        !std::binary_search(changed.begin(), changed.end(), t.id)) {
      continue;
    }
    if (keep(t)) out.push_back(std::move(t));
  }
  if (filter.by_votes) {
    std::stable_sort(
        out.begin(), out.end(),
        [](const Ticket& a, const Ticket& b) { return a.votes > b.votes; });
  }
  return out;
}

std::vector<Ticket> Board::AsOf(Date as_of) const {
  const std::string cutoff = EndOfLondonDayUtc(as_of);
  TicketQuery query;
  query.created_before = cutoff;
  std::vector<Ticket> tickets;
  store_.Read([&](Connection& db) {
    tickets = LoadTickets(db, query);
    std::unordered_map<int64_t, size_t> index;
    for (size_t i = 0; i < tickets.size(); ++i) index[tickets[i].id] = i;
    TicketsRepository repo(db);
    UndoChangesFrom(repo, cutoff, tickets, index);
    GatherForumsBefore(repo, cutoff, tickets, index);
    DropVerdictsFrom(repo, cutoff, tickets, index);
  });
  return tickets;
}

bool Board::ChangedAfter(Date as_of) const {
  bool changed = false;
  store_.Read([&](Connection& db) {
    changed = TicketsRepository(db).ChangedFrom(EndOfLondonDayUtc(as_of));
  });
  return changed;
}

std::vector<int64_t> Board::ChangedBetween(Date since, Date until) const {
  std::vector<int64_t> ids;
  store_.Read([&](Connection& db) {
    ids = TicketsRepository(db).ChangedBetween(StartOfLondonDayUtc(since),
                                               EndOfLondonDayUtc(until));
  });
  return ids;
}

}  // namespace focus
