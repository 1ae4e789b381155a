// The HTML pages: the public site and the facilitators' board.
#include <iostream>

#include "focus/error.h"
#include "focus/ical_export.h"
#include "focus/plan_output.h"
#include "focus/templates.h"
#include "server_impl.h"

namespace focus {

using web::HttpError;

namespace {
// The actor recorded in the history for votes from the public site.
constexpr const char* kPublicActor = "public site";
}  // namespace

// --- Public site. -----------------------------------------------------

void WebServer::Impl::Home(Ctx& c) {
  Json view = web::HomeView(config, UpcomingForums());
  c.res.SetContent(
      RenderPage(&c, "home", "Community forums: dates and how to attend", view,
                 "/"),
      kHtml);
}

void WebServer::Impl::Calendar(Ctx& c, const std::string& area_slug) {
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
    if (!area || e.area_slug == area->slug || e.evening) events.push_back(&e);
  }
  CalendarOptions calendar;
  calendar.dtstamp = CalendarTimestamp(config, year);
  calendar.name = config.series_name + (area ? ": " + area->name : "");
  c.res.SetContent(RenderCalendar(events, calendar),
                   "text/calendar; charset=utf-8");
}

std::vector<Ticket> WebServer::Impl::PublishedTickets(Ctx& c) {
  std::vector<Ticket> out;
  for (Ticket& t : c.board->List(TicketFilter{})) {
    if (web::IsPublished(t)) out.push_back(std::move(t));
  }
  return out;
}

void WebServer::Impl::Answers(Ctx& c) {
  std::optional<int64_t> voted = web::FormFields(c.req).Int("voted");
  const ListPage page = PageOf(c.req);
  const std::string variant = (voted ? std::to_string(*voted) : "") + " " +
                              std::to_string(page.offset) + "+" +
                              std::to_string(page.limit);
  const std::string state =
      CacheState({"pages/answers.html.mustache", "pages/layout.html.mustache"});
  const char* title = "You said, we did";
  auto body = [&] {
    return cache.Get("/answers body", variant, state, [&] {
      std::vector<Ticket> published = PublishedTickets(c);
      const bool more = Slice(published, page);
      Json view = web::AnswersView(config, published, voted);
      if (page.offset > 0) {
        const size_t back = std::min(page.offset, page.limit);
        view["previous_page"] =
            PageUrl(c.req, {page.offset - back, page.limit});
      }
      if (more) {
        view["next_page"] =
            PageUrl(c.req, {page.offset + page.limit, page.limit});
      }
      view["has_pages"] = page.offset > 0 || more;
      return RenderBody("answers", view);
    });
  };
  if (!c.session && !c.account) {
    // Everyone not signed in gets the same page: kept whole.
    auto kept = cache.Get("/answers page", variant, state, [&] {
      return Page(nullptr, title, *body(), "/answers");
    });
    SendKept(c.res, kept, kHtml);
    return;
  }
  c.res.SetContent(Page(&c, title, *body(), "/answers"), kHtml);
}

// One public vote, rate-limited per client address.
void WebServer::Impl::PublicVote(Ctx& c) {
  int64_t id = web::PathId(c.req);
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
  const std::time_t now = Now();
  const std::string client = c.req.remote_addr;
  const std::string per_ticket = "vote:" + client + ":" + std::to_string(id);
  constexpr int kDay = 24 * 3600;
  // The checks and the events they let through in one transaction: two
  // requests at once, to this server or another on the board, cannot both
  // pass.
  std::optional<HttpError> refused;
  c.store->WriteTransaction([&](Connection& db) {
    web::RateLimiter limiter(db);
    if (long wait = limiter.RetryAfter(per_ticket, 1, kDay, now)) {
      refused = HttpError{429,
                          "you have already voted for #" + std::to_string(id) +
                              " today; thank you",
                          "", wait};
    } else if (long wait =
                   limiter.Take("votes:" + client,
                                options.public_votes_per_hour, 3600, now)) {
      refused =
          HttpError{429, "too many votes from here: try again later", "", wait};
    } else {
      limiter.Record(per_ticket, kDay, now);
    }
  });
  if (refused) throw *refused;
  c.board->AddVotes(id, 1, std::nullopt, "vote from the public site",
                    kPublicActor);
  const int votes = c.board->Get(id).votes;
  if (web::IsApi(c.req)) {
    SendJson(c.res, 200, {{"id", id}, {"votes", votes}});
  } else {
    c.res.SetRedirect("/answers?voted=" + std::to_string(id) + "#ticket-" +
                      std::to_string(id));
  }
}

// --- The board. -------------------------------------------------------

void WebServer::Impl::BoardHome(Ctx& c) {
  std::string notice;
  if (c.req.HasParam("added")) {
    notice = "Added ticket #" + c.req.Param("added") + ".";
  } else if (c.req.HasParam("changed")) {
    notice = "Saved ticket #" + c.req.Param("changed") + ".";
  }
  BoardPage(c, 200, nullptr, notice);
}

