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

std::string SessionStore::Create(const std::string& account, std::time_t now,
                                 int seconds) {
  Session s;
  s.account = account;
  s.csrf_token = RandomToken();
  s.expires = now + seconds;
  std::string token = RandomToken();
  std::lock_guard<std::mutex> lock(mutex_);
  // Drop expired sessions so the map cannot grow without bound.
  for (auto it = sessions_.begin(); it != sessions_.end();) {
    it = it->second.expires <= now ? sessions_.erase(it) : std::next(it);
  }
  sessions_[token] = s;
  return token;
}

std::optional<Session> SessionStore::Find(const std::string& token,
                                          std::time_t now) {
  if (token.empty()) return std::nullopt;
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = sessions_.find(token);
  if (it == sessions_.end()) return std::nullopt;
  if (it->second.expires <= now) {
    sessions_.erase(it);
    return std::nullopt;
  }
  return it->second;
}

void SessionStore::Remove(const std::string& token) {
  std::lock_guard<std::mutex> lock(mutex_);
  sessions_.erase(token);
}

long RateLimiter::RetryAfter(const std::string& key, int limit, int window,
                             std::time_t now) {
  std::lock_guard<std::mutex> lock(mutex_);
  return RetryAfterLocked(key, limit, window, now);
}

long RateLimiter::RetryAfterLocked(const std::string& key, int limit,
                                   int window, std::time_t now) {
  if (window > longest_window_) longest_window_ = window;
  auto it = events_.find(key);
  if (it == events_.end()) return 0;
  std::deque<std::time_t>& q = it->second;
  size_t recent = 0;
  for (std::time_t t : q) {
    if (t > now - window) ++recent;
  }
  if (static_cast<int>(recent) < limit) return 0;
  // The oldest event inside the window must leave it first.
  std::time_t oldest = now;
  for (std::time_t t : q) {
    if (t > now - window && t < oldest) oldest = t;
  }
  long wait = static_cast<long>(oldest + window - now);
  return wait < 1 ? 1 : wait;
}

void RateLimiter::Record(const std::string& key, std::time_t now) {
  std::lock_guard<std::mutex> lock(mutex_);
  RecordLocked(key, now);
}

void RateLimiter::RecordLocked(const std::string& key, std::time_t now) {
  events_[key].push_back(now);
  if (++calls_ % 1024 == 0) Prune(now);
}

long RateLimiter::Take(const std::string& key, int limit, int window,
                       std::time_t now) {
  std::lock_guard<std::mutex> lock(mutex_);
  long wait = RetryAfterLocked(key, limit, window, now);
  if (wait == 0) RecordLocked(key, now);
  return wait;
}

void RateLimiter::Forget(const std::string& key, std::time_t now) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = events_.find(key);
  if (it == events_.end()) return;
  std::deque<std::time_t>& q = it->second;
  for (auto e = q.rbegin(); e != q.rend(); ++e) {
    if (*e == now) {
      q.erase(std::next(e).base());
      break;
    }
  }
  if (q.empty()) events_.erase(it);
}

int RateLimiter::Count(const std::string& key, int window, std::time_t now) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = events_.find(key);
  if (it == events_.end()) return 0;
  return static_cast<int>(
      std::count_if(it->second.begin(), it->second.end(),
                    [&](std::time_t t) { return t > now - window; }));
}

std::time_t RateLimiter::Latest(const std::string& key) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = events_.find(key);
  return it == events_.end() || it->second.empty() ? 0 : it->second.back();
}

void RateLimiter::Prune(std::time_t now) {
  for (auto it = events_.begin(); it != events_.end();) {
    std::deque<std::time_t>& q = it->second;
    while (!q.empty() && q.front() <= now - longest_window_) q.pop_front();
    it = q.empty() ? events_.erase(it) : std::next(it);
  }
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

long LoginGuard::AccountWait(const std::string& key, std::time_t now) {
  const int window = limits_.window_seconds;
  if (long wait = counts_.RetryAfter(key, limits_.lockout, window, now)) {
    return wait;
  }
  const int failures = counts_.Count(key, window, now);
  if (failures < limits_.slowdown_after) return 0;
  const int doublings = std::min(failures - limits_.slowdown_after, 20);
  const long delay = std::min<long>(1L << doublings, window);
  const long wait = static_cast<long>(counts_.Latest(key) + delay - now);
  return wait > 0 ? wait : 0;
}

long LoginGuard::Begin(const std::string& account, const std::string& client,
                       std::time_t now) {
  std::lock_guard<std::mutex> lock(mutex_);
  const int limit = limits_.attempts;
  const int window = limits_.window_seconds;
  long wait = std::max(
      {counts_.RetryAfter(ClientKey(client), limit, window, now),
       counts_.RetryAfter(PairKey(account, client), limit, window, now),
       AccountWait(AccountKey(account), now)});
  if (wait > 0) return wait;
  counts_.Record(ClientKey(client), now);
  counts_.Record(PairKey(account, client), now);
  counts_.Record(AccountKey(account), now);
  return 0;
}

void LoginGuard::Succeeded(const std::string& account,
                           const std::string& client, std::time_t now) {
  std::lock_guard<std::mutex> lock(mutex_);
  counts_.Forget(ClientKey(client), now);
  counts_.Forget(PairKey(account, client), now);
  counts_.Forget(AccountKey(account), now);
}

bool LoginGuard::Failed(const std::string& account, std::time_t now) {
  std::lock_guard<std::mutex> lock(mutex_);
  return counts_.Count(AccountKey(account), limits_.window_seconds, now) ==
         limits_.lockout;
}

}  // namespace focus::web
