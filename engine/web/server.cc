#include "focus/server.h"

#include <httplib.h>
#include <sys/socket.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <limits>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <thread>
#include <utility>
#include <vector>

#include "focus/accounts.h"
#include "focus/board.h"
#include "focus/board_output.h"
#include "focus/changes.h"
#include "focus/error.h"
#include "focus/file_system.h"
#include "focus/ical_export.h"
#include "focus/plan.h"
#include "focus/plan_output.h"
#include "focus/sla.h"
#include "focus/store.h"
#include "focus/templates.h"
#include "focus/ticket_state.h"
#include "response_cache.h"
#include "web_security.h"
#include "web_views.h"

namespace focus {
namespace {

using Json = nlohmann::json;
using OrderedJson = nlohmann::ordered_json;
using httplib::Request;
using httplib::Response;

constexpr const char* kSessionCookie = "focus_session";
constexpr const char* kHtml = "text/html; charset=utf-8";
constexpr const char* kJson = "application/json; charset=utf-8";
// The actor recorded in the history for votes from the public site.
constexpr const char* kPublicActor = "public site";

// A request that cannot be served as asked: becomes a 4xx response.
struct HttpError {
  int status;
  std::string message;
  std::string field;  // The request field at fault, if any.
  long retry_after = 0;
};

// A page that sends the browser elsewhere (e.g. to sign in).
struct Redirect {
  std::string location;
};

bool IsApi(const Request& req) { return req.path.rfind("/api/", 0) == 0; }

std::string CookieValue(const Request& req, const std::string& name) {
  const std::string header = req.get_header_value("Cookie");
  size_t pos = 0;
  while (pos < header.size()) {
    size_t end = header.find(';', pos);
    if (end == std::string::npos) end = header.size();
    std::string part = header.substr(pos, end - pos);
    size_t start = part.find_first_not_of(' ');
    if (start != std::string::npos) part = part.substr(start);
    size_t eq = part.find('=');
    if (eq != std::string::npos && part.substr(0, eq) == name) {
      return part.substr(eq + 1);
    }
    pos = end + 1;
  }
  return "";
}

// The ticket number the path names, if it names one that fits.
std::optional<int64_t> TicketOfPath(const Request& req) {
  if (req.matches.size() < 2) return std::nullopt;
  const std::string id = req.matches[1].str();
  int64_t n = 0;
  const auto [end, ec] = std::from_chars(id.data(), id.data() + id.size(), n);
  if (id.empty() || ec != std::errc() || end != id.data() + id.size()) {
    return std::nullopt;
  }
  return n;
}

int64_t PathId(const Request& req) {
  const std::optional<int64_t> id = TicketOfPath(req);
  if (!id) throw HttpError{404, "no ticket #" + req.matches[1].str(), ""};
  return *id;
}

// The JSON body of an API request: an object, or 400 saying where it broke.
Json ParseBody(const Request& req) {
  if (req.body.empty()) {
    throw HttpError{400, "the body is empty: send a JSON object", ""};
  }
  Json body;
  try {
    body = Json::parse(req.body);
  } catch (const Json::exception& e) {
    // parse_error, and out_of_range for a number past a double (1e999).
    std::string what = e.what();
    size_t at = what.find("] ");
    if (at != std::string::npos) what = what.substr(at + 2);
    throw HttpError{400, OneLine("malformed JSON: " + what), ""};
  }
  if (!body.is_object()) {
    throw HttpError{400, "the body must be a JSON object", ""};
  }
  return body;
}

std::string TextField(const Json& body, const std::string& name,
                      bool required = false) {
  auto it = body.find(name);
  if (it == body.end() || it->is_null()) {
    if (required) throw HttpError{422, name + ": required", name};
    return "";
  }
  if (!it->is_string()) {
    throw HttpError{400, name + ": must be a string", name};
  }
  return it->get<std::string>();
}

std::optional<int64_t> IntField(const Json& body, const std::string& name) {
  auto it = body.find(name);
  if (it == body.end() || it->is_null()) return std::nullopt;
  if (!it->is_number_integer()) {
    throw HttpError{400, name + ": must be a whole number", name};
  }
  // Past 64 bits: refused, not wrapped round to a negative number.
  if (it->is_number_unsigned() &&
      it->get<uint64_t>() >
          static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
    throw HttpError{422, name + ": " + it->dump() + " is too large", name};
  }
  return it->get<int64_t>();
}

// A count (votes, people): a whole number that fits an int, never cut down
// to one that does (4294967297 is not 1).
int CountField(const Json& body, const std::string& name, int fallback) {
  std::optional<int64_t> v = IntField(body, name);
  if (!v) return fallback;
  if (*v > std::numeric_limits<int>::max()) {
    throw HttpError{422, name + ": " + std::to_string(*v) + " is too large",
                    name};
  }
  if (*v < std::numeric_limits<int>::min()) {
    throw HttpError{422, name + ": " + std::to_string(*v) + " is too small",
                    name};
  }
  return static_cast<int>(*v);
}

bool BoolField(const Json& body, const std::string& name) {
  auto it = body.find(name);
  if (it == body.end() || it->is_null()) return false;
  if (!it->is_boolean()) {
    throw HttpError{400, name + ": must be true or false", name};
  }
  return it->get<bool>();
}

std::vector<std::string> ListField(const Json& body, const std::string& name) {
  auto it = body.find(name);
  if (it == body.end() || it->is_null()) return {};
  if (it->is_string()) return {it->get<std::string>()};
  std::vector<std::string> out;
  if (it->is_array()) {
    for (const Json& v : *it) {
      if (!v.is_string()) break;
      out.push_back(v.get<std::string>());
    }
    if (out.size() == it->size()) return out;
  }
  throw HttpError{400, name + ": must be a list of strings", name};
}

std::vector<std::string> FormList(const Request& req, const std::string& key) {
  std::vector<std::string> out;
  size_t n = req.get_param_value_count(key);
  for (size_t i = 0; i < n; ++i) {
    std::string v = req.get_param_value(key, i);
    if (!v.empty()) out.push_back(v);
  }
  return out;
}

std::optional<int> FormInt(const Request& req, const std::string& key) {
  std::string v = req.get_param_value(key);
  if (v.empty()) return std::nullopt;
  if (v.find_first_not_of("0123456789") != std::string::npos || v.size() > 9) {
    throw HttpError{422, key + ": '" + v + "' is not a whole number", key};
  }
  return std::stoi(v);
}

// httplib::Server listening with a longer queue of connections waiting to be
// accepted. Debian's compiled httplib listens with a backlog of 5
// (CPPHTTPLIB_LISTEN_BACKLOG, fixed when the library was built): when more
// clients connect at once than that (a page's assets, or kept-alive
// connections that all reach their request limit together and reconnect)
// the kernel drops their handshakes, and each waits for a TCP retransmit,
// 0.2 to several seconds, before its request is read.
class HttpServer : public httplib::Server {
 public:
  // Listens again on the bound socket with `backlog`: on a socket that is
  // already listening, listen() only changes the backlog (the kernel caps
  // it at net.core.somaxconn). REQUIRES: bound (bind_to_port).
  bool SetListenBacklog(int backlog) {
    return ::listen(svr_sock_, backlog) == 0;
  }
};

}  // namespace

struct WebServer::Impl {
  Impl(const Config& c, const Clock& k, ServerOptions o)
      : config(c), clock(k), options(std::move(o)) {
    templates.dir = options.templates_dir;
  }

