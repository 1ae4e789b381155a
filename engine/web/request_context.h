// One request as the handlers see it, and what they throw (internal to the
// server): the request and its response, the database it has for itself,
// the signed-in session, and the fields of a JSON body or a form read the
// same way for both.
#ifndef FOCUS_WEB_REQUEST_CONTEXT_H_
#define FOCUS_WEB_REQUEST_CONTEXT_H_

#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "focus/accounts.h"
#include "focus/board.h"
#include "focus/store.h"
#include "http_server.h"
#include "web_security.h"

namespace focus::web {

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

struct Ctx {
  const HttpRequest& req;
  HttpResponse& res;
  std::unique_ptr<Store> store;
  std::unique_ptr<Board> board;
  std::unique_ptr<Accounts> accounts;
  std::string token;
  std::optional<Session> session;
  std::optional<Account> account;
  std::string store_file;  // The database file `store` is open on.
};

bool IsApi(const HttpRequest& req);
std::string CookieValue(const HttpRequest& req, const std::string& name);
// The ticket number the path names, if it names one that fits.
std::optional<int64_t> TicketOfPath(const HttpRequest& req);
// The same, or 404.
int64_t PathId(const HttpRequest& req);

// The JSON body of an API request: an object, or 400 saying where it broke.
nlohmann::json ParseBody(const HttpRequest& req);

// The fields of a ticket write, from a JSON body (the API) or a form (the
// pages): one set of ticket operations reads both (ticket_ops.h).
class Fields {
 public:
  virtual ~Fields() = default;
  // Text, "" if absent; if `required`, 422 naming the field when absent.
  virtual std::string Text(const std::string& name,
                           bool required = false) const = 0;
  virtual std::optional<int64_t> Int(const std::string& name) const = 0;
  // A count that fits an int, never cut down to one that does.
  virtual int Count(const std::string& name, int fallback) const = 0;
  virtual bool Flag(const std::string& name) const = 0;
  virtual std::vector<std::string> List(const std::string& name) const = 0;
};

class JsonFields : public Fields {
 public:
  explicit JsonFields(nlohmann::json body) : body_(std::move(body)) {}
  std::string Text(const std::string& name, bool required) const override;
  std::optional<int64_t> Int(const std::string& name) const override;
  int Count(const std::string& name, int fallback) const override;
  bool Flag(const std::string& name) const override;
  std::vector<std::string> List(const std::string& name) const override;

 private:
  nlohmann::json body_;
};

// A form post: tick boxes send "yes"; empty values count as absent.
class FormFields : public Fields {
 public:
  explicit FormFields(const HttpRequest& req) : req_(req) {}
  std::string Text(const std::string& name, bool required) const override;
  std::optional<int64_t> Int(const std::string& name) const override;
  int Count(const std::string& name, int fallback) const override;
  bool Flag(const std::string& name) const override;
  std::vector<std::string> List(const std::string& name) const override;

 private:
  const HttpRequest& req_;
};

}  // namespace focus::web

#endif  // FOCUS_WEB_REQUEST_CONTEXT_H_
