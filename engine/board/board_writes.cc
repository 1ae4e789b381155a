// The board's changes: forums recorded, tickets added, voted for, merged,
// moved, answered and given verdicts. Each is one transaction, and every
// change to a ticket writes its history row.
#include <algorithm>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "board_internal.h"
#include "focus/calendar_rules.h"
#include "focus/error.h"
#include "focus/forums_repository.h"
#include "focus/text.h"

namespace focus {

using board_internal::AllowedList;
using board_internal::CheckActor;
using board_internal::CheckAwaitsVerdict;
using board_internal::CheckedForum;
using board_internal::CheckedTicket;
using board_internal::CheckForum;
using board_internal::CheckForumExists;
using board_internal::CheckNothingPublished;
using board_internal::CheckTicket;
using board_internal::CheckVerdictForum;
using board_internal::CreatedNote;
using board_internal::InsertForum;
using board_internal::InsertTicket;
using board_internal::InsertVotes;
using board_internal::kAnsweredBy;
using board_internal::kAnswerText;
using board_internal::kNote;
using board_internal::kReason;
using board_internal::MustFindTicket;
using board_internal::Override;
using board_internal::Screen;
using board_internal::TicketRef;
using board_internal::Writer;

namespace {

std::string DateText(const std::optional<Date>& d) {
  return d ? FormatIsoDate(*d) : "";
}

// After a disputed verdict: back to the Trust with a new clock; the answer
// stays published.
void ReopenForNewAnswer(Writer& w, Connection& db, const Ticket& t) {
  const std::string why = "the forum disputed the answer";
  if (t.state == TicketState::kWaitingForForum) w.EndPause(t);
  if (t.state != TicketState::kSentToTrust) {
    w.SetState(t, TicketState::kSentToTrust, why);
  }
  w.SetText(t.id, TicketColumn::kReopenedOn, "reopened-on",
            DateText(t.reopened_on), FormatIsoDate(w.today()), why);
  // Pauses of the old clock do not extend the new one.
  const Ticket now = MustFindTicket(db, t.id);
  if (now.paused_working_days != 0) {
    w.SetInt(t.id, TicketColumn::kPausedWorkingDays, "paused-working-days",
             now.paused_working_days, 0, "new answer clock");
  }
}

}  // namespace

namespace board_internal {

void Writer::History(int64_t ticket, const std::string& field,
                     const std::string& old_value, const std::string& new_value,
                     const std::string& note) {
  tickets_.AppendHistory(ticket, at_, actor_, field, old_value, new_value,
                         note);
}

void Writer::Overrides(int64_t ticket, const std::vector<Override>& overrides) {
  for (const Override& o : overrides) {
    History(ticket, "screening-override", "", o.field + ": " + o.kinds,
            "identifier screen overridden for " + o.field);
  }
}

void Writer::SetText(int64_t ticket, TicketColumn column,
                     const std::string& field, const std::string& old_value,
                     const std::optional<std::string>& new_value,
                     const std::string& note) {
  tickets_.Set(ticket, column, new_value);
  History(ticket, field, old_value, new_value.value_or(""), note);
}

void Writer::SetInt(int64_t ticket, TicketColumn column,
                    const std::string& field, int64_t old_value,
                    int64_t new_value, const std::string& note) {
  tickets_.Set(ticket, column, new_value);
  History(ticket, field, std::to_string(old_value), std::to_string(new_value),
          note);
}

void Writer::SetState(const Ticket& t, TicketState to,
                      const std::string& note) {
  SetText(t.id, TicketColumn::kState, "state", TicketStateName(t.state),
          std::string(TicketStateName(to)), note);
}

void Writer::EndPause(const Ticket& t) {
  if (!t.paused_since) return;
  int days =
      config_.MakeHolidayCalendar().WorkingDaysBetween(*t.paused_since, today_);
  SetInt(t.id, TicketColumn::kPausedWorkingDays, "paused-working-days",
         t.paused_working_days, t.paused_working_days + days,
         "waited " + std::to_string(days) + " working day" +
             (days == 1 ? "" : "s") + " for the forum since " +
             FormatIsoDate(*t.paused_since));
  SetText(t.id, TicketColumn::kPausedSince, "paused-since",
          DateText(t.paused_since), std::nullopt, "");
}

void Writer::StartPause(const Ticket& t) {
  SetText(t.id, TicketColumn::kPausedSince, "paused-since",
          DateText(t.paused_since), FormatIsoDate(today_),
          "response clock paused");
}

int64_t InsertForum(Writer& w, const ForumRecord& forum, const CheckedForum& c,
                    int64_t number, bool keep_recorded) {
  ForumRow row;
  row.plan_id = c.plan_id;
  row.area = c.area;
  row.held_on = FormatIsoDate(forum.held_on);
  row.format = FormatName(forum.format);
  row.title = Trim(forum.title);
  row.service_users = forum.attendance.service_users;
  row.carers = forum.attendance.carers;
  row.trust_staff = forum.attendance.trust_staff;
  row.governors = forum.attendance.governors;
  row.others = forum.attendance.others;
  row.apologies = c.apologies;
  row.id = number;
  auto kept = [&](const std::string& v, const std::string& now) {
    return keep_recorded && !v.empty() ? v : now;
  };
  return ForumsRepository(w.db()).Insert(row, kept(forum.recorded_at, w.at()),
                                         kept(forum.recorded_by, w.actor()));
}

void InsertVotes(Writer& w, int64_t ticket, std::optional<int64_t> forum_id,
                 int count, const std::string& note) {
  w.tickets().InsertVotes(ticket, forum_id, count, note, w.at(), w.actor());
}

int64_t InsertTicketRow(Writer& w, const CheckedTicket& c, TicketState state,
                        int votes_total, const KnownColumns& known) {
  NewTicketRow row;
  row.id = known.number;
  row.title = c.title;
  row.details = c.details;
  row.area = c.area;
  row.team = c.team;
  row.state = TicketStateName(state);
  row.raised_on = FormatIsoDate(c.raised_on);
  row.forum_id = c.forum_id;
  row.raised_by = c.raised_by;
  row.votes_total = votes_total;
  row.created_at = known.created_at.value_or(w.at());
  row.sent_on = known.sent_on;
  row.answer = known.answer;
  row.answered_by = known.answered_by;
  row.answered_on = known.answered_on;
  row.decline_reason = known.decline_reason;
  row.declined_on = known.declined_on;
  row.paused_since = known.paused_since;
  row.reopened_on = known.reopened_on;
  row.themes = c.themes;
  return w.tickets().Insert(row);
}

int64_t InsertTicket(Writer& w, const CheckedTicket& c, TicketState state,
                     int votes_total, const std::string& created_note,
                     const KnownColumns& known) {
  const int64_t id = InsertTicketRow(w, c, state, votes_total, known);
  w.History(id, "created", "", c.title, created_note);
  w.Overrides(id, c.overrides);
  return id;
}

std::string CreatedNote(const CheckedTicket& c) {
  std::string note = "raised by " + std::to_string(c.raised_by) + " on " +
                     FormatIsoDate(c.raised_on) + " in " + c.area +
                     "; themes: " + Join(c.themes) + "; team: " + c.team;
  if (c.forum_id) note += "; forum #" + std::to_string(*c.forum_id);
  return note;
}

}  // namespace board_internal

int64_t Board::RecordForum(const ForumRecord& forum, const std::string& actor) {
  CheckActor(actor);
  int64_t id = 0;
  store_.WriteTransaction([&](Connection& db) {
    Writer w(db, config_, clock_, actor);
    const CheckedForum c = CheckForum(db, config_, w.today(), forum);
    id = InsertForum(w, forum, c);
  });
  return id;
}

int64_t Board::AddTicket(const NewTicket& ticket, const std::string& actor) {
  CheckActor(actor);
  int64_t id = 0;
  store_.WriteTransaction([&](Connection& db) {
    Writer w(db, config_, clock_, actor);
    CheckedTicket c = CheckTicket(db, config_, w.today(), ticket);
    // The people who raised it are its first votes.
    id = InsertTicket(w, c, TicketState::kRaised, c.raised_by, CreatedNote(c));
  });
  return id;
}

void Board::AddVotes(int64_t id, int count, std::optional<int64_t> forum_id,
                     const std::string& note, const std::string& actor) {
  CheckActor(actor);
  store_.WriteTransaction([&](Connection& db) {
    Writer w(db, config_, clock_, actor);
    Ticket t = MustFindTicket(db, id);
    if (count < 1) {
      ThrowInvalid("votes must be a whole number of at least 1, not " +
                       std::to_string(count),
                   "count");
    }
    if (t.state == TicketState::kMerged) {
      ThrowConflict(TicketRef(id) + " is merged into #" +
                    std::to_string(t.merged_into.value_or(0)) +
                    ": add the votes to #" +
                    std::to_string(t.merged_into.value_or(0)));
    }
    if (forum_id) CheckForumExists(db, *forum_id);
    Screen(kNote, note, config_.board.max_text_chars, false, nullptr);

    InsertVotes(w, id, forum_id, count, note);
    std::string why = "+" + std::to_string(count);
    if (forum_id) why += " at forum #" + std::to_string(*forum_id);
    if (!note.empty()) why += ": " + note;
    w.SetInt(id, TicketColumn::kVotesTotal, "votes", t.votes, t.votes + count,
             why);
  });
}

void Board::Merge(int64_t repeat, int64_t survivor, const std::string& actor) {
  CheckActor(actor);
  store_.WriteTransaction([&](Connection& db) {
    Writer w(db, config_, clock_, actor);
    if (repeat == survivor) {
      ThrowInvalid("cannot merge " + TicketRef(repeat) + " into itself",
                   "into");
    }
    Ticket r = MustFindTicket(db, repeat);
    Ticket s = MustFindTicket(db, survivor);
    if (r.state == TicketState::kMerged) {
      ThrowConflict(TicketRef(repeat) + " is already merged into #" +
                    std::to_string(r.merged_into.value_or(0)));
    }
    if (s.state == TicketState::kMerged) {
      ThrowConflict("cannot merge into #" + std::to_string(survivor) +
                        ": it is merged into #" +
                        std::to_string(s.merged_into.value_or(0)) +
                        " (merge into that one)",
                    "into");
    }
    if (s.state == TicketState::kClosed || s.state == TicketState::kDeclined) {
      ThrowConflict("cannot merge into #" + std::to_string(survivor) +
                        ": it is " + TicketStateName(s.state),
                    "into");
    }
    CheckNothingPublished(r, s);
    const std::string into = "merged into #" + std::to_string(survivor);
    w.EndPause(r);
    w.SetState(r, TicketState::kMerged, into);
    w.SetText(repeat, TicketColumn::kMergedInto, "merged-into", "",
              std::to_string(survivor), into);
    w.History(survivor, "merged", "", "#" + std::to_string(repeat),
              "#" + std::to_string(repeat) + " (" + r.title +
                  ") merged in with " + std::to_string(r.votes) + " vote" +
                  (r.votes == 1 ? "" : "s"));
    w.SetInt(survivor, TicketColumn::kVotesTotal, "votes", s.votes,
             s.votes + r.votes, "votes of #" + std::to_string(repeat));
  });
}

void Board::Move(int64_t id, TicketState to, const std::string& reason,
                 const std::string& actor) {
  CheckActor(actor);
  store_.WriteTransaction([&](Connection& db) {
    Writer w(db, config_, clock_, actor);
    Ticket t = MustFindTicket(db, id);
    const std::string ref = TicketRef(id);
    if (t.state == to) {
      ThrowConflict(ref + " is already " + TicketStateName(to), "state");
    }
    if (to == TicketState::kClosed && !IsAllowedMove(t.state, to) &&
        t.state != TicketState::kDeclined && t.state != TicketState::kMerged) {
      if (t.state == TicketState::kInProgress && !t.answer.empty()) {
        throw Error(ErrorKind::kConflict,
                    ref +
                        " cannot be closed: its answer says the work is "
                        "still in progress",
                    "state", Remedy::kFinalAnswerFirst);
      }
      throw Error(ErrorKind::kConflict,
                  ref + " cannot be closed: it has no published answer yet",
                  "state", Remedy::kAnswerFirst);
    }
    if (!IsAllowedMove(t.state, to)) {
      std::string allowed = AllowedList(t.state);
      ThrowConflict(
          ref + " cannot move from " + TicketStateName(t.state) + " to " +
              TicketStateName(to) +
              (allowed.empty()
                   ? " (" + std::string(TicketStateName(t.state)) + " is final)"
                   : " (allowed: " + allowed + ")"),
          "state");
    }
    std::string why = Trim(reason);
    if (to == TicketState::kDeclined && why.empty()) {
      ThrowInvalid("declining " + ref +
                       " needs a reason: it is published with the ticket",
                   "reason");
    }
    Screen(kReason, why, config_.board.max_text_chars, false, nullptr);

    if (t.state == TicketState::kWaitingForForum) w.EndPause(t);
    w.SetState(t, to, why);
    if (to == TicketState::kWaitingForForum) w.StartPause(t);
    if (to == TicketState::kSentToTrust && !t.sent_on) {
      w.SetText(id, TicketColumn::kSentOn, "sent-on", "",
                FormatIsoDate(w.today()), "");
    }
    if (to == TicketState::kDeclined) {
      w.SetText(id, TicketColumn::kDeclineReason, "decline-reason",
                t.decline_reason, why, "");
      w.SetText(id, TicketColumn::kDeclinedOn, "declined-on",
                DateText(t.declined_on), FormatIsoDate(w.today()), "");
    }
  });
}

void Board::Answer(int64_t id, const std::string& text,
                   const std::string& answered_by, bool in_progress,
                   bool allow_identifiers, const std::string& actor) {
  CheckActor(actor);
  store_.WriteTransaction([&](Connection& db) {
    Writer w(db, config_, clock_, actor);
    Ticket t = MustFindTicket(db, id);
    const std::string ref = TicketRef(id);
    switch (t.state) {
      case TicketState::kRaised:
        ThrowConflict(ref + " has not been sent to the Trust yet");
      case TicketState::kMerged:
        ThrowConflict(ref + " is merged into #" +
                      std::to_string(t.merged_into.value_or(0)) + ": answer #" +
                      std::to_string(t.merged_into.value_or(0)));
      case TicketState::kClosed:
      case TicketState::kDeclined:
        ThrowConflict(ref + " is " + TicketStateName(t.state) +
                      ": it cannot be answered");
      default:
        break;
    }
    std::string answer = Trim(text);
    if (answer.empty()) ThrowInvalid("an answer needs text", "text");
    std::vector<Override> overrides;
    Screen(kAnswerText, answer, config_.board.max_text_chars, allow_identifiers,
           &overrides);
    std::string by = Trim(answered_by);
    if (by.empty()) {
      ThrowInvalid("an answer needs who gave it (a Trust team or role)",
                   "answered_by");
    }
    Screen(kAnsweredBy, by, config_.board.max_title_chars, allow_identifiers,
           &overrides);

    TicketState to =
        in_progress ? TicketState::kInProgress : TicketState::kAnswered;
    if (t.state == TicketState::kWaitingForForum) w.EndPause(t);
    if (answer != t.answer) {
      w.SetText(id, TicketColumn::kAnswer, "answer", t.answer, answer,
                t.answer.empty() ? "" : "answer revised");
    }
    if (by != t.answered_by) {
      w.SetText(id, TicketColumn::kAnsweredBy, "answered-by", t.answered_by, by,
                "");
    }
    // The first answer stops the response clock; revisions do not move it.
    // After a disputed verdict the clock runs again until a new answer.
    if (!t.answered_on) {
      w.SetText(id, TicketColumn::kAnsweredOn, "answered-on", "",
                FormatIsoDate(w.today()), "");
    } else if (t.reopened_on && *t.answered_on < *t.reopened_on) {
      w.SetText(id, TicketColumn::kAnsweredOn, "answered-on",
                DateText(t.answered_on), FormatIsoDate(w.today()),
                "answered again after the disputed verdict");
    }
    if (t.state != to) {
      w.SetState(t, to,
                 in_progress ? "you said, we are doing" : "you said, we did");
    }
    w.Overrides(id, overrides);
  });
}

void Board::RecordVerdict(int64_t id, int64_t forum_id, Verdict verdict,
                          const std::string& note, const std::string& actor) {
  CheckActor(actor);
  store_.WriteTransaction([&](Connection& db) {
    Writer w(db, config_, clock_, actor);
    Ticket t = MustFindTicket(db, id);
    CheckAwaitsVerdict(t);
    const ForumRecord forum = CheckVerdictForum(db, w.today(), t, forum_id);
    const std::string fref = "forum #" + std::to_string(forum_id);
    const std::string text = Trim(note);
    if (verdict == Verdict::kDisputed && text.empty()) {
      ThrowInvalid(
          "note: a disputed verdict needs a note saying why: it is "
          "published beside the answer",
          "note");
    }
    Screen(kNote, text,
           std::min(kMaxVerdictNoteChars, config_.board.max_text_chars), false,
           nullptr);

    w.tickets().InsertVerdict(id, forum_id, VerdictName(verdict), text,
                              FormatIsoDate(*t.answered_on), w.at(), actor);
    w.History(id, "verdict", "", VerdictName(verdict),
              fref + " (" + FormatIsoDate(forum.held_on) +
                  ") on the answer of " + FormatIsoDate(*t.answered_on) +
                  (text.empty() ? "" : ": " + text));
    if (verdict == Verdict::kDisputed) ReopenForNewAnswer(w, db, t);
  });
}

}  // namespace focus