  const Config& config;
  const Clock& clock;
  ServerOptions options;
  TemplateOptions templates;
  HttpServer http;
  web::SessionStore sessions;
  web::RateLimiter limiter;
  int port = 0;

  std::mutex vote_mutex;
  std::mutex plan_mutex;
  // Plan year -> {the changes it was made with, the plan}.
  std::map<int, std::pair<std::string, std::shared_ptr<const Plan>>> plans;

  // Rendered public pages and read-only JSON (see server.h), and the
  // connection that tells when they are out of date.
  std::unique_ptr<web::BoardChanges> board_changes;
  web::ResponseCache cache;

  // The state a cached body is valid for: the board's data version, today,
  // the changes file and the templates it is made from (edited ones only;
  // the built-in ones cannot change). Taken before the board is read.
  std::string CacheState(std::initializer_list<const char*> template_names) {
    std::string state = board_changes->Version() + " " +
                        FormatIsoDate(clock.Today()) + " " +
                        web::FileStamp(options.changes_path);
    if (!options.templates_dir.empty()) {
      for (const char* name : template_names) {
        state += " " + web::FileStamp(options.templates_dir + "/" + name);
      }
    }
    return state;
  }

  std::time_t Now() const {
    return options.now ? options.now() : std::time(nullptr);
  }

  // --- Per-request state. ---------------------------------------------

  struct Ctx {
    const Request& req;
    Response& res;
    std::unique_ptr<Store> store;
    std::unique_ptr<Board> board;
    std::unique_ptr<Accounts> accounts;
    std::string token;
    std::optional<web::Session> session;
    std::optional<Account> account;
    std::string store_file;  // The database file `store` is open on.
  };

  // Database connections kept between requests: opening one (and reading
  // its schema) cost more than serving a kept page. A request still has its
  // connection to itself while it runs. At most kIdleStores are kept; a
  // replaced database file gets new ones.
  static constexpr size_t kIdleStores = 8;
  std::mutex store_mutex;
  std::vector<std::pair<std::string, std::unique_ptr<Store>>> idle_stores;

