// View models of the web pages and the public JSON (internal to the server).
//
// Every public view is built from an allow-list of fields: ticket details,
// history, raisers and internal notes are never copied into them.
#ifndef FOCUS_SRC_WEB_VIEWS_H_
#define FOCUS_SRC_WEB_VIEWS_H_

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "focus/accounts.h"
#include "focus/board.h"
#include "focus/config.h"
#include "focus/plan.h"

namespace focus::web {

// Returns true iff the public site may show `t`: it has a published answer
// or a published decline reason and is not merged into another ticket.
bool IsPublished(const Ticket& t);

// The request field a board validation message is about ("title",
// "details", "area", "themes", "team", "raised_by", "forum", "count",
// "note", "state", "reason", "into", "text", "answered_by"), or "".
std::string FieldOfError(const std::string& message);

// A board message reworded for the web: the CLI's --allow-identifiers
// becomes the API's "allow_identifiers": true, or the form's tick box.
std::string ForWeb(const std::string& message, bool api);

// "Not found", "Too many requests", ...
std::string StatusTitle(int status);

nlohmann::json LayoutView(const Config& config, const std::string& title,
                          const std::string& current,
                          const std::optional<Account>& account,
                          const std::string& csrf_token);
nlohmann::json ErrorView(int status, const std::string& message);
nlohmann::json LoginView(const std::string& name, const std::string& error);
nlohmann::json HomeView(const Config& config,
                        const std::vector<Event>& upcoming);
nlohmann::json AnswersView(const Config& config,
                           const std::vector<Ticket>& published,
                           std::optional<int64_t> voted);

// The add form's values and the error to show, if any.
struct BoardForm {
  NewTicket values;
  std::string error;
  std::string field;
  int64_t card = 0;  // The card the error belongs to; 0 = the add form.
};

nlohmann::json BoardView(const Config& config, const HolidayCalendar& holidays,
                         const std::vector<Ticket>& tickets, Date today,
                         const Account& account, const BoardForm& form,
                         const std::string& notice,
                         const std::string& csrf_token);
nlohmann::json TicketView(
    const Config& config, const HolidayCalendar& holidays, const Ticket& t,
    const std::vector<HistoryEntry>& history, Date today,
    const Account& account, const std::string& error, const std::string& field,
    const std::string& answer_text, const std::string& answered_by,
    bool answered, const std::string& csrf_token,
    // For the verdict form: the recorded forums, the
    // note as typed (after an error), and whether a
    // verdict was just recorded.
    const std::vector<ForumRecord>& forums = {},
    const std::string& verdict_note = "", bool verdict_recorded = false);

// GET /api/forums and GET /api/answers.
nlohmann::ordered_json ForumsJson(const Config& config,
                                  const std::vector<Event>& upcoming);
nlohmann::ordered_json AnswersJson(const Config& config,
                                   const std::vector<Ticket>& published);

}  // namespace focus::web

#endif  // FOCUS_SRC_WEB_VIEWS_H_
