#include "web_security.h"

#include <sodium.h>

#include <algorithm>

#include "focus/error.h"

namespace focus::web {

void InitSodium() {
  static const int result = sodium_init();
  if (result < 0) {
    throw Error(ErrorKind::kInternal, "libsodium could not be initialised");
  }
}

std::string RandomToken() {
  InitSodium();
  unsigned char bytes[32];
  randombytes_buf(bytes, sizeof bytes);
  char hex[sizeof bytes * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, bytes, sizeof bytes);
  return hex;
}

bool SecretsEqual(const std::string& a, const std::string& b) {
  if (a.size() != b.size() || a.empty()) return false;
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

namespace {
// BLAKE2b-256 of `message`, keyed with `key` when it is not empty, in hex.
std::string Blake2b(const std::string& message, const std::string& key) {
  InitSodium();
  unsigned char out[crypto_generichash_BYTES];
  crypto_generichash(
      out, sizeof out, reinterpret_cast<const unsigned char*>(message.data()),
      message.size(), reinterpret_cast<const unsigned char*>(key.data()),
      key.size());
  char hex[sizeof out * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, out, sizeof out);
  return hex;
}

std::string TokenHash(const std::string& token) { return Blake2b(token, ""); }

// Keyed with the session's token: only its holder can compute it, and no
// server needs to store it.
std::string CsrfToken(const std::string& token) {
  return Blake2b("focus csrf token", token);
}
}  // namespace

NewSession CreateSession(Store& store, const std::string& account,
                         std::time_t now, int seconds,
                         const std::string& replaced) {
  NewSession s{RandomToken(), {account, "", now + seconds}};
  s.session.csrf_token = CsrfToken(s.token);
  store.WriteTransaction([&](Connection& db) {
    SessionsRepository sessions(db);
    sessions.RemoveExpired(now);
    if (!replaced.empty()) sessions.Remove(TokenHash(replaced));
    sessions.Insert({TokenHash(s.token), account, s.session.expires});
  });
  return s;
}

std::optional<Session> FindSession(Store& store, const std::string& token,
                                   std::time_t now) {
  // Only our own tokens' shape is worth a query (and a key for CsrfToken).
  if (token.size() != 64 ||
      token.find_first_not_of("0123456789abcdef") != std::string::npos) {
    return std::nullopt;
  }
  std::optional<SessionRow> row;
  store.Read([&](Connection& db) {
    row = SessionsRepository(db).Find(TokenHash(token), now);
  });
  if (!row) return std::nullopt;
  return Session{row->account, CsrfToken(token), row->expires};
}

void RemoveSession(Store& store, const std::string& token) {
  if (token.empty()) return;
  store.WriteTransaction(
      [&](Connection& db) { SessionsRepository(db).Remove(TokenHash(token)); });
}

long RateLimiter::RetryAfter(const std::string& key, int limit, int window,
                             std::time_t now) {
  const RateWindow w = Window(key, window, now);
  if (w.count < limit) return 0;
  // The oldest event inside the window must leave it first.
  const long wait = static_cast<long>(w.oldest + window - now);
  return wait < 1 ? 1 : wait;
}

void RateLimiter::Record(const std::string& key, int window, std::time_t now) {
  events_.Insert(key, now, now + window);
}

long RateLimiter::Take(const std::string& key, int limit, int window,
                       std::time_t now) {
  const long wait = RetryAfter(key, limit, window, now);
  if (wait == 0) Record(key, window, now);
  return wait;
}

void RateLimiter::Forget(const std::string& key, std::time_t now) {
  events_.RemoveOne(key, now);
}

RateWindow RateLimiter::Window(const std::string& key, int window,
                               std::time_t now) {
  return events_.Window(key, now - window);
}

namespace {
std::string ClientKey(const std::string& client) {
  return "login-ip:" + client;
}
std::string PairKey(const std::string& account, const std::string& client) {
  return "login-pair:" + account + " " + client;
}
std::string AccountKey(const std::string& account) {
  return "login-account:" + account;
}
}  // namespace

long LoginGuard::AccountWait(RateLimiter& counts, const std::string& key,
                             std::time_t now) {
  const int window = limits_.window_seconds;
  if (long wait = counts.RetryAfter(key, limits_.lockout, window, now)) {
    return wait;
  }
  const RateWindow failures = counts.Window(key, window, now);
  if (failures.count < limits_.slowdown_after) return 0;
  const int doublings = std::min(failures.count - limits_.slowdown_after, 20);
  const long delay = std::min<long>(1L << doublings, window);
  const long wait = static_cast<long>(failures.latest + delay - now);
  return wait > 0 ? wait : 0;
}

long LoginGuard::Begin(Store& store, const std::string& account,
                       const std::string& client, std::time_t now) {
  const int limit = limits_.attempts;
  const int window = limits_.window_seconds;
  long wait = 0;
  store.WriteTransaction([&](Connection& db) {
    RateLimiter counts(db);
    wait = std::max(
        {counts.RetryAfter(ClientKey(client), limit, window, now),
         counts.RetryAfter(PairKey(account, client), limit, window, now),
         AccountWait(counts, AccountKey(account), now)});
    if (wait > 0) return;
    for (const std::string& key :
         {ClientKey(client), PairKey(account, client), AccountKey(account)}) {
      counts.Record(key, window, now);
    }
  });
  return wait;
}

void LoginGuard::Succeeded(Store& store, const std::string& account,
                           const std::string& client, std::time_t now) {
  store.WriteTransaction([&](Connection& db) {
    RateLimiter counts(db);
    for (const std::string& key :
         {ClientKey(client), PairKey(account, client), AccountKey(account)}) {
      counts.Forget(key, now);
    }
  });
}

bool LoginGuard::Failed(Store& store, const std::string& account,
                        std::time_t now) {
  int failures = 0;
  store.Read([&](Connection& db) {
    failures = RateLimiter(db)
                   .Window(AccountKey(account), limits_.window_seconds, now)
                   .count;
  });
  return failures == limits_.lockout;
}

}  // namespace focus::web
