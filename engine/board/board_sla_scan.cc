// The response-time scan (Board::ScanForSla): the dates of every ticket but
// merged ones, read by the store's TicketScan on a thread of its own, for
// reports over a whole board.
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
#include "focus/ticket_scan.h"

namespace focus {

using board_internal::StoredDate;
using board_internal::StoredState;
using board_internal::ToTickets;

namespace {

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

// Reads the scan's tickets into `queue` (themes not set). The last chunk
// is marked so, and carries the failure if reading one failed, as List
// would fail on it.
void ReadSlaRows(TicketScan& scan, StableTexts& texts, RowQueue& queue) {
  constexpr size_t kChunkRows = 4096;
  DateMemo dates;
  RowChunk chunk;
  chunk.rows.reserve(kChunkRows);
  try {
    ScannedTicket t;
    while (scan.NextTicket(&t)) {
      SlaTicketRow r;
      r.id = t.id;
      auto date = [&](const std::optional<std::string_view>& text,
                      const char* what) -> std::optional<Date> {
        if (!text) return std::nullopt;
        return dates.Parse(*text, r.id, what);
      };
      r.area = texts.Of(t.area);
      r.team = texts.Of(t.team);
      r.state = StoredState(t.state, r.id);
      // A NULL raised_on reads as "" and fails as List's would.
      const std::optional<Date> raised = date(t.raised_on, "raised_on");
      r.raised_on = raised ? *raised : StoredDate("", r.id, "raised_on");
      r.sent_on = date(t.sent_on, "sent_on");
      r.answered_on = date(t.answered_on, "answered_on");
      r.declined_on = date(t.declined_on, "declined_on");
      r.merged_into = t.merged_into;
      r.paused_working_days = static_cast<int>(t.paused_working_days);
      r.paused_since = date(t.paused_since, "paused_since");
      r.reopened_on = date(t.reopened_on, "reopened_on");
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
    // a million-ticket report. The themes are read in the same merge by
    // ticket id rather than a join that would look up each ticket's themes
    // one by one.
    TicketScan scan(main);
    int64_t theme_ticket = 0;
    std::string_view theme;
    bool more_themes = scan.NextTheme(&theme_ticket, &theme);
    auto next_theme = [&] {
      more_themes = scan.NextTheme(&theme_ticket, &theme);
    };
    // The theme texts outlive their row in the scan; reused, so a scan
    // allocates only for the longest list.
    std::vector<std::string> theme_text;
    std::vector<std::string_view> theme_views;

    StableTexts texts;
    RowQueue queue;
    std::thread reader(ReadSlaRows, std::ref(scan), std::ref(texts),
                       std::ref(queue));
    // If this thread throws, the reader stops at its next chunk.
    ReaderGuard guard(reader, queue);
    for (bool last = false; !last;) {
      RowChunk chunk = queue.Pop();
      for (SlaTicketRow& r : chunk.rows) {
        while (more_themes && theme_ticket < r.id) next_theme();
        size_t n = 0;
        for (; more_themes && theme_ticket == r.id; next_theme()) {
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
    listed = ToTickets(scan.SelectByIds(wanted));
    scan.Finish();
  });
  return listed;
}

}  // namespace focus
