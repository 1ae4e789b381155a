#include "focus/newsletter.h"

#include <algorithm>
#include <cctype>
#include <regex>
#include <set>

#include "focus/clock.h"
#include "focus/error.h"
#include "focus/publication_views.h"
#include "focus/sla.h"
#include "focus/text.h"

namespace focus {

// --- The newsletter ---------------------------------------------------------

namespace {

using internal::Json;
using internal::LongDate;

// What the newsletter says, chosen from the board; turned into words by
// ViewOf. NewsletterViewShape fills it with one example of everything.
struct NewsletterData {
  Quarter quarter;
  Date since;          // The previous round's copy deadline (excluded).
  Date as_of;          // This round's copy deadline, or today if earlier.
  Date copy_deadline;  // This round's.
  Date publication;
  std::vector<Ticket> did, doing, declined, most_voted;
  std::vector<std::pair<Ticket, TicketSla>> disputed;
  struct Waiting {
    Ticket ticket;
    TicketSla sla;
    std::string question;  // The Trust's, when waiting for the forum.
  };
  std::vector<Waiting> waiting;
  int answered = 0, answered_on_time = 0, answered_late = 0;
  struct Round {
    int plan_year = 0;
    int round = 0;
    std::vector<Event> forums;
  };
  std::vector<Round> next_rounds;
  std::map<int64_t, ForumRecord> forums;
};

Date FirstDayOfRound(const Config& config, int plan_year, int round) {
  auto [year, month] = RoundMonth(config, plan_year, round, 1);
  return Date(year, month, 1);
}

std::string RoundMonths(const Config& config, int plan_year, int round) {
  auto [y1, m1] = RoundMonth(config, plan_year, round, 1);
  auto [y3, m3] = RoundMonth(config, plan_year, round, 3);
  std::string first =
      MonthName(m1) + (y1 == y3 ? "" : " " + std::to_string(y1));
  return first + " to " + MonthName(m3) + " " + std::to_string(y3);
}

bool InWindow(const std::optional<Date>& d, Date since, Date as_of) {
  return d && *d > since && *d <= as_of;
}

// The one list of the newsletter a ticket (as it stood at `as_of`) is in.
// Published text decides, so no ticket is both answered and waiting.
enum class Listed { kDid, kDoing, kDeclined, kDisputed, kWaiting, kEarlier };

Listed Classify(const Board& board, const Ticket& t, Date since, Date as_of) {
  if (t.answer.empty() && t.decline_reason.empty()) return Listed::kWaiting;
  // Back with the Trust after a forum disputed its answer, until the Trust
  // answers again: listed apart, the answer and the dispute side by side.
  if (t.reopened_on && !AwaitsVerdict(t)) return Listed::kDisputed;
  switch (t.state) {
    case TicketState::kAnswered:
    case TicketState::kClosed:
      return InWindow(internal::FinalAnswerDate(board, t, as_of), since, as_of)
                 ? Listed::kDid
                 : Listed::kEarlier;
    case TicketState::kDeclined:
      return InWindow(t.declined_on, since, as_of) ? Listed::kDeclined
                                                   : Listed::kEarlier;
    default:
      // Under way ("we are doing"), or sent back to the Trust or the forum
      // after an answer: the answer stays published.
      return t.answer.empty() ? Listed::kWaiting : Listed::kDoing;
  }
}

// Returns true iff the ticket, listed as `l`, is listed in this issue as
// answered, declined or under way, with its first published response in this
// issue's window.
bool NewResponse(Listed l, const Ticket& t, Date since, Date as_of) {
  // A disputed answer is not counted as an answer on time or late.
  if (l == Listed::kWaiting || l == Listed::kEarlier ||
      l == Listed::kDisputed) {
    return false;
  }
  std::optional<Date> first = t.answered_on;
  if (!first || (t.declined_on && *t.declined_on < *first)) {
    first = t.declined_on;
  }
  return InWindow(first, since, as_of);
}

NewsletterData Gather(const Config& config, const Board& board,
                      const Plan& plan, const Quarter& q, Date today,
                      const NewsletterOptions& options) {
  if (plan.year != q.plan_year) {
    throw Error(ErrorKind::kInternal, "newsletter for " + QuarterId(q) +
                                          " given the plan of " +
                                          std::to_string(plan.year));
  }
  const HolidayCalendar holidays = config.MakeHolidayCalendar();
  NewsletterData d;
  d.quarter = q;
  const Date first = FirstDayOfRound(config, q.plan_year, q.round);
  d.copy_deadline = NewsletterCopyDeadline(config, holidays, first);
  d.since = NewsletterCopyDeadline(config, holidays,
                                   first - boost::gregorian::days(1));
  d.as_of = std::min(today, d.copy_deadline);
  auto [pub_year, pub_month] = RoundMonth(config, q.plan_year, q.round, 3);
  d.publication = holidays.NthWorkingDayOfMonth(
      pub_year, pub_month, config.newsletter_publication_working_day);
  d.forums = internal::ForumsById(board);

  for (const Ticket& t : internal::TicketsAsOf(board, d.as_of)) {
    const TicketSla sla = ComputeSla(config, holidays, t, d.as_of);
    const Listed listed = Classify(board, t, d.since, d.as_of);
    switch (listed) {
      case Listed::kDid:
        d.did.push_back(t);
        break;
      case Listed::kDoing:
        d.doing.push_back(t);
        break;
      case Listed::kDeclined:
        d.declined.push_back(t);
        break;
      case Listed::kDisputed:
        d.disputed.emplace_back(t, sla);
        break;
      case Listed::kWaiting:
        d.waiting.push_back(
            {t, sla, internal::TrustQuestion(board, t, d.as_of)});
        break;
      case Listed::kEarlier:
        break;
    }
    // The agreed time measures the first published response; the count is
    // over the responses this issue lists as new.
    if (NewResponse(listed, t, d.since, d.as_of)) {
      ++d.answered;
      ++(sla.status == SlaStatus::kAnsweredLate ? d.answered_late
                                                : d.answered_on_time);
    }
  }

  // A concern only one vote has raised is not among the most voted.
  d.most_voted = internal::MostVotedAsOf(board, d.as_of, options.most_voted, 2);

  for (int k = 1; k <= 2; ++k) {
    NewsletterData::Round r;
    r.plan_year = q.plan_year + (q.round + k - 1) / 4;
    r.round = (q.round + k - 1) % 4 + 1;
    for (const Event& e : plan.events) {
      if (e.kind == EventKind::kForum && e.plan_year == r.plan_year &&
          e.round == r.round) {
        r.forums.push_back(e);
      }
    }
    if (r.forums.empty()) {
      throw Error(ErrorKind::kInternal,
                  "the plan of " + std::to_string(plan.year) +
                      " has no forums for round " + std::to_string(r.round) +
                      " of " + std::to_string(r.plan_year));
    }
    d.next_rounds.push_back(std::move(r));
  }
  return d;
}

// Tickets grouped under their first theme, themes in configuration order.
Json ByTheme(const Config& config, const std::vector<Ticket>& tickets,
             const std::map<int64_t, ForumRecord>& forums) {
  std::vector<std::string> order = config.board.themes;
  for (const Ticket& t : tickets) {
    const std::string theme = t.themes.empty() ? "other" : t.themes[0];
    if (std::find(order.begin(), order.end(), theme) == order.end()) {
      order.push_back(theme);
    }
  }
  Json groups = Json::array();
  for (const std::string& theme : order) {
    Json items = Json::array();
    for (const Ticket& t : tickets) {
      if ((t.themes.empty() ? "other" : t.themes[0]) == theme) {
        items.push_back(internal::TicketView(config, t, forums));
      }
    }
    if (!items.empty()) {
      groups.push_back({{"theme", internal::ThemeLabel(theme)},
                        {"tickets", std::move(items)}});
    }
  }
  return groups;
}

Json ForumView(const Config& config, const Event& e) {
  const bool in_person = e.format == Format::kInPerson;
  auto has = [&](const char* feature) {
    return e.venue &&
           std::find(e.venue->features.begin(), e.venue->features.end(),
                     feature) != e.venue->features.end();
  };
  const int informal = config.meeting.pre_meeting_minutes;
  std::string access;  // Every feature, in the configuration's order.
  if (e.venue) {
    for (const std::string& f : e.venue->features) {
      access += (access.empty() ? "" : "; ") + VenueFeatureWords(f);
    }
  }
  return Json{
      {"title", e.title},
      {"area", e.area},
      {"evening", e.evening},
      {"date", LongDate(e.date)},
      {"start", FormatTimeOfDay(*e.start)},
      {"end", FormatTimeOfDay(e.end())},
      {"meeting_start",
       FormatTimeOfDay(TimeOfDay{e.start->minutes + informal})},
      {"has_informal_time", informal > 0},
      {"informal_minutes", informal},
      {"online", !in_person},
      {"in_person", in_person},
      {"joining_link", e.joining_link},
      {"venue_name", e.venue ? e.venue->name : ""},
      {"venue_address", e.venue ? e.venue->address : ""},
      {"venue_notes", e.venue ? e.venue->notes : ""},
      {"has_venue_notes", e.venue && !e.venue->notes.empty()},
      {"access", access},
      {"has_access", !access.empty()},
      {"wifi", has("wifi")},
      {"step_free", has("step-free")},
      {"hearing_loop", has("hearing-loop")},
      {"has_pals_clinic", in_person && config.meeting.pals_clinic_minutes > 0},
      {"cancelled", e.cancelled},
      {"changed", !e.cancelled && e.sequence > 0},
      {"change_reason", e.change_reason},
  };
}

// The tickets still waiting for a response, with their due dates.
Json WaitingRows(const Config& config, const NewsletterData& d) {
  Json waiting = Json::array();
  for (const NewsletterData::Waiting& w : d.waiting) {
    Json item = internal::TicketView(config, w.ticket, d.forums);
    const bool late = w.sla.status == SlaStatus::kBreached;
    item["late"] = late;
    item["due"] = LongDate(w.sla.answer_due);
    item["waiting_for_forum"] = w.ticket.state == TicketState::kWaitingForForum;
    item["question"] = w.question;
    item["has_question"] = !w.question.empty();
    item["paused"] = w.sla.paused && !late;
    item["days_left"] = w.sla.working_days_left.value_or(0);
    item["escalated"] = w.ticket.state == TicketState::kEscalated;
    waiting.push_back(std::move(item));
  }
  return waiting;
}

// How many of the waiting tickets are past the agreed time.
int WaitingLate(const NewsletterData& d) {
  return static_cast<int>(std::count_if(
      d.waiting.begin(), d.waiting.end(), [](const NewsletterData::Waiting& w) {
        return w.sla.status == SlaStatus::kBreached;
      }));
}

// The answers a forum disputed, back with the Trust, with the new due date.
Json DisputedRows(const Config& config, const NewsletterData& d) {
  Json disputed = Json::array();
  for (const auto& [t, sla] : d.disputed) {
    Json item = internal::TicketView(config, t, d.forums);
    item["due"] = LongDate(sla.answer_due);
    item["late"] = sla.status == SlaStatus::kBreached;
    disputed.push_back(std::move(item));
  }
  return disputed;
}

// The forums of the next two rounds, round by round.
Json NextRoundRows(const Config& config, const NewsletterData& d) {
  Json rounds = Json::array();
  for (const NewsletterData::Round& r : d.next_rounds) {
    Json forums = Json::array();
    for (const Event& e : r.forums) forums.push_back(ForumView(config, e));
    rounds.push_back({{"name", "Round " + std::to_string(r.round) + " of " +
                                   std::to_string(r.plan_year)},
                      {"months", RoundMonths(config, r.plan_year, r.round)},
                      {"forums", std::move(forums)}});
  }
  return rounds;
}

// Whether any forum of the next rounds meets in person (the travel note is
// for those).
bool AnyInPerson(const NewsletterData& d) {
  for (const NewsletterData::Round& r : d.next_rounds) {
    for (const Event& e : r.forums) {
      if (e.format == Format::kInPerson) return true;
    }
  }
  return false;
}

Json ViewOf(const Config& config, const NewsletterData& d) {
  const Quarter& q = d.quarter;
  const std::string months = RoundMonths(config, q.plan_year, q.round);
  Json waiting = WaitingRows(config, d);
  const int waiting_late = WaitingLate(d);
  Json most_voted = Json::array();
  for (const Ticket& t : d.most_voted) {
    Json item = internal::TicketView(config, t, d.forums);
    item["rank"] = static_cast<int>(most_voted.size()) + 1;
    most_voted.push_back(std::move(item));
  }
  Json declined = Json::array();
  for (const Ticket& t : d.declined) {
    declined.push_back(internal::TicketView(config, t, d.forums));
  }
  Json disputed = DisputedRows(config, d);
  Json rounds = NextRoundRows(config, d);
  const bool any_in_person = AnyInPerson(d);
  Json get_involved = Json::array();
  for (const std::string& line : config.newsletter_get_involved) {
    get_involved.push_back(line);
  }
  const bool nothing = d.did.empty() && d.doing.empty() && d.declined.empty();
  Json view = internal::QuarterHeading(config, q);
  view.update(Json{
      {"months", months},
      {"since", LongDate(d.since + boost::gregorian::days(1))},
      {"until", LongDate(d.as_of)},
      {"copy_deadline", LongDate(d.copy_deadline)},
      {"early_draft", d.as_of < d.copy_deadline},
      {"publication_date", LongDate(d.publication)},
      {"nothing_answered", nothing},
      {"we_did", ByTheme(config, d.did, d.forums)},
      {"has_we_did", !d.did.empty()},
      {"we_did_count", static_cast<int>(d.did.size())},
      {"we_are_doing", ByTheme(config, d.doing, d.forums)},
      {"has_we_are_doing", !d.doing.empty()},
      {"we_are_doing_count", static_cast<int>(d.doing.size())},
      {"declined", std::move(declined)},
      {"has_declined", !d.declined.empty()},
      {"declined_count", static_cast<int>(d.declined.size())},
      {"disputed", std::move(disputed)},
      {"has_disputed", !d.disputed.empty()},
      {"disputed_count", static_cast<int>(d.disputed.size())},
      {"waiting", std::move(waiting)},
      {"has_waiting", !d.waiting.empty()},
      {"waiting_count", static_cast<int>(d.waiting.size())},
      {"waiting_late_count", waiting_late},
      {"has_waiting_late", waiting_late > 0},
      {"agreed_time", internal::AgreedTimeText(config)},
      {"responses", d.answered},
      {"has_responses", d.answered > 0},
      {"responses_on_time", d.answered_on_time},
      {"responses_late", d.answered_late},
      {"most_voted", std::move(most_voted)},
      {"has_most_voted", !d.most_voted.empty()},
      {"next_rounds", std::move(rounds)},
      {"informal_minutes", config.meeting.pre_meeting_minutes},
      {"travel_note", config.travel_note},
      {"has_travel_note", any_in_person && !config.travel_note.empty()},
      {"get_involved", std::move(get_involved)},
      {"has_get_involved", !config.newsletter_get_involved.empty()},
  });
  return view;
}

// One of everything, so every list in the shape has an example item.
NewsletterData ExampleData(const Config& config) {
  NewsletterData d;
  d.quarter = {2027, 1};
  d.since = d.as_of = d.copy_deadline = d.publication = Date(2027, 1, 1);
  Ticket t;
  t.id = 1;
  t.area = config.Forums().empty() ? "" : config.Forums()[0]->slug;
  t.themes = {"other"};
  t.raised_on = Date(2027, 1, 1);
  t.forum_ids = {1};
  ForumRecord f;
  f.id = 1;
  f.area = t.area;
  f.held_on = t.raised_on;
  d.forums[1] = f;
  ForumVerdict v;
  v.forum_id = 1;
  v.area = t.area;
  v.held_on = t.raised_on;
  t.verdicts = {v};
  d.did = d.doing = d.declined = d.most_voted = {t};
  TicketSla sla;
  sla.answer_due = t.raised_on;
  d.waiting.push_back({t, sla, "question"});
  d.disputed.emplace_back(t, sla);
  Event online;
  online.kind = EventKind::kForum;
  online.format = Format::kVirtual;
  online.start = TimeOfDay{600};
  online.date = t.raised_on;
  Event in_person = online;
  in_person.format = Format::kInPerson;
  in_person.venue = Venue{};
  d.next_rounds.push_back({2027, 2, {online, in_person}});
  return d;
}

}  // namespace

Quarter ParseQuarter(const std::string& text) {
  static const std::regex kPattern("([0-9]{4})-[Qq]([1-4])");
  std::smatch m;
  if (!std::regex_match(text, m, kPattern)) {
    ThrowInvalid("quarter '" + text +
                 "' is not like 2027-Q2 (plan year, Q, round 1 to 4)");
  }
  return Quarter{std::stoi(m[1].str()), std::stoi(m[2].str())};
}

std::string QuarterId(const Quarter& q) {
  return std::to_string(q.plan_year) + "-Q" + std::to_string(q.round);
}

nlohmann::json BuildNewsletterView(const Config& config, const Board& board,
                                   const Plan& plan, const Quarter& q,
                                   Date today,
                                   const NewsletterOptions& options) {
  return ViewOf(config, Gather(config, board, plan, q, today, options));
}

nlohmann::json NewsletterViewShape(const Config& config) {
  Json shape = ViewShape(ViewOf(config, ExampleData(config)));
  // The configuration may list nothing; the template may still use it.
  shape["get_involved"] = Json::array({""});
  return shape;
}

std::map<std::string, std::string> RenderNewsletter(
    const Config& config, const nlohmann::json& view,
    const NewsletterOptions& options) {
  const Json shape = NewsletterViewShape(config);
  std::map<std::string, std::string> files;
  for (const char* variant : {"newsletter", "newsletter-easy-read"}) {
    for (const char* ext : {"md", "html", "txt"}) {
      const std::string name = std::string(variant) + "." + ext;
      files[name] =
          RenderTemplate(options.templates, name + ".mustache", view,
                         std::string(ext) == "html" ? Escaping::kHtml
                         : std::string(ext) == "md" ? Escaping::kMarkdown
                                                    : Escaping::kNone,
                         shape);
    }
  }
  return files;
}

}  // namespace focus