void WebServer::Impl::BoardPage(Ctx& c, int status, const FormState* form,
                                const std::string& notice) {
  const Account& a = RequireAccount(c, false);
  NewTicket defaults;
  if (form && form->card == 0) {
    defaults = form->values;
  } else {
    // Keep the last ticket's area, themes and team: the next point from
    // the same forum is usually about the same place and team.
    const web::FormFields form_fields(c.req);
    const web::Fields& f = form_fields;
    defaults.area = f.Text("area");
    defaults.themes = f.List("theme");
    defaults.team = f.Text("team");
    if (defaults.area.empty()) defaults.area = CurrentForumArea();
  }
  web::BoardForm bf;
  bf.values = defaults;
  if (form) {
    bf.error = form->error;
    bf.card = form->card;
  }
  Json view = web::BoardView(config, config.MakeHolidayCalendar(),
                             c.board->List(TicketFilter{}), clock.Today(), a,
                             bf, notice, c.session->csrf_token);
  c.res.status = status;
  c.res.SetHeader("Cache-Control", "no-store");
  c.res.SetContent(RenderPage(&c, "board", "Feedback board", view, "/board"),
                   kHtml);
}

namespace {

// The form error for a refused write, or nullopt if it is not the form's to
// show (a role, a missing ticket: an error page).
std::optional<web::FormError> OnForm(const std::exception_ptr& failure) {
  try {
    std::rethrow_exception(failure);
  } catch (const Error& e) {
    if (web::ShowsOnForm(e)) return web::FormErrorOf(e);
  } catch (const HttpError& e) {
    if (e.status == 422) return web::FormError{e.message, e.field};
  } catch (...) {
  }
  return std::nullopt;
}

int StatusOf(const std::exception_ptr& failure) {
  try {
    std::rethrow_exception(failure);
  } catch (const Error& e) {
    return web::HttpStatus(e.kind());
  } catch (...) {
    return 422;
  }
}

}  // namespace

void WebServer::Impl::AddTicketForm(Ctx& c) {
  const Account& a = RequireWriter(c);
  RequireAllowed(a, Action::kAddTicket, "", "add tickets");
  FormState form;
  try {
    ReadNewTicket(web::FormFields(c.req), &form.values);
    const NewTicket& t = form.values;
    const int64_t id = c.board->AddTicket(t, a.name);
    std::string q = "/board?added=" + std::to_string(id) +
                    "&area=" + web::PercentEncode(t.area) +
                    "&team=" + web::PercentEncode(t.team);
    for (const std::string& th : t.themes) {
      q += "&theme=" + web::PercentEncode(th);
    }
    c.res.SetRedirect(q + "#add-ticket");
  } catch (...) {
    std::optional<web::FormError> error = OnForm(std::current_exception());
    if (!error) throw;
    form.error = *error;
    BoardPage(c, StatusOf(std::current_exception()), &form, "");
  }
}

// A write from a card on the board or from the ticket page; a refused one
// shows its page again with the message beside the field.
void WebServer::Impl::CardForm(Ctx& c, TicketOp op) {
  const Account& a = RequireWriter(c);
  Ticket t = PathTicket(c);
  AllowTicketOp(a, t, op);
  const bool ticket_page = op == TicketOp::kAnswer || op == TicketOp::kVerdict;
  int64_t shown = t.id;
  try {
    shown = RunTicketOp(c, a, t, op, web::FormFields(c.req));
  } catch (...) {
    std::optional<web::FormError> error = OnForm(std::current_exception());
    if (!error) throw;
    const int status = StatusOf(std::current_exception());
    if (op == TicketOp::kAnswer) {
      TicketPage(c, status, *error, c.req.Param("text"),
                 c.req.Param("answered_by"));
    } else if (op == TicketOp::kVerdict) {
      TicketPage(c, status, *error, "", "", c.req.Param("note"));
    } else {
      FormState form{{}, *error, t.id};
      BoardPage(c, status, &form, "");
    }
    return;
  }
  const std::string id = std::to_string(shown);
  if (ticket_page) {
    c.res.SetRedirect("/board/tickets/" + id +
                      (op == TicketOp::kAnswer ? "?answered=1" : "?verdict=1"));
  } else {
    c.res.SetRedirect("/board?changed=" + id + "#ticket-" + id);
  }
}

void WebServer::Impl::TicketPage(Ctx& c, int status,
                                 const web::FormError& error,
                                 const std::string& text, const std::string& by,
                                 const std::string& verdict_note) {
  const Account& a = RequireAccount(c, false);
  Ticket t = PathTicket(c);
  Json view = web::TicketView(config, config.MakeHolidayCalendar(), t,
                              c.board->History(t.id), clock.Today(), a, error,
                              text, by, c.req.HasParam("answered"),
                              c.session->csrf_token, c.board->Forums(),
                              verdict_note, c.req.HasParam("verdict"));
  c.res.status = status;
  c.res.SetHeader("Cache-Control", "no-store");
  c.res.SetContent(RenderPage(&c, "ticket", "Ticket #" + std::to_string(t.id),
                              view, "/board"),
                   kHtml);
}

void WebServer::Impl::Static(Ctx& c) {
  const std::string name = c.req.matches[1];
  std::string text;
  try {
    text = LoadTemplateText(templates, "pages/static/" + name);
  } catch (const Error&) {
    throw HttpError{404, "no such file: /static/" + name, ""};
  }
  const bool css = name.size() > 4 && name.substr(name.size() - 4) == ".css";
  c.res.SetHeader("Cache-Control", "max-age=300");
  c.res.SetContent(
      text, css ? "text/css; charset=utf-8" : "text/javascript; charset=utf-8");
}

}  // namespace focus
