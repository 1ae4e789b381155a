// The columns the response-time report needs, of every ticket but merged
// ones, read straight from the database for reports over a whole board
// (Board::ScanForSla): no row is copied into strings it does not need.
#ifndef FOCUS_TICKET_SCAN_H_
#define FOCUS_TICKET_SCAN_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "focus/store.h"
#include "focus/tickets_repository.h"

namespace focus {

// One ticket's columns as stored; the views are valid until the next
// NextTicket(). A NULL text reads as "" (or nullopt where it may be NULL).
struct ScannedTicket {
  int64_t id = 0;
  std::string_view area;
  std::string_view team;
  std::string_view state;
  std::optional<std::string_view> raised_on;
  std::optional<std::string_view> sent_on;
  std::optional<std::string_view> answered_on;
  std::optional<std::string_view> declined_on;
  std::optional<int64_t> merged_into;
  int64_t paused_working_days = 0;
  std::optional<std::string_view> paused_since;
  std::optional<std::string_view> reopened_on;
};

// Two cursors, by ticket id: the tickets, and the themes of every ticket.
// Each reads on a private read-only connection of its own, so each may run
// on a thread of its own (one thread per cursor). The themes' snapshot is
// taken after the tickets', so it holds at least their themes; themes of
// tickets added in between come after the last ticket or between ids, and a
// merge by id skips them.
class TicketScan {
 public:
  // REQUIRES: `db` is in a Store::Read of the store to scan.
  explicit TicketScan(Connection& db);
  ~TicketScan();
  TicketScan(const TicketScan&) = delete;
  TicketScan& operator=(const TicketScan&) = delete;

  // The next ticket; false after the last.
  bool NextTicket(ScannedTicket* ticket);

  // The next (ticket id, theme) row; the theme is valid until the next
  // call. False after the last.
  bool NextTheme(int64_t* ticket, std::string_view* theme);

  // Tickets `ids`, as TicketsRepository::Select gives them, as of the
  // tickets' snapshot. REQUIRES: NextTicket is done.
  std::vector<TicketRow> SelectByIds(const std::vector<int64_t>& ids);

  // Ends both read transactions.
  void Finish();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace focus

#endif  // FOCUS_TICKET_SCAN_H_
