// Pieces shared by the newsletter, reports, posters and public pages (one way
// to show a date, a theme, a ticket or a forum in every publication).
#ifndef FOCUS_PUBLICATION_VIEWS_H_
#define FOCUS_PUBLICATION_VIEWS_H_

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "focus/board.h"
#include "focus/config.h"
#include "focus/newsletter.h"
#include "focus/templates.h"

namespace focus::internal {

using Json = nlohmann::json;

// "Tuesday 6 July 2027".
std::string LongDate(Date d);
// "Crisis care".
std::string ThemeLabel(const std::string& theme);
// The London date of a history time stamp ("2027-01-20T12:00:00Z").
Date LondonDateOf(const std::string& utc_at);

// Every forum recorded on the board, by id.
std::map<int64_t, ForumRecord> ForumsById(const Board& board);
// "East Surrey forum (Mon 4 Jan 2027)"; an ad hoc forum by its title.
std::string ForumName(const Config& config, const ForumRecord& forum);
// "East Surrey forum"; a name ending in "forum" stays as it is.
std::string WithForum(std::string name);
// A forum's verdict in words for the public: text ("The East Surrey forum
// confirmed this on Thursday 1 April 2027"), sentence (text, ": " and the
// note, with a full stop), note, has_note, verdict,
// confirmed, not_yet, disputed, forum, date. Never who recorded it.
Json VerdictView(const Config& config, const ForumVerdict& v);
// The Trust's question to the forum about a ticket waiting for the forum
// as it stood at the end of `as_of`: the reason given with its last move
// to waiting-for-forum (screened as published text); "" if none.
std::string TrustQuestion(const Board& board, const Ticket& t, Date as_of);

// Area names of the ticket and of every forum that raised or voted for it,
// in configuration order.
std::vector<std::string> TicketAreas(
    const Config& config, const Ticket& t,
    const std::map<int64_t, ForumRecord>& forums);

// The public face of a ticket: number, title, themes, areas, forums, votes,
// state, published answer or reason, the forums' verdicts on the answer.
// Never details, raisers or history.
Json TicketView(const Config& config, const Ticket& t,
                const std::map<int64_t, ForumRecord>& forums);

// The names every quarterly publication starts with: organisation,
// series_name, quarter ("2027-Q1") and round_name ("round 1 of 2027").
// A view adds its own names to these.
Json QuarterHeading(const Config& config, const Quarter& q);

// "20 working days (10 working days for crisis care)".
std::string AgreedTimeText(const Config& config);

// Every ticket on the board at the end of `as_of` but merged repeats, as it
// stood then (Board::AsOf), in ticket order.
std::vector<Ticket> TicketsAsOf(const Board& board, Date as_of);

// Up to `limit` of TicketsAsOf with at least `min_votes` votes (as they
// stood then), most voted first, ties oldest first.
std::vector<Ticket> MostVotedAsOf(const Board& board, Date as_of, int limit,
                                  int min_votes);

// The date a ticket's final answer ("you said, we did") was published: the
// last move to "answered" recorded by the end of `as_of`, else its first
// answer's date.
Date FinalAnswerDate(const Board& board, const Ticket& t, Date as_of);

}  // namespace focus::internal

#endif  // FOCUS_PUBLICATION_VIEWS_H_
