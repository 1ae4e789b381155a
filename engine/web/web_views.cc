#include "web_views.h"

#include <algorithm>
#include <map>
#include <set>

#include "focus/local_time.h"
#include "focus/publication_views.h"
#include "focus/sla.h"
#include "focus/text.h"

namespace focus::web {
namespace {

using Json = nlohmann::json;
using OrderedJson = nlohmann::ordered_json;

// The board's columns, in the order work flows through them (a merged
// ticket is shown on the ticket it was merged into).
const std::vector<TicketState>& Columns() {
  static const std::vector<TicketState> kColumns = PlainTicketStates();
  return kColumns;
}

std::string Plural(int n, const std::string& one, const std::string& many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

std::string Capitalised(std::string s) {
  if (!s.empty() && s[0] >= 'a' && s[0] <= 'z') s[0] = s[0] - 'a' + 'A';
  return s;
}

std::string TimeRange(const Event& e) {
  if (!e.start) return "All day";
  return FormatTimeOfDay(*e.start) + " to " + FormatTimeOfDay(e.end()) +
         " (UK time)";
}

// The due mark in words, so it never relies on colour alone.
struct Due {
  std::string date;
  std::string mark;
  std::string css;  // "breached", "due-soon", "ok".
};

Due DueOf(const Config& config, const HolidayCalendar& holidays,
          const Ticket& t, Date today) {
  Due d;
  if (t.state == TicketState::kMerged) return d;
  const TicketSla sla =
      ComputeSla(config, holidays, t, std::max(today, t.raised_on));
  d.date = FormatHumanDate(sla.answer_due);
  const int left = sla.working_days_left.value_or(0);
  // The due date of a paused ticket moves on each working day; its days
  // left do not.
  if (sla.paused && sla.status != SlaStatus::kBreached) {
    d.date = "paused while waiting for the forum";
    d.mark = Plural(left, "working day", "working days") + " left";
    d.css = sla.status == SlaStatus::kDueSoon ? "due-soon" : "ok";
    return d;
  }
  switch (sla.status) {
    case SlaStatus::kOnTime:
      d.mark =
          "On time: " + Plural(left, "working day", "working days") + " left";
      d.css = "ok";
      break;
    case SlaStatus::kDueSoon:
      d.mark =
          "Due soon: " + Plural(left, "working day", "working days") + " left";
      d.css = "due-soon";
      break;
    case SlaStatus::kBreached:
      d.mark = "Overdue by " + Plural(-left, "working day", "working days");
      d.css = "breached";
      break;
    case SlaStatus::kAnsweredOnTime:
      d.mark = "Answered on time";
      d.css = "ok";
      break;
    case SlaStatus::kAnsweredLate:
      d.mark = "Answered late";
      d.css = "breached";
      break;
  }
  if (sla.paused) d.mark += " (clock paused: waiting for the forum)";
  return d;
}

// "You said, we did" / "You said, we are doing" / "Declined".
std::string PublicStatus(const Ticket& t) {
  if (t.state == TicketState::kDeclined) return "We cannot do this";
  // Its answer stays up beside the dispute until the Trust answers again.
  if (t.reopened_on && !AwaitsVerdict(t) && !t.answer.empty()) {
    return "The forum disputed this: back with the Trust";
  }
  if (t.state == TicketState::kInProgress) return "You said, we are doing";
  return "You said, we did";
}

Json Options(const std::vector<std::string>& values,
             const std::vector<std::string>& selected) {
  Json out = Json::array();
  for (const std::string& v : values) {
    bool on = std::find(selected.begin(), selected.end(), v) != selected.end();
    out.push_back({{"value", v}, {"label", v}, {"selected", on}});
  }
  return out;
}

Json MovesFrom(TicketState from) {
  Json moves = Json::array();
  for (TicketState to : Columns()) {
    if (IsAllowedMove(from, to)) {
      moves.push_back(
          {{"value", TicketStateName(to)}, {"label", TicketStateLabel(to)}});
    }
  }
  return moves;
}

}  // namespace

bool IsPublished(const Ticket& t) {
  if (t.state == TicketState::kMerged) return false;
  if (!t.answer.empty()) return true;
  return t.state == TicketState::kDeclined && !t.decline_reason.empty();
}

int HttpStatus(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kInvalidInput:
    case ErrorKind::kUnsatisfiable:
      return 422;
    case ErrorKind::kNotFound:
      return 404;
    case ErrorKind::kConflict:
      return 409;
    case ErrorKind::kForbidden:
      return 403;
    case ErrorKind::kBusy:
    case ErrorKind::kIo:
      return 503;
    case ErrorKind::kInternal:
      return 500;
  }
  return 500;
}

FormError FormErrorOf(const Error& e) {
  return {WebMessage(e, false, 0), e.field(),
          e.remedy() == Remedy::kAllowIdentifiers};
}

bool ShowsOnForm(const Error& e) {
  return e.kind() == ErrorKind::kInvalidInput ||
         e.kind() == ErrorKind::kConflict;
}

std::string WebMessage(const Error& e, bool api, int64_t ticket) {
  const std::string message = e.what();
  const std::string answer_route =
      "POST /api/tickets/" + std::to_string(ticket) + "/answer";
  switch (e.remedy()) {
    case Remedy::kAllowIdentifiers:
      return message + ", or override with " +
             (api ? "\"allow_identifiers\": true" : "the tick box below") +
             " if it identifies nobody";
    case Remedy::kAnswerFirst:
      return message + " (answer it first " +
             (api ? "with " + answer_route : "on the ticket's page") + ")";
    case Remedy::kFinalAnswerFirst:
      return message + " (publish the final answer first " +
             (api ? "with " + answer_route : "on the ticket's page") + ")";
    case Remedy::kNone:
    case Remedy::kForce:  // Plan changes and imports are not made on the web.
    case Remedy::kCreateBoard:
    case Remedy::kDryRun:
    case Remedy::kListForums:
      return message;
  }
  return message;
}

std::string StatusTitle(int status) {
  switch (status) {
    case 400:
      return "Bad request";
    case 401:
      return "Please sign in";
    case 403:
      return "Not allowed";
    case 404:
      return "Not found";
    case 413:
      return "Too much data";
    case 422:
      return "Please check what you entered";
    case 429:
      return "Too many requests";
    case 503:
      return "Busy: please try again";
    default:
      return status >= 500 ? "Something went wrong" : "Request refused";
  }
}

Json LayoutView(const Config& config, const std::string& title,
                const std::string& current,
                const std::optional<Account>& account,
                const std::string& csrf_token) {
  Json nav = Json::array();
  auto add = [&](const std::string& href, const std::string& label) {
    nav.push_back(
        {{"href", href}, {"label", label}, {"current", href == current}});
  };
  add("/", "Forum dates");
  add("/answers", "You said, we did");
  if (account) {
    add("/board", "Feedback board");
  } else {
    add("/login", "Sign in");
  }
  return {{"title", title},
          {"site_name", config.series_name},
          {"organisation", config.organisation},
          {"nav", nav},
          {"signed_in", account.has_value()},
          {"account_name", account ? account->name : ""},
          {"account_role", account ? RoleName(account->role) : ""},
          {"csrf_token", csrf_token}};
}

Json ErrorView(int status, const std::string& message) {
  return {{"status", status},
          {"heading", StatusTitle(status)},
          {"message", message},
          {"sign_in", status == 401}};
}

Json LoginView(const std::string& name, const std::string& error,
               const std::string& login_token) {
  return {{"name", name},
          {"has_error", !error.empty()},
          {"error", error},
          {"login_token", login_token}};
}

Json HomeView(const Config& config, const std::vector<Event>& upcoming) {
  Json forums = Json::array();
  for (const Event& e : upcoming) {
    Json f = {
        {"heading_id", "forum-" + e.id},
        {"title", e.title},
        {"area", e.area},
        {"date", FormatHumanDate(e.date)},
        {"time", TimeRange(e)},
        {"online", e.format == Format::kVirtual},
        {"in_person", e.format == Format::kInPerson},
        {"format_label", e.format == Format::kVirtual ? "Online" : "In person"},
        {"joining_link", e.joining_link},
        {"cancelled", e.cancelled},
        {"change_reason", e.change_reason},
        {"venue_name", ""},
        {"venue_address", ""},
        {"venue_notes", ""},
        {"has_notes", false},
        {"access", ""}};
    if (e.venue) {
      std::vector<std::string> words;
      for (const std::string& feature : e.venue->features) {
        words.push_back(VenueFeatureWords(feature));
      }
      f["venue_name"] = e.venue->name;
      f["venue_address"] = e.venue->address;
      f["venue_notes"] = e.venue->notes;
      f["has_notes"] = !e.venue->notes.empty();
      f["access"] =
          words.empty() ? "Ask the coordinator" : Capitalised(Join(words));
    }
    forums.push_back(f);
  }
  Json calendars = Json::array();
  for (const Area& a : config.areas) {
    calendars.push_back(
        {{"name", a.name}, {"url", "/calendar/" + a.slug + ".ics"}});
  }
  return {{"series", config.series_name},
          {"forums", forums},
          {"has_forums", !upcoming.empty()},
          {"calendars", calendars},
          {"evening_forum", config.evening_forum.name},
          {"travel_note", config.travel_note},
          {"has_travel_note", !config.travel_note.empty()}};
}

namespace {

// The forums' verdicts on a ticket's answer, as the public reads them.
Json Verdicts(const Config& config, const Ticket& t) {
  Json out = Json::array();
  for (const ForumVerdict& v : t.verdicts) {
    out.push_back(internal::VerdictView(config, v));
  }
  return out;
}

}  // namespace

Json AnswersView(const Config& config, const std::vector<Ticket>& published,
                 std::optional<int64_t> voted) {
  // Theme (in configuration order) -> area name -> tickets. A ticket sits
  // under its first theme only, so each appears once on the page.
  std::map<size_t, std::map<std::string, std::vector<const Ticket*>>> groups;
  for (const Ticket& t : published) {
    const std::string theme = t.themes.empty() ? "other" : t.themes[0];
    auto it = std::find(config.board.themes.begin(), config.board.themes.end(),
                        theme);
    size_t order = it - config.board.themes.begin();
    groups[order][config.AreaName(t.area)].push_back(&t);
  }
  Json themes = Json::array();
  for (const auto& [order, areas] : groups) {
    const std::string theme = order < config.board.themes.size()
                                  ? config.board.themes[order]
                                  : "other";
    Json area_list = Json::array();
    for (const auto& [area, tickets] : areas) {
      Json items = Json::array();
      for (const Ticket* t : tickets) {
        std::vector<std::string> others(t->themes.begin() + 1, t->themes.end());
        items.push_back(
            {{"id", t->id},
             {"title", t->title},
             {"status_label", PublicStatus(*t)},
             {"has_answer", !t->answer.empty()},
             {"answer", t->answer},
             {"answered_by", PublicAnswerer(config, *t)},
             {"has_answered_on", t->answered_on.has_value()},
             {"answered_on",
              t->answered_on ? FormatHumanDate(*t->answered_on) : ""},
             {"declined", t->state == TicketState::kDeclined},
             {"decline_reason", t->decline_reason},
             {"has_other_themes", !others.empty()},
             {"other_themes", Join(others)},
             {"verdicts", Verdicts(config, *t)},
             {"has_verdicts", !t->verdicts.empty()},
             {"votes_label", Plural(t->votes, "vote", "votes")}});
      }
      area_list.push_back({{"area", area}, {"tickets", items}});
    }
    themes.push_back({{"theme", theme},
                      {"theme_label", Capitalised(theme)},
                      {"heading_id", "theme-" + Slugify(theme)},
                      {"areas", area_list}});
  }
  return {{"themes", themes},
          {"has_answers", !published.empty()},
          {"has_notice", voted.has_value()},
          {"notice", voted ? "Thank you: your vote for #" +
                                 std::to_string(*voted) + " is counted."
                           : ""},
          // Links to the pages before and after this one ("" = none); the
          // server fills them in.
          {"has_pages", false},
          {"previous_page", ""},
          {"next_page", ""}};
}

namespace {

// Whether the account may publish an answer on the ticket now: not before
// it reaches the Trust, and not once it is closed, declined or merged.
bool CanAnswer(const Account& account, const Ticket& t) {
  return Allows(account, Action::kAnswer, t.team) &&
         t.state != TicketState::kMerged && t.state != TicketState::kClosed &&
         t.state != TicketState::kDeclined && t.state != TicketState::kRaised;
}

// The "add a ticket" form, with the values kept and an error beside its
// field (or above the form when it names none of them).
Json AddFormView(const Config& config, const BoardForm& form) {
  const FormError& e = form.error;
  const bool add_error = !e.message.empty() && form.card == 0;
  Json add = {{"title", form.values.title},
              {"details", form.values.details},
              {"raised_by", form.values.raised_by},
              {"show_override", add_error && e.offer_override},
              {"general_invalid", false},
              {"general_error", ""}};
  Json areas = Json::array();
  const Area* selected_area = config.FindArea(form.values.area);
  for (const Area* a : config.Forums()) {
    areas.push_back({{"value", a->slug},
                     {"label", a->name},
                     {"selected", selected_area == a}});
  }
  add["areas"] = areas;
  add["themes"] = Options(config.board.themes, form.values.themes);
  add["teams"] = Options(config.board.teams, {form.values.team});
  add["no_team"] = form.values.team.empty();
  bool on_a_field = false;
  for (const char* field : {"title", "details", "area", "themes", "team"}) {
    const bool bad = add_error && e.field == field;
    on_a_field = on_a_field || bad;
    add[std::string(field) + "_invalid"] = bad;
    add[std::string(field) + "_error"] = bad ? e.message : "";
  }
  if (add_error && !on_a_field) {
    add["general_invalid"] = true;
    add["general_error"] = e.message;
  }
  return add;
}

Json CardView(const Config& config, const HolidayCalendar& holidays,
              const Ticket& t, Date today, const Account& account,
              const BoardForm& form) {
  const FormError& e = form.error;
  const Due due = DueOf(config, holidays, t, today);
  const bool error = form.card == t.id && !e.message.empty();
  Json card = {
      {"id", t.id},
      {"title", t.title},
      {"area", config.AreaName(t.area)},
      {"themes", Join(t.themes)},
      {"team", t.team},
      {"votes", t.votes},
      {"due", due.date},
      {"due_mark", due.mark},
      {"due_class", due.css},
      {"flagged", due.css != "ok"},
      {"can_vote", Allows(account, Action::kVote, t.team)},
      {"can_move", Allows(account, Action::kMove, t.team)},
      {"can_merge", Allows(account, Action::kMerge, t.team)},
      {"can_answer", CanAnswer(account, t)},
      {"moves", MovesFrom(t.state)},
      {"has_error", error},
      {"error", error ? e.message : ""},
      {"move_invalid", error && e.field != "into" && e.field != "count"},
      {"merge_invalid", error && e.field == "into"},
  };
  if (card["moves"].empty()) card["can_move"] = false;
  return card;
}

}  // namespace

Json BoardView(const Config& config, const HolidayCalendar& holidays,
               const std::vector<Ticket>& tickets, Date today,
               const Account& account, const BoardForm& form,
               const std::string& notice, const std::string& csrf_token) {
  std::map<TicketState, Json> cards;
  for (const Ticket& t : tickets) {
    if (t.state == TicketState::kMerged) continue;
    cards[t.state].push_back(
        CardView(config, holidays, t, today, account, form));
  }
  Json columns = Json::array();
  for (TicketState s : Columns()) {
    Json list = cards.count(s) ? cards[s] : Json::array();
    columns.push_back(
        {{"state", TicketStateName(s)},
         {"label", TicketStateLabel(s)},
         {"heading_id", std::string("column-") + TicketStateName(s)},
         {"count", list.size()},
         {"has_cards", !list.empty()},
         {"cards", list}});
  }
  return {{"csrf_token", csrf_token},
          {"has_notice", !notice.empty()},
          {"notice", notice},
          {"can_add", Allows(account, Action::kAddTicket)},
          {"read_only", !Allows(account, Action::kAddTicket) &&
                            !Allows(account, Action::kMove) &&
                            !Allows(account, Action::kAnswer)},
          {"add", AddFormView(config, form)},
          {"columns", columns}};
}

namespace {

// Forums held after the answer and by today, latest first: those that can
// give a verdict on it.
Json VerdictForumOptions(const Config& config, const Ticket& t,
                         const std::vector<ForumRecord>& forums, Date today) {
  Json options = Json::array();
  if (!AwaitsVerdict(t)) return options;
  for (auto it = forums.rbegin(); it != forums.rend(); ++it) {
    if (it->held_on <= *t.answered_on || it->held_on > today) continue;
    options.push_back({{"value", std::to_string(it->id)},
                       {"label", "#" + std::to_string(it->id) + " " +
                                     internal::ForumName(config, *it)}});
  }
  return options;
}

Json HistoryRows(const std::vector<HistoryEntry>& history) {
  Json rows = Json::array();
  for (const HistoryEntry& h : history) {
    std::string change = h.new_value;
    if (!h.old_value.empty()) change = h.old_value + " to " + h.new_value;
    rows.push_back({{"at", h.at},
                    {"actor", h.actor},
                    {"field", h.field},
                    {"change", change},
                    {"note", h.note}});
  }
  return rows;
}

}  // namespace

Json TicketView(const Config& config, const HolidayCalendar& holidays,
                const Ticket& t, const std::vector<HistoryEntry>& history,
                Date today, const Account& account, const FormError& e,
                const std::string& answer_text, const std::string& answered_by,
                bool answered, const std::string& csrf_token,
                const std::vector<ForumRecord>& forums,
                const std::string& verdict_note, bool verdict_recorded) {
  const Due due = DueOf(config, holidays, t, today);
  const Json forum_options = VerdictForumOptions(config, t, forums, today);
  const bool can_verdict = Allows(account, Action::kVote, t.team) &&
                           AwaitsVerdict(t) && !forum_options.empty();
  const bool has_error = !e.message.empty();
  const bool verdict_bad =
      has_error &&
      (e.field == "note" || e.field == "forum" || e.field == "verdict");
  const bool text_bad = has_error && e.field == "text";
  const bool by_bad = has_error && e.field == "answered_by";
  return {
      {"id", t.id},
      {"title", t.title},
      {"details", t.details},
      {"has_details", !t.details.empty()},
      {"area", config.AreaName(t.area)},
      {"themes", Join(t.themes)},
      {"team", t.team},
      {"state_label", TicketStateLabel(t.state)},
      {"votes", t.votes},
      {"raised_on", FormatHumanDate(t.raised_on)},
      {"due", due.date},
      {"due_mark", due.mark},
      {"has_due", !due.date.empty()},
      {"has_answer", !t.answer.empty()},
      {"answer", t.answer},
      {"answered_by", t.answered_by},
      {"has_decline", !t.decline_reason.empty()},
      {"decline_reason", t.decline_reason},
      {"history", HistoryRows(history)},
      {"can_answer", CanAnswer(account, t)},
      {"answer_text", answer_text.empty() ? t.answer : answer_text},
      {"answer_by", answered_by.empty() ? t.answered_by : answered_by},
      {"text_invalid", text_bad},
      {"by_invalid", by_bad},
      {"general_invalid", has_error && !text_bad && !by_bad && !verdict_bad},
      {"error", e.message},
      {"show_override", e.offer_override && !verdict_bad},
      {"has_notice", answered || verdict_recorded},
      {"notice", answered           ? "The answer is published."
                 : verdict_recorded ? "The forum's verdict is recorded."
                                    : ""},
      {"verdicts", Verdicts(config, t)},
      {"has_verdicts", !t.verdicts.empty()},
      {"can_verdict", can_verdict},
      {"verdict_forums", forum_options},
      {"verdict_note", verdict_note},
      {"verdict_invalid", verdict_bad},
      {"can_move",
       Allows(account, Action::kMove, t.team) && !MovesFrom(t.state).empty()},
      {"moves", MovesFrom(t.state)},
      {"csrf_token", csrf_token},
  };
}

OrderedJson ForumsJson(const Config& config,
                       const std::vector<Event>& upcoming) {
  OrderedJson list = OrderedJson::array();
  for (const Event& e : upcoming) {
    OrderedJson f = {
        {"id", e.id},
        {"title", e.title},
        {"area", e.area},
        {"area_slug", e.area_slug},
        {"date", FormatIsoDate(e.date)},
        {"start", e.start ? FormatIsoLocal(e.date, *e.start) : ""},
        {"end", e.start ? FormatIsoLocal(e.date, e.end()) : ""},
        {"format", e.format ? FormatName(*e.format) : ""},
        {"cancelled", e.cancelled},
        {"change_reason", e.change_reason},
        {"joining_link", e.joining_link},
        {"venue", nullptr},
        {"calendar",
         e.evening ? "/calendar.ics" : "/calendar/" + e.area_slug + ".ics"},
    };
    if (e.venue) {
      f["venue"] = {{"name", e.venue->name},
                    {"address", e.venue->address},
                    {"features", e.venue->features},
                    {"notes", e.venue->notes}};
    }
    list.push_back(f);
  }
  return {{"series", config.series_name},
          {"timezone", "Europe/London"},
          {"forums", list}};
}

namespace {

// The verdicts for /api/answers: never who recorded them.
OrderedJson VerdictsJson(const Config& config, const Ticket& t) {
  OrderedJson out = OrderedJson::array();
  for (const ForumVerdict& v : t.verdicts) {
    const Json view = internal::VerdictView(config, v);
    out.push_back({{"verdict", VerdictName(v.verdict)},
                   {"forum", view.at("forum")},
                   {"area_slug", v.area},
                   {"held_on", FormatIsoDate(v.held_on)},
                   {"note", v.note},
                   {"answered_on", FormatIsoDate(v.answered_on)},
                   {"text", view.at("sentence")}});
  }
  return out;
}

}  // namespace

OrderedJson AnswersJson(const Config& config,
                        const std::vector<Ticket>& published) {
  OrderedJson list = OrderedJson::array();
  for (const Ticket& t : published) {
    list.push_back(
        {{"id", t.id},
         {"title", t.title},
         {"area", config.AreaName(t.area)},
         {"area_slug", t.area},
         {"themes", t.themes},
         {"status", TicketStateName(t.state)},
         {"status_label", PublicStatus(t)},
         {"answer", t.answer},
         {"answered_by", PublicAnswerer(config, t)},
         {"answered_on", t.answered_on ? FormatIsoDate(*t.answered_on) : ""},
         {"decline_reason",
          t.state == TicketState::kDeclined ? t.decline_reason : ""},
         {"votes", t.votes},
         {"reopened_on", t.reopened_on ? FormatIsoDate(*t.reopened_on) : ""},
         {"verdicts", VerdictsJson(config, t)}});
  }
  return {{"answers", list}};
}

}  // namespace focus::web
