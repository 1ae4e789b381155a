// The response-time scan (Board::ScanForSla): the dates of every ticket but
// merged ones, read through SQLite's C API on a thread of its own, for
// reports over a whole board.
#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_set>
#include <utility>
#include <vector>

#include "board_internal.h"

namespace focus {

using board_internal::LoadTicketsById;
using board_internal::StoredDate;
using board_internal::StoredState;

namespace {

// A statement through SQLite's C API, for scans over every ticket, where
// SQLiteCpp's per-column objects would cost more than the rest of the work.
// Failures throw SQLite::Exception, which Store translates like any other.
class RawQuery {
 public:
  RawQuery(sqlite3* db, const char* sql) : db_(db) {
    const int rc = sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr);
    if (rc != SQLITE_OK) throw SQLite::Exception(db, rc);
  }
  ~RawQuery() { sqlite3_finalize(stmt_); }
  RawQuery(const RawQuery&) = delete;
  RawQuery& operator=(const RawQuery&) = delete;

  bool Step() {
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    throw SQLite::Exception(db_, rc);
  }
  int64_t Int(int column) const { return sqlite3_column_int64(stmt_, column); }
  // The column as text, or nullopt if NULL; valid until the next Step().
  //
  // Read through sqlite3_column_value(): each sqlite3_column_* call checks
  // the statement and enters and leaves the connection's mutex, and a text
  // column needs two of them (text, bytes); the sqlite3_value_* calls on the
  // value skip that, which saves a tenth of a million-ticket scan. The value
  // is "unprotected", which matters only if another thread used the
  // connection at the same time: the scans use a private one.
  std::optional<std::string_view> TextOrNull(int column) const {
    sqlite3_value* v = sqlite3_column_value(stmt_, column);
    const char* p = reinterpret_cast<const char*>(sqlite3_value_text(v));
    if (p == nullptr) return std::nullopt;
    return std::string_view(p, static_cast<size_t>(sqlite3_value_bytes(v)));
  }
  bool IsNull(int column) const {
    return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
  }
  // NULL reads as "", as SQLiteCpp's getString() does.
  std::string_view Text(int column) const {
    return TextOrNull(column).value_or(std::string_view());
  }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

// A reader waits for a writer only while the write-ahead log is being
// recovered; as long as the store's default for writers.
constexpr int kScanBusyTimeoutMs = 30000;

// A private read-only connection for a scan, in a read transaction, without
// SQLite's lock around every call (the store's connection is in serialized
// mode, which costs a fifth of a million-ticket scan). Its snapshot is taken
// by its first read.
std::unique_ptr<Connection> OpenScanConnection(const std::string& path) {
  auto db = std::make_unique<Connection>(
      path, SQLite::OPEN_READONLY | SQLITE_OPEN_NOMUTEX, kScanBusyTimeoutMs);
  // Mapped rather than copied page by page into SQLite's cache: the scan
  // reads each table once.
  db->exec("PRAGMA mmap_size = 2147418112");
  db->exec("BEGIN");
  return db;
}

// Stored dates, each parsed once: a scan meets a few thousand distinct
// dates millions of times, and neighbouring tickets' answer dates differ.
// The table has a slot for every day of 32 years; text not shaped like a
// date, or a slot held by a date 32 years away, is parsed as before.
class DateMemo {
 public:
  Date Parse(std::string_view text, int64_t row, const char* what) {
    int year = 0, month = 0, day = 0;
    if (!Digits(text, &year, &month, &day)) {
      return StoredDate(std::string(text), row, what);
    }
    // The three numbers name the text exactly, whether or not it is a date.
    const uint32_t key =
        static_cast<uint32_t>(year * 10000 + month * 100 + day);
    Slot& slot = slots_[((year % 32) * 16 + month % 16) * 32 + day % 32];
    if (slot.key != key) {
      slot.date = StoredDate(std::string(text), row, what);
      slot.key = key;
    }
    return slot.date;
  }

 private:
  // "YYYY-MM-DD", all digits: ParseIsoDate's shape.
  static bool Digits(std::string_view text, int* year, int* month, int* day) {
    if (text.size() != 10 || text[4] != '-' || text[7] != '-') return false;
    int* fields[] = {year,  year,  year,    year, nullptr,
                     month, month, nullptr, day,  day};
    for (size_t i = 0; i < text.size(); ++i) {
      if (fields[i] == nullptr) continue;
      const unsigned digit = static_cast<unsigned char>(text[i]) - '0';
      if (digit > 9) return false;
      *fields[i] = *fields[i] * 10 + static_cast<int>(digit);
    }
    return true;
  }

