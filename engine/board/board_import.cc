// Tickets carried over from another board (Board::ImportTickets), with the
// state, dates, answers and comments they already have there.
#include <algorithm>
#include <cstdint>
#include <exception>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "board_internal.h"
#include "focus/error.h"
#include "focus/forums_repository.h"
#include "focus/local_time.h"
#include "focus/text.h"

namespace focus {

using board_internal::CheckActor;
using board_internal::CheckedForum;
using board_internal::CheckedTicket;
using board_internal::CheckForum;
using board_internal::CheckImportedTicket;
using board_internal::CreatedNote;
using board_internal::InsertForum;
using board_internal::InsertTicket;
using board_internal::InsertTicketRow;
using board_internal::InsertVotes;
using board_internal::KnownColumns;
using board_internal::Shown;
using board_internal::StartOfLondonDayUtc;
using board_internal::Writer;

namespace {

// The state and dates `item` already has elsewhere go into the new row at
// once (an UPDATE each would cost more than the insert), and into the
// history as changes made after its creation.
KnownColumns KnownColumnsOf(const ImportedTicket& item, Date today) {
  KnownColumns known;
  if (item.sent_on) known.sent_on = FormatIsoDate(*item.sent_on);
  known.answer = Trim(item.answer);
  known.answered_by = Trim(item.answered_by);
  if (item.answered_on) {
    known.answered_on = FormatIsoDate(*item.answered_on);
  }
  known.decline_reason = Trim(item.decline_reason);
  if (item.declined_on) {
    known.declined_on = FormatIsoDate(*item.declined_on);
  }
  // Its wait starts now unless the other board says when it started.
  if (item.state == TicketState::kWaitingForForum) {
    known.paused_since = FormatIsoDate(item.paused_since.value_or(today));
  }
  return known;
}

// The id forum `i` of the import was recorded under.
int64_t ForumIdOf(const std::vector<int64_t>& forum_ids, size_t i) {
  if (i >= forum_ids.size()) {
    ThrowInvalid("forum " + std::to_string(i + 1) +
                 " is not in the import (it has " +
                 std::to_string(forum_ids.size()) + ")");
  }
  return forum_ids[i];
}

// The note on the rows an import writes after a ticket's "created" row,
// whose note names where it came from: once a ticket, not on every row.
constexpr char kImportedNote[] = "imported";

// The votes beyond the people who raised ticket `id`: one at each forum it
// was voted at (which forums is what the board keeps of them), the rest at
// none.
void AddExtraVotes(Writer& w, int64_t id, const ImportedTicket& item,
                   const std::vector<int64_t>& forum_ids) {
  const int at_forums = static_cast<int>(item.voted_at_items.size());
  if (item.extra_votes < at_forums) {
    ThrowInvalid("voted at more forums (" + std::to_string(at_forums) +
                 ") than it has votes beyond the people who raised it (" +
                 std::to_string(item.extra_votes) + ")");
  }
  const std::string note = kImportedNote;
  for (size_t i : item.voted_at_items) {
    InsertVotes(w, id, ForumIdOf(forum_ids, i), 1, note);
  }
  if (item.extra_votes > at_forums) {
    InsertVotes(w, id, std::nullopt, item.extra_votes - at_forums, note);
  }
}

// The history of ticket `id` after its creation: what it already had, its
// comments and what the other board keeps that a ticket has no column for.
void RecordImportedHistory(Writer& w, int64_t id, const ImportedTicket& item,
                           const KnownColumns& known) {
  const std::string from = kImportedNote;
  auto text = [](const std::string& v) {
    return v.empty() ? std::nullopt : std::optional<std::string>(v);
  };
  const std::pair<const char*, std::optional<std::string>> changes[] = {
      {"sent-on", known.sent_on},
      {"answer", text(known.answer)},
      {"answered-by", text(known.answered_by)},
      {"answered-on", known.answered_on},
      {"decline-reason", text(known.decline_reason)},
      {"declined-on", known.declined_on},
  };
  for (const auto& [field, value] : changes) {
    if (value) w.History(id, field, "", *value, from);
  }
  if (item.state != TicketState::kRaised) {
    w.History(id, "state", TicketStateName(TicketState::kRaised),
              TicketStateName(item.state), from);
  }
  if (known.paused_since) {
    w.History(id, "paused-since", "", *known.paused_since,
              "response clock paused");
  }
  if (item.paused_working_days > 0) {
    w.SetInt(id, TicketColumn::kPausedWorkingDays, "paused-working-days", 0,
             item.paused_working_days, from);
  }
  for (const auto& [when_who, text] : item.comments) {
    w.History(id, "comment", "", text, when_who);
  }
  for (const ImportedTicket::Extra& e : item.extras) {
    w.History(id, e.field, "", e.value, e.note);
  }
}

// The number kept for `number`, refused if the board has it already.
void CheckNumberFree(Writer& w, int64_t number) {
  if (w.tickets().Exists(number)) {
    ThrowConflict("ticket #" + std::to_string(number) +
                  " is already on this board; a focus export keeps its "
                  "ticket numbers (its history names them), so import it "
                  "into a board without them");
  }
}

// Checks and writes one imported ticket; returns its id. `forum_ids`: the
// ids the import's forums were recorded under.
int64_t ImportOne(Writer& w, const Config& config, const ImportedTicket& in,
                  const std::vector<int64_t>& forum_ids) {
  std::optional<ImportedTicket> at_forum;  // A copy only when it needs one.
  if (in.forum_item) {
    at_forum = in;
    at_forum->ticket.forum_id = ForumIdOf(forum_ids, *in.forum_item);
  }
  const ImportedTicket& item = at_forum ? *at_forum : in;
  CheckedTicket c = CheckImportedTicket(w.db(), config, w.today(), item);
  KnownColumns known = KnownColumnsOf(item, w.today());
  if (item.number) CheckNumberFree(w, *item.number);
  known.number = item.number;
  const int votes = c.raised_by + item.extra_votes;
  if (item.verbatim) {
    if (!item.history.empty()) known.created_at = item.history.front().at;
    if (item.reopened_on) known.reopened_on = FormatIsoDate(*item.reopened_on);
    const int64_t id = InsertTicketRow(w, c, item.state, votes, known);
    if (item.paused_working_days > 0) {
      w.tickets().Set(id, TicketColumn::kPausedWorkingDays,
                      static_cast<int64_t>(item.paused_working_days));
    }
    return id;
  }
  std::string note = CreatedNote(c);
  if (!item.origin.empty()) note += "; imported from " + item.origin;
  int64_t id = InsertTicket(w, c, item.state, votes, note, known);
  AddExtraVotes(w, id, item, forum_ids);
  RecordImportedHistory(w, id, item, known);
  return id;
}

// How errors name item `i`.
std::string WhereOf(const std::vector<ImportedTicket>& items, size_t i) {
  return items[i].where.empty() ? "item " + std::to_string(i + 1)
                                : items[i].where;
}

// ImportOne for items[i], its errors naming it.
int64_t ImportItem(Writer& w, const Config& config,
                   const std::vector<ImportedTicket>& items, size_t i,
                   const std::vector<int64_t>& forum_ids) {
  try {
    return ImportOne(w, config, items[i], forum_ids);
  } catch (const Error& e) {
    throw Error(e.kind(), WhereOf(items, i) + ": " + e.what());
  }
}

// Points each merged item at the ticket made of the item it was merged
// into, once every item has its id; the survivor's votes already count the
// repeat's, as after Merge.
void LinkMergedItems(Writer& w, const std::vector<ImportedTicket>& items,
                     const std::vector<int64_t>& ids) {
  for (size_t i = 0; i < items.size(); ++i) {
    if (!items[i].merged_into_item) continue;
    const std::string where = WhereOf(items, i) + ": ";
    // A chain of repeats must end at a live ticket, not loop.
    size_t at = i;
    for (size_t steps = 0; items[at].merged_into_item; ++steps) {
      at = *items[at].merged_into_item;
      if (at >= items.size()) {
        ThrowInvalid(where + "merged into item " + std::to_string(at + 1) +
                     ", which is not in the import");
      }
      if (at == i || steps == items.size()) {
        ThrowInvalid(where + "merged into a ticket merged back into it");
      }
    }
    const int64_t into = ids[*items[i].merged_into_item];
    if (items[i].verbatim) {  // Its history and the survivor's say so.
      w.tickets().Set(ids[i], TicketColumn::kMergedInto,
                      std::optional<std::string>(std::to_string(into)));
      continue;
    }
    const std::string note = "merged into #" + std::to_string(into);
    w.SetText(ids[i], TicketColumn::kMergedInto, "merged-into", "",
              std::to_string(into), note);
    w.History(into, "merged", "", "#" + std::to_string(ids[i]),
              "#" + std::to_string(ids[i]) + " merged in before the import");
  }
}

// When a forum says it was recorded, which it keeps: a time stamp from the
// day it was held to now.
void CheckRecordedAt(const Writer& w, const ForumRecord& f) {
  if (f.recorded_at.empty()) return;
  if (f.recorded_at.size() != 20 || !ParseUtcTimestamp(f.recorded_at)) {
    ThrowInvalid("recorded_at: expected a time, YYYY-MM-DDTHH:MM:SSZ, not \"" +
                 Shown(f.recorded_at) + "\"");
  }
  if (f.recorded_at < StartOfLondonDayUtc(f.held_on)) {
    ThrowInvalid("recorded at " + f.recorded_at + ", before it was held on " +
                 FormatIsoDate(f.held_on));
  }
  if (f.recorded_at > w.at()) {
    ThrowInvalid("recorded at " + f.recorded_at + ", in the future (it is " +
                 w.at() + ")");
  }
}

// Records the import's forums; returns their ids, in order.
std::vector<int64_t> ImportForums(Writer& w, const Config& config,
                                  const std::vector<ForumRecord>& forums) {
  std::vector<int64_t> ids;
  for (size_t i = 0; i < forums.size(); ++i) {
    try {
      const CheckedForum c = CheckForum(w.db(), config, w.today(), forums[i]);
      CheckRecordedAt(w, forums[i]);
      if (forums[i].id != 0 && ForumsRepository(w.db()).Exists(forums[i].id)) {
        ThrowConflict("forum #" + std::to_string(forums[i].id) +
                      " is already on this board; a focus export keeps its "
                      "forum numbers, so import it into a board without "
                      "them");
      }
      ids.push_back(InsertForum(w, forums[i], c, forums[i].id,
                                /*keep_recorded=*/true));
    } catch (const Error& e) {
      throw Error(e.kind(), "forum " + std::to_string(i + 1) + ": " + e.what());
    }
  }
  return ids;
}

// Calls `write(row, ticket id)` for the rows `member` of the items that
// carry their history, in the order of the rows' ids (`id_of`) across every
// item, as the board they come from recorded them: a fresh board gives
// them the same ids.
template <typename Row, typename IdOf, typename Write>
void InIdOrder(const std::vector<ImportedTicket>& items,
               const std::vector<int64_t>& ids,
               std::vector<Row> ImportedTicket::*member, IdOf id_of,
               Write write) {
  std::vector<std::pair<const Row*, int64_t>> rows;
  for (size_t i = 0; i < items.size(); ++i) {
    if (!items[i].verbatim) continue;
    for (const Row& r : items[i].*member) rows.emplace_back(&r, ids[i]);
  }
  std::stable_sort(rows.begin(), rows.end(), [&](const auto& a, const auto& b) {
    return id_of(*a.first) < id_of(*b.first);
  });
  for (const auto& [r, id] : rows) write(*r, id);
}

// The history, vote rows and verdicts of the items that carry theirs.
void RecordVerbatimHistory(Writer& w, const std::vector<ImportedTicket>& items,
                           const std::vector<int64_t>& ids,
                           const std::vector<int64_t>& forum_ids) {
  InIdOrder(
      items, ids, &ImportedTicket::history,
      [](const HistoryEntry& e) { return e.id; },
      [&](const HistoryEntry& e, int64_t id) {
        w.tickets().AppendHistory(id, e.at, e.actor, e.field, e.old_value,
                                  e.new_value, e.note);
      });
  InIdOrder(
      items, ids, &ImportedTicket::votes,
      [](const VoteRecord& v) { return v.id; },
      [&](const VoteRecord& v, int64_t id) {
        std::optional<int64_t> forum;
        if (v.forum_id) {
          forum = ForumIdOf(forum_ids, static_cast<size_t>(*v.forum_id));
        }
        w.tickets().InsertVotes(id, forum, v.count, v.note, v.at, v.actor);
      });
  InIdOrder(
      items, ids, &ImportedTicket::verdicts,
      [](const VerdictRecord& v) { return v.verdict.id; },
      [&](const VerdictRecord& r, int64_t id) {
        const ForumVerdict& v = r.verdict;
        w.tickets().InsertVerdict(
            id, ForumIdOf(forum_ids, static_cast<size_t>(v.forum_id)),
            VerdictName(v.verdict), v.note, FormatIsoDate(v.answered_on), r.at,
            r.actor);
      });
}

}  // namespace

std::vector<int64_t> Board::ImportTickets(
    const std::vector<ImportedTicket>& items, const std::string& actor,
    const std::vector<ForumRecord>& forums) {
  CheckActor(actor);
  std::vector<int64_t> ids;
  store_.WriteTransaction([&](Connection& db) {
    // A large import writes more pages than the page cache holds.
    LargeWrite cache(db, items.size());
    Writer w(db, config_, clock_, actor);
    ids.assign(items.size(), 0);
    const std::vector<int64_t> forum_ids = ImportForums(w, config_, forums);
    // Numbers kept first: the others take the next free ones after them.
    for (bool numbered : {true, false}) {
      for (size_t i = 0; i < items.size(); ++i) {
        if (items[i].number.has_value() != numbered) continue;
        ids[i] = ImportItem(w, config_, items, i, forum_ids);
      }
    }
    LinkMergedItems(w, items, ids);
    RecordVerbatimHistory(w, items, ids, forum_ids);
    cache.Finish();
  });
  return ids;
}

std::vector<int64_t> Board::ImportTickets(
    ImportFeed& feed, size_t expected, const std::string& actor,
    const std::vector<ForumRecord>& forums) {
  CheckActor(actor);
  // Kept as they come: the body may run again (see Store::WriteTransaction),
  // and the feed gives each item once.
  std::vector<ImportedTicket> items;
  items.reserve(expected);
  bool ended = false;
  // The next item into `items`; false after the last.
  auto take = [&] {
    std::optional<ImportedTicket> next = feed.Next();
    if (!next) return false;
    if (next->number || next->merged_into_item || next->verbatim) {
      throw Error(ErrorKind::kInternal,
                  "an item of an import fed one at a time needs the others "
                  "first (it keeps a number, is merged or carries its "
                  "history)");
    }
    items.push_back(std::move(*next));
    return true;
  };
  // Where a refused write would leave a trace, every item is made first.
  if (!store_.RollbackLeavesNoTrace()) {
    while (take()) {
    }
    ended = true;
  }
  std::vector<int64_t> ids;
  store_.WriteTransaction([&](Connection& db) {
    LargeWrite cache(db, std::max(expected, items.size()));
    Writer w(db, config_, clock_, actor);
    ids.clear();
    const std::vector<int64_t> forum_ids = ImportForums(w, config_, forums);
    for (size_t i = 0; i < items.size() || !ended; ++i) {
      if (i == items.size() && !take()) {
        ended = true;
        break;
      }
      ids.push_back(ImportItem(w, config_, items, i, forum_ids));
    }
    cache.Finish();
  });
  return ids;
}

}  // namespace focus