  void TakeStore(Ctx& c) {
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
  void KeepStore(Ctx& c) {
    if (!c.store || c.res.status >= 500) return;
    c.board.reset();
    c.accounts.reset();
    std::lock_guard<std::mutex> lock(store_mutex);
    if (idle_stores.size() < kIdleStores) {
      idle_stores.emplace_back(c.store_file, std::move(c.store));
    }
  }

  void Open(Ctx& c) {
    TakeStore(c);
    c.board = std::make_unique<Board>(*c.store, config, clock);
    c.accounts = std::make_unique<Accounts>(*c.store, config, clock);
    c.token = CookieValue(c.req, kSessionCookie);
    c.session = sessions.Find(c.token, Now());
    if (c.session) {
      // Re-read the account: a disabled one loses its sessions at once.
      c.account = c.accounts->Find(c.session->account);
      if (!c.account || c.account->disabled) {
        sessions.Remove(c.token);
        c.session.reset();
        c.account.reset();
      }
    }
  }

  // 401 for the API and for writes; the sign-in page for reading pages.
  const Account& RequireAccount(Ctx& c, bool write) {
    if (!c.account) {
      if (IsApi(c.req) || write) {
        throw HttpError{401, "sign in first", ""};
      }
      throw Redirect{"/login"};
    }
    return *c.account;
  }

  void RequireCsrf(Ctx& c, const std::string& given) {
    if (!c.session || !web::SecretsEqual(given, c.session->csrf_token)) {
      throw Error(ErrorKind::kForbidden,
                  "missing or wrong CSRF token: reload the page and try "
                  "again");
    }
  }

  // A write: signed in, with the session's CSRF token (header for the API,
  // hidden form field for pages).
  const Account& RequireWriter(Ctx& c) {
    const Account& a = RequireAccount(c, true);
    RequireCsrf(c, IsApi(c.req) ? c.req.get_header_value("X-CSRF-Token")
                                : c.req.get_param_value("csrf"));
    return a;
  }

  static void RequireAllowed(const Account& a, Action action,
                             const std::string& team, const char* what) {
    if (!Allows(a, action, team)) {
      const std::string role = RoleName(a.role);
      std::string why =
          (role[0] == 'e' ? "an " : "a ") + role + " may not " + what;
      if (a.role == Role::kResponder && !team.empty()) {
        why += " (responders act on their own team's tickets: " + a.team + ")";
      }
      throw Error(ErrorKind::kForbidden, why);
    }
  }

  // The ticket a merge names in its body: 422 naming the field if there is
  // no such ticket (the path's ticket exists; the request is what is wrong).
  static void RequireMergeTarget(Ctx& c, int64_t into) {
    try {
      c.board->Get(into);
    } catch (const Error& e) {
      if (e.kind() != ErrorKind::kNotFound) throw;
      throw HttpError{422, std::string("into: ") + e.what(), "into"};
    }
  }

  // The ticket in the path, or 404 (see Handle).
  static Ticket PathTicket(Ctx& c) { return c.board->Get(PathId(c.req)); }

  // Browsers send Origin on cross-site form posts; refuse those outright.
  static void CheckOrigin(const Request& req) {
    std::string origin = req.get_header_value("Origin");
    if (origin.empty() || origin == "null") return;
    std::string host = req.get_header_value("Host");
    size_t scheme = origin.find("://");
    std::string origin_host =
        scheme == std::string::npos ? origin : origin.substr(scheme + 3);
    if (origin_host != host) {
      throw Error(ErrorKind::kForbidden, "cross-site request refused");
    }
  }

  // --- Responses. -----------------------------------------------------

  std::string RenderPage(const Ctx* c, const std::string& name,
                         const std::string& title, const Json& view,
                         const std::string& current = "") {
    return Page(c, title, RenderBody(name, view), current);
  }

  // A template that does not fit its view is the server's fault (or the
  // editor's), never the visitor's: 500, with the template's file and line
  // in the log.
  template <typename F>
  static std::string RenderingTemplates(F render) {
    try {
      return render();
    } catch (const Error& e) {
      throw Error(ErrorKind::kInternal, e.what());
    }
  }

  // The inside of a page: pages/NAME.html.mustache.
  std::string RenderBody(const std::string& name, const Json& view) {
    return RenderingTemplates([&] {
      return RenderTemplate(templates, "pages/" + name + ".html.mustache", view,
                            Escaping::kHtml);
    });
  }

  // `body` in the layout, with the visitor's own parts (the nav, "signed in
  // as", the sign-out form's CSRF token). The layout is rendered around a
  // placeholder and the body put in its place, so a large body is not
  // copied through the template engine; the same bytes as rendering it
  // with the body. A layout that escapes the body or shows it twice (an
  // edited one) is rendered with the body itself.
  std::string Page(const Ctx* c, const std::string& title,
                   const std::string& body, const std::string& current) {
    static const std::string kPlaceholder = "<focus-page-body-d41d8cd9>";
    return RenderingTemplates([&] {
      Json layout = web::LayoutView(
          config, title, current, c ? c->account : std::nullopt,
          c && c->session ? c->session->csrf_token : std::string());
      layout["body"] = kPlaceholder;
      std::string frame = RenderTemplate(
          templates, "pages/layout.html.mustache", layout, Escaping::kHtml);
      const size_t at = frame.find(kPlaceholder);
      if (at != std::string::npos &&
          frame.find(kPlaceholder, at + 1) == std::string::npos) {
        std::string page;
        page.reserve(frame.size() - kPlaceholder.size() + body.size());
        page.append(frame, 0, at);
        page.append(body);
        page.append(frame, at + kPlaceholder.size(), std::string::npos);
        return page;
      }
      layout["body"] = body;
      return RenderTemplate(templates, "pages/layout.html.mustache", layout,
                            Escaping::kHtml);
    });
  }

  void SendJson(Response& res, int status, const OrderedJson& j) {
    res.status = status;
    res.set_content(JsonText(j), kJson);
  }

  // A kept body, written to the socket from the cache's copy (it stays
  // alive until sent, even if the cache drops it meanwhile).
  static void SendKept(Response& res, web::ResponseCache::Body body,
                       const char* content_type) {
    const size_t size = body->size();
    res.set_content_provider(
        size, content_type,
        [body = std::move(body)](size_t offset, size_t length,
                                 httplib::DataSink& sink) {
          return sink.write(body->data() + offset, length);
        });
  }

  static std::string JsonText(const OrderedJson& j) {
    // Messages may quote what the client sent (a path, a parse error's
    // "last read"), which need not be UTF-8: replace such bytes (U+FFFD)
    // rather than throw while answering.
    return j.dump(2, ' ', false, OrderedJson::error_handler_t::replace) + "\n";
  }

  void SendError(const Ctx* c, const Request& req, Response& res,
                 const HttpError& e) {
    res.status = e.status;
    if (e.retry_after > 0) {
      res.set_header("Retry-After", std::to_string(e.retry_after));
    }
    if (IsApi(req)) {
      OrderedJson j = {{"error", e.message}};
      if (!e.field.empty()) j["field"] = e.field;
      SendJson(res, e.status, j);
      return;
    }
    try {
      res.set_content(RenderPage(c, "error", web::StatusTitle(e.status),
                                 web::ErrorView(e.status, e.message)),
                      kHtml);
    } catch (const std::exception& inner) {
      // A broken template must not hide the original error.
      std::cerr << "focus serve: cannot render the error page: " << inner.what()
                << "\n";
      res.set_content(web::StatusTitle(e.status) + ": " + e.message + "\n",
                      "text/plain; charset=utf-8");
    }
  }

  // The response to an engine error: its kind gives the status, its field
  // the JSON "field". A problem of the server itself (a file, a bug) is
  // logged; a bug's own words stay in the log.
  static HttpError ToHttp(const Request& req, const Error& e) {
    const int status = web::HttpStatus(e.kind());
    if (e.kind() == ErrorKind::kInternal) {
      std::cerr << "focus serve: internal error: " << e.what() << "\n";
      return HttpError{status, "internal error; see the server log", ""};
    }
    if (e.kind() == ErrorKind::kIo) {
      std::cerr << "focus serve: " << e.what() << "\n";
    }
    HttpError out{status,
                  web::WebMessage(e, IsApi(req), TicketOfPath(req).value_or(0)),
                  e.field()};
    if (e.kind() == ErrorKind::kBusy) out.retry_after = 1;
    return out;
  }

  // Runs a handler, turning every failure into a response: no exception
  // ever reaches httplib, so one bad request cannot take the server down.
  using Body = std::function<void(Ctx&)>;
  httplib::Server::Handler Handle(Body body, bool needs_db = true) {
    return [this, body, needs_db](const Request& req, Response& res) {
      Ctx c{req, res,          nullptr,      nullptr, nullptr,
            "",  std::nullopt, std::nullopt, ""};
      try {
        try {
          if (req.method == "POST") CheckOrigin(req);
          if (needs_db) Open(c);
          body(c);
        } catch (const Error& e) {
          throw ToHttp(req, e);
        }
      } catch (const HttpError& e) {
        SendError(&c, req, res, e);
      } catch (const Redirect& r) {
        res.set_redirect(r.location, 303);
      } catch (const std::exception& e) {
        std::cerr << "focus serve: internal error: " << e.what() << "\n";
        SendError(&c, req, res,
                  HttpError{500, "internal error; see the server log", ""});
      }
      KeepStore(c);
    };
  }

  // --- The plan. ------------------------------------------------------

  std::vector<Change> Changes() const {
    if (options.changes_path.empty()) return {};
    return LoadChanges(DiskFileSystem(), options.changes_path);
  }

  std::shared_ptr<const Plan> PlanFor(int year,
                                      const std::vector<Change>& changes) {
    const std::string key = SerializeChanges(changes);
    {
      std::lock_guard<std::mutex> lock(plan_mutex);
      auto it = plans.find(year);
      if (it != plans.end() && it->second.first == key)
        return it->second.second;
    }
    auto plan = std::make_shared<const Plan>(PlanYear(config, year, changes));
    std::lock_guard<std::mutex> lock(plan_mutex);
    plans[year] = {key, plan};
    return plan;
  }

  // The forums of this plan year and the next (not their look-ahead copies).
  // A year that cannot be planned is left out and logged: the public site
  // still shows what it can.
  std::vector<Event> ForumsOfTwoYears(int* first_year) {
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
        std::cerr << "focus serve: cannot plan " << y << ": " << e.what()
                  << "\n";
      }
    }
    return out;
  }

