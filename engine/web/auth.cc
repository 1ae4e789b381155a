// Sessions, signing in and out, roles and CSRF.
#include <algorithm>
#include <cctype>

#include "focus/error.h"
#include "server_impl.h"

namespace focus {

using web::HttpError;
using web::HttpRequest;
using web::Redirect;

namespace {
constexpr const char* kSessionCookie = "focus_session";
}  // namespace

void WebServer::Impl::Open(Ctx& c) {
  TakeStore(c);
  c.board = std::make_unique<Board>(*c.store, config, clock);
  c.accounts = std::make_unique<Accounts>(*c.store, config, clock);
  c.token = web::CookieValue(c.req, kSessionCookie);
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

// Browsers send Origin on cross-site form posts; refuse those outright.
void WebServer::Impl::CheckOrigin(const HttpRequest& req) {
  std::string origin = req.Header("Origin");
  if (origin.empty() || origin == "null") return;
  std::string host = req.Header("Host");
  size_t scheme = origin.find("://");
  std::string origin_host =
      scheme == std::string::npos ? origin : origin.substr(scheme + 3);
  if (origin_host != host) {
    throw Error(ErrorKind::kForbidden, "cross-site request refused");
  }
}

// Checks the rate limits, then the password. Failed attempts count per
// client address and per account name; once over the limit even the right
// password is refused until the window passes.
Account WebServer::Impl::SignIn(Ctx& c, const std::string& name,
                                const std::string& password) {
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
  c.res.SetHeader("Set-Cookie",
                  std::string(kSessionCookie) + "=" + c.token +
                      "; HttpOnly; SameSite=Strict; Path=/; Max-Age=" +
                      std::to_string(options.session_seconds));
  return *account;
}

void WebServer::Impl::SignOut(Ctx& c) {
  RequireWriter(c);
  sessions.Remove(c.token);
  c.res.SetHeader("Set-Cookie", std::string(kSessionCookie) +
                                    "=; HttpOnly; SameSite=Strict; "
                                    "Path=/; Max-Age=0");
}

void WebServer::Impl::LoginPage(Ctx& c, int status, const std::string& name,
                                const std::string& error) {
  c.res.status = status;
  c.res.SetContent(
      RenderPage(&c, "login", "Sign in", web::LoginView(name, error), "/login"),
      kHtml);
}

void WebServer::Impl::LoginPost(Ctx& c) {
  const std::string name = c.req.Param("name");
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
