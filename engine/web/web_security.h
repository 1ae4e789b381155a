// Sessions, CSRF tokens and rate limits of the web server (internal).
#ifndef FOCUS_WEB_WEB_SECURITY_H_
#define FOCUS_WEB_WEB_SECURITY_H_

#include <ctime>
#include <optional>
#include <string>

#include "focus/store.h"
#include "focus/web_state_repository.h"

namespace focus::web {

// Initialises libsodium once per process (later calls return at once).
// Throws Error(kInternal) if it cannot be initialised.
void InitSodium();

// 32 random bytes from libsodium (randombytes_buf), as 64 hex digits.
std::string RandomToken();

// Compares secrets in time that does not depend on where they differ.
bool SecretsEqual(const std::string& a, const std::string& b);

struct Session {
  std::string account;  // Account name; role and team are re-read per request.
  std::string csrf_token;
  std::time_t expires = 0;
};

// Signed-in sessions live in the board database (focus/web_state_repository.h)
// so that a restart signs no one out and every server on the board knows
// them. Only a one-way hash of each token is stored, and the CSRF token is
// derived from the token, so nothing in the database lets anyone act as a
// signed-in user.

// A session just started, and the token its cookie carries.
struct NewSession {
  std::string token;
  Session session;
};
// Starts a session for `account` lasting `seconds`, ending the one whose
// token is `replaced` (if any) in the same transaction.
NewSession CreateSession(Store& store, const std::string& account,
                         std::time_t now, int seconds,
                         const std::string& replaced);
// The live session for `token`, if any.
std::optional<Session> FindSession(Store& store, const std::string& token,
                                   std::time_t now);
void RemoveSession(Store& store, const std::string& token);

// Counts events per key in a sliding window, e.g. failed sign-ins per
// client address, in the board database so that every server process
// counts the same events. Use it inside one write transaction: a check and
// the event it lets through are then one step, even across processes.
class RateLimiter {
 public:
  explicit RateLimiter(Connection& db) : events_(db) {}

  // Returns 0 if another event for `key` is allowed now (`limit` per
  // `window` seconds), else the seconds until one is.
  long RetryAfter(const std::string& key, int limit, int window,
                  std::time_t now);
  // Records one event for `key`, counted in windows up to `window` long.
  void Record(const std::string& key, int window, std::time_t now);
  // Returns 0 and records the event if allowed, else the seconds to wait.
  long Take(const std::string& key, int limit, int window, std::time_t now);
  // Removes one event recorded at `now` for `key` (an attempt that turned
  // out not to count).
  void Forget(const std::string& key, std::time_t now);
  // The events for `key` within `window`.
  RateWindow Window(const std::string& key, int window, std::time_t now);

 private:
  RateEventsRepository events_;
};

// Failed sign-ins, counted so that they cannot be raced and cannot be
// turned into a lockout of someone else. An attempt is counted before its
// password is checked (concurrent wrong guesses cannot all pass the check),
// and uncounted if the password was right. Per client address and per
// (account, address): `attempts` per window. Per account from anywhere:
// after `slowdown_after` failures each further attempt waits twice as long
// as the one before (1, 2, 4 ... seconds); at `lockout` the account is
// locked for everyone until its oldest failure leaves the window.
class LoginGuard {
 public:
  struct Limits {
    int attempts = 5;
    int window_seconds = 15 * 60;
    int slowdown_after = 20;
    int lockout = 100;
  };
  explicit LoginGuard(Limits limits) : limits_(limits) {}

  // 0 if the attempt may go ahead (it is counted), else the seconds to wait.
  long Begin(Store& store, const std::string& account,
             const std::string& client, std::time_t now);
  // The password was right: the attempt counted by Begin is uncounted.
  void Succeeded(Store& store, const std::string& account,
                 const std::string& client, std::time_t now);
  // The password was wrong (Begin counted it). True if this failure
  // locked the account.
  bool Failed(Store& store, const std::string& account, std::time_t now);

 private:
  long AccountWait(RateLimiter& counts, const std::string& key,
                   std::time_t now);

  const Limits limits_;
};

}  // namespace focus::web

#endif  // FOCUS_WEB_WEB_SECURITY_H_
