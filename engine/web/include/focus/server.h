// `focus serve`: the facilitators' board, the public "you said, we did" site
// and a JSON API, in one process over the same SQLite database as the CLI.
//
// HTTP is cpp-httplib (thread pool, no hand-written parsing). Every request
// opens its own connection to the database, so the CLI keeps working while
// the server runs and requests never share a transaction.
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
  // Failed sign-ins allowed per client address and per account name within
  // login_window_seconds before 429.
  int login_attempts = 5;
  int login_window_seconds = 15 * 60;
  // Public votes: one per ticket per client address per day, and at most
  // public_votes_per_hour per client address.
  int public_votes_per_hour = 10;
  // Worker threads serving requests; 0 = DefaultServerThreads(). A
  // keep-alive connection holds its thread while it stays open, so this
  // is also the number of clients served at once.
  int threads = 0;
  // How long a request waits for a CLI command holding the write lock.
  int busy_timeout_ms = 5000;
  // Seconds since the epoch for sessions and rate limits; nullptr = the
  // real time (tests move time by hand). Dates on the board come from the
  // Clock given to the server.
  std::function<std::time_t()> now;
};

// max(64, 8 x the processor count): a browser opens up to six connections,
// so this serves a room of people, or a load test's dozens, without making
// anyone wait for a free thread. Idle threads cost little memory.
int DefaultServerThreads();

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
};

}  // namespace focus

#endif  // FOCUS_SERVER_H_
