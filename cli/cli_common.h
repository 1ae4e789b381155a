// What every `focus` command shares: global options and where the
// configuration, database and acting user come from.
#ifndef FOCUS_CLI_CLI_COMMON_H_
#define FOCUS_CLI_CLI_COMMON_H_

#include <CLI/CLI.hpp>
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

// A command that only groups subcommands (`focus board add`, ...): one of
// them is required, and global options may follow them.
CLI::App* AddCommandGroup(CLI::App& app, const std::string& name,
                          const std::string& help);

// If parsing stopped at a word that names no command of the last command
// given (`focus frobnicate`, `focus board frob`), prints which commands there
// are and returns true; otherwise returns false and prints nothing.
bool ReportUnknownCommand(const CLI::App& app);

void AddPlanCommands(CLI::App& app, GlobalOptions& options);
void AddBoardCommands(CLI::App& app, GlobalOptions& options);
void AddReportCommands(CLI::App& app, GlobalOptions& options);
void AddServeCommands(CLI::App& app, GlobalOptions& options);

}  // namespace focus::cli

#endif  // FOCUS_CLI_CLI_COMMON_H_
