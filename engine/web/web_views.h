// View models of the web pages and the public JSON (internal to the server).
//
// Every public view is built from an allow-list of fields: ticket details,
// history, raisers and internal notes are never copied into them.
#ifndef FOCUS_WEB_WEB_VIEWS_H_
#define FOCUS_WEB_WEB_VIEWS_H_

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "focus/accounts.h"
#include "focus/board.h"
#include "focus/config.h"
#include "focus/error.h"
#include "focus/plan.h"

namespace focus::web {

// Returns true iff the public site may show `t`: it has a published answer
// or a published decline reason and is not merged into another ticket.
bool IsPublished(const Ticket& t);

// The HTTP status for an engine error of this kind: 422 invalid input, 404
// not found, 409 conflict, 403 forbidden, 503 busy or a file problem, 500 a
// bug.
int HttpStatus(ErrorKind kind);

// Whether a form post that failed this way shows its page again with the
// message next to the field and the values kept (rather than an error page).
bool ShowsOnForm(const Error& e);

// The error's message with its remedy worded for the web: for the JSON API
// (`api`: a JSON member, a route) or for the pages (a tick box, a page).
// `ticket` is the ticket the request is about.
std::string WebMessage(const Error& e, bool api, int64_t ticket);

// "Not found", "Too many requests", ...
std::string StatusTitle(int status);

nlohmann::json LayoutView(const Config& config, const std::string& title,
                          const std::string& current,
                          const std::optional<Account>& account,
                          const std::string& csrf_token);
nlohmann::json ErrorView(int status, const std::string& message);
nlohmann::json LoginView(const std::string& name, const std::string& error,
                         const std::string& login_token);
nlohmann::json HomeView(const Config& config,
                        const std::vector<Event>& upcoming);
nlohmann::json AnswersView(const Config& config,
                           const std::vector<Ticket>& published,
                           std::optional<int64_t> voted);

// The add form's values and the error to show, if any.
// A refused form post, shown beside its field on the page it came from.
struct FormError {
  std::string message;          // "" = no error.
  std::string field;            // The form field it is about, or "".
  bool offer_override = false;  // Offer the "it identifies nobody" tick box.
};

// The form error for a refused engine call (see ShowsOnForm).
FormError FormErrorOf(const Error& e);

struct BoardForm {
  NewTicket values;
  FormError error;
  int64_t card = 0;  // The card the error belongs to; 0 = the add form.
};

nlohmann::json BoardView(const Config& config, const HolidayCalendar& holidays,
                         const std::vector<Ticket>& tickets, Date today,
                         const Account& account, const BoardForm& form,
                         const std::string& notice,
                         const std::string& csrf_token);
nlohmann::json TicketView(const Config& config, const HolidayCalendar& holidays,
                          const Ticket& t,
                          const std::vector<HistoryEntry>& history, Date today,
                          const Account& account, const FormError& error,
                          const std::string& answer_text,
                          const std::string& answered_by, bool answered,
                          const std::string& csrf_token,
                          // For the verdict form: the recorded forums, the
                          // note as typed (after an error), and whether a
                          // verdict was just recorded.
                          const std::vector<ForumRecord>& forums = {},
                          const std::string& verdict_note = "",
                          bool verdict_recorded = false);

// GET /api/forums and GET /api/answers.
nlohmann::ordered_json ForumsJson(const Config& config,
                                  const std::vector<Event>& upcoming);
nlohmann::ordered_json AnswersJson(const Config& config,
                                   const std::vector<Ticket>& published);

}  // namespace focus::web

#endif  // FOCUS_WEB_WEB_VIEWS_H_
