// The JSON API.
#include "focus/board_output.h"
#include "focus/error.h"
#include "focus/ticket_state.h"
#include "server_impl.h"

namespace focus {

using web::HttpError;

namespace {

constexpr size_t kDefaultLimit = 100;
constexpr size_t kMaxLimit = 1000;

// Digits only, at most `max_digits`, or nullopt.
std::optional<size_t> Digits(const std::string& v, size_t max_digits) {
  if (v.empty() || v.size() > max_digits ||
      v.find_first_not_of("0123456789") != std::string::npos) {
    return std::nullopt;
  }
  return static_cast<size_t>(std::stoul(v));
}

}  // namespace

// ?limit= (1 to 1000, default 100) and ?cursor= (from the previous page's
// next; the position in the list).
WebServer::Impl::ListPage WebServer::Impl::PageOf(const web::HttpRequest& req) {
  ListPage p;
  p.limit = kDefaultLimit;
  if (req.HasParam("limit")) {
    const std::string v = req.Param("limit");
    std::optional<size_t> n = Digits(v, 4);
    if (!n || *n < 1 || *n > kMaxLimit) {
      throw HttpError{422,
                      "limit: '" + v + "' is not a whole number from 1 to " +
                          std::to_string(kMaxLimit),
                      "limit"};
    }
    p.limit = *n;
  }
  if (req.HasParam("cursor")) {
    const std::string v = req.Param("cursor");
    std::optional<size_t> n = Digits(v, 9);
    if (!n) {
      throw HttpError{422, "cursor: '" + v + "' is not a cursor of this list",
                      "cursor"};
    }
    p.offset = *n;
  }
  return p;
}

// The address of page `p` of the list the request is for, with its other
// filters (not a vote's thank-you).
std::string WebServer::Impl::PageUrl(const web::HttpRequest& req,
                                     const ListPage& p) {
  std::string url = req.path + "?";
  for (const auto& [k, v] : req.params) {
    if (k == "limit" || k == "cursor" || k == "voted") continue;
    url += web::PercentEncode(k) + "=" + web::PercentEncode(v) + "&";
  }
  return url + "limit=" + std::to_string(p.limit) +
         "&cursor=" + std::to_string(p.offset);
}

std::string WebServer::Impl::NextPage(const web::HttpRequest& req,
                                      const ListPage& p) {
  return PageUrl(req, {p.offset + p.limit, p.limit});
}

void WebServer::Impl::ApiTicketWrite(Ctx& c, TicketOp op) {
  const Account& a = RequireWriter(c);
  web::JsonFields body(web::ParseBody(c.req));
  Ticket t = PathTicket(c);
  AllowTicketOp(a, t, op);
  RunTicketOp(c, a, t, op, body);
  SendTicket(c, t.id, 200);
}

void WebServer::Impl::SendTicket(Ctx& c, int64_t id, int status) {
  c.res.status = status;
  c.res.SetHeader("Cache-Control", "no-store");
  c.res.SetContent(RenderTicketJson(config, c.board->Get(id),
                                    c.board->History(id), clock.Today()),
                   kJson);
}

// GET /api/tickets: the same list for every signed-in account, so it is
// kept per filter (each value length-prefixed: no two filters share a
// key). REQUIRES: the request is signed in.
void WebServer::Impl::SendTicketList(Ctx& c, const TicketFilter& filter) {
  const ListPage page = PageOf(c.req);
  std::string variant = filter.by_votes ? "by votes" : "by id";
  for (const std::string& v :
       {std::string(filter.state ? TicketStateName(*filter.state) : ""),
        filter.area, filter.theme, filter.team}) {
    variant += " " + std::to_string(v.size()) + ":" + v;
  }
  variant +=
      " " + std::to_string(page.offset) + "+" + std::to_string(page.limit);
  const std::string state = CacheState({});
  std::optional<bool> more;  // Known if the list was read just now.
  auto list = cache.Get("/api/tickets", variant, state, [&] {
    std::vector<Ticket> all = c.board->List(filter);
    more = Slice(all, page);
    return RenderTicketListJson(config, all, clock.Today());
  });
  // The list stays a JSON array; the next page is in a Link header.
  auto next = cache.Get("/api/tickets next", variant, state, [&] {
    if (!more) {
      std::vector<Ticket> all = c.board->List(filter);
      more = Slice(all, page);
    }
    return *more ? NextPage(c.req, page) : std::string();
  });
  if (!next->empty()) c.res.SetHeader("Link", "<" + *next + ">; rel=\"next\"");
  c.res.SetHeader("Cache-Control", "no-store");
  SendKept(c.res, list, kJson);
}

void WebServer::Impl::ApiAddTicket(Ctx& c) {
  const Account& a = RequireWriter(c);
  RequireAllowed(a, Action::kAddTicket, "", "add tickets");
  NewTicket t;
  ReadNewTicket(web::JsonFields(web::ParseBody(c.req)), &t);
  SendTicket(c, c.board->AddTicket(t, a.name), 201);
}

void WebServer::Impl::ApiAnswers(Ctx& c) {
  const ListPage page = PageOf(c.req);
  const std::string variant =
      std::to_string(page.offset) + "+" + std::to_string(page.limit);
  auto json = cache.Get("/api/answers", variant, CacheState({}), [&] {
    std::vector<Ticket> published = PublishedTickets(c);
    const bool more = Slice(published, page);
    OrderedJson j = web::AnswersJson(config, published);
    j["next"] = more ? OrderedJson(NextPage(c.req, page)) : OrderedJson();
    return JsonText(j);
  });
  SendKept(c.res, json, kJson);
}

void WebServer::Impl::ApiTicketList(Ctx& c) {
  RequireAccount(c, false);
  TicketFilter filter;
  if (c.req.HasParam("state")) {
    filter.state = ParseTicketState(c.req.Param("state"));
    if (!filter.state) {
      throw HttpError{422,
                      "state: '" + c.req.Param("state") + "' is not a state (" +
                          TicketStateNames(AllTicketStates()) + ")",
                      "state"};
    }
  }
  filter.area = c.req.Param("area");
  filter.theme = c.req.Param("theme");
  filter.team = c.req.Param("team");
  filter.by_votes = c.req.Param("by_votes") == "true";
  SendTicketList(c, filter);
}

}  // namespace focus
