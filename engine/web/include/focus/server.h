// `focus serve`: the facilitators' board, the public "you said, we did" site
// and a JSON API, in one process over the same SQLite database as the CLI.
//
// HTTP is Boost.Beast over Boost.Asio: a few I/O threads serve every
// connection, and handlers run on a small pool of workers (see
// http_server.h). A request has a database connection of its own while it
// runs, so the CLI keeps working while the server runs and requests never
// share a transaction.
//
// Public pages and read-only JSON that do not depend on who asks (the
// answers page's body, GET /api/answers, GET /api/tickets) are rendered
// once and reused until the board changes (any commit, by this server or
// by the CLI in another process: SQLite's PRAGMA data_version on one
// long-lived connection), the day changes, or the changes file or an edited
// template changes. Per-visitor parts (the layout's "signed in as" and CSRF
// token) are filled in per request, never cached for someone else. Board
// changes go through focus::Board: the same screening, validation and history
// as the CLI, with the signed-in account as the history's actor.
#ifndef FOCUS_SERVER_H_
#define FOCUS_SERVER_H_

#include <ctime>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "focus/clock.h"
#include "focus/config.h"

namespace focus {

struct ServerOptions {
  // Address to listen on; localhost by default so nothing is exposed until
  // someone puts a TLS proxy in front on purpose.
  std::string bind = "127.0.0.1";
  // Port to listen on; 0 = any free port (see WebServer::port()).
  int port = 8080;
  // The board database (must exist: `focus init`).
  std::string db_path = "focus.db";
  // The changes file beside the configuration (focus.changes.yaml); read
  // again for every page that shows forums. "" = no changes.
  std::string changes_path;
  // A folder of edited templates ("" = the built-in ones).
  std::string templates_dir;
  // Largest request body accepted; larger ones get 413.
  size_t max_body_bytes = 64 * 1024;
  // How long a sign-in lasts.
  int session_seconds = 12 * 60 * 60;
  // Failed sign-ins allowed per client address, and per (account, client
  // address), within login_window_seconds before 429.
  int login_attempts = 5;
  int login_window_seconds = 15 * 60;
  // Failed sign-ins for one account from anywhere in that window: after
  // login_slowdown_after each further attempt waits twice as long as the
  // last (from 1 s); at login_lockout the account is locked for everyone
  // until the window passes, and the server logs it.
  int login_slowdown_after = 20;
  int login_lockout = 100;
  // Addresses of reverse proxies whose X-Forwarded-For names the client
  // (config server.trusted_proxies); from any other peer it is ignored.
  std::vector<std::string> trusted_proxies;
  // Mark cookies Secure (config server.public_url is https).
  bool secure_cookies = false;
  // Public votes: one per ticket per client address per day, and at most
  // public_votes_per_hour per client address.
  int public_votes_per_hour = 10;
  // I/O threads: they parse requests and write responses, never waiting
  // for the database; 0 = one per processor.
  int threads = 0;
  // Worker threads running the handlers (database reads and writes);
  // 0 = DefaultServerWorkers().
  int workers = 0;
  // The whole request header must arrive within this time, else the
  // connection is closed (slow clients cannot hold it open).
  int header_timeout_ms = 10 * 1000;
  // Largest request header (request line and fields); larger gets 431.
  size_t max_header_bytes = 16 * 1024;
  // How long a kept-alive connection may wait for its next request.
  int idle_timeout_ms = 15 * 1000;
  // The body must arrive within this time once its header has.
  int body_timeout_ms = 30 * 1000;
  // A response must be taken by the client within this time.
  int write_timeout_ms = 30 * 1000;
  // After refusing a request whose body was not read, how long the unread
  // body is read and dropped before closing, so the client gets the refusal.
  int linger_ms = 2 * 1000;
  // Open connections at most, in all and per client address (the TCP
  // peer); past either, a new connection gets 503 with Retry-After.
  int max_connections = 1024;
  int max_connections_per_address = 256;
  // Retry-After (seconds) on that 503.
  int retry_after_seconds = 5;
  // How long a request waits for a CLI command holding the write lock.
  int busy_timeout_ms = 5000;
  // Seconds since the epoch for sessions and rate limits; nullptr = the
  // real time (tests move time by hand). Dates on the board come from the
  // Clock given to the server.
  std::function<std::time_t()> now;
};

// max(4, 2 x the processor count): enough to keep the processors busy
// while some requests wait for the disk or for SQLite's write lock.
int DefaultServerWorkers();

class WebServer {
 public:
  // REQUIRES: config and clock outlive the server.
  WebServer(const Config& config, const Clock& clock, ServerOptions options);
  ~WebServer();
  WebServer(const WebServer&) = delete;
  WebServer& operator=(const WebServer&) = delete;

  // Binds the listening socket. Throws Error(kIo) if the address or port
  // cannot be used. Returns the port bound.
  int Bind();
  int port() const;
  // Serves requests until Stop(). REQUIRES: Bind() succeeded.
  void Run();
  // Stops Run() from any thread (or a signal-watching thread).
  void Stop();
  // Blocks until Run() is accepting connections.
  void WaitUntilReady() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  int port_ = 0;
};

}  // namespace focus

#endif  // FOCUS_SERVER_H_