  std::vector<Event> UpcomingForums() {
    const Date today = clock.Today();
    std::vector<Event> out;
    for (Event& e : ForumsOfTwoYears(nullptr)) {
      if (e.date >= today) out.push_back(std::move(e));
    }
    return out;
  }

  // The area whose forum met most recently (today included): the add form's
  // default, since facilitators type up the forum they are in.
  std::string CurrentForumArea() {
    const Date today = clock.Today();
    std::string slug;
    for (const Event& e : ForumsOfTwoYears(nullptr)) {
      if (e.date <= today && !e.cancelled) slug = e.area_slug;
    }
    if (slug.empty() && !config.areas.empty()) slug = config.areas[0].slug;
    return slug;
  }

  // --- Public site. ---------------------------------------------------

  void Home(Ctx& c) {
    Json view = web::HomeView(config, UpcomingForums());
    c.res.set_content(
        RenderPage(&c, "home", "Community forums: dates and how to attend",
                   view, "/"),
        kHtml);
  }

  void Calendar(Ctx& c, const std::string& area_slug) {
    const Area* area = nullptr;
    if (!area_slug.empty()) {
      for (const Area& a : config.areas) {
        if (a.slug == area_slug) area = &a;
      }
      if (!area) {
        throw HttpError{404, "no calendar for area '" + area_slug + "'", ""};
      }
    }
    int year = 0;
    std::vector<Event> forums = ForumsOfTwoYears(&year);
    std::vector<const Event*> events;
    for (const Event& e : forums) {
      if (!area || e.area_slug == area->slug || e.evening) {
        events.push_back(&e);
      }
    }
    CalendarOptions options;
    options.dtstamp = CalendarTimestamp(config, year);
    options.name = config.series_name + (area ? ": " + area->name : "");
    c.res.set_content(RenderCalendar(events, options),
                      "text/calendar; charset=utf-8");
  }

  std::vector<Ticket> PublishedTickets(Ctx& c) {
    std::vector<Ticket> out;
    for (Ticket& t : c.board->List(TicketFilter{})) {
      if (web::IsPublished(t)) out.push_back(std::move(t));
    }
    return out;
  }

  void Answers(Ctx& c) {
    std::optional<int64_t> voted;
    if (auto v = FormInt(c.req, "voted")) voted = *v;
    const std::string variant = voted ? std::to_string(*voted) : "";
    const std::string state = CacheState(
        {"pages/answers.html.mustache", "pages/layout.html.mustache"});
    const char* title = "You said, we did";
    auto body = [&] {
      return cache.Get("/answers body", variant, state, [&] {
        return RenderBody("answers",
                          web::AnswersView(config, PublishedTickets(c), voted));
      });
    };
    if (!c.session && !c.account) {
      // Everyone not signed in gets the same page: kept whole.
      auto page = cache.Get("/answers page", variant, state, [&] {
        return Page(nullptr, title, *body(), "/answers");
      });
      SendKept(c.res, page, kHtml);
      return;
    }
    c.res.set_content(Page(&c, title, *body(), "/answers"), kHtml);
  }

  // One public vote, rate-limited per client address.
  void PublicVote(Ctx& c) {
    int64_t id = PathId(c.req);
    Ticket t;
    try {
      t = c.board->Get(id);
    } catch (const Error& e) {
      // Only a missing ticket is "not found"; a disk error is not.
      if (e.kind() != ErrorKind::kNotFound) throw;
      throw HttpError{404, "no published answer #" + std::to_string(id), ""};
    }
    if (!web::IsPublished(t)) {
      throw HttpError{404, "no published answer #" + std::to_string(id), ""};
    }
    // One vote check at a time, so two requests at once cannot both pass.
    std::lock_guard<std::mutex> lock(vote_mutex);
    const std::time_t now = Now();
    const std::string client = c.req.remote_addr;
    const std::string per_ticket = "vote:" + client + ":" + std::to_string(id);
    if (long wait = limiter.RetryAfter(per_ticket, 1, 24 * 3600, now)) {
      throw HttpError{429,
                      "you have already voted for #" + std::to_string(id) +
                          " today; thank you",
                      "", wait};
    }
    if (long wait = limiter.Take("votes:" + client,
                                 options.public_votes_per_hour, 3600, now)) {
      throw HttpError{429, "too many votes from here: try again later", "",
                      wait};
    }
    limiter.Record(per_ticket, now);
    c.board->AddVotes(id, 1, std::nullopt, "vote from the public site",
                      kPublicActor);
    const int votes = c.board->Get(id).votes;
    if (IsApi(c.req)) {
      SendJson(c.res, 200, {{"id", id}, {"votes", votes}});
    } else {
      c.res.set_redirect("/answers?voted=" + std::to_string(id) + "#ticket-" +
                             std::to_string(id),
                         303);
    }
  }

