// The board's changes: forums recorded, tickets added, voted for, merged,
// moved, answered and given verdicts. Each is one transaction, and every
// change to a ticket writes its history row.
#include <SQLiteCpp/SQLiteCpp.h>

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

void BindOptional(SQLite::Statement& q, int i,
                  const std::optional<std::string>& v) {
  if (v) {
    q.bind(i, *v);
  } else {
    q.bind(i);
  }
}

// After a disputed verdict: back to the Trust with a new clock; the answer
// stays published.
void ReopenForNewAnswer(Writer& w, Connection& db, const Ticket& t) {
  const std::string why = "the forum disputed the answer";
  if (t.state == TicketState::kWaitingForForum) w.EndPause(t);
  if (t.state != TicketState::kSentToTrust) {
    w.SetState(t, TicketState::kSentToTrust, why);
  }
  w.SetText(t.id, "reopened_on", "reopened-on", DateText(t.reopened_on),
            FormatIsoDate(w.today()), why);
  // Pauses of the old clock do not extend the new one.
  const Ticket now = MustFindTicket(db, t.id);
  if (now.paused_working_days != 0) {
    w.SetInt(t.id, "paused_working_days", "paused-working-days",
             now.paused_working_days, 0, "new answer clock");
  }
}

}  // namespace

