// Input checks: names resolved against the configuration, free text
// screened for identifiers, and each operation's preconditions.
#include <algorithm>
#include <cstdint>
#include <optional>
#include <regex>
#include <string>
#include <utility>
#include <vector>

#include "board_internal.h"
#include "focus/error.h"
#include "focus/forums_repository.h"
#include "focus/rounds.h"
#include "focus/screening.h"
#include "focus/text.h"

namespace focus::board_internal {
namespace {

std::string AreaList(const Config& config) {
  std::vector<std::string> slugs;
  for (const Area* a : config.Forums()) slugs.push_back(a->slug);
  return Join(slugs);
}

// What the public was told about a ticket, in words for a message.
const char* PublishedWhat(const Ticket& t) {
  if (!t.answer.empty()) return "a published answer";
  if (!t.decline_reason.empty()) return "a published reason for declining";
  return nullptr;
}

// An answered, closed or declined ticket tells the public what was done:
// one without those words would be an empty promise.
void CheckPublishedText(const ImportedTicket& item) {
  const bool answered = item.state == TicketState::kAnswered ||
                        item.state == TicketState::kClosed;
  if (answered && Trim(item.answer).empty()) {
    ThrowInvalid(std::string("a ticket cannot be imported as ") +
                 TicketStateName(item.state) +
                 " without the text of its published answer");
  }
  if (item.state == TicketState::kDeclined &&
      Trim(item.decline_reason).empty()) {
    ThrowInvalid(
        "a ticket cannot be imported as declined without its published "
        "reason");
  }
}

// What an imported ticket's state allows: merged only into another item,
// paused only while it waits for a forum.
void CheckImportedState(const ImportedTicket& item) {
  if (item.state == TicketState::kMerged && !item.merged_into_item) {
    ThrowInvalid(
        "a ticket cannot be imported as merged: import the ticket it "
        "repeats and add its votes there");
  }
  if (item.state != TicketState::kMerged && item.merged_into_item) {
    ThrowInvalid(std::string("only a merged ticket is merged into another, "
                             "not one that is ") +
                 TicketStateName(item.state));
  }
  // As Merge: a repeat's published answer would vanish with it.
  if (item.state == TicketState::kMerged &&
      (!Trim(item.answer).empty() || !Trim(item.decline_reason).empty())) {
    ThrowInvalid("a merged repeat cannot have a published answer or reason");
  }
  if (item.state != TicketState::kWaitingForForum && item.paused_since) {
    ThrowInvalid(std::string("only a ticket waiting for a forum is paused, "
                             "not one that is ") +
                 TicketStateName(item.state));
  }
  if (item.paused_working_days < 0) {
    ThrowInvalid("paused working days must be at least 0, not " +
                 std::to_string(item.paused_working_days));
  }
}

// Forum ids from the plan: "2027-r1-east-surrey".
const std::regex& PlanIdPattern() {
  static const std::regex kPattern("([0-9]{4})-r([1-4])-([a-z0-9-]+)");
  return kPattern;
}

}  // namespace

std::string Shown(const std::string& s) {
  std::string out = s;
  for (char& c : out) {
    if (static_cast<unsigned char>(c) < 0x20) c = ' ';
  }
  return out;
}

std::string TicketRef(int64_t id) { return "ticket #" + std::to_string(id); }

std::string ResolveArea(const Config& config, const std::string& given,
                        const char* what) {
  std::string name = Trim(given);
  if (name.empty()) {
    ThrowInvalid(
        std::string(what) + " needs an area (areas: " + AreaList(config) + ")",
        "area");
  }
  const Area* a = config.FindArea(name);
  if (a == nullptr) a = config.FindArea(Slugify(name));
  if (a == nullptr) {
    ThrowInvalid(
        "unknown area '" + Shown(given) + "' (areas: " + AreaList(config) + ")",
        "area");
  }
  return a->slug;
}

std::string ResolveTheme(const Config& config, const std::string& given) {
  std::optional<std::string> theme = MatchName(config.board.themes, given);
  if (!theme) {
    ThrowInvalid("unknown theme '" + Shown(given) +
                     "' (themes: " + Join(config.board.themes) + ")",
                 "themes");
  }
  return *theme;
}

std::string ResolveTeam(const Config& config, const std::string& given) {
  if (config.board.teams.empty()) {
    ThrowInvalid("no teams are configured: add board.teams to " +
                     (config.source.empty() ? std::string("the configuration")
                                            : config.source),
                 "team");
  }
  if (Trim(given).empty()) {
    ThrowInvalid("a ticket needs the Trust team it is for (teams: " +
                     Join(config.board.teams) + ")",
                 "team");
  }
  std::optional<std::string> team = MatchName(config.board.teams, given);
  if (!team) {
    ThrowInvalid("unknown team '" + Shown(given) +
                     "' (teams: " + Join(config.board.teams) + ")",
                 "team");
  }
  return *team;
}

void Screen(const TextField& f, const std::string& text, size_t max,
            bool allow_identifiers, std::vector<Override>* overrides) {
  ScreenOptions options;
  options.max_chars = max;
  options.allow_identifiers = allow_identifiers;
  options.input_field = f.name;
  const std::string field = f.label;
  std::vector<IdentifierMatch> allowed = ScreenText(field, text, options);
  if (allowed.empty() || overrides == nullptr) return;
  std::vector<std::string> kinds;
  for (const IdentifierMatch& m : allowed) {
    if (std::find(kinds.begin(), kinds.end(), m.kind) == kinds.end()) {
      kinds.push_back(m.kind);
    }
  }
  overrides->push_back({field, Join(kinds)});
}

void CheckActor(const std::string& actor) {
  if (Trim(actor).empty()) {
    ThrowInvalid("every change needs to say who made it (the actor is empty)");
  }
}

CheckedTicket CheckTicket(Connection& db, const Config& config, Date today,
                          const NewTicket& in, bool screened) {
  CheckedTicket c;
  c.title = Trim(in.title);
  if (c.title.empty()) ThrowInvalid("a ticket needs a title", "title");
  if (!screened) {
    Screen(kTitle, c.title, config.board.max_title_chars, in.allow_identifiers,
           &c.overrides);
  }
  c.details = in.details;
  if (!screened) {
    Screen(kDetails, c.details, config.board.max_text_chars,
           in.allow_identifiers, &c.overrides);
  }
  c.area = ResolveArea(config, in.area, "a ticket");
  for (const std::string& given : in.themes) {
    std::string theme = ResolveTheme(config, given);
    if (std::find(c.themes.begin(), c.themes.end(), theme) == c.themes.end()) {
      c.themes.push_back(theme);
    }
  }
  if (c.themes.empty()) {
    ThrowInvalid("a ticket needs at least one theme (themes: " +
                     Join(config.board.themes) + ")",
                 "themes");
  }
  c.team = ResolveTeam(config, in.team);
  if (in.raised_by < 1) {
    ThrowInvalid(
        "raised by must be a whole number of people, at least 1, not " +
            std::to_string(in.raised_by),
        "raised_by");
  }
  c.raised_by = in.raised_by;
  c.forum_id = in.forum_id;
  std::optional<Date> forum_date;
  if (c.forum_id) {
    std::vector<ForumRecord> f = LoadForums(db, *c.forum_id);
    if (f.empty()) {
      ThrowInvalid("no forum #" + std::to_string(*c.forum_id), "forum");
    }
    forum_date = f.front().held_on;
  }
  c.raised_on = in.raised_on ? *in.raised_on : forum_date.value_or(today);
  if (c.raised_on.is_special()) {
    ThrowInvalid("raised on is not a valid date", "raised_on");
  }
  // The response clock starts on this day: a future date would have a due
  // date that is not yet running.
  if (c.raised_on > today) {
    ThrowInvalid("raised on " + FormatIsoDate(c.raised_on) +
                     " is in the future (today is " + FormatIsoDate(today) +
                     ")",
                 "raised_on");
  }
  return c;
}

CheckedTicket CheckImportedTicket(Connection& db, const Config& config,
                                  Date today, const ImportedTicket& item) {
  const bool allow = item.ticket.allow_identifiers;
  // An override is recorded from the board's own screening.
  const bool screened = item.texts_screened && !allow;
  CheckedTicket c = CheckTicket(db, config, today, item.ticket, screened);
  CheckImportedState(item);
  CheckPublishedText(item);
  if (item.extra_votes < 0) {
    ThrowInvalid("votes must be a whole number of at least 0, not " +
                 std::to_string(item.extra_votes));
  }
  Screen(kAnswerText, item.answer, config.board.max_text_chars, allow,
         &c.overrides);
  Screen(kAnsweredBy, item.answered_by, config.board.max_title_chars, allow,
         &c.overrides);
  Screen(kReason, item.decline_reason, config.board.max_text_chars, allow,
         &c.overrides);
  for (const auto& comment : item.comments) {
    if (screened) break;
    Screen(kNote, comment.second, config.board.max_text_chars, allow,
           &c.overrides);
  }
  const std::pair<const char*, const std::optional<Date>*> dates[] = {
      {"sent on", &item.sent_on},
      {"answered on", &item.answered_on},
      {"declined on", &item.declined_on},
      {"paused since", &item.paused_since}};
  for (const auto& [what, d] : dates) {
    if (*d && (d->value() < c.raised_on || d->value() > today)) {
      ThrowInvalid(std::string(what) + " " + FormatIsoDate(d->value()) +
                   " is not between raised on (" + FormatIsoDate(c.raised_on) +
                   ") and today (" + FormatIsoDate(today) + ")");
    }
  }
  return c;
}

CheckedForum CheckForum(Connection& db, const Config& config, Date today,
                        const ForumRecord& forum) {
  CheckedForum c;
  c.area = ResolveArea(config, forum.area, "a forum");
  c.plan_id = Trim(forum.plan_id);
  if (!c.plan_id.empty()) {
    std::smatch m;
    if (!std::regex_match(c.plan_id, m, PlanIdPattern())) {
      ThrowInvalid("plan id '" + Shown(c.plan_id) +
                   "' is not a forum id from the plan (like "
                   "2027-r1-east-surrey)");
    }
    if (m[3].str() != c.area) {
      ThrowInvalid("plan id '" + c.plan_id + "' is a forum of " + m[3].str() +
                   ", not of " + c.area);
    }
    if (std::optional<int64_t> id = ForumsRepository(db).IdOfPlan(c.plan_id)) {
      ThrowConflict("forum " + c.plan_id + " is already recorded (forum #" +
                    std::to_string(*id) + ")");
    }
  }
  if (forum.held_on.is_special()) {
    ThrowInvalid("a forum needs the date it was held");
  }
  if (forum.held_on > today) {
    ThrowInvalid("a forum is recorded after it is held: " +
                 FormatIsoDate(forum.held_on) + " is in the future (today is " +
                 FormatIsoDate(today) + ")");
  }
  const std::pair<const char*, int> counts[] = {
      {"service users", forum.attendance.service_users},
      {"carers", forum.attendance.carers},
      {"Trust staff", forum.attendance.trust_staff},
      {"governors", forum.attendance.governors},
      {"others", forum.attendance.others},
  };
  for (const auto& [what, n] : counts) {
    if (n < 0) {
      ThrowInvalid(std::string("attendance: ") + what +
                   " must be 0 or more, not " + std::to_string(n));
    }
  }
  Screen(kTitle, forum.title, config.board.max_title_chars, false, nullptr);
  for (const std::string& who : forum.apologies) {
    std::string name = Trim(who);
    if (name.empty()) continue;
    Screen(kApologies, name, config.board.max_title_chars, false, nullptr);
    c.apologies.push_back(name);
  }
  return c;
}

void CheckForumExists(Connection& db, int64_t id) {
  if (!ForumsRepository(db).Exists(id)) {
    ThrowInvalid("no forum #" + std::to_string(id), "forum");
  }
}

void CheckNothingPublished(const Ticket& repeat, const Ticket& survivor) {
  const char* what = PublishedWhat(repeat);
  if (what == nullptr) return;
  const std::string r = "#" + std::to_string(repeat.id);
  const std::string s = "#" + std::to_string(survivor.id);
  // The other way round is allowed when it would keep both.
  const bool other_way = PublishedWhat(survivor) == nullptr &&
                         repeat.state != TicketState::kClosed &&
                         repeat.state != TicketState::kDeclined;
  if (!other_way) {
    ThrowConflict("cannot merge " + r + " into " + s + ": " + r + " has " +
                      what + ", which would disappear",
                  "into");
  }
  ThrowConflict("cannot merge " + r + " into " + s + ": " + r + " has " + what +
                    ", which would disappear; merge " + s + " into " + r +
                    " instead",
                "into");
}

void CheckAwaitsVerdict(const Ticket& t) {
  const std::string ref = TicketRef(t.id);
  if (t.state == TicketState::kMerged) {
    ThrowConflict(ref + " is merged into #" +
                  std::to_string(t.merged_into.value_or(0)) +
                  ": record the verdict on #" +
                  std::to_string(t.merged_into.value_or(0)));
  }
  if (t.answer.empty() || !t.answered_on) {
    ThrowConflict(ref +
                      " has no published answer for a forum to give its "
                      "verdict on",
                  "verdict");
  }
  if (!AwaitsVerdict(t)) {
    ThrowConflict(ref + " went back to the Trust after a disputed verdict on " +
                      FormatIsoDate(*t.reopened_on) +
                      ": wait for the Trust's new answer",
                  "verdict");
  }
}

ForumRecord CheckVerdictForum(Connection& db, Date today, const Ticket& t,
                              int64_t forum_id) {
  std::vector<ForumRecord> forums = LoadForums(db, forum_id);
  if (forums.empty()) {
    ThrowInvalid("no forum #" + std::to_string(forum_id), "forum");
  }
  const ForumRecord& forum = forums.front();
  const std::string ref = TicketRef(t.id);
  const std::string fref = "forum #" + std::to_string(forum_id);
  if (forum.held_on > today) {
    ThrowInvalid(fref + " is held on " + FormatIsoDate(forum.held_on) +
                     ", in the future (today is " + FormatIsoDate(today) + ")",
                 "forum");
  }
  if (forum.held_on <= *t.answered_on) {
    ThrowInvalid(fref + " was held on " + FormatIsoDate(forum.held_on) +
                     ", not after the answer to " + ref + " was published on " +
                     FormatIsoDate(*t.answered_on) +
                     ": a verdict comes from a later forum",
                 "forum");
  }
  for (const ForumVerdict& v : t.verdicts) {
    if (v.forum_id == forum_id && v.answered_on == *t.answered_on) {
      ThrowConflict(fref + " already gave its verdict on the answer to " + ref +
                        " (" + VerdictName(v.verdict) + ")",
                    "forum");
    }
  }
  return forum;
}

std::string AllowedList(TicketState from) {
  std::vector<std::string> names;
  for (TicketState s : AllTicketStates()) {
    if (IsAllowedMove(from, s)) names.push_back(TicketStateName(s));
  }
  return Join(names);
}

std::pair<Date, Date> RoundRange(const Config& config,
                                 const std::string& round) {
  static const std::regex kPattern("([0-9]{4})-r([1-4])");
  std::smatch m;
  if (!std::regex_match(round, m, kPattern)) {
    ThrowInvalid("round '" + Shown(round) +
                 "' is not a round id like 2027-r1 (year, r, 1 to 4)");
  }
  int plan_year = std::stoi(m[1].str());
  int r = std::stoi(m[2].str());
  if (plan_year < 1900 || plan_year > 9000) {
    ThrowInvalid("round '" + round + "' is outside the years focus plans");
  }
  int index = plan_year * 12 + (config.first_round_month - 1) + (r - 1) * 3;
  Date first(index / 12, index % 12 + 1, 1);
  Date next = first + boost::gregorian::months(3);
  // RoundOfDate is the authority on what a round is.
  if (RoundOfDate(config, first) != std::make_pair(plan_year, r)) {
    throw Error(ErrorKind::kInternal, "round " + round + " starts on " +
                                          FormatIsoDate(first) +
                                          " by RoundRange but not RoundOfDate");
  }
  return {first, next};
}

}  // namespace focus::board_internal
