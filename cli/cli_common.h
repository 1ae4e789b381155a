// What every `focus` command shares: global options and where the
// configuration, database and acting user come from.
#ifndef FOCUS_CLI_CLI_COMMON_H_
#define FOCUS_CLI_CLI_COMMON_H_

#include <CLI/CLI.hpp>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>

#include "focus/config.h"

namespace focus::cli {

struct GlobalOptions {
  std::string config;  // --config / $FOCUS_CONFIG.
  std::string db;      // --db / $FOCUS_DB.
  std::string user;    // --user / $FOCUS_USER: recorded in ticket history.
  bool json = false;   // --json: machine-readable output.
};

inline constexpr const char* kBuiltInConfig =
    "<built-in default configuration>";

// --config, else config/focus.yaml if present, else the built-in default.
std::string ConfigPath(const GlobalOptions& options);
Config LoadConfig(const std::string& path);
// --db, else focus.db.
std::string DbPath(const GlobalOptions& options);
// --user, else $USER, else the login name of the process.
std::string Actor(const GlobalOptions& options);
// Parses YYYY-MM-DD for option `name`; throws Error(kInvalidInput).
Date ParseDateOption(const std::string& name, const std::string& text);

// The whole number `text` given for option `name` ("--count", "TICKET"):
// decimal digits, with a leading '-' only when `min` is negative, between
// `min` and `max`. Anything else, however large, throws Error(kInvalidInput)
// "NAME: 'TEXT' is not a whole number from MIN to MAX".
int64_t ParseWholeNumber(const std::string& name, const std::string& text,
                         int64_t min, int64_t max);

// The largest count of people (attendance, votes, "raised by") a forum can
// give: far beyond any real forum, well inside an int.
inline constexpr int kMaxPeople = 9999;

// Adds option (or positional) `name` holding a whole number from `min` to
// `max`, read with ParseWholeNumber: every numeric option of `focus` is
// added this way, so a bad value always gives the same one-line error.
template <typename Int>
CLI::Option* AddNumberOption(CLI::App* app, const std::string& name,
                             Int& target, int64_t min, int64_t max,
                             const std::string& help = "") {
  static_assert(std::is_integral_v<Int>);
  return app
      ->add_option_function<std::string>(
          name,
          [&target, name, min, max](const std::string& text) {
            target = static_cast<Int>(ParseWholeNumber(name, text, min, max));
          },
          help)
      ->type_name("INT");
}

// A command that only groups subcommands (`focus board add`, ...): one of
// them is required, and global options may follow them.
CLI::App* AddCommandGroup(CLI::App& app, const std::string& name,
                          const std::string& help);

// If parsing stopped at a word that names no command of the last command
// given (`focus frobnicate`, `focus board frob`), the message saying which
// commands there are; otherwise nothing.
std::optional<std::string> UnknownCommandMessage(const CLI::App& app);

// CLI11's complaint (an unknown option, a missing argument, ...) as one line
// that names the command's --help.
std::string ParseErrorMessage(const CLI::App& app,
                              const CLI::ParseError& error);

void AddPlanCommands(CLI::App& app, GlobalOptions& options);
void AddBoardCommands(CLI::App& app, GlobalOptions& options);
void AddReportCommands(CLI::App& app, GlobalOptions& options);
void AddServeCommands(CLI::App& app, GlobalOptions& options);
void AddOutreachCommands(CLI::App& app, GlobalOptions& options);

}  // namespace focus::cli

#endif  // FOCUS_CLI_CLI_COMMON_H_
