// The JSON API.
#include "focus/board_output.h"
#include "focus/error.h"
#include "focus/ticket_state.h"
#include "server_impl.h"

namespace focus {

using web::HttpError;

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
  std::string variant = filter.by_votes ? "by votes" : "by id";
  for (const std::string& v :
       {std::string(filter.state ? TicketStateName(*filter.state) : ""),
        filter.area, filter.theme, filter.team}) {
    variant += " " + std::to_string(v.size()) + ":" + v;
  }
  auto list = cache.Get("/api/tickets", variant, CacheState({}), [&] {
    return RenderTicketListJson(config, c.board->List(filter), clock.Today());
  });
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
  auto json = cache.Get("/api/answers", "", CacheState({}), [&] {
    return JsonText(web::AnswersJson(config, PublishedTickets(c)));
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
