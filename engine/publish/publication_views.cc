#include "focus/publication_views.h"

#include <algorithm>
#include <cctype>
#include <regex>
#include <set>

#include "focus/clock.h"
#include "focus/error.h"
#include "focus/sla.h"
#include "focus/text.h"

namespace focus {

namespace internal {

std::string LongDate(Date d) {
  return WeekdayName(d) + " " + std::to_string(d.day()) + " " +
         MonthName(d.month()) + " " + std::to_string(d.year());
}

std::string ThemeLabel(const std::string& theme) {
  std::string label = theme;
  if (!label.empty()) {
    label[0] =
        static_cast<char>(std::toupper(static_cast<unsigned char>(label[0])));
  }
  return label;
}

Date LondonDateOf(const std::string& utc_at) {
  std::optional<std::time_t> t = ParseUtcTimestamp(utc_at);
  if (!t) {
    throw Error(ErrorKind::kInternal,
                "history time stamp '" + utc_at + "' is not UTC ISO 8601");
  }
  return FixedClock(*t).Today();
}

std::map<int64_t, ForumRecord> ForumsById(const Board& board) {
  std::map<int64_t, ForumRecord> out;
  for (ForumRecord& f : board.Forums()) out[f.id] = std::move(f);
  return out;
}

// "East Surrey" -> "East Surrey forum"; "Surrey-wide evening forum" stays.
std::string WithForum(std::string name) {
  const std::string lower = LowerAscii(name);
  if (lower.size() < 5 || lower.compare(lower.size() - 5, 5, "forum") != 0) {
    name += " forum";
  }
  return name;
}

std::string ForumName(const Config& config, const ForumRecord& forum) {
  const std::string name = forum.plan_id.empty() && !forum.title.empty()
                               ? forum.title
                               : config.AreaName(forum.area);
  return WithForum(name) + " (" + FormatHumanDate(forum.held_on) + ")";
}

Json VerdictView(const Config& config, const ForumVerdict& v) {
  const std::string forum = "The " + WithForum(config.AreaName(v.area));
  const std::string on = LongDate(v.held_on);
  std::string text;
  switch (v.verdict) {
    case Verdict::kConfirmed:
      text = forum + " confirmed this on " + on;
      break;
    case Verdict::kNotYet:
      text = forum + " said on " + on + " that this has not happened yet";
      break;
    case Verdict::kDisputed:
      text = forum + " disputed this on " + on;
      break;
  }
  // The whole sentence, ending once whatever the note ends with.
  std::string sentence = v.note.empty() ? text : text + ": " + v.note;
  if (sentence.find_last_of(".!?") != sentence.size() - 1) sentence += ".";
  return Json{{"text", text},
              {"sentence", sentence},
              {"note", v.note},
              {"has_note", !v.note.empty()},
              {"verdict", VerdictName(v.verdict)},
              {"confirmed", v.verdict == Verdict::kConfirmed},
              {"not_yet", v.verdict == Verdict::kNotYet},
              {"disputed", v.verdict == Verdict::kDisputed},
              {"forum", WithForum(config.AreaName(v.area))},
              {"date", on}};
}

std::string TrustQuestion(const Board& board, const Ticket& t, Date as_of) {
  if (t.state != TicketState::kWaitingForForum) return "";
  const std::string cutoff = EndOfLondonDayUtc(as_of);
  std::string question;
  for (const HistoryEntry& h : board.History(t.id)) {
    if (h.at >= cutoff) break;
    if (h.ticket_id == t.id && h.field == "state" &&
        h.new_value == TicketStateName(TicketState::kWaitingForForum)) {
      question = h.note;
    }
  }
  return question;
}

std::vector<Ticket> TicketsAsOf(const Board& board, Date as_of) {
  std::vector<Ticket> tickets = board.AsOf(as_of);
  tickets.erase(std::remove_if(tickets.begin(), tickets.end(),
                               [](const Ticket& t) {
                                 return t.state == TicketState::kMerged;
                               }),
                tickets.end());
  return tickets;
}

std::vector<Ticket> MostVotedAsOf(const Board& board, Date as_of, int limit,
                                  int min_votes) {
  std::vector<Ticket> tickets = TicketsAsOf(board, as_of);
  tickets.erase(
      std::remove_if(tickets.begin(), tickets.end(),
                     [&](const Ticket& t) { return t.votes < min_votes; }),
      tickets.end());
  // Most voted first; ties oldest first (the ids are in order already).
  std::stable_sort(
      tickets.begin(), tickets.end(),
      [](const Ticket& a, const Ticket& b) { return a.votes > b.votes; });
  if (limit >= 0 && tickets.size() > static_cast<size_t>(limit)) {
    tickets.resize(limit);
  }
  return tickets;
}

std::vector<std::string> TicketAreas(
    const Config& config, const Ticket& t,
    const std::map<int64_t, ForumRecord>& forums) {
  std::set<std::string> slugs = {t.area};
  for (int64_t id : t.forum_ids) {
    auto it = forums.find(id);
    if (it != forums.end()) slugs.insert(it->second.area);
  }
  std::vector<std::string> names;
  for (const Area* a : config.Forums()) {
    if (slugs.erase(a->slug) > 0) names.push_back(a->name);
  }
  for (const std::string& s : slugs) names.push_back(config.AreaName(s));
  return names;
}

Json TicketView(const Config& config, const Ticket& t,
                const std::map<int64_t, ForumRecord>& forums) {
  std::vector<std::string> themes;
  for (const std::string& theme : t.themes) themes.push_back(theme);
  std::vector<int64_t> forum_ids = t.forum_ids;
  if (t.forum_id && std::find(forum_ids.begin(), forum_ids.end(),
                              *t.forum_id) == forum_ids.end()) {
    forum_ids.insert(forum_ids.begin(), *t.forum_id);
  }
  std::vector<const ForumRecord*> raised_at;
  for (int64_t id : forum_ids) {
    auto it = forums.find(id);
    if (it != forums.end()) raised_at.push_back(&it->second);
  }
  std::sort(raised_at.begin(), raised_at.end(),
            [](const ForumRecord* a, const ForumRecord* b) {
              return std::tie(a->held_on, a->id) < std::tie(b->held_on, b->id);
            });
  std::vector<std::string> forum_names;
  for (const ForumRecord* f : raised_at) {
    forum_names.push_back(ForumName(config, *f));
  }
  const std::vector<std::string> areas = TicketAreas(config, t, forums);
  Json verdicts = Json::array();
  for (const ForumVerdict& v : t.verdicts) {
    verdicts.push_back(VerdictView(config, v));
  }
  const bool has_verdicts = !verdicts.empty();
  return Json{
      {"number", std::to_string(t.id)},
      {"title", t.title},
      {"themes", JoinWords(themes)},
      {"areas", JoinWords(areas)},
      {"area_count", static_cast<int>(areas.size())},
      {"forums", JoinWords(forum_names)},
      {"forum_count", static_cast<int>(forum_names.size())},
      {"has_forums", !forum_names.empty()},
      {"team", t.team},
      {"votes", t.votes},
      {"state", TicketStateLabel(t.state)},
      {"raised_on", LongDate(t.raised_on)},
      {"answer", t.answer},
      {"has_answer", !t.answer.empty()},
      {"answered_by", PublicAnswerer(config, t)},
      {"reason", t.decline_reason},
      {"verdicts", std::move(verdicts)},
      {"has_verdicts", has_verdicts},
      // Sent back to the Trust by a disputed verdict, its answer still shown.
      {"reopened", t.reopened_on.has_value()},
  };
}

Json QuarterHeading(const Config& config, const Quarter& q) {
  return Json{{"organisation", config.organisation},
              {"series_name", config.series_name},
              {"quarter", QuarterId(q)},
              {"round_name", "round " + std::to_string(q.round) + " of " +
                                 std::to_string(q.plan_year)}};
}

std::string AgreedTimeText(const Config& config) {
  const int days = config.board.response_times.answer_days;
  std::string text = std::to_string(days) + " working days";
  std::vector<std::string> exceptions;
  for (const auto& [theme, rule] : config.board.response_times_by_theme) {
    if (rule.answer_days != days) {
      exceptions.push_back(std::to_string(rule.answer_days) + " for " + theme);
    }
  }
  for (const auto& [team, rule] : config.board.response_times_by_team) {
    if (rule.answer_days != days) {
      exceptions.push_back(std::to_string(rule.answer_days) + " for " + team);
    }
  }
  if (!exceptions.empty()) text += " (" + JoinWords(exceptions) + ")";
  return text;
}

Date FinalAnswerDate(const Board& board, const Ticket& t, Date as_of) {
  const std::string cutoff = EndOfLondonDayUtc(as_of);
  std::optional<Date> last;
  for (const HistoryEntry& h : board.History(t.id)) {
    if (h.at >= cutoff) break;
    if (h.ticket_id == t.id && h.field == "state" &&
        h.new_value == TicketStateName(TicketState::kAnswered)) {
      last = LondonDateOf(h.at);
    }
  }
  if (last) return *last;
  return t.answered_on ? *t.answered_on : t.raised_on;
}

}  // namespace internal

}  // namespace focus
