// The agreed response times: which rule applies to a ticket, and the due
// dates and status it gives one ticket.
#include <algorithm>
#include <optional>
#include <string>
#include <utility>

#include "focus/error.h"
#include "focus/rounds.h"
#include "focus/sla.h"
#include "sla_internal.h"

namespace focus {
namespace sla_internal {

namespace bg = boost::gregorian;

Date ExtendBack(Date first, Date last, Date d) {
  const long span = std::max<long>((last - first).days(), 1);
  auto back = [&](Date from, long n) {
    return (from - kFirstDay).days() > n ? from - bg::days(n) : kFirstDay;
  };
  return std::max(std::min(d, back(first, span)), back(last, kMaxTableDays));
}

bool WorkingDays::Tabulate(Date first, Date last) {
  if (first < kFirstDay || last > kLastDay || last < first ||
      (last - first).days() > kMaxTableDays) {
    return false;
  }
  first_ = first;
  last_ = last;
  const int span = static_cast<int>((last - first).days());
  cumulative_.assign(span + 1, 0);
  working_.clear();
  Date d = first;
  for (int i = 1; i <= span; ++i) {
    d += bg::days(1);
    const bool working = holidays_.IsWorkingDay(d);
    cumulative_[i] = cumulative_[i - 1] + (working ? 1 : 0);
    if (working) working_.push_back(d);
  }
  return true;
}

void WorkingDays::Reach(Date d) {
  if (d.is_special() || cumulative_.empty() || d >= first_ || full_) return;
  if (!Tabulate(ExtendBack(first_, last_, d), last_) || d < first_) {
    full_ = true;
  }
}

const SlaRule* Quicker(const SlaRule* a, const SlaRule* b) {
  if (a == nullptr) return b;
  if (b == nullptr) return a;
  return std::make_pair(b->answer_days, b->acknowledge_days) <
                 std::make_pair(a->answer_days, a->acknowledge_days)
             ? b
             : a;
}

namespace {

// Only what had happened by the report date counts: a report as of an
// earlier date must not know about later answers.
std::optional<Date> ByDate(const std::optional<Date>& d, Date as_of) {
  if (d && !d->is_special() && *d <= as_of) return d;
  return std::nullopt;
}

std::optional<Date> Earliest(std::optional<Date> a, std::optional<Date> b) {
  if (!a) return b;
  if (!b) return a;
  return std::min(*a, *b);
}

}  // namespace

SlaFacts FactsOf(const Ticket& t) {
  return {t.id,          t.raised_on,           t.sent_on,      t.answered_on,
          t.declined_on, t.paused_working_days, t.paused_since, t.reopened_on};
}

SlaFacts FactsOf(const SlaTicketRow& t) {
  return {t.id,          t.raised_on,           t.sent_on,      t.answered_on,
          t.declined_on, t.paused_working_days, t.paused_since, t.reopened_on};
}

void CheckTicketDates(const SlaFacts& ticket, Date as_of) {
  if (ticket.raised_on.is_special()) {
    ThrowInvalid("ticket #" + std::to_string(ticket.id) +
                 " has no date it was raised on");
  }
  if (as_of.is_special()) ThrowInvalid("the report date is not a valid date");
  if (as_of < ticket.raised_on) {
    ThrowInvalid("ticket #" + std::to_string(ticket.id) + " was raised on " +
                 FormatHumanDate(ticket.raised_on) +
                 ", after the report date " + FormatHumanDate(as_of));
  }
}

TicketSla Compute(const SlaRule& rule, int due_soon_days,
                  const WorkingDays& days, const SlaFacts& ticket, Date as_of,
                  Date newsletter_deadline) {
  TicketSla s;
  s.acknowledge_days = rule.acknowledge_days;
  s.answer_days = rule.answer_days;
  s.acknowledge_due = days.Add(ticket.raised_on, rule.acknowledge_days);

  // A published decline (with its reason) is a response just as an answer.
  const std::optional<Date> first_response = Earliest(
      ByDate(ticket.answered_on, as_of), ByDate(ticket.declined_on, as_of));
  const std::optional<Date> acknowledged =
      Earliest(ByDate(ticket.sent_on, as_of), first_response);
  s.acknowledged = acknowledged.has_value();
  s.acknowledged_late = acknowledged && *acknowledged > s.acknowledge_due;
  s.missed_acknowledge =
      s.acknowledged ? s.acknowledged_late : as_of > s.acknowledge_due;

  // After a disputed verdict only an answer from that day on responds.
  const std::optional<Date> reopened = ByDate(ticket.reopened_on, as_of);
  s.disputed = reopened.has_value();
  s.clock_from = reopened.value_or(ticket.raised_on);
  std::optional<Date> response = first_response;
  if (reopened) {
    response = ByDate(ticket.answered_on, as_of);
    if (response && *response < *reopened) response.reset();
  }

  int paused = std::max(0, ticket.paused_working_days);
  const std::optional<Date> paused_since = ByDate(ticket.paused_since, as_of);
  if (paused_since && !response) {
    s.paused = true;
    paused += days.Between(*paused_since, as_of);
  }
  s.answer_due = days.Add(s.clock_from, rule.answer_days + paused);

  if (response) {
    s.status = *response <= s.answer_due ? SlaStatus::kAnsweredOnTime
                                         : SlaStatus::kAnsweredLate;
    s.working_days_to_answer =
        std::max(0, days.Between(s.clock_from, *response) - paused);
  } else if (as_of > s.answer_due) {
    s.status = SlaStatus::kBreached;
    s.working_days_left = -days.Between(s.answer_due, as_of);
  } else {
    s.working_days_left = days.Between(as_of, s.answer_due);
    s.status = *s.working_days_left <= due_soon_days ? SlaStatus::kDueSoon
                                                     : SlaStatus::kOnTime;
  }
  s.newsletter_deadline = newsletter_deadline;
  s.misses_newsletter = s.answer_due > newsletter_deadline;
  return s;
}

}  // namespace sla_internal

const char* SlaStatusName(SlaStatus s) {
  switch (s) {
    case SlaStatus::kOnTime:
      return "on-time";
    case SlaStatus::kDueSoon:
      return "due-soon";
    case SlaStatus::kBreached:
      return "breached";
    case SlaStatus::kAnsweredOnTime:
      return "answered-on-time";
    case SlaStatus::kAnsweredLate:
      return "answered-late";
  }
  return "on-time";
}

SlaRule SlaRuleFor(const Config& config, const Ticket& ticket) {
  const BoardOptions& board = config.board;
  auto team = board.response_times_by_team.find(ticket.team);
  if (team != board.response_times_by_team.end()) return team->second;
  const SlaRule* best = nullptr;
  for (const std::string& theme : ticket.themes) {
    auto it = board.response_times_by_theme.find(theme);
    if (it != board.response_times_by_theme.end()) {
      best = sla_internal::Quicker(best, &it->second);
    }
  }
  return best ? *best : board.response_times;
}

TicketSla ComputeSla(const Config& config, const HolidayCalendar& holidays,
                     const Ticket& ticket, Date as_of) {
  const sla_internal::SlaFacts facts = sla_internal::FactsOf(ticket);
  sla_internal::CheckTicketDates(facts, as_of);
  const sla_internal::WorkingDays days(holidays);
  return sla_internal::Compute(
      SlaRuleFor(config, ticket), config.board.due_soon_working_days, days,
      facts, as_of, NewsletterCopyDeadline(config, holidays, ticket.raised_on));
}

}  // namespace focus
