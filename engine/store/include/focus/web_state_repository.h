// What the web server's processes share through the board database:
// signed-in sessions and the events rate limits count. Kept here rather
// than in one process's memory so that a restart signs no one out and two
// servers behind one proxy see the same sessions and the same counts.
#ifndef FOCUS_WEB_STATE_REPOSITORY_H_
#define FOCUS_WEB_STATE_REPOSITORY_H_

#include <cstdint>
#include <optional>
#include <string>

#include "focus/store.h"

namespace focus {

struct SessionRow {
  std::string token_hash;  // A one-way hash of the cookie's token.
  std::string account;
  int64_t expires = 0;  // Unix time.
};

// REQUIRES: `db` is the transaction of the call that made this object, and
// outlives it.
class SessionsRepository {
 public:
  explicit SessionsRepository(Connection& db) : db_(db) {}

  void Insert(const SessionRow& row);
  // The session with this hash if it is still live at `now`.
  std::optional<SessionRow> Find(const std::string& token_hash, int64_t now);
  void Remove(const std::string& token_hash);
  // Drops every session that has expired by `now`.
  void RemoveExpired(int64_t now);

 private:
  Connection& db_;
};

// The events of one subject (e.g. "login-ip:192.0.2.1") after a moment.
struct RateWindow {
  int count = 0;
  int64_t oldest = 0;  // 0 when count is 0.
  int64_t latest = 0;
};

// REQUIRES: as SessionsRepository. A check and the event it lets through
// are one step only inside one write transaction.
class RateEventsRepository {
 public:
  explicit RateEventsRepository(Connection& db) : db_(db) {}

  // The events of `subject` later than `since`.
  RateWindow Window(const std::string& subject, int64_t since);
  // Records one event at `at`, kept until `keep_until` (the end of the
  // longest window that counts it); expired events are dropped here too.
  void Insert(const std::string& subject, int64_t at, int64_t keep_until);
  // Removes one event of `subject` recorded at `at`, if any.
  void RemoveOne(const std::string& subject, int64_t at);

 private:
  Connection& db_;
};

}  // namespace focus

#endif  // FOCUS_WEB_STATE_REPOSITORY_H_