  // --- Signing in. ----------------------------------------------------

  // Checks the rate limits, then the password. Failed attempts count per
  // client address and per account name; once over the limit even the right
  // password is refused until the window passes.
  Account SignIn(Ctx& c, const std::string& name, const std::string& password) {
    const std::time_t now = Now();
    const std::string by_client = "login-ip:" + c.req.remote_addr;
    std::string lower = name;
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char ch) { return std::tolower(ch); });
    const std::string by_name = "login-name:" + lower;
    long wait = std::max(limiter.RetryAfter(by_client, options.login_attempts,
                                            options.login_window_seconds, now),
                         limiter.RetryAfter(by_name, options.login_attempts,
                                            options.login_window_seconds, now));
    if (wait > 0) {
      throw HttpError{429,
                      "too many failed sign-ins: try again in " +
                          std::to_string((wait + 59) / 60) + " minute" +
                          ((wait + 59) / 60 == 1 ? "" : "s"),
                      "", wait};
    }
    std::optional<Account> account = c.accounts->Authenticate(name, password);
    if (!account) {
      limiter.Record(by_client, now);
      limiter.Record(by_name, now);
      throw HttpError{401, "the account name or password is wrong", "name"};
    }
    // A new token on every sign-in: a planted cookie is never promoted.
    if (!c.token.empty()) sessions.Remove(c.token);
    c.token = sessions.Create(account->name, now, options.session_seconds);
    c.session = sessions.Find(c.token, now);
    c.account = account;
    c.res.set_header("Set-Cookie",
                     std::string(kSessionCookie) + "=" + c.token +
                         "; HttpOnly; SameSite=Strict; Path=/; Max-Age=" +
                         std::to_string(options.session_seconds));
    return *account;
  }

  void SignOut(Ctx& c) {
    RequireWriter(c);
    sessions.Remove(c.token);
    c.res.set_header("Set-Cookie", std::string(kSessionCookie) +
                                       "=; HttpOnly; SameSite=Strict; "
                                       "Path=/; Max-Age=0");
  }

  void LoginPage(Ctx& c, int status, const std::string& name,
                 const std::string& error) {
    c.res.status = status;
    c.res.set_content(RenderPage(&c, "login", "Sign in",
                                 web::LoginView(name, error), "/login"),
                      kHtml);
  }

  void LoginPost(Ctx& c) {
    const std::string name = c.req.get_param_value("name");
    try {
      SignIn(c, name, c.req.get_param_value("password"));
    } catch (const HttpError& e) {
      if (e.retry_after > 0) {
        c.res.set_header("Retry-After", std::to_string(e.retry_after));
      }
      LoginPage(c, e.status, name, e.message);
      return;
    }
    c.res.set_redirect("/board", 303);
  }

  static OrderedJson AccountJson(const Account& a) {
    return {{"name", a.name}, {"role", RoleName(a.role)}, {"team", a.team}};
  }

  // --- The board. -----------------------------------------------------

  struct FormState {
    NewTicket values;
    web::FormError error;
    int64_t card = 0;  // The card the error is about (0 = the add form).
  };

  void BoardPage(Ctx& c, int status, const FormState* form,
                 const std::string& notice) {
    const Account& a = RequireAccount(c, false);
    NewTicket defaults;
    if (form && form->card == 0) {
      defaults = form->values;
    } else {
      // Keep the last ticket's area, themes and team: the next point from
      // the same forum is usually about the same place and team.
      defaults.area = c.req.get_param_value("area");
      defaults.themes = FormList(c.req, "theme");
      defaults.team = c.req.get_param_value("team");
      if (defaults.area.empty()) defaults.area = CurrentForumArea();
    }
    TicketFilter filter;
    web::BoardForm bf;
    bf.values = defaults;
    if (form) {
      bf.error = form->error;
      bf.card = form->card;
    }
    Json view = web::BoardView(config, config.MakeHolidayCalendar(),
                               c.board->List(filter), clock.Today(), a, bf,
                               notice, c.session->csrf_token);
    c.res.status = status;
    c.res.set_header("Cache-Control", "no-store");
    c.res.set_content(RenderPage(&c, "board", "Feedback board", view, "/board"),
                      kHtml);
  }

  // Runs a board form post; on a validation error shows the board again with
  // the message next to the field and the values kept.
  void BoardWrite(Ctx& c, int64_t card, const NewTicket& values,
                  const std::function<std::string()>& write) {
    std::string location;
    try {
      location = write();
    } catch (const Error& e) {
      if (!web::ShowsOnForm(e)) throw;
      FormState f{values, web::FormErrorOf(e), card};
      BoardPage(c, web::HttpStatus(e.kind()), &f, "");
      return;
    } catch (const HttpError& e) {
      if (e.status != 422) throw;
      FormState f{values, {e.message, e.field}, card};
      BoardPage(c, 422, &f, "");
      return;
    }
    c.res.set_redirect(location, 303);
  }

  static std::string Q(const std::string& s) {
    return httplib::detail::encode_query_param(s);
  }

  void AddTicketForm(Ctx& c) {
    const Account& a = RequireWriter(c);
    RequireAllowed(a, Action::kAddTicket, "", "add tickets");
    NewTicket t;
    t.title = c.req.get_param_value("title");
    t.details = c.req.get_param_value("details");
    t.area = c.req.get_param_value("area");
    t.themes = FormList(c.req, "themes");
    t.team = c.req.get_param_value("team");
    t.allow_identifiers = c.req.get_param_value("allow_identifiers") == "yes";
    BoardWrite(c, 0, t, [&] {
      if (auto n = FormInt(c.req, "raised_by")) t.raised_by = *n;
      int64_t id = c.board->AddTicket(t, a.name);
      std::string q = "/board?added=" + std::to_string(id) +
                      "&area=" + Q(t.area) + "&team=" + Q(t.team);
      for (const std::string& th : t.themes) q += "&theme=" + Q(th);
      return q + "#add-ticket";
    });
  }

  void CardForm(Ctx& c, const std::string& op) {
    const Account& a = RequireWriter(c);
    Ticket t = PathTicket(c);
    const std::string back = "/board?changed=" + std::to_string(t.id) +
                             "#ticket-" + std::to_string(t.id);
    if (op == "vote") {
      RequireAllowed(a, Action::kVote, t.team, "add votes");
      BoardWrite(c, t.id, {}, [&] {
        c.board->AddVotes(t.id, FormInt(c.req, "count").value_or(1),
                          std::nullopt, c.req.get_param_value("note"), a.name);
        return back;
      });
    } else if (op == "move") {
      RequireAllowed(a, Action::kMove, t.team, "move this ticket");
      BoardWrite(c, t.id, {}, [&] {
        const std::string state = c.req.get_param_value("state");
        std::optional<TicketState> to = ParseTicketState(state);
        if (!to) {
          throw HttpError{422,
                          "state: choose the state to move #" +
                              std::to_string(t.id) + " to",
                          "state"};
        }
        c.board->Move(t.id, *to, c.req.get_param_value("reason"), a.name);
        return back;
      });
    } else if (op == "merge") {
      RequireAllowed(a, Action::kMerge, t.team, "merge tickets");
      BoardWrite(c, t.id, {}, [&] {
        std::optional<int> into = FormInt(c.req, "into");
        if (!into) {
          throw HttpError{422,
                          "into: give the number of the ticket to merge #" +
                              std::to_string(t.id) + " into",
                          "into"};
        }
        RequireMergeTarget(c, *into);
        c.board->Merge(t.id, *into, a.name);
        return "/board?changed=" + std::to_string(*into) + "#ticket-" +
               std::to_string(*into);
      });
    } else if (op == "answer") {
      RequireAllowed(a, Action::kAnswer, t.team, "answer this ticket");
      std::string text = c.req.get_param_value("text");
      std::string by = c.req.get_param_value("answered_by");
      bool in_progress = c.req.get_param_value("in_progress") == "yes";
      bool allow = c.req.get_param_value("allow_identifiers") == "yes";
      try {
        c.board->Answer(t.id, text, by, in_progress, allow, a.name);
      } catch (const Error& e) {
        if (!web::ShowsOnForm(e)) throw;
        TicketPage(c, web::HttpStatus(e.kind()), web::FormErrorOf(e), text, by);
        return;
      }
      c.res.set_redirect(
          "/board/tickets/" + std::to_string(t.id) + "?answered=1", 303);
    } else if (op == "verdict") {
      RequireAllowed(a, Action::kVote, t.team, "record a forum's verdict");
      const std::string note = c.req.get_param_value("note");
      try {
        RecordVerdict(c, t.id, c.req.get_param_value("verdict"),
                      FormInt(c.req, "forum"), note, a.name);
      } catch (const Error& e) {
        if (!web::ShowsOnForm(e)) throw;
        TicketPage(c, web::HttpStatus(e.kind()), web::FormErrorOf(e), "", "",
                   note);
        return;
      } catch (const HttpError& e) {
        if (e.status != 422) throw;
        TicketPage(c, 422, {e.message, e.field}, "", "", note);
        return;
      }
      c.res.set_redirect(
          "/board/tickets/" + std::to_string(t.id) + "?verdict=1", 303);
    }
  }

  // A verdict from the form or the API: `verdict` is checked here, the rest
  // by the board.
  void RecordVerdict(Ctx& c, int64_t id, const std::string& verdict,
                     std::optional<int64_t> forum, const std::string& note,
                     const std::string& actor) {
    std::optional<Verdict> v = ParseVerdict(verdict);
    if (!v) {
      throw HttpError{422,
                      "verdict: '" + verdict +
                          "' is not a verdict (confirmed, not-yet, disputed)",
                      "verdict"};
    }
    if (!forum) {
      throw HttpError{422, "forum: give the forum that gave the verdict",
                      "forum"};
    }
    c.board->RecordVerdict(id, *forum, *v, note, actor);
  }

  void TicketPage(Ctx& c, int status, const web::FormError& error,
                  const std::string& text, const std::string& by,
                  const std::string& verdict_note = "") {
    const Account& a = RequireAccount(c, false);
    Ticket t = PathTicket(c);
    Json view = web::TicketView(config, config.MakeHolidayCalendar(), t,
                                c.board->History(t.id), clock.Today(), a, error,
                                text, by, c.req.has_param("answered"),
                                c.session->csrf_token, c.board->Forums(),
                                verdict_note, c.req.has_param("verdict"));
    c.res.status = status;
    c.res.set_header("Cache-Control", "no-store");
    c.res.set_content(
        RenderPage(&c, "ticket", "Ticket #" + std::to_string(t.id), view,
                   "/board"),
        kHtml);
  }

  // --- The API. -------------------------------------------------------

  void ApiTicketWrite(Ctx& c, const std::string& op) {
    const Account& a = RequireWriter(c);
    Json body = ParseBody(c.req);
    Ticket t = PathTicket(c);
    if (op == "votes") {
      RequireAllowed(a, Action::kVote, t.team, "add votes");
      std::optional<int64_t> forum = IntField(body, "forum");
      c.board->AddVotes(t.id, CountField(body, "count", 1), forum,
                        TextField(body, "note"), a.name);
    } else if (op == "move") {
      RequireAllowed(a, Action::kMove, t.team, "move this ticket");
      const std::string state = TextField(body, "state", true);
      std::optional<TicketState> to = ParseTicketState(state);
      if (!to) {
        throw HttpError{422,
                        "state: '" + state + "' is not a state (" +
                            TicketStateNames(MoveTargetStates()) + ")",
                        "state"};
      }
      c.board->Move(t.id, *to, TextField(body, "reason"), a.name);
    } else if (op == "merge") {
      RequireAllowed(a, Action::kMerge, t.team, "merge tickets");
      std::optional<int64_t> into = IntField(body, "into");
      if (!into) throw HttpError{422, "into: required", "into"};
      RequireMergeTarget(c, *into);
      c.board->Merge(t.id, *into, a.name);
    } else if (op == "answer") {
      RequireAllowed(a, Action::kAnswer, t.team, "answer this ticket");
      c.board->Answer(t.id, TextField(body, "text", true),
                      TextField(body, "answered_by", true),
                      BoolField(body, "in_progress"),
                      BoolField(body, "allow_identifiers"), a.name);
    } else if (op == "verdict") {
      RequireAllowed(a, Action::kVote, t.team, "record a forum's verdict");
      RecordVerdict(c, t.id, TextField(body, "verdict", true),
                    IntField(body, "forum"), TextField(body, "note"), a.name);
    }
    SendTicket(c, t.id, 200);
  }

  void SendTicket(Ctx& c, int64_t id, int status) {
    c.res.status = status;
    c.res.set_header("Cache-Control", "no-store");
    c.res.set_content(RenderTicketJson(config, c.board->Get(id),
                                       c.board->History(id), clock.Today()),
                      kJson);
  }

  // GET /api/tickets: the same list for every signed-in account, so it is
  // kept per filter (each value length-prefixed: no two filters share a
  // key). REQUIRES: the request is signed in.
  void SendTicketList(Ctx& c, const TicketFilter& filter) {
    std::string variant = filter.by_votes ? "by votes" : "by id";
    for (const std::string& v :
         {std::string(filter.state ? TicketStateName(*filter.state) : ""),
          filter.area, filter.theme, filter.team}) {
      variant += " " + std::to_string(v.size()) + ":" + v;
    }
    auto list = cache.Get("/api/tickets", variant, CacheState({}), [&] {
      return RenderTicketListJson(config, c.board->List(filter), clock.Today());
    });
    c.res.set_header("Cache-Control", "no-store");
    SendKept(c.res, list, kJson);
  }

  void ApiAddTicket(Ctx& c) {
    const Account& a = RequireWriter(c);
    RequireAllowed(a, Action::kAddTicket, "", "add tickets");
    Json body = ParseBody(c.req);
    NewTicket t;
    t.title = TextField(body, "title");
    t.details = TextField(body, "details");
    t.area = TextField(body, "area");
    t.themes = ListField(body, "themes");
    t.team = TextField(body, "team");
    t.raised_by = CountField(body, "raised_by", 1);
    t.forum_id = IntField(body, "forum");
    t.allow_identifiers = BoolField(body, "allow_identifiers");
    int64_t id = c.board->AddTicket(t, a.name);
    SendTicket(c, id, 201);
  }

  // --- Routes. --------------------------------------------------------

  void BoardHome(Ctx& c) {
    std::string notice;
    if (c.req.has_param("added")) {
      notice = "Added ticket #" + c.req.get_param_value("added") + ".";
    } else if (c.req.has_param("changed")) {
      notice = "Saved ticket #" + c.req.get_param_value("changed") + ".";
    }
    BoardPage(c, 200, nullptr, notice);
  }

  void ApiLogin(Ctx& c) {
    Json body = ParseBody(c.req);
    Account a = SignIn(c, TextField(body, "name", true),
                       TextField(body, "password", true));
    SendJson(
        c.res, 200,
        {{"account", AccountJson(a)}, {"csrf_token", c.session->csrf_token}});
  }

  void ApiSession(Ctx& c) {
    const Account& a = RequireAccount(c, false);
    c.res.set_header("Cache-Control", "no-store");
    SendJson(
        c.res, 200,
        {{"account", AccountJson(a)}, {"csrf_token", c.session->csrf_token}});
  }

  void ApiAnswers(Ctx& c) {
    auto json = cache.Get("/api/answers", "", CacheState({}), [&] {
      return JsonText(web::AnswersJson(config, PublishedTickets(c)));
    });
    SendKept(c.res, json, kJson);
  }

  void ApiTicketList(Ctx& c) {
    RequireAccount(c, false);
    TicketFilter filter;
    if (c.req.has_param("state")) {
      filter.state = ParseTicketState(c.req.get_param_value("state"));
      if (!filter.state) {
        throw HttpError{422,
                        "state: '" + c.req.get_param_value("state") +
                            "' is not a state (" +
                            TicketStateNames(AllTicketStates()) + ")",
                        "state"};
      }
    }
    filter.area = c.req.get_param_value("area");
    filter.theme = c.req.get_param_value("theme");
    filter.team = c.req.get_param_value("team");
    filter.by_votes = c.req.get_param_value("by_votes") == "true";
    SendTicketList(c, filter);
  }

  // --- Routes. --------------------------------------------------------

  void Routes() {
    PublicRoutes();
    SignInRoutes();
    BoardRoutes();
    ApiRoutes();
    RefusalRoutes();
  }

  void PublicRoutes() {
    auto& h = http;
    h.Get("/", Handle([this](Ctx& c) { Home(c); }));
    h.Get("/calendar.ics", Handle([this](Ctx& c) { Calendar(c, ""); }));
    h.Get(R"(/calendar/([^/]+)\.ics)",
          Handle([this](Ctx& c) { Calendar(c, c.req.matches[1].str()); }));
    h.Get("/answers", Handle([this](Ctx& c) { Answers(c); }));
    h.Post(R"(/answers/(\d+)/vote)", Handle([this](Ctx& c) { PublicVote(c); }));
    h.Get(R"(/static/([a-z0-9-]+\.(css|js)))",
          Handle([this](Ctx& c) { Static(c); }, false));
  }

  void SignInRoutes() {
    auto& h = http;
    h.Get("/login", Handle([this](Ctx& c) { LoginPage(c, 200, "", ""); }));
    h.Post("/login", Handle([this](Ctx& c) { LoginPost(c); }));
    h.Post("/logout", Handle([this](Ctx& c) {
             SignOut(c);
             c.res.set_redirect("/", 303);
           }));
  }

  void BoardRoutes() {
    auto& h = http;
    h.Get("/board", Handle([this](Ctx& c) { BoardHome(c); }));
    h.Post("/board/tickets", Handle([this](Ctx& c) { AddTicketForm(c); }));
    h.Get(R"(/board/tickets/(\d+))",
          Handle([this](Ctx& c) { TicketPage(c, 200, {}, "", ""); }));
    for (const char* op : {"vote", "move", "merge", "answer", "verdict"}) {
      std::string name = op;
      h.Post(R"(/board/tickets/(\d+)/)" + name,
             Handle([this, name](Ctx& c) { CardForm(c, name); }));
    }
  }

  void ApiRoutes() {
    auto& h = http;
    h.Get("/api/forums", Handle([this](Ctx& c) {
            SendJson(c.res, 200, web::ForumsJson(config, UpcomingForums()));
          }));
    h.Get("/api/answers", Handle([this](Ctx& c) { ApiAnswers(c); }));
    h.Post(R"(/api/answers/(\d+)/vote)",
           Handle([this](Ctx& c) { PublicVote(c); }));
    h.Post("/api/login", Handle([this](Ctx& c) { ApiLogin(c); }));
    h.Post("/api/logout", Handle([this](Ctx& c) {
             SignOut(c);
             SendJson(c.res, 200, {{"signed_out", true}});
           }));
    h.Get("/api/session", Handle([this](Ctx& c) { ApiSession(c); }));
    h.Get("/api/tickets", Handle([this](Ctx& c) { ApiTicketList(c); }));
    h.Post("/api/tickets", Handle([this](Ctx& c) { ApiAddTicket(c); }));
    h.Get(R"(/api/tickets/(\d+))", Handle([this](Ctx& c) {
            RequireAccount(c, false);
            SendTicket(c, PathTicket(c).id, 200);
          }));
    for (const char* op : {"votes", "move", "merge", "answer", "verdict"}) {
      std::string name = op;
      h.Post(R"(/api/tickets/(\d+)/)" + name,
             Handle([this, name](Ctx& c) { ApiTicketWrite(c, name); }));
    }
  }

  // Anything else: 404, and the body for httplib's own refusals (413 for
  // an oversized body, 400 for a bad request line).
  void RefusalRoutes() {
    http.set_error_handler([this](const Request& req, Response& res) {
      if (!res.body.empty()) return;
      std::string message;
      switch (res.status) {
        case 404:
          message = "no such page or API route: " + req.method + " " + req.path;
          break;
        case 413:
          message = "the request body is larger than " +
                    std::to_string(options.max_body_bytes) + " bytes";
          break;
        default:
          message = web::StatusTitle(res.status);
      }
      SendError(nullptr, req, res, HttpError{res.status, message, ""});
    });
    http.set_exception_handler(
        [this](const Request& req, Response& res, std::exception_ptr) {
          SendError(nullptr, req, res,
                    HttpError{500, "internal error; see the server log", ""});
        });
  }

  void Static(Ctx& c) {
    const std::string name = c.req.matches[1].str();
    std::string text;
    try {
      text = LoadTemplateText(templates, "pages/static/" + name);
    } catch (const Error&) {
      throw HttpError{404, "no such file: /static/" + name, ""};
    }
    const bool css = name.size() > 4 && name.substr(name.size() - 4) == ".css";
    c.res.set_header("Cache-Control", "max-age=300");
    c.res.set_content(text, css ? "text/css; charset=utf-8"
                                : "text/javascript; charset=utf-8");
  }
};

