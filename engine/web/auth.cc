// Sessions, signing in and out, roles and CSRF.
#include <algorithm>
#include <cctype>
#include <iostream>

#include "focus/error.h"
#include "server_impl.h"

namespace focus {

using web::HttpError;
using web::HttpRequest;
using web::Redirect;

namespace {
constexpr const char* kSessionCookie = "focus_session";
// The sign-in form's token before there is a session (login CSRF: another
// site must not sign a visitor in to its own account).
constexpr const char* kLoginCookie = "focus_login";

bool IsToken(const std::string& s) {
  return s.size() == 64 &&
         s.find_first_not_of("0123456789abcdef") == std::string::npos;
}

bool IsTrusted(const std::vector<std::string>& proxies,
               const std::string& address) {
  return std::find(proxies.begin(), proxies.end(), address) != proxies.end();
}

std::string Trim(const std::string& s) {
  const size_t b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t") - b + 1);
}
}  // namespace

// The rightmost X-Forwarded-For entry that is not a trusted proxy: entries
// to its left were written by the client and prove nothing.
std::string WebServer::Impl::ClientAddress(const HttpRequest& req) const {
  const std::vector<std::string>& proxies = options.trusted_proxies;
  if (!IsTrusted(proxies, req.peer_addr)) return req.peer_addr;
  const std::string forwarded = req.Header("X-Forwarded-For");
  std::string client = req.peer_addr;
  size_t end = forwarded.size();
  while (end > 0) {
    const size_t comma = forwarded.rfind(',', end - 1);
    const size_t start = comma == std::string::npos ? 0 : comma + 1;
    const std::string entry = Trim(forwarded.substr(start, end - start));
    if (!entry.empty()) {
      client = entry;
      if (!IsTrusted(proxies, entry)) break;
    }
    if (comma == std::string::npos) break;
    end = comma;
  }
  return client;
}

std::string WebServer::Impl::CookieAttributes(const std::string& path,
                                              int max_age) const {
  return "; HttpOnly; SameSite=Strict; Path=" + path +
         "; Max-Age=" + std::to_string(max_age) +
         (options.secure_cookies ? "; Secure" : "");
}

std::string WebServer::Impl::SessionToken(const HttpRequest& req) {
  std::string token = web::CookieValue(req, kSessionCookie);
  return IsToken(token) ? token : "";
}

void WebServer::Impl::Open(Ctx& c) {
  TakeStore(c);
  c.board = std::make_unique<Board>(*c.store, config, clock);
  c.accounts = std::make_unique<Accounts>(*c.store, config, clock);
  c.token = web::CookieValue(c.req, kSessionCookie);
  c.session = web::FindSession(*c.store, c.token, Now());
  if (c.session) {
    // Re-read the account: a disabled one loses its sessions at once.
    c.account = c.accounts->Find(c.session->account);
    if (!c.account || c.account->disabled) {
      web::RemoveSession(*c.store, c.token);
      c.session.reset();
      c.account.reset();
    }
  }
}

// 401 for the API and for writes; the sign-in page for reading pages.
const Account& WebServer::Impl::RequireAccount(Ctx& c, bool write) {
  if (!c.account) {
    if (web::IsApi(c.req) || write) {
      throw HttpError{401, "sign in first", ""};
    }
    throw Redirect{"/login"};
  }
  return *c.account;
}

void WebServer::Impl::RequireCsrf(Ctx& c, const std::string& given) {
  if (!c.session || !web::SecretsEqual(given, c.session->csrf_token)) {
    throw Error(ErrorKind::kForbidden,
                "missing or wrong CSRF token: reload the page and try again");
  }
}

// A write: signed in, with the session's CSRF token (header for the API,
// hidden form field for pages).
const Account& WebServer::Impl::RequireWriter(Ctx& c) {
  const Account& a = RequireAccount(c, true);
  RequireCsrf(c, web::IsApi(c.req) ? c.req.Header("X-CSRF-Token")
                                   : c.req.Param("csrf"));
  return a;
}

void WebServer::Impl::RequireAllowed(const Account& a, Action action,
                                     const std::string& team,
                                     const char* what) {
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

// Browsers send Origin on cross-site posts (and "null" from sandboxed
// frames, data: pages and some redirects), and Sec-Fetch-Site: refuse
// those outright.
void WebServer::Impl::CheckOrigin(const HttpRequest& req) {
  if (req.Header("Sec-Fetch-Site") == "cross-site") {
    throw Error(ErrorKind::kForbidden, "cross-site request refused");
  }
  std::string origin = req.Header("Origin");
  if (origin.empty()) return;
  if (origin == "null") {
    throw Error(ErrorKind::kForbidden,
                "request from an opaque origin (Origin: null) refused");
  }
  std::string host = req.Header("Host");
  size_t scheme = origin.find("://");
  std::string origin_host =
      scheme == std::string::npos ? origin : origin.substr(scheme + 3);
  if (origin_host != host) {
    throw Error(ErrorKind::kForbidden, "cross-site request refused");
  }
}

// Counts the attempt, then checks the password (see web::LoginGuard): wrong
// guesses at once cannot outrun the limit, and one client's failures do not
// lock the account for others until a much higher count.
Account WebServer::Impl::SignIn(Ctx& c, const std::string& name,
                                const std::string& password) {
  const std::time_t now = Now();
  std::string account = name;
  std::transform(account.begin(), account.end(), account.begin(),
                 [](unsigned char ch) { return std::tolower(ch); });
  const std::string& client = c.req.remote_addr;
  if (long wait = login_guard.Begin(*c.store, account, client, now)) {
    throw HttpError{429,
                    "too many failed sign-ins: try again in " +
                        std::to_string((wait + 59) / 60) + " minute" +
                        ((wait + 59) / 60 == 1 ? "" : "s"),
                    "", wait};
  }
  std::optional<Account> found = c.accounts->Authenticate(name, password);
  if (!found) {
    if (login_guard.Failed(*c.store, account, now)) {
      std::cerr << "focus serve: account '" << account
                << "' locked for everyone after " << options.login_lockout
                << " failed sign-ins within " << options.login_window_seconds
                << " s (the latest from " << client << ")" << std::endl;
    }
    throw HttpError{401, "the account name or password is wrong", "name"};
  }
  login_guard.Succeeded(*c.store, account, client, now);
  // A new token on every sign-in: a planted cookie is never promoted.
  web::NewSession s = web::CreateSession(*c.store, found->name, now,
                                         options.session_seconds, c.token);
  c.token = s.token;
  c.session = s.session;
  c.account = found;
  c.res.AddHeader("Set-Cookie",
                  std::string(kSessionCookie) + "=" + c.token +
                      CookieAttributes("/", options.session_seconds));
  return *found;
}

void WebServer::Impl::SignOut(Ctx& c) {
  RequireWriter(c);
  web::RemoveSession(*c.store, c.token);
  c.res.SetHeader("Set-Cookie",
                  std::string(kSessionCookie) + "=" + CookieAttributes("/", 0));
}

// The sign-in form carries a token that must match a cookie set with it.
void WebServer::Impl::LoginPage(Ctx& c, int status, const std::string& name,
                                const std::string& error) {
  std::string token = web::CookieValue(c.req, kLoginCookie);
  if (!IsToken(token)) token = web::RandomToken();
  c.res.status = status;
  c.res.AddHeader("Set-Cookie", std::string(kLoginCookie) + "=" + token +
                                    CookieAttributes("/login", 3600));
  c.res.SetContent(RenderPage(&c, "login", "Sign in",
                              web::LoginView(name, error, token), "/login"),
                   kHtml);
}

void WebServer::Impl::LoginPost(Ctx& c) {
  const std::string name = c.req.Param("name");
  const std::string token = web::CookieValue(c.req, kLoginCookie);
  if (!IsToken(token) || !web::SecretsEqual(token, c.req.Param("csrf"))) {
    LoginPage(c, 403, name,
              "the sign-in form has expired or came from another site: "
              "sign in again here");
    return;
  }
  try {
    SignIn(c, name, c.req.Param("password"));
  } catch (const HttpError& e) {
    if (e.retry_after > 0) {
      c.res.SetHeader("Retry-After", std::to_string(e.retry_after));
    }
    LoginPage(c, e.status, name, e.message);
    return;
  }
  c.res.SetRedirect("/board");
}

void WebServer::Impl::ApiLogin(Ctx& c) {
  web::JsonFields body(web::ParseBody(c.req));
  Account a = SignIn(c, body.Text("name", true), body.Text("password", true));
  SendJson(
      c.res, 200,
      {{"account", AccountJson(a)}, {"csrf_token", c.session->csrf_token}});
}

void WebServer::Impl::ApiSession(Ctx& c) {
  const Account& a = RequireAccount(c, false);
  c.res.SetHeader("Cache-Control", "no-store");
  SendJson(
      c.res, 200,
      {{"account", AccountJson(a)}, {"csrf_token", c.session->csrf_token}});
}

WebServer::Impl::OrderedJson WebServer::Impl::AccountJson(const Account& a) {
  return {{"name", a.name}, {"role", RoleName(a.role)}, {"team", a.team}};
}

}  // namespace focus
