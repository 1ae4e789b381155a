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
using board_internal::CheckPublishedText;
using board_internal::CheckTicket;
using board_internal::CreatedNote;
using board_internal::InsertTicket;
using board_internal::kAnsweredBy;
using board_internal::kAnswerText;
using board_internal::kNote;
using board_internal::KnownColumns;
using board_internal::kReason;
using board_internal::Screen;
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
        const bool allow = item.ticket.allow_identifiers;
        // An override is recorded from the board's own screening.
        const bool screened = item.texts_screened && !allow;
        CheckedTicket c =
            CheckTicket(db, config_, w.today(), item.ticket, screened);
        if (item.state == TicketState::kMerged) {
          ThrowInvalid(
              "a ticket cannot be imported as merged: import the ticket it "
              "repeats and add its votes there");
        }
        CheckPublishedText(item);
        if (item.extra_votes < 0) {
          ThrowInvalid("votes must be a whole number of at least 0, not " +
                       std::to_string(item.extra_votes));
        }
        Screen(kAnswerText, item.answer, config_.board.max_text_chars, allow,
               &c.overrides);
        Screen(kAnsweredBy, item.answered_by, config_.board.max_title_chars,
               allow, &c.overrides);
        Screen(kReason, item.decline_reason, config_.board.max_text_chars,
               allow, &c.overrides);
        for (const auto& comment : item.comments) {
          if (screened) break;
          Screen(kNote, comment.second, config_.board.max_text_chars, allow,
                 &c.overrides);
        }
        const std::pair<const char*, const std::optional<Date>*> dates[] = {
            {"sent on", &item.sent_on},
            {"answered on", &item.answered_on},
            {"declined on", &item.declined_on}};
        for (const auto& [what, d] : dates) {
          if (*d && (d->value() < c.raised_on || d->value() > w.today())) {
            ThrowInvalid(std::string(what) + " " + FormatIsoDate(d->value()) +
                         " is not between raised on (" +
                         FormatIsoDate(c.raised_on) + ") and today (" +
                         FormatIsoDate(w.today()) + ")");
          }
        }

        std::string note = CreatedNote(c);
        if (!item.origin.empty()) note += "; imported from " + item.origin;
        // The state and dates it already has elsewhere go into the new row
        // at once (an UPDATE each would cost more than the insert), and
        // into the history as changes made after its creation.
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
          known.paused_since = FormatIsoDate(w.today());
        }
        int64_t id = InsertTicket(w, c, item.state,
                                  c.raised_by + item.extra_votes, note, known);
        if (item.extra_votes > 0) {
          SQLite::Statement& q = w.Prepared(
              "INSERT INTO votes (ticket_id, forum_id, count, "
              "note, at, actor) VALUES (?, NULL, ?, ?, ?, ?)");
          q.bind(1, id);
          q.bind(2, item.extra_votes);
          q.bind(3, "imported" +
                        (item.origin.empty() ? "" : " from " + item.origin));
          q.bind(4, w.at());
          q.bind(5, actor);
          q.exec();
        }
        const std::string from = item.origin.empty()
                                     ? std::string("imported")
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
        ids.push_back(id);
      } catch (const Error& e) {
        throw Error(e.kind(), where + ": " + e.what());
      }
    }
  });
  return ids;
}

}  // namespace focus