int DefaultServerThreads() {
  const int cores = static_cast<int>(std::thread::hardware_concurrency());
  return std::max(64, 8 * cores);
}

WebServer::WebServer(const Config& config, const Clock& clock,
                     ServerOptions options)
    : impl_(std::make_unique<Impl>(config, clock, std::move(options))) {
  Impl& i = *impl_;
  // Fail at start, not on the first request, if the database is missing or
  // the templates folder is not there.
  { Store check(i.options.db_path); }
  try {
    i.board_changes = std::make_unique<web::BoardChanges>(
        i.options.db_path, i.options.busy_timeout_ms);
  } catch (const std::exception& e) {
    ThrowIo(i.options.db_path +
            ": cannot open the board database: " + e.what());
  }
  LoadTemplateText(i.templates, "pages/layout.html.mustache");
  // httplib serves a keep-alive connection on one pool thread until it
  // closes: with fewer threads than open connections the rest wait.
  const int threads =
      i.options.threads > 0 ? i.options.threads : DefaultServerThreads();
  i.http.new_task_queue = [threads] {
    return new httplib::ThreadPool(threads);
  };
  i.http.set_payload_max_length(i.options.max_body_bytes);
  // Headers and body go out in separate writes: without TCP_NODELAY, Nagle
  // holds the body until the client's delayed ACK (up to 40 ms a request on
  // a kept-alive connection).
  i.http.set_tcp_nodelay(true);
  i.http.set_read_timeout(10, 0);
  i.http.set_write_timeout(10, 0);
  i.http.set_keep_alive_timeout(5);
  // httplib's default (5 requests, then close) makes busy clients
  // reconnect all the time. 1000, as nginx: a new connection costs more
  // than a kept one (accept, a pool thread, TCP slow start), and clients
  // that started together reach the limit together: with 100, about one
  // request in a hundred from a busy client was one of a burst of slow ones.
  i.http.set_keep_alive_max_count(1000);
  i.http.set_default_headers({
      {"X-Content-Type-Options", "nosniff"},
      {"X-Frame-Options", "DENY"},
      {"Referrer-Policy", "same-origin"},
      {"Content-Security-Policy",
       "default-src 'self'; frame-ancestors 'none'; form-action 'self'; "
       "base-uri 'none'"},
  });
  i.Routes();
}

WebServer::~WebServer() { Stop(); }

int WebServer::Bind() {
  Impl& i = *impl_;
  if (i.options.port == 0) {
    i.port = i.http.bind_to_any_port(i.options.bind);
  } else if (i.http.bind_to_port(i.options.bind, i.options.port)) {
    i.port = i.options.port;
  } else {
    i.port = -1;
  }
  if (i.port <= 0) {
    ThrowIo("cannot listen on " + i.options.bind + ":" +
            std::to_string(i.options.port) +
            " (in use, or not an address of this machine)");
  }
  // A burst of connections waits to be accepted instead of being dropped
  // (see HttpServer). If it cannot be changed, the server still works,
  // with httplib's backlog of 5.
  if (!i.http.SetListenBacklog(SOMAXCONN)) {
    std::perror("focus serve: cannot lengthen the listen backlog");
  }
  return i.port;
}

int WebServer::port() const { return impl_->port; }

void WebServer::Run() { impl_->http.listen_after_bind(); }

void WebServer::Stop() {
  if (impl_->http.is_running()) impl_->http.stop();
}

void WebServer::WaitUntilReady() const {
  while (!impl_->http.is_running()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

}  // namespace focus