  struct Slot {
    uint32_t key = UINT32_MAX;  // No text has this key.
    Date date;
  };
  std::vector<Slot> slots_ = std::vector<Slot>(32 * 16 * 32);
};

// The areas and teams of a scan, kept for its whole length: the rows handed
// to the reporting thread point at these rather than at SQLite's row, which
// the reading thread has moved past by then.
class StableTexts {
 public:
  std::string_view Of(std::string_view text) {
    // A board has a few dozen areas and teams: comparing with each costs
    // less than hashing. Past that, the index finds them.
    if (texts_.size() <= kFew) {
      for (const std::string& kept : texts_) {
        if (kept == text) return kept;
      }
    } else if (auto it = index_.find(text); it != index_.end()) {
      return *it;
    }
    const std::string& kept = texts_.emplace_back(text);
    if (texts_.size() > kFew) {
      if (index_.empty()) index_.insert(texts_.begin(), texts_.end());
      index_.insert(kept);
    }
    return kept;
  }

 private:
  static constexpr size_t kFew = 64;
  std::deque<std::string> texts_;  // A deque: the strings never move.
  std::unordered_set<std::string_view> index_;  // Once there are many.
};

// Rows read by one thread for another, a chunk at a time.
struct RowChunk {
  std::vector<SlaTicketRow> rows;
  bool last = false;
  std::exception_ptr error;  // Why reading stopped after `rows`, if it failed.
};

class RowQueue {
 public:
  // Waits while the queue is full. Returns false once Stop() was called:
  // the reader should give up.
  bool Push(RowChunk chunk) {
    std::unique_lock<std::mutex> lock(mu_);
    changed_.wait(lock,
                  [&] { return stopped_ || chunks_.size() < kMaxChunks; });
    if (stopped_) return false;
    chunks_.push_back(std::move(chunk));
    changed_.notify_all();
    return true;
  }

  // Waits for a chunk.
  RowChunk Pop() {
    std::unique_lock<std::mutex> lock(mu_);
    changed_.wait(lock, [&] { return !chunks_.empty(); });
    RowChunk chunk = std::move(chunks_.front());
    chunks_.pop_front();
    changed_.notify_all();
    return chunk;
  }

  void Stop() {
    std::lock_guard<std::mutex> lock(mu_);
    stopped_ = true;
    changed_.notify_all();
  }

 private:
  // Enough to keep both threads busy; a few megabytes at most.
  static constexpr size_t kMaxChunks = 4;
  std::mutex mu_;
  std::condition_variable changed_;
  std::deque<RowChunk> chunks_;
  bool stopped_ = false;
};

// Stops and joins the reader on the way out of a scan that failed.
class ReaderGuard {
 public:
  ReaderGuard(std::thread& reader, RowQueue& queue)
      : reader_(reader), queue_(queue) {}
  ~ReaderGuard() {
    if (!reader_.joinable()) return;
    queue_.Stop();
    reader_.join();
  }
  ReaderGuard(const ReaderGuard&) = delete;
  ReaderGuard& operator=(const ReaderGuard&) = delete;

