// The route table, and every failure turned into a response.
#include <iostream>
#include <limits>

#include "focus/error.h"
#include "focus/templates.h"
#include "server_impl.h"

namespace focus {

using web::HttpError;
using web::HttpRequest;
using web::HttpResponse;
using web::Redirect;

void WebServer::Impl::Routes() {
  PublicRoutes();
  SignInRoutes();
  BoardRoutes();
  ApiRoutes();
}

void WebServer::Impl::Add(const std::string& method, const std::string& path,
                          Handler h, bool needs_db) {
  routes.push_back({method, path, std::regex(), std::move(h), needs_db});
}

void WebServer::Impl::AddPattern(const std::string& method,
                                 const std::string& pattern, Handler h,
                                 bool needs_db) {
  routes.push_back({method, "", std::regex(pattern), std::move(h), needs_db});
}

void WebServer::Impl::AddReady(const std::string& path, ReadyFor who,
                               Handler h) {
  Add("GET", path, std::move(h));
  routes.back().ready = who;
}

void WebServer::Impl::PublicRoutes() {
  Add("GET", "/", [this](Ctx& c) { Home(c); });
  Add("GET", "/calendar.ics", [this](Ctx& c) { Calendar(c, ""); });
  AddPattern("GET", R"(/calendar/([^/]+)\.ics)",
             [this](Ctx& c) { Calendar(c, c.req.matches[1]); });
  AddReady("/answers", ReadyFor::kVisitors, [this](Ctx& c) { Answers(c); });
  AddPattern("POST", R"(/answers/(\d+)/vote)",
             [this](Ctx& c) { PublicVote(c); });
  AddPattern(
      "GET", R"(/static/([a-z0-9-]+\.(css|js)))", [this](Ctx& c) { Static(c); },
      false);
}

void WebServer::Impl::SignInRoutes() {
  Add("GET", "/login", [this](Ctx& c) { LoginPage(c, 200, "", ""); });
  Add("POST", "/login", [this](Ctx& c) { LoginPost(c); });
  Add("POST", "/logout", [this](Ctx& c) {
    SignOut(c);
    c.res.SetRedirect("/");
  });
}

const std::pair<const char*, TicketOp> kTicketOps[] = {
    {"vote", TicketOp::kVote},
    {"move", TicketOp::kMove},
    {"merge", TicketOp::kMerge},
    {"answer", TicketOp::kAnswer},
    {"verdict", TicketOp::kVerdict}};

void WebServer::Impl::BoardRoutes() {
  Add("GET", "/board", [this](Ctx& c) { BoardHome(c); });
  Add("POST", "/board/tickets", [this](Ctx& c) { AddTicketForm(c); });
  AddPattern("GET", R"(/board/tickets/(\d+))",
             [this](Ctx& c) { TicketPage(c, 200, {}, "", ""); });
  for (const auto& [name, op] : kTicketOps) {
    AddPattern("POST", R"(/board/tickets/(\d+)/)" + std::string(name),
               [this, op = op](Ctx& c) { CardForm(c, op); });
  }
}

void WebServer::Impl::ApiRoutes() {
  Add("GET", "/api/forums", [this](Ctx& c) {
    SendJson(c.res, 200, web::ForumsJson(config, UpcomingForums()));
  });
  AddReady("/api/answers", ReadyFor::kVisitors,
           [this](Ctx& c) { ApiAnswers(c); });
  AddPattern("POST", R"(/api/answers/(\d+)/vote)",
             [this](Ctx& c) { PublicVote(c); });
  Add("POST", "/api/login", [this](Ctx& c) { ApiLogin(c); });
  Add("POST", "/api/logout", [this](Ctx& c) {
    SignOut(c);
    SendJson(c.res, 200, {{"signed_out", true}});
  });
  Add("GET", "/api/session", [this](Ctx& c) { ApiSession(c); });
  // The list is asked for again and again by the same signed-in clients.
  AddReady("/api/tickets", ReadyFor::kSession,
           [this](Ctx& c) { ApiTicketList(c); });
  Add("POST", "/api/tickets", [this](Ctx& c) { ApiAddTicket(c); });
  AddPattern("GET", R"(/api/tickets/(\d+))", [this](Ctx& c) {
    RequireAccount(c, false);
    SendTicket(c, PathTicket(c).id, 200);
  });
  for (const auto& [name, op] : kTicketOps) {
    // The API's word for adding votes is "votes".
    const std::string word = op == TicketOp::kVote ? "votes" : name;
    AddPattern("POST", R"(/api/tickets/(\d+)/)" + word,
               [this, op = op](Ctx& c) { ApiTicketWrite(c, op); });
  }
}

// Finds the route for the request; anything else is 404.
HttpResponse WebServer::Impl::Serve(const HttpRequest& in) {
  HttpRequest req = in;
  req.remote_addr = ClientAddress(req);
  HttpResponse res;
  for (const Route& route : routes) {
    if (route.method != req.method) continue;
    if (!route.path.empty()) {
      if (route.path != req.path) continue;
    } else {
      std::smatch m;
      if (!std::regex_match(req.path, m, route.pattern)) continue;
      req.matches.assign(m.begin(), m.end());
    }
    // Taken before the board is read, as a cached body's state is.
    const std::string ready_key = ReadyKey(req, route.ready);
    const std::optional<std::string> ready_state =
        ready_key.empty() ? std::nullopt : ReadyState(true);
    const std::time_t until = Run(route, req, res);
    encodings.Apply(req, res);
    AddStandardHeaders(res);
    if (ready_state && res.status == 200 && res.kept &&
        res.Header("Set-Cookie").empty()) {
      ready_responses.Keep(ready_key, *ready_state, web::MakeReady(res), until);
    }
    return res;
  }
  return Refuse(req, 404,
                "no such page or API route: " + req.method + " " + req.path);
}

// Ready responses are kept for the pages' state: they are rendered from
// the answers page's templates and the layout.
std::optional<std::string> WebServer::Impl::ReadyState(bool wait) {
  static constexpr std::initializer_list<const char*> kTemplates = {
      "pages/answers.html.mustache", "pages/layout.html.mustache"};
  try {
    return wait ? CacheState(kTemplates) : TryCacheState(kTemplates);
  } catch (const std::exception&) {
    return std::nullopt;  // The request itself says what is wrong.
  }
}

web::Ready WebServer::Impl::Quick(const HttpRequest& req) {
  const auto route =
      std::find_if(routes.begin(), routes.end(), [&](const Route& r) {
        return r.ready != ReadyFor::kNobody && r.path == req.path &&
               r.method == req.method;
      });
  if (route == routes.end()) return nullptr;
  const std::string key = ReadyKey(req, route->ready);
  if (key.empty()) return nullptr;
  const std::optional<std::string> state = ReadyState(false);
  return state ? ready_responses.Find(key, *state, Now()) : nullptr;
}

// The path, the query's parameters and Accept-Encoding: all a ready
// route's response depends on, with the session's token for a response
// kept for one session. A 304 (for If-None-Match) is not kept.
std::string WebServer::Impl::ReadyKey(const HttpRequest& req, ReadyFor who) {
  if (who == ReadyFor::kNobody || req.method != "GET" ||
      req.HasHeader("If-None-Match")) {
    return "";
  }
  std::string key = req.path;
  for (const auto& [k, v] : req.params) {
    key += " " + std::to_string(k.size()) + ":" + k + std::to_string(v.size()) +
           ":" + v;
  }
  key += " " + req.Header("Accept-Encoding");
  if (who == ReadyFor::kVisitors) return req.HasHeader("Cookie") ? "" : key;
  const std::string token = SessionToken(req);
  return token.empty() ? "" : key + " session " + token;
}

// The response to a request the HTTP layer refused, or that no route takes.
HttpResponse WebServer::Impl::Refuse(const HttpRequest& req, int status,
                                     const std::string& message) {
  HttpResponse res;
  SendError(nullptr, req, res, HttpError{status, message, ""});
  AddStandardHeaders(res);
  return res;
}

void WebServer::Impl::AddStandardHeaders(HttpResponse& res) {
  res.SetHeader("X-Content-Type-Options", "nosniff");
  res.SetHeader("X-Frame-Options", "DENY");
  res.SetHeader("Referrer-Policy", "same-origin");
  res.SetHeader("Content-Security-Policy",
                "default-src 'self'; frame-ancestors 'none'; "
                "form-action 'self'; base-uri 'none'");
}

// Runs a handler, turning every failure into a response: no exception
// ever reaches the HTTP layer, so one bad request cannot take the server
// down.
std::time_t WebServer::Impl::Run(const Route& route, HttpRequest& req,
                                 HttpResponse& res) {
  Ctx c{req, res,          nullptr,      nullptr, nullptr,
        "",  std::nullopt, std::nullopt, ""};
  try {
    try {
      if (req.method == "POST") CheckOrigin(req);
      if (route.needs_db) Open(c);
      route.handler(c);
    } catch (const Error& e) {
      throw ToHttp(req, e);
    }
  } catch (const HttpError& e) {
    SendError(&c, req, res, e);
  } catch (const Redirect& r) {
    res.SetRedirect(r.location);
  } catch (const std::exception& e) {
    std::cerr << "focus serve: internal error: " << e.what() << "\n";
    SendError(&c, req, res,
              HttpError{500, "internal error; see the server log", ""});
  }
  // What a signed-in visitor sees is theirs: never kept by a browser or a
  // proxy.
  if (c.account) res.SetHeader("Cache-Control", "no-store");
  KeepStore(c);
  return c.session ? c.session->expires
                   : std::numeric_limits<std::time_t>::max();
}

void WebServer::Impl::SendError(const Ctx* c, const HttpRequest& req,
                                HttpResponse& res, const HttpError& e) {
  res.status = e.status;
  if (e.retry_after > 0) {
    res.SetHeader("Retry-After", std::to_string(e.retry_after));
  }
  if (IsApi(req)) {
    OrderedJson j = {{"error", e.message}};
    if (!e.field.empty()) j["field"] = e.field;
    SendJson(res, e.status, j);
    return;
  }
  try {
    res.SetContent(RenderPage(c, "error", web::StatusTitle(e.status),
                              web::ErrorView(e.status, e.message)),
                   kHtml);
  } catch (const std::exception& inner) {
    // A broken template must not hide the original error.
    std::cerr << "focus serve: cannot render the error page: " << inner.what()
              << "\n";
    res.SetContent(web::StatusTitle(e.status) + ": " + e.message + "\n",
                   "text/plain; charset=utf-8");
  }
}

// The response to an engine error: its kind gives the status, its field
// the JSON "field". A problem of the server itself (a file, a bug) is
// logged; a bug's own words stay in the log.
HttpError WebServer::Impl::ToHttp(const HttpRequest& req, const Error& e) {
  const int status = web::HttpStatus(e.kind());
  if (e.kind() == ErrorKind::kInternal) {
    std::cerr << "focus serve: internal error: " << e.what() << "\n";
    return HttpError{status, "internal error; see the server log", ""};
  }
  if (e.kind() == ErrorKind::kIo) {
    std::cerr << "focus serve: " << e.what() << "\n";
  }
  HttpError out{
      status,
      web::WebMessage(e, IsApi(req), web::TicketOfPath(req).value_or(0)),
      e.field()};
  if (e.kind() == ErrorKind::kBusy) out.retry_after = 1;
  return out;
}

// --- Rendering. -------------------------------------------------------

namespace {

// A template that does not fit its view is the server's fault (or the
// editor's), never the visitor's: 500, with the template's file and line
// in the log.
template <typename F>
std::string RenderingTemplates(F render) {
  try {
    return render();
  } catch (const Error& e) {
    throw Error(ErrorKind::kInternal, e.what());
  }
}

}  // namespace

std::string WebServer::Impl::RenderPage(const Ctx* c, const std::string& name,
                                        const std::string& title,
                                        const Json& view,
                                        const std::string& current) {
  return Page(c, title, RenderBody(name, view), current);
}

// The inside of a page: pages/NAME.html.mustache.
std::string WebServer::Impl::RenderBody(const std::string& name,
                                        const Json& view) {
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
std::string WebServer::Impl::Page(const Ctx* c, const std::string& title,
                                  const std::string& body,
                                  const std::string& current) {
  static const std::string kPlaceholder = "<focus-page-body-d41d8cd9>";
  return RenderingTemplates([&] {
    Json layout = web::LayoutView(
        config, title, current, c ? c->account : std::nullopt,
        c && c->session ? c->session->csrf_token : std::string());
    layout["body"] = kPlaceholder;
    std::string frame = RenderTemplate(templates, "pages/layout.html.mustache",
                                       layout, Escaping::kHtml);
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

void WebServer::Impl::SendJson(HttpResponse& res, int status,
                               const OrderedJson& j) {
  res.status = status;
  res.SetContent(JsonText(j), kJson);
}

// A kept body, written to the socket from the cache's copy (it stays alive
// until sent, even if the cache drops it meanwhile).
void WebServer::Impl::SendKept(HttpResponse& res, HttpResponse::Body body,
                               const char* content_type) {
  res.SetKept(std::move(body), content_type);
}

std::string WebServer::Impl::JsonText(const OrderedJson& j) {
  // Messages may quote what the client sent (a path, a parse error's
  // "last read"), which need not be UTF-8: replace such bytes (U+FFFD)
  // rather than throw while answering.
  return j.dump(2, ' ', false, OrderedJson::error_handler_t::replace) + "\n";
}

}  // namespace focus
