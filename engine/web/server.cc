#include "focus/server.h"

#include <algorithm>
#include <iostream>
#include <thread>
#include <utility>

#include "focus/error.h"
#include "focus/file_system.h"
#include "focus/rounds.h"
#include "focus/store.h"
#include "server_impl.h"

namespace focus {

WebServer::Impl::Impl(const Config& c, const Clock& k, ServerOptions o)
    : config(c),
      clock(k),
      options(std::move(o)),
      login_guard({options.login_attempts, options.login_window_seconds,
                   options.login_slowdown_after, options.login_lockout}) {
  templates.dir = options.templates_dir;
}

std::time_t WebServer::Impl::Now() const {
  return options.now ? options.now() : std::time(nullptr);
}

// The state a cached body is valid for: the board's data version, today,
// the changes file and the templates it is made from (edited ones only;
// the built-in ones cannot change). Taken before the board is read.
std::string WebServer::Impl::CacheState(
    std::initializer_list<const char*> template_names) {
  return StateOf(board_changes->Version(), template_names);
}

// The same, or nullopt where it would wait (see BoardChanges::TryVersion).
std::optional<std::string> WebServer::Impl::TryCacheState(
    std::initializer_list<const char*> template_names) {
  std::optional<std::string> version = board_changes->TryVersion();
  if (!version) return std::nullopt;
  return StateOf(*version, template_names);
}

std::string WebServer::Impl::StateOf(
    const std::string& board_version,
    std::initializer_list<const char*> template_names) const {
  std::string state = board_version + " " + TodayText() + " " +
                      web::FileStamp(options.changes_path);
  if (!options.templates_dir.empty()) {
    for (const char* name : template_names) {
      state += " " + web::FileStamp(options.templates_dir + "/" + name);
    }
  }
  return state;
}

// Today's date as text, worked out again only when the clock's second
// changes: it is part of every cached page's state, asked on every request.
std::string WebServer::Impl::TodayText() const {
  struct Memo {
    const Clock* clock = nullptr;
    std::time_t now = 0;
    std::string today;
  };
  thread_local Memo memo;
  const std::time_t now = clock.Now();
  if (memo.clock != &clock || memo.now != now) {
    memo = {&clock, now, FormatIsoDate(clock.Today())};
  }
  return memo.today;
}

// Database connections kept between requests: opening one (and reading
// its schema) cost more than serving a kept page. A request still has its
// connection to itself while it runs. At most kIdleStores are kept; a
// replaced database file gets new ones.
void WebServer::Impl::TakeStore(Ctx& c) {
  c.store_file = web::BoardChanges::FileId(options.db_path);
  {
    std::lock_guard<std::mutex> lock(store_mutex);
    while (!idle_stores.empty()) {
      auto [file, store] = std::move(idle_stores.back());
      idle_stores.pop_back();
      if (file == c.store_file) {
        c.store = std::move(store);
        return;
      }
    }
  }
  StoreOptions so;
  so.busy_timeout_ms = options.busy_timeout_ms;
  c.store = std::make_unique<Store>(options.db_path, so);
}

// After a request that did not fail on the server's side.
void WebServer::Impl::KeepStore(Ctx& c) {
  if (!c.store || c.res.status >= 500) return;
  c.board.reset();
  c.accounts.reset();
  std::lock_guard<std::mutex> lock(store_mutex);
  if (idle_stores.size() < kIdleStores) {
    idle_stores.emplace_back(c.store_file, std::move(c.store));
  }
}

std::vector<Change> WebServer::Impl::Changes() const {
  if (options.changes_path.empty()) return {};
  return LoadChanges(DiskFileSystem(), options.changes_path);
}

std::shared_ptr<const Plan> WebServer::Impl::PlanFor(
    int year, const std::vector<Change>& changes) {
  const std::string key = SerializeChanges(changes);
  {
    std::lock_guard<std::mutex> lock(plan_mutex);
    auto it = plans.find(year);
    if (it != plans.end() && it->second.first == key) return it->second.second;
  }
  auto plan = std::make_shared<const Plan>(PlanYear(config, year, changes));
  std::lock_guard<std::mutex> lock(plan_mutex);
  plans[year] = {key, plan};
  return plan;
}

// The forums of this plan year and the next (not their look-ahead copies).
// A year that cannot be planned is left out and logged: the public site
// still shows what it can.
std::vector<Event> WebServer::Impl::ForumsOfTwoYears(int* first_year) {
  const Date today = clock.Today();
  int year =
      std::max(RoundOfDate(config, today).first, config.rotation.start_year);
  if (first_year) *first_year = year;
  std::vector<Change> changes = Changes();
  std::vector<Event> out;
  for (int y : {year, year + 1}) {
    try {
      std::shared_ptr<const Plan> plan = PlanFor(y, changes);
      for (const Event& e : plan->events) {
        if (!e.lookahead && e.kind == EventKind::kForum) out.push_back(e);
      }
    } catch (const Error& e) {
      std::cerr << "focus serve: cannot plan " << y << ": " << e.what() << "\n";
    }
  }
  return out;
}

std::vector<Event> WebServer::Impl::UpcomingForums() {
  const Date today = clock.Today();
  std::vector<Event> out;
  for (Event& e : ForumsOfTwoYears(nullptr)) {
    if (e.date >= today) out.push_back(std::move(e));
  }
  return out;
}

// The area whose forum met most recently (today included): the add form's
// default, since facilitators type up the forum they are in.
std::string WebServer::Impl::CurrentForumArea() {
  const Date today = clock.Today();
  std::string slug;
  for (const Event& e : ForumsOfTwoYears(nullptr)) {
    if (e.date <= today && !e.cancelled) slug = e.area_slug;
  }
  if (slug.empty() && !config.areas.empty()) slug = config.areas[0].slug;
  return slug;
}

int DefaultServerWorkers() {
  const int cores = static_cast<int>(std::thread::hardware_concurrency());
  return std::max(4, 2 * cores);
}

WebServer::WebServer(const Config& config, const Clock& clock,
                     ServerOptions options)
    : impl_(std::make_unique<Impl>(config, clock, std::move(options))) {
  Impl& i = *impl_;
  // Fail at start, not on the first request, if the database is missing or
  // the templates folder is not there.
  { Store check(i.options.db_path); }
  try {
    // One watcher for each I/O thread.
    const int io_threads =
        i.options.threads > 0
            ? i.options.threads
            : static_cast<int>(std::thread::hardware_concurrency());
    i.board_changes = std::make_unique<web::BoardChanges>(
        i.options.db_path, i.options.busy_timeout_ms, io_threads);
  } catch (const std::exception& e) {
    ThrowIo(i.options.db_path +
            ": cannot open the board database: " + e.what());
  }
  LoadTemplateText(i.templates, "pages/layout.html.mustache");
  i.Routes();
  i.http = std::make_unique<web::HttpServer>(
      i.options, [&i](const web::HttpRequest& req) { return i.Serve(req); },
      [&i](const web::HttpRequest& req, int status, const std::string& m) {
        return i.Refuse(req, status, m);
      },
      [&i](const web::HttpRequest& req) { return i.Quick(req); });
}

WebServer::~WebServer() { Stop(); }

int WebServer::Bind() { return port_ = impl_->http->Bind(); }

int WebServer::port() const { return port_; }

void WebServer::Run() { impl_->http->Run(); }

void WebServer::Stop() { impl_->http->Stop(); }

void WebServer::WaitUntilReady() const { impl_->http->WaitUntilReady(); }

}  // namespace focus
