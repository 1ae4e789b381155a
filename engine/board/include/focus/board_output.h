// How the board is shown to facilitators and responders: readable text and
// JSON for tickets, their history, lists and forum records.
#ifndef FOCUS_BOARD_OUTPUT_H_
#define FOCUS_BOARD_OUTPUT_H_

#include <string>
#include <vector>

#include "focus/board.h"
#include "focus/config.h"

namespace focus {

// One ticket with its response-time status (as of `as_of`) and history.
std::string RenderTicketText(const Config& config, const Ticket& ticket,
                             const std::vector<HistoryEntry>& history,
                             Date as_of);
std::string RenderTicketJson(const Config& config, const Ticket& ticket,
                             const std::vector<HistoryEntry>& history,
                             Date as_of);

// A board listing: one line per ticket (id, votes, state, due, title).
std::string RenderTicketListText(const Config& config,
                                 const std::vector<Ticket>& tickets,
                                 Date as_of);
std::string RenderTicketListJson(const Config& config,
                                 const std::vector<Ticket>& tickets,
                                 Date as_of);

// Forums that took place, with attendance and the involvement flag.
std::string RenderForumListText(const Config& config,
                                const std::vector<ForumRecord>& forums);
std::string RenderForumListJson(const Config& config,
                                const std::vector<ForumRecord>& forums);

}  // namespace focus

#endif  // FOCUS_BOARD_OUTPUT_H_
