// focus notify (reminders by e-mail) and focus poster (printed posters):
// reaching people away from the board.
#include <cstdlib>
#include <iostream>
#include <memory>

#include "cli_common.h"
#include "focus/board.h"
#include "focus/changes.h"
#include "focus/clock.h"
#include "focus/error.h"
#include "focus/file_system.h"
#include "focus/notify.h"
#include "focus/plan.h"
#include "focus/plan_output.h"
#include "focus/poster.h"
#include "focus/store.h"

namespace focus::cli {
namespace {

struct NotifyArgs {
  std::string dry_run_dir;
  std::string templates;
  SmtpOptions smtp;
  std::string password_file;
};

// The SMTP password: from a file (--smtp-password-file, e.g. a systemd
// credential) or $FOCUS_SMTP_PASSWORD, never from the command line, where
// any user could read it in the process list.
std::string Password(const NotifyArgs& a) {
  if (!a.password_file.empty()) {
    std::string p = DiskFileSystem().ReadFile(a.password_file);
    while (!p.empty() && (p.back() == '\n' || p.back() == '\r')) p.pop_back();
    return p;
  }
  const char* env = std::getenv("FOCUS_SMTP_PASSWORD");
  return env ? env : "";
}

void CheckSmtp(const NotifyArgs& a) {
  if (a.smtp.url.empty()) {
    ThrowInvalid(
        "--smtp-url (or FOCUS_SMTP_URL) is needed to send reminders, e.g. "
        "smtp://mail.example.org:587; or use --dry-run DIR to write them as "
        "files");
  }
  if (a.smtp.url.rfind("smtp://", 0) != 0 &&
      a.smtp.url.rfind("smtps://", 0) != 0) {
    ThrowInvalid("--smtp-url: '" + OneLine(a.smtp.url) +
                 "' is not an smtp:// or smtps:// address");
  }
  if (!a.smtp.user.empty() && a.smtp.password.empty()) {
    ThrowInvalid(
        "--smtp-user is given but no password: set FOCUS_SMTP_PASSWORD or "
        "--smtp-password-file");
  }
}

void AddNotify(CLI::App& app, GlobalOptions& g) {
  auto a = std::make_shared<NotifyArgs>();
  CLI::App* cmd = app.add_subcommand(
      "notify",
      "E-mail each Trust team its daily reminder of tickets past the agreed "
      "time, due soon or new, and escalate old breaches to the coordinators. "
      "Run it daily (docs/operations.md).\nExamples: focus notify "
      "--smtp-url smtp://mail.example.org:587 --smtp-user focus; focus "
      "notify --dry-run out/reminders");
  cmd->add_option("--dry-run", a->dry_run_dir,
                  "write the messages as .eml files into this folder instead "
                  "of sending them; nothing is recorded");
  cmd->add_option("--templates", a->templates,
                  "folder of edited templates (see docs/templates.md)");
  cmd->add_option("--smtp-url", a->smtp.url,
                  "mail server, smtp://HOST:587 (STARTTLS is required) or "
                  "smtps://HOST:465")
      ->envname("FOCUS_SMTP_URL");
  cmd->add_option("--smtp-user", a->smtp.user,
                  "account on the mail server; the password comes from "
                  "$FOCUS_SMTP_PASSWORD or --smtp-password-file")
      ->envname("FOCUS_SMTP_USER");
  cmd->add_option("--smtp-password-file", a->password_file,
                  "file holding the mail server password")
      ->envname("FOCUS_SMTP_PASSWORD_FILE");
  cmd->add_option("--smtp-ca-file", a->smtp.ca_file,
                  "CA certificates (PEM) to trust besides the system's")
      ->envname("FOCUS_SMTP_CA_FILE");
  AddNumberOption(cmd, "--smtp-connect-timeout",
                  a->smtp.connect_timeout_seconds, 1, 600,
                  "seconds to wait for a connection (default 30)");
  AddNumberOption(cmd, "--smtp-timeout", a->smtp.timeout_seconds, 1, 3600,
                  "seconds one message may take in all (default 120)");
  cmd->callback([&g, a] {
    const Config config = LoadConfig(ConfigPath(g));
    Store store(DbPath(g));
    Board board(store, config, SystemClock());
    NotifyOptions options;
    options.dry_run_dir = a->dry_run_dir;
    options.templates.dir = a->templates;
    std::unique_ptr<Mailer> mailer;
    if (options.dry_run_dir.empty()) {
      a->smtp.password = Password(*a);
      CheckSmtp(*a);
      mailer = MakeSmtpMailer(a->smtp);
    }
    const NotifyOutcome out =
        RunNotify(store, board, config, SystemClock(), mailer.get(), options);
    for (const std::string& w : out.warnings) {
      std::cerr << "focus: warning: " << w << "\n";
    }
    for (const std::string& f : out.failed) std::cerr << "focus: " << f << "\n";
    for (const std::string& s : out.sent) std::cout << "Sent to " << s << "\n";
    for (const std::string& s : out.skipped)
      std::cout << "Not sent again: " << s << "\n";
    for (const std::string& f : out.files)
      std::cout << "Written: " << f << "\n";
    const Date today = SystemClock().Today();
    if (out.sent.empty() && out.failed.empty() && out.skipped.empty() &&
        out.files.empty()) {
      std::cout << "Nothing to send on " << FormatHumanDate(today)
                << (config.MakeHolidayCalendar().IsWorkingDay(today)
                        ? ".\n"
                        : " (not a working day).\n");
    }
    if (!out.failed.empty()) {
      const size_t total = out.failed.size() + out.sent.size();
      ThrowIo(std::to_string(out.failed.size()) + " of " +
              std::to_string(total) +
              " reminders could not be sent; focus notify tries them again "
              "on its next run");
    }
  });
}

void AddPoster(CLI::App& app, GlobalOptions& g) {
  auto period = std::make_shared<std::string>();
  auto out_dir = std::make_shared<std::string>();
  CLI::App* cmd = app.add_subcommand(
      "poster",
      "Large-print A4 posters to print and put up, one PDF per forum, with "
      "the next two rounds after the quarter: date, time, venue, access, how "
      "to join and whom to ring.\nExample: focus poster 2027-Q2");
  cmd->add_option("period", *period,
                  "quarter, e.g. 2027-Q2 (the posters show rounds 3 and 4)")
      ->required();
  cmd->add_option("--out", *out_dir,
                  "folder for the PDFs (default: out/poster-QUARTER)");
  cmd->callback([&g, period, out_dir] {
    const Quarter q = ParseQuarter(*period);
    const std::string config_path = ConfigPath(g);
    const Config config = LoadConfig(config_path);
    std::vector<Change> changes;
    if (config_path != kBuiltInConfig) {
      changes = LoadChanges(DiskFileSystem(), ChangesPathFor(config_path));
    }
    const Plan plan = PlanYear(config, q.plan_year, changes);
    const std::map<std::string, std::string> files =
        RenderPosters(config, plan, q, CalendarTimestamp(config, q.plan_year));
    const std::string dir =
        out_dir->empty() ? "out/poster-" + QuarterId(q) : *out_dir;
    std::map<std::string, std::string> paths;
    for (const auto& [name, pdf] : files) paths[dir + "/" + name] = pdf;
    DiskFileSystem().WriteFilesAtomically(paths);
    std::cout << "Files written to " << dir << "/:";
    for (const auto& entry : files) std::cout << " " << entry.first;
    std::cout << "\n";
  });
}

}  // namespace

void AddOutreachCommands(CLI::App& app, GlobalOptions& g) {
  AddNotify(app, g);
  AddPoster(app, g);
}

}  // namespace focus::cli
