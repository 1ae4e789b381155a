// The `focus` command: parses arguments, calls the engine, prints results and
// maps errors to exit statuses and wording (cli_errors.h).
#include <CLI/CLI.hpp>
#include <iostream>

#include "cli_common.h"
#include "cli_errors.h"
#include "focus/error.h"

int main(int argc, char** argv) {
  CLI::App app{
      "focus: plans the year's community forums, keeps the feedback board "
      "and its agreed response times.\n\nExamples:\n"
      "  focus plan 2027                      plan 2027, write out/2027/\n"
      "  focus plan 2027 --json               the plan as JSON on stdout\n"
      "  focus check-config --config my.yaml  validate a configuration\n"
      "  focus change move 2027-r1-east-surrey --date 2027-01-14 "
      "--reason \"venue closed\"\n"
      "  focus init                           create the board database\n"
      "  focus board add --title \"...\" --area \"East Surrey\" --theme "
      "access --team PALS\n"
      "  focus board list --by-votes          the most-voted concerns\n"
      "  focus sla                            response times as of today\n"
      "  focus newsletter 2027-Q2             draft the roundup newsletter\n"
      "  focus report monthly 2027-03         the monthly board report\n"
      "  focus account add sam --role coordinator   a web board account\n"
      "  focus serve --port 8080              the web board and public site\n"
      "  focus notify --dry-run out/mail      the teams' daily reminders\n"
      "  focus poster 2027-Q2                 large-print posters to print",
      "focus"};
  app.set_version_flag("--version", std::string("focus ") + FOCUS_VERSION);
  app.require_subcommand(1);
  // Let global options follow the subcommand: `focus plan 2027 --json`.
  app.fallthrough();

  focus::cli::GlobalOptions options;
  app.add_option("--config", options.config,
                 "configuration file (default: config/focus.yaml if present, "
                 "else the built-in default)")
      ->envname("FOCUS_CONFIG");
  app.add_option("--db", options.db, "board database (default: focus.db)")
      ->envname("FOCUS_DB");
  app.add_option("--user", options.user,
                 "who is making the change, for the history (default: $USER)")
      ->envname("FOCUS_USER");
  app.add_flag("--json", options.json, "machine-readable output");
  focus::cli::AddPlanCommands(app, options);
  focus::cli::AddBoardCommands(app, options);
  focus::cli::AddReportCommands(app, options);
  focus::cli::AddServeCommands(app, options);
  focus::cli::AddOutreachCommands(app, options);

  // An error may stop parsing before --json is read.
  auto wants_json = [&] {
    for (int i = 1; i < argc; ++i) {
      if (std::string(argv[i]) == "--json") return true;
    }
    return options.json;
  };
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help and --version.
    if (e.get_exit_code() == 0) return app.exit(e);
    const focus::Error error(focus::ErrorKind::kInvalidInput,
                             focus::cli::UnknownCommandMessage(app).value_or(
                                 focus::cli::ParseErrorMessage(app, e)));
    std::cerr << focus::cli::ErrorLine(error, wants_json()) << "\n";
    return focus::cli::ExitStatus(error.kind());
  } catch (const focus::Error& e) {
    std::cerr << focus::cli::ErrorLine(e, wants_json()) << "\n";
    return focus::cli::ExitStatus(e.kind());
  } catch (const std::exception& e) {
    std::cerr << "focus: internal error: " << e.what() << "\n";
    return 70;
  }
  return 0;
}
