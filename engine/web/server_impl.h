// The server's state and handlers (internal), split by concern:
// server.cc (start, the database connections, the cache's state),
// routes.cc (the route table, turning failures into responses), auth.cc
// (sessions, sign-in, CSRF), ticket_ops.cc (the ticket writes the forms and
// the API share), pages.cc (the HTML pages), api.cc (the JSON API).
#ifndef FOCUS_WEB_SERVER_IMPL_H_
#define FOCUS_WEB_SERVER_IMPL_H_

#include <algorithm>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <regex>
#include <string>
#include <utility>
#include <vector>

#include "encodings.h"
#include "focus/accounts.h"
#include "focus/board.h"
#include "focus/changes.h"
#include "focus/clock.h"
#include "focus/config.h"
#include "focus/plan.h"
#include "focus/server.h"
#include "focus/templates.h"
#include "http_server.h"
#include "request_context.h"
#include "response_cache.h"
#include "web_security.h"
#include "web_views.h"

namespace focus {

constexpr const char* kHtml = "text/html; charset=utf-8";
constexpr const char* kJson = "application/json; charset=utf-8";

// The ticket writes a form or the API can make on one ticket.
enum class TicketOp { kVote, kMove, kMerge, kAnswer, kVerdict };

struct WebServer::Impl {
  using Json = nlohmann::json;
  using OrderedJson = nlohmann::ordered_json;
  using Ctx = web::Ctx;
  using Handler = std::function<void(Ctx&)>;

  Impl(const Config& c, const Clock& k, ServerOptions o);

  const Config& config;
  const Clock& clock;
  ServerOptions options;
  TemplateOptions templates;
  web::LoginGuard login_guard;

  // --- server.cc: time, the plan, database connections, cache state. ---
  std::time_t Now() const;
  std::string CacheState(std::initializer_list<const char*> template_names);
  std::optional<std::string> TryCacheState(
      std::initializer_list<const char*> template_names);
  std::string TodayText() const;
  std::string StateOf(const std::string& board_version,
                      std::initializer_list<const char*> template_names) const;
  void TakeStore(Ctx& c);
  void KeepStore(Ctx& c);
  std::vector<Change> Changes() const;
  std::shared_ptr<const Plan> PlanFor(int year,
                                      const std::vector<Change>& changes);
  std::vector<Event> ForumsOfTwoYears(int* first_year);
  std::vector<Event> UpcomingForums();
  std::string CurrentForumArea();

  std::mutex plan_mutex;
  // Plan year -> {the changes it was made with, the plan}.
  std::map<int, std::pair<std::string, std::shared_ptr<const Plan>>> plans;
  // Rendered public pages and read-only JSON (see server.h), and the
  // connection that tells when they are out of date.
  std::unique_ptr<web::BoardChanges> board_changes;
  web::ResponseCache cache;
  // Database connections kept between requests (see TakeStore).
  static constexpr size_t kIdleStores = 8;
  std::mutex store_mutex;
  std::vector<std::pair<std::string, std::unique_ptr<Store>>> idle_stores;

  // --- routes.cc: the route table and responses. ---
  // Whom a GET route's response may be kept ready for, written by the I/O
  // thread (see Quick).
  enum class ReadyFor {
    kNobody,
    // Every visitor who sends no cookie (for one query).
    kVisitors,
    // The one session whose cookie asked (for one query), until it
    // expires: signing out, disabling the account or any other write moves
    // the board's state on, and the response is made again.
    kSession,
  };
  struct Route {
    std::string method;
    std::string path;    // An exact path, or:
    std::regex pattern;  // used when `path` is empty.
    Handler handler;
    bool needs_db = true;
    ReadyFor ready = ReadyFor::kNobody;
  };
  void Routes();
  void PublicRoutes();
  void SignInRoutes();
  void BoardRoutes();
  void ApiRoutes();
  void Add(const std::string& method, const std::string& path, Handler h,
           bool needs_db = true);
  void AddPattern(const std::string& method, const std::string& pattern,
                  Handler h, bool needs_db = true);
  // A GET whose response may be kept ready for `who`.
  void AddReady(const std::string& path, ReadyFor who, Handler h);
  web::HttpResponse Serve(const web::HttpRequest& req);
  // A ready response for `req`, if its route has one for the current
  // state (on an I/O thread: never waits).
  web::Ready Quick(const web::HttpRequest& req);
  // What a ready response is kept under: "" if `req` may not have one.
  static std::string ReadyKey(const web::HttpRequest& req, ReadyFor who);
  // The state ready responses are kept for.
  std::optional<std::string> ReadyState(bool wait);
  web::HttpResponse Refuse(const web::HttpRequest& req, int status,
                           const std::string& message);
  // Returns until when `res` holds: a signed-in response, only as long as
  // its session.
  std::time_t Run(const Route& route, web::HttpRequest& req,
                  web::HttpResponse& res);
  void SendError(const Ctx* c, const web::HttpRequest& req,
                 web::HttpResponse& res, const web::HttpError& e);
  static web::HttpError ToHttp(const web::HttpRequest& req, const Error& e);
  static void AddStandardHeaders(web::HttpResponse& res);
  std::string RenderPage(const Ctx* c, const std::string& name,
                         const std::string& title, const Json& view,
                         const std::string& current = "");
  std::string RenderBody(const std::string& name, const Json& view);
  std::string Page(const Ctx* c, const std::string& title,
                   const std::string& body, const std::string& current);
  static void SendJson(web::HttpResponse& res, int status,
                       const OrderedJson& j);
  static void SendKept(web::HttpResponse& res, web::HttpResponse::Body body,
                       const char* content_type);
  static std::string JsonText(const OrderedJson& j);

