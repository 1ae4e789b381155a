// Written against the backend seam (sql_backend.h): portable SQL.
#include "focus/web_state_repository.h"

#include <memory>
#include <optional>
#include <string>

#include "sql_backend.h"

namespace focus {

using store_internal::SqlQuery;

void SessionsRepository::Insert(const SessionRow& row) {
  std::unique_ptr<SqlQuery> q = db_.Prepare(
      "INSERT INTO web_sessions (token_hash, account, expires) VALUES ($1, "
      "$2, $3)");
  q->Bind(1, row.token_hash).Bind(2, row.account).Bind(3, row.expires);
  q->Step();
}

std::optional<SessionRow> SessionsRepository::Find(
    const std::string& token_hash, int64_t now) {
  std::unique_ptr<SqlQuery> q = db_.Prepare(
      "SELECT account, expires FROM web_sessions WHERE token_hash = $1 AND "
      "expires > $2");
  q->Bind(1, token_hash).Bind(2, now);
  if (!q->Step()) return std::nullopt;
  return SessionRow{token_hash, q->Text(0), q->Int(1)};
}

void SessionsRepository::Remove(const std::string& token_hash) {
  std::unique_ptr<SqlQuery> q =
      db_.Prepare("DELETE FROM web_sessions WHERE token_hash = $1");
  q->Bind(1, token_hash);
  q->Step();
}

void SessionsRepository::RemoveExpired(int64_t now) {
  std::unique_ptr<SqlQuery> q =
      db_.Prepare("DELETE FROM web_sessions WHERE expires <= $1");
  q->Bind(1, now);
  q->Step();
}

RateWindow RateEventsRepository::Window(const std::string& subject,
                                        int64_t since) {
  std::unique_ptr<SqlQuery> q = db_.Prepare(
      "SELECT count(*), min(at), max(at) FROM rate_events WHERE subject = $1 "
      "AND at > $2");
  q->Bind(1, subject).Bind(2, since);
  q->Step();
  RateWindow w;
  w.count = static_cast<int>(q->Int(0));
  if (w.count > 0) {
    w.oldest = q->Int(1);
    w.latest = q->Int(2);
  }
  return w;
}

void RateEventsRepository::Insert(const std::string& subject, int64_t at,
                                  int64_t keep_until) {
  std::unique_ptr<SqlQuery> expired =
      db_.Prepare("DELETE FROM rate_events WHERE keep_until <= $1");
  expired->Bind(1, at);
  expired->Step();
  std::unique_ptr<SqlQuery> insert = db_.Prepare(
      "INSERT INTO rate_events (subject, at, keep_until) VALUES ($1, $2, $3)");
  insert->Bind(1, subject).Bind(2, at).Bind(3, keep_until);
  insert->Step();
}

void RateEventsRepository::RemoveOne(const std::string& subject, int64_t at) {
  std::unique_ptr<SqlQuery> q = db_.Prepare(
      "DELETE FROM rate_events WHERE id = (SELECT max(id) FROM rate_events "
      "WHERE subject = $1 AND at = $2)");
  q->Bind(1, subject).Bind(2, at);
  q->Step();
}

}  // namespace focus
