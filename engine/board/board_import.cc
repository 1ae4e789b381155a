// Tickets carried over from another board (Board::ImportTickets), with the
// state, dates, answers and comments they already have there.
#include <SQLiteCpp/SQLiteCpp.h>

#include <algorithm>
#include <cstdint>
#include <exception>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "board_internal.h"
#include "focus/error.h"
#include "focus/text.h"

namespace focus {

using board_internal::CheckActor;
using board_internal::CheckedTicket;
using board_internal::CheckImportedTicket;
using board_internal::CreatedNote;
using board_internal::InsertTicket;
using board_internal::KnownColumns;
using board_internal::Writer;

namespace {

// Raises the connection's page cache while it is alive (see ImportTickets):
// about 4 KiB per imported ticket (twice what one takes on disk), 64 MiB at
// most; a size set in pages (positive) or larger is left alone.
class PageCacheForImport {
 public:
  PageCacheForImport(SQLite::Database& db, size_t tickets)
      : db_(db), old_(db.execAndGet("PRAGMA cache_size").getInt64()) {
    // Negative sizes are KiB, positive ones pages.
    const int64_t want =
        -std::min<int64_t>(64 * 1024, 4 * static_cast<int64_t>(tickets));
    raised_ = old_ < 0 && want < old_;
    if (raised_) db_.exec("PRAGMA cache_size = " + std::to_string(want));
  }
  ~PageCacheForImport() {
    if (!raised_) return;
    try {
      db_.exec("PRAGMA cache_size = " + std::to_string(old_));
    } catch (const std::exception&) {
      // Only a cache size: the next connection starts from the default.
    }
  }
  PageCacheForImport(const PageCacheForImport&) = delete;
  PageCacheForImport& operator=(const PageCacheForImport&) = delete;

 private:
  SQLite::Database& db_;
  int64_t old_;
  bool raised_ = false;
};

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
  // Its wait starts now: when it started there is not known.
  if (item.state == TicketState::kWaitingForForum) {
    known.paused_since = FormatIsoDate(today);
  }
  return known;
}

// The votes beyond the people who raised ticket `id`.
void AddExtraVotes(Writer& w, int64_t id, const ImportedTicket& item) {
  if (item.extra_votes <= 0) return;
  SQLite::Statement& q = w.Prepared(
      "INSERT INTO votes (ticket_id, forum_id, count, "
      "note, at, actor) VALUES (?, NULL, ?, ?, ?, ?)");
  q.bind(1, id);
  q.bind(2, item.extra_votes);
  q.bind(3, "imported" + (item.origin.empty() ? "" : " from " + item.origin));
  q.bind(4, w.at());
  q.bind(5, w.actor());
  q.exec();
}

// The history of ticket `id` after its creation: what it already had, its
// comments and what the other board keeps that a ticket has no column for.
void RecordImportedHistory(Writer& w, int64_t id, const ImportedTicket& item,
                           const KnownColumns& known) {
  const std::string from = item.origin.empty() ? std::string("imported")
                                               : "imported from " + item.origin;
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
  for (const auto& [when_who, text] : item.comments) {
    w.History(id, "comment", "", text, when_who);
  }
  for (const ImportedTicket::Extra& e : item.extras) {
    w.History(id, e.field, "", e.value, e.note);
  }
}

// Checks and writes one imported ticket; returns its id.
int64_t ImportOne(Writer& w, const Config& config, const ImportedTicket& item) {
  CheckedTicket c = CheckImportedTicket(w.db(), config, w.today(), item);
  std::string note = CreatedNote(c);
  if (!item.origin.empty()) note += "; imported from " + item.origin;
  const KnownColumns known = KnownColumnsOf(item, w.today());
  int64_t id = InsertTicket(w, c, item.state, c.raised_by + item.extra_votes,
                            note, known);
  AddExtraVotes(w, id, item);
  RecordImportedHistory(w, id, item, known);
  return id;
}

}  // namespace

std::vector<int64_t> Board::ImportTickets(
    const std::vector<ImportedTicket>& items, const std::string& actor) {
  CheckActor(actor);
  std::vector<int64_t> ids;
  store_.WriteTransaction([&](Connection& db) {
    // A large import writes more pages than the connection's page cache
    // holds (2 MB by default), so SQLite would spill dirty pages to the log
    // before the commit and write many of them again. A larger cache for
    // this transaction keeps them in memory until the commit; the commit
    // itself is as durable as configured. The old size is put back after.
    PageCacheForImport cache(db, items.size());
    Writer w(db, config_, clock_, actor);
    ids.clear();
    for (size_t i = 0; i < items.size(); ++i) {
      const ImportedTicket& item = items[i];
      const std::string where =
          item.where.empty() ? "item " + std::to_string(i + 1) : item.where;
      try {
        ids.push_back(ImportOne(w, config_, item));
      } catch (const Error& e) {
        throw Error(e.kind(), where + ": " + e.what());
      }
    }
  });
  return ids;
}

}  // namespace focus