 private:
  std::thread& reader_;
  RowQueue& queue_;
};

// Reads the rows of ScanForSla's tickets query, which is on its first row
// if `any`, into `queue` (themes not set). The last chunk is marked so, and
// carries the failure if reading one failed, as List would fail on it.
void ReadSlaRows(RawQuery& tickets, bool any, StableTexts& texts,
                 RowQueue& queue) {
  constexpr size_t kChunkRows = 4096;
  DateMemo dates;
  RowChunk chunk;
  chunk.rows.reserve(kChunkRows);
  try {
    for (bool more = any; more; more = tickets.Step()) {
      SlaTicketRow r;
      r.id = tickets.Int(0);
      auto date = [&](int column, const char* what) -> std::optional<Date> {
        const std::optional<std::string_view> text = tickets.TextOrNull(column);
        if (!text) return std::nullopt;
        return dates.Parse(*text, r.id, what);
      };
      r.area = texts.Of(tickets.Text(1));
      r.team = texts.Of(tickets.Text(2));
      r.state = StoredState(tickets.Text(3), r.id);
      // A NULL raised_on reads as "" and fails as List's would.
      const std::optional<Date> raised = date(4, "raised_on");
      r.raised_on = raised ? *raised : StoredDate("", r.id, "raised_on");
      r.sent_on = date(5, "sent_on");
      r.answered_on = date(6, "answered_on");
      r.declined_on = date(7, "declined_on");
      r.merged_into = tickets.IsNull(8)
                          ? std::nullopt
                          : std::optional<int64_t>(tickets.Int(8));
      r.paused_working_days = static_cast<int>(tickets.Int(9));
      r.paused_since = date(10, "paused_since");
      r.reopened_on = date(11, "reopened_on");
      chunk.rows.push_back(r);
      if (chunk.rows.size() == kChunkRows) {
        if (!queue.Push(std::move(chunk))) return;
        chunk = RowChunk();
        chunk.rows.reserve(kChunkRows);
      }
    }
  } catch (...) {
    chunk.error = std::current_exception();
  }
  chunk.last = true;
  queue.Push(std::move(chunk));
}

}  // namespace

std::vector<Ticket> Board::ScanForSla(
    const std::function<bool(const SlaTicketRow&)>& row) const {
  std::vector<int64_t> wanted;
  std::vector<Ticket> listed;
  store_.Read([&](Connection& main) {
    // The tickets are read on a thread of their own while this one merges
    // in their themes and calls `row`: on two cores that takes a third off
    // a million-ticket report. Each has its own connection (see
    // OpenScanConnection). The tickets' snapshot, which the first step
    // takes, is what the scan and the whole tickets see.
    std::unique_ptr<Connection> tickets_db =
        OpenScanConnection(main.getFilename());
    RawQuery tickets(tickets_db->getHandle(),
                     "SELECT id, area, team, state, raised_on, sent_on, "
                     "answered_on, declined_on, merged_into, "
                     "paused_working_days, paused_since, reopened_on FROM "
                     "tickets WHERE "
                     "state <> 'merged' ORDER BY id");
    const bool any = tickets.Step();
    // The themes' snapshot is taken after the tickets', so it holds at least
    // theirs. It holds exactly their themes because a ticket's themes are
    // written with the ticket and never changed (nor are tickets deleted);
    // those of tickets added since are skipped by the merge below. Read in
    // the same merge by ticket id rather than a join that would look up
    // each ticket's themes one by one; they come from the primary key's
    // index, which holds both columns.
    std::unique_ptr<Connection> themes_db =
        OpenScanConnection(main.getFilename());
    RawQuery themes(themes_db->getHandle(),
                    "SELECT ticket_id, theme FROM ticket_themes ORDER BY "
                    "ticket_id");
    bool more_themes = themes.Step();
    int64_t theme_ticket = more_themes ? themes.Int(0) : 0;
    auto next_theme = [&] {
      more_themes = themes.Step();
      if (more_themes) theme_ticket = themes.Int(0);
    };
    // The theme texts outlive their row in `themes`; reused, so a scan
    // allocates only for the longest list.
    std::vector<std::string> theme_text;
    std::vector<std::string_view> theme_views;

    StableTexts texts;
    RowQueue queue;
    std::thread reader(ReadSlaRows, std::ref(tickets), any, std::ref(texts),
                       std::ref(queue));
    // If this thread throws, the reader stops at its next chunk.
    ReaderGuard guard(reader, queue);
    for (bool last = false; !last;) {
      RowChunk chunk = queue.Pop();
      for (SlaTicketRow& r : chunk.rows) {
        while (more_themes && theme_ticket < r.id) next_theme();
        size_t n = 0;
        for (; more_themes && theme_ticket == r.id; next_theme()) {
          const std::string_view theme = themes.Text(1);
          // As List: an empty theme (hand-edited data) is no theme.
          if (theme.empty()) continue;
          if (theme_text.size() <= n) theme_text.emplace_back();
          theme_text[n++].assign(theme);
        }
        theme_views.assign(theme_text.begin(), theme_text.begin() + n);
        r.themes = &theme_views;
        if (row(r)) wanted.push_back(r.id);
      }
      // The rows read before a failure were reported first, as they were
      // when a single thread read and reported row by row.
      if (chunk.error) std::rethrow_exception(chunk.error);
      last = chunk.last;
    }
    reader.join();
    listed = LoadTicketsById(*tickets_db, wanted);
    themes_db->exec("COMMIT");
    tickets_db->exec("COMMIT");
  });
  return listed;
}

}  // namespace focus