  std::vector<Route> routes;
  web::Encodings encodings;
  web::ReadyResponses ready_responses;

  // --- auth.cc: sessions, sign-in, CSRF. ---
  void Open(Ctx& c);
  const Account& RequireAccount(Ctx& c, bool write);
  void RequireCsrf(Ctx& c, const std::string& given);
  const Account& RequireWriter(Ctx& c);
  static void RequireAllowed(const Account& a, Action action,
                             const std::string& team, const char* what);
  static void CheckOrigin(const web::HttpRequest& req);
  Account SignIn(Ctx& c, const std::string& name, const std::string& password);
  void SignOut(Ctx& c);
  void LoginPage(Ctx& c, int status, const std::string& name,
                 const std::string& error);
  void LoginPost(Ctx& c);
  void ApiLogin(Ctx& c);
  void ApiSession(Ctx& c);
  static OrderedJson AccountJson(const Account& a);
  // The session cookie's token, or "" if there is none of our shape.
  static std::string SessionToken(const web::HttpRequest& req);
  // The client's address: the peer's, or from X-Forwarded-For when the
  // peer is a trusted proxy.
  std::string ClientAddress(const web::HttpRequest& req) const;
  // A cookie's attributes: HttpOnly, SameSite=Strict, Secure if https.
  std::string CookieAttributes(const std::string& path, int max_age) const;

  // --- ticket_ops.cc: the writes the forms and the API share. ---
  // 403 unless `a` may do `op` to `t`.
  static void AllowTicketOp(const Account& a, const Ticket& t, TicketOp op);
  // Does `op` with `f`'s fields; returns the ticket to show afterwards
  // (a merge's target). REQUIRES: AllowTicketOp passed.
  int64_t RunTicketOp(Ctx& c, const Account& a, const Ticket& t, TicketOp op,
                      const web::Fields& f);
  // Text fields first, so a form shown again after a bad number keeps them.
  static void ReadNewTicket(const web::Fields& f, NewTicket* t);
  static void RequireMergeTarget(Ctx& c, int64_t into);
  static Ticket PathTicket(Ctx& c);

  // --- pages.cc. ---
  void Home(Ctx& c);
  void Calendar(Ctx& c, const std::string& area_slug);
  std::vector<Ticket> PublishedTickets(Ctx& c);
  void Answers(Ctx& c);
  void PublicVote(Ctx& c);
  struct FormState {
    NewTicket values;
    web::FormError error;
    int64_t card = 0;  // The card the error is about (0 = the add form).
  };
  void BoardHome(Ctx& c);
  void BoardPage(Ctx& c, int status, const FormState* form,
                 const std::string& notice);
  void AddTicketForm(Ctx& c);
  void CardForm(Ctx& c, TicketOp op);
  void TicketPage(Ctx& c, int status, const web::FormError& error,
                  const std::string& text, const std::string& by,
                  const std::string& verdict_note = "");
  void Static(Ctx& c);

  // --- api.cc. ---
  // A page of a list: where it starts and how long it is at most.
  struct ListPage {
    size_t offset = 0;
    size_t limit = 0;
  };
  static ListPage PageOf(const web::HttpRequest& req);
  static std::string PageUrl(const web::HttpRequest& req, const ListPage& p);
  static std::string NextPage(const web::HttpRequest& req, const ListPage& p);
  // Cuts `all` down to the page; true if more follow it.
  template <typename T>
  static bool Slice(std::vector<T>& all, const ListPage& p) {
    const size_t start = std::min(p.offset, all.size());
    const size_t end = std::min(all.size(), start + p.limit);
    const bool more = end < all.size();
    all.erase(all.begin() + end, all.end());
    all.erase(all.begin(), all.begin() + start);
    return more;
  }
  void ApiTicketWrite(Ctx& c, TicketOp op);
  void SendTicket(Ctx& c, int64_t id, int status);
  void SendTicketList(Ctx& c, const TicketFilter& filter);
  void ApiAddTicket(Ctx& c);
  void ApiAnswers(Ctx& c);
  void ApiTicketList(Ctx& c);

  // Last: destroyed first, so no request runs on a half-destroyed server.
  std::unique_ptr<web::HttpServer> http;
};

}  // namespace focus

#endif  // FOCUS_WEB_SERVER_IMPL_H_