namespace board_internal {

SQLite::Statement& Writer::Prepared(const std::string& sql) {
  std::unique_ptr<SQLite::Statement>& q = statements_[sql];
  if (!q) {
    q = std::make_unique<SQLite::Statement>(db_, sql);
  } else {
    q->reset();
    q->clearBindings();
  }
  return *q;
}

void Writer::History(int64_t ticket, const std::string& field,
                     const std::string& old_value, const std::string& new_value,
                     const std::string& note) {
  SQLite::Statement& q = Prepared(
      "INSERT INTO history (ticket_id, at, actor, field, old_value, "
      "new_value, note) VALUES (?, ?, ?, ?, ?, ?, ?)");
  // No copies: the strings outlive exec(), and the next Prepared() of
  // this statement clears the bindings. An import writes hundreds of
  // thousands of these.
  q.bind(1, ticket);
  q.bindNoCopy(2, at_);
  q.bindNoCopy(3, actor_);
  q.bindNoCopy(4, field);
  q.bindNoCopy(5, old_value);
  q.bindNoCopy(6, new_value);
  q.bindNoCopy(7, note);
  q.exec();
}

void Writer::Overrides(int64_t ticket, const std::vector<Override>& overrides) {
  for (const Override& o : overrides) {
    History(ticket, "screening-override", "", o.field + ": " + o.kinds,
            "identifier screen overridden for " + o.field);
  }
}

void Writer::SetText(int64_t ticket, const char* column,
                     const std::string& field, const std::string& old_value,
                     const std::optional<std::string>& new_value,
                     const std::string& note) {
  SQLite::Statement& q = Prepared(std::string("UPDATE tickets SET ") + column +
                                  " = ? WHERE id = ?");
  if (new_value) {
    q.bind(1, *new_value);
  } else {
    q.bind(1);
  }
  q.bind(2, ticket);
  q.exec();
  History(ticket, field, old_value, new_value.value_or(""), note);
}

void Writer::SetInt(int64_t ticket, const char* column,
                    const std::string& field, int64_t old_value,
                    int64_t new_value, const std::string& note) {
  SQLite::Statement& q = Prepared(std::string("UPDATE tickets SET ") + column +
                                  " = ? WHERE id = ?");
  q.bind(1, new_value);
  q.bind(2, ticket);
  q.exec();
  History(ticket, field, std::to_string(old_value), std::to_string(new_value),
          note);
}

void Writer::SetState(const Ticket& t, TicketState to,
                      const std::string& note) {
  SetText(t.id, "state", "state", TicketStateName(t.state),
          std::string(TicketStateName(to)), note);
}

void Writer::EndPause(const Ticket& t) {
  if (!t.paused_since) return;
  int days =
      config_.MakeHolidayCalendar().WorkingDaysBetween(*t.paused_since, today_);
  SetInt(t.id, "paused_working_days", "paused-working-days",
         t.paused_working_days, t.paused_working_days + days,
         "waited " + std::to_string(days) + " working day" +
             (days == 1 ? "" : "s") + " for the forum since " +
             FormatIsoDate(*t.paused_since));
  SetText(t.id, "paused_since", "paused-since", DateText(t.paused_since),
          std::nullopt, "");
}

void Writer::StartPause(const Ticket& t) {
  SetText(t.id, "paused_since", "paused-since", DateText(t.paused_since),
          FormatIsoDate(today_), "response clock paused");
}

int64_t InsertForum(Writer& w, const ForumRecord& forum,
                    const CheckedForum& c) {
  SQLite::Database& db = w.db();
  SQLite::Statement q(db,
                      "INSERT INTO forums (plan_id, area, held_on, format, "
                      "title, service_users, carers, trust_staff, "
                      "governors, others, recorded_at, recorded_by) VALUES "
                      "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  if (c.plan_id.empty()) {
    q.bind(1);
  } else {
    q.bind(1, c.plan_id);
  }
  q.bind(2, c.area);
  q.bind(3, FormatIsoDate(forum.held_on));
  q.bind(4, FormatName(forum.format));
  q.bind(5, Trim(forum.title));
  q.bind(6, forum.attendance.service_users);
  q.bind(7, forum.attendance.carers);
  q.bind(8, forum.attendance.trust_staff);
  q.bind(9, forum.attendance.governors);
  q.bind(10, forum.attendance.others);
  q.bind(11, w.at());
  q.bind(12, w.actor());
  q.exec();
  const int64_t id = db.getLastInsertRowid();
  SQLite::Statement a(db,
                      "INSERT INTO forum_apologies (forum_id, position, "
                      "who) VALUES (?, ?, ?)");
  for (size_t i = 0; i < c.apologies.size(); ++i) {
    a.bind(1, id);
    a.bind(2, static_cast<int64_t>(i));
    a.bind(3, c.apologies[i]);
    a.exec();
    a.reset();
  }
  return id;
}

void InsertVotes(Writer& w, int64_t ticket, std::optional<int64_t> forum_id,
                 int count, const std::string& note) {
  SQLite::Statement& q = w.Prepared(
      "INSERT INTO votes (ticket_id, forum_id, count, note, at, actor) "
      "VALUES (?, ?, ?, ?, ?, ?)");
  q.bind(1, ticket);
  if (forum_id) {
    q.bind(2, *forum_id);
  } else {
    q.bind(2);
  }
  q.bind(3, count);
  q.bind(4, note);
  q.bind(5, w.at());
  q.bind(6, w.actor());
  q.exec();
}

int64_t InsertTicket(Writer& w, const CheckedTicket& c, TicketState state,
                     int votes_total, const std::string& created_note,
                     const KnownColumns& known) {
  SQLite::Statement& q = w.Prepared(
      "INSERT INTO tickets (title, details, area, team, state, raised_on, "
      "forum_id, raised_by, votes_total, created_at, sent_on, answer, "
      "answered_by, answered_on, decline_reason, declined_on, paused_since) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  q.bind(1, c.title);
  q.bind(2, c.details);
  q.bind(3, c.area);
  q.bind(4, c.team);
  q.bind(5, TicketStateName(state));
  q.bind(6, FormatIsoDate(c.raised_on));
  if (c.forum_id) {
    q.bind(7, *c.forum_id);
  } else {
    q.bind(7);
  }
  q.bind(8, c.raised_by);
  q.bind(9, votes_total);
  q.bind(10, w.at());
  BindOptional(q, 11, known.sent_on);
  q.bind(12, known.answer);
  q.bind(13, known.answered_by);
  BindOptional(q, 14, known.answered_on);
  q.bind(15, known.decline_reason);
  BindOptional(q, 16, known.declined_on);
  BindOptional(q, 17, known.paused_since);
  q.exec();
  int64_t id = w.db().getLastInsertRowid();
  SQLite::Statement& th = w.Prepared(
      "INSERT INTO ticket_themes (ticket_id, theme, position) VALUES (?, ?, "
      "?)");
  for (size_t i = 0; i < c.themes.size(); ++i) {
    th.bind(1, id);
    th.bind(2, c.themes[i]);
    th.bind(3, static_cast<int64_t>(i));
    th.exec();
    th.reset();
  }
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
    w.SetInt(id, "votes_total", "votes", t.votes, t.votes + count, why);
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
    w.SetText(repeat, "merged_into", "merged-into", "",
              std::to_string(survivor), into);
    w.History(survivor, "merged", "", "#" + std::to_string(repeat),
              "#" + std::to_string(repeat) + " (" + r.title +
                  ") merged in with " + std::to_string(r.votes) + " vote" +
                  (r.votes == 1 ? "" : "s"));
    w.SetInt(survivor, "votes_total", "votes", s.votes, s.votes + r.votes,
             "votes of #" + std::to_string(repeat));
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
      w.SetText(id, "sent_on", "sent-on", "", FormatIsoDate(w.today()), "");
    }
    if (to == TicketState::kDeclined) {
      w.SetText(id, "decline_reason", "decline-reason", t.decline_reason, why,
                "");
      w.SetText(id, "declined_on", "declined-on", DateText(t.declined_on),
                FormatIsoDate(w.today()), "");
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
      w.SetText(id, "answer", "answer", t.answer, answer,
                t.answer.empty() ? "" : "answer revised");
    }
    if (by != t.answered_by) {
      w.SetText(id, "answered_by", "answered-by", t.answered_by, by, "");
    }
    // The first answer stops the response clock; revisions do not move it.
    // After a disputed verdict the clock runs again until a new answer.
    if (!t.answered_on) {
      w.SetText(id, "answered_on", "answered-on", "", FormatIsoDate(w.today()),
                "");
    } else if (t.reopened_on && *t.answered_on < *t.reopened_on) {
      w.SetText(id, "answered_on", "answered-on", DateText(t.answered_on),
                FormatIsoDate(w.today()),
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

    SQLite::Statement q(db,
                        "INSERT INTO verdicts (ticket_id, forum_id, verdict, "
                        "note, answered_on, at, actor) VALUES (?, ?, ?, ?, ?, "
                        "?, ?)");
    q.bind(1, id);
    q.bind(2, forum_id);
    q.bind(3, VerdictName(verdict));
    q.bind(4, text);
    q.bind(5, FormatIsoDate(*t.answered_on));
    q.bind(6, w.at());
    q.bind(7, actor);
    q.exec();
    w.History(id, "verdict", "", VerdictName(verdict),
              fref + " (" + FormatIsoDate(forum.held_on) +
                  ") on the answer of " + FormatIsoDate(*t.answered_on) +
                  (text.empty() ? "" : ": " + text));
    if (verdict == Verdict::kDisputed) ReopenForNewAnswer(w, db, t);
  });
}

}  // namespace focus
