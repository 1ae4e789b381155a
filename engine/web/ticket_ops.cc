// The ticket writes, one set for the forms and the JSON API: each reads its
// fields through web::Fields, so a form and a JSON body are checked alike.
#include "focus/error.h"
#include "focus/ticket_state.h"
#include "server_impl.h"

namespace focus {

using web::HttpError;

void WebServer::Impl::AllowTicketOp(const Account& a, const Ticket& t,
                                    TicketOp op) {
  switch (op) {
    case TicketOp::kVote:
      return RequireAllowed(a, Action::kVote, t.team, "add votes");
    case TicketOp::kMove:
      return RequireAllowed(a, Action::kMove, t.team, "move this ticket");
    case TicketOp::kMerge:
      return RequireAllowed(a, Action::kMerge, t.team, "merge tickets");
    case TicketOp::kAnswer:
      return RequireAllowed(a, Action::kAnswer, t.team, "answer this ticket");
    case TicketOp::kVerdict:
      return RequireAllowed(a, Action::kVote, t.team,
                            "record a forum's verdict");
  }
}

namespace {

TicketState StateField(const web::Fields& f) {
  const std::string state = f.Text("state", true);
  std::optional<TicketState> to = ParseTicketState(state);
  if (!to) {
    throw HttpError{422,
                    "state: '" + state + "' is not a state (" +
                        TicketStateNames(MoveTargetStates()) + ")",
                    "state"};
  }
  return *to;
}

Verdict VerdictField(const web::Fields& f) {
  const std::string verdict = f.Text("verdict", true);
  std::optional<Verdict> v = ParseVerdict(verdict);
  if (!v) {
    throw HttpError{422,
                    "verdict: '" + verdict +
                        "' is not a verdict (confirmed, not-yet, disputed)",
                    "verdict"};
  }
  return *v;
}

}  // namespace

int64_t WebServer::Impl::RunTicketOp(Ctx& c, const Account& a, const Ticket& t,
                                     TicketOp op, const web::Fields& f) {
  switch (op) {
    case TicketOp::kVote:
      c.board->AddVotes(t.id, f.Count("count", 1), f.Int("forum"),
                        f.Text("note"), a.name);
      break;
    case TicketOp::kMove: {
      const TicketState to = StateField(f);
      // Its reason is published: a Trust response, like an answer.
      if (to == TicketState::kDeclined) {
        RequireAllowed(a, Action::kAnswer, t.team,
                       "decline a ticket (its reason is published)");
      }
      c.board->Move(t.id, to, f.Text("reason"), a.name);
      break;
    }
    case TicketOp::kMerge: {
      std::optional<int64_t> into = f.Int("into");
      if (!into) throw HttpError{422, "into: required", "into"};
      RequireMergeTarget(c, *into);
      c.board->Merge(t.id, *into, a.name);
      return *into;
    }
    case TicketOp::kAnswer:
      c.board->Answer(t.id, f.Text("text", true), f.Text("answered_by", true),
                      f.Flag("in_progress"), f.Flag("allow_identifiers"),
                      a.name);
      break;
    case TicketOp::kVerdict: {
      const Verdict v = VerdictField(f);
      std::optional<int64_t> forum = f.Int("forum");
      if (!forum) {
        throw HttpError{422, "forum: give the forum that gave the verdict",
                        "forum"};
      }
      c.board->RecordVerdict(t.id, *forum, v, f.Text("note"), a.name);
      break;
    }
  }
  return t.id;
}

void WebServer::Impl::ReadNewTicket(const web::Fields& f, NewTicket* t) {
  t->title = f.Text("title");
  t->details = f.Text("details");
  t->area = f.Text("area");
  t->themes = f.List("themes");
  t->team = f.Text("team");
  t->allow_identifiers = f.Flag("allow_identifiers");
  t->raised_by = f.Count("raised_by", 1);
  t->forum_id = f.Int("forum");
}

// The ticket a merge names in its body: 422 naming the field if there is
// no such ticket (the path's ticket exists; the request is what is wrong).
void WebServer::Impl::RequireMergeTarget(Ctx& c, int64_t into) {
  try {
    c.board->Get(into);
  } catch (const Error& e) {
    if (e.kind() != ErrorKind::kNotFound) throw;
    throw HttpError{422, std::string("into: ") + e.what(), "into"};
  }
}

// The ticket in the path, or 404.
Ticket WebServer::Impl::PathTicket(Ctx& c) {
  return c.board->Get(web::PathId(c.req));
}

}  // namespace focus
