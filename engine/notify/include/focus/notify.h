// Reminders by e-mail (`focus notify`): one digest a day per Trust team of
// its tickets past the agreed time, due soon, and newly sent to it; and an
// escalation to the coordinators of breaches older than the configured
// number of working days.
//
// A digest lists ticket number, title, area, due date and a link to the
// board: never details, history, or who raised or answered a ticket. Due
// dates come from the response-time computation (ComputeSla). Each attempt
// to send is recorded in the database, so a digest is delivered at most once
// a day and one that failed is tried again on the next run.
#ifndef FOCUS_NOTIFY_H_
#define FOCUS_NOTIFY_H_

#include <ctime>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "focus/board.h"
#include "focus/config.h"
#include "focus/store.h"
#include "focus/templates.h"

namespace focus {

enum class ReminderKind {
  kTeam,        // A team's daily digest.
  kEscalation,  // Old breaches, to the coordinators.
};
// "team", "escalation".
const char* ReminderKindName(ReminderKind kind);

// One ticket as a reminder shows it: nothing private.
struct ReminderItem {
  int64_t id = 0;
  std::string title;
  std::string area;  // Display name.
  std::string team;
  Date due;                   // The answer due date (ComputeSla).
  int working_days_left = 0;  // Negative once past due.
};

struct Reminder {
  ReminderKind kind = ReminderKind::kTeam;
  std::string team;  // The team of a kTeam digest; "" for an escalation.
  std::string recipient;
  Date day;
  // Each ticket is in one list only, the most urgent that applies.
  std::vector<ReminderItem> overdue;     // Most overdue first.
  std::vector<ReminderItem> due_soon;    // Soonest due first.
  std::vector<ReminderItem> newly_sent;  // Not yet in a digest to the team.

  std::vector<int64_t> TicketIds() const;  // Sorted.
};

// Tickets each team has already been told about, by team.
using AnnouncedTickets = std::map<std::string, std::set<int64_t>>;

struct ReminderPlan {
  std::vector<Reminder> reminders;    // Teams in name order, escalation last.
  std::vector<std::string> warnings;  // E.g. a team with no address.
};

// The reminders due on `today` for `tickets` as they stand (merged tickets
// and those not sent to the Trust are left out; paused tickets too, as the
// clock waits for the forum). A team gets a digest only if it has a contact
// address and something to be told. Nothing is sent on a day that is not a
// working day.
ReminderPlan PlanReminders(const Config& config,
                           const std::vector<Ticket>& tickets,
                           const AnnouncedTickets& announced, Date today);

struct ReminderMessage {
  std::string subject;
  std::string file_name;  // "2027-03-04-team-pals.eml".
  // The whole RFC 5322 message, CRLF line ends: multipart/alternative with a
  // plain-text and an HTML part (templates/notify-digest.*.mustache).
  std::string text;
};

// REQUIRES: config.board.reminders_from is set.
ReminderMessage ComposeReminder(const Config& config, const Reminder& reminder,
                                std::time_t now,
                                const TemplateOptions& templates = {});

// Delivers one message; throws Error(kIo) saying why it could not.
class Mailer {
 public:
  virtual ~Mailer() = default;
  virtual void Send(const std::string& from, const std::string& to,
                    const std::string& message) = 0;
};

struct SmtpOptions {
  std::string url;  // "smtp://mail.example.org:587" or "smtps://...:465".
  std::string user;
  std::string password;
  std::string ca_file;  // Extra CA certificates (PEM); "" = the system's.
  long connect_timeout_seconds = 30;
  long timeout_seconds = 120;  // The whole exchange of one message.
};

// Sends through libcurl. smtp:// URLs must upgrade with STARTTLS: a server
// that does not offer it is a failure, never a plain-text fallback.
std::unique_ptr<Mailer> MakeSmtpMailer(const SmtpOptions& options);

struct NotifyOptions {
  // Write the messages as .eml files into this folder instead of sending
  // them; nothing is recorded. "" = send through the mailer.
  std::string dry_run_dir;
  TemplateOptions templates;
};

struct NotifyOutcome {
  std::vector<std::string> sent;     // "PALS (pals@example.org): subject".
  std::vector<std::string> failed;   // What went wrong, one line each.
  std::vector<std::string> skipped;  // Already delivered today.
  std::vector<std::string> warnings;
  std::vector<std::string> files;  // Dry run: the files written.
};

// Plans today's reminders, sends those not yet delivered today (`mailer` may
// be null for a dry run) and records every attempt. A failed send does not
// stop the others. Throws Error(kInvalidInput) if the configuration has no
// reminders_from, or no team address and no coordinators' address.
NotifyOutcome RunNotify(Store& store, const Board& board, const Config& config,
                        const Clock& clock, Mailer* mailer,
                        const NotifyOptions& options);

// One line per reminder whose last attempt failed and that has not been
// delivered since, for `focus sla`: "Reminder to PALS (pals@example.org) of
// 2027-03-04 not delivered; focus notify retries it: WHY".
std::vector<std::string> UndeliveredReminders(const Store& store);

}  // namespace focus

#endif  // FOCUS_NOTIFY_H_
