#include "cli_common.h"

#include <pwd.h>
#include <unistd.h>

#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "focus/error.h"
#include "focus/file_system.h"

namespace focus::cli {

std::string ConfigPath(const GlobalOptions& options) {
  if (!options.config.empty()) return options.config;
  if (DiskFileSystem().Exists("config/focus.yaml")) return "config/focus.yaml";
  return kBuiltInConfig;
}

Config LoadConfig(const std::string& path) {
  if (path == kBuiltInConfig) return ParseConfig(EmbeddedDefaultConfig(), path);
  return LoadConfigFile(path);
}

std::string DbPath(const GlobalOptions& options) {
  return options.db.empty() ? "focus.db" : options.db;
}

std::string Actor(const GlobalOptions& options) {
  if (!options.user.empty()) return options.user;
  if (const char* user = std::getenv("USER"); user && *user) return user;
  // Services and cron jobs often run without $USER.
  if (const passwd* pw = ::getpwuid(::getuid())) return pw->pw_name;
  return "unknown";
}

Date ParseDateOption(const std::string& name, const std::string& text) {
  std::optional<Date> d = ParseIsoDate(text);
  if (!d) {
    ThrowInvalid(name + ": '" + text + "' is not a date (expected YYYY-MM-DD)");
  }
  return *d;
}

CLI::App* AddCommandGroup(CLI::App& app, const std::string& name,
                          const std::string& help) {
  CLI::App* group = app.add_subcommand(name, help);
  group->require_subcommand(1);
  group->fallthrough();
  return group;
}

bool ReportUnknownCommand(const CLI::App& app) {
  // Follow the commands given down to the last one.
  const CLI::App* command = &app;
  std::string path = app.get_name();
  while (!command->get_subcommands().empty()) {
    command = command->get_subcommands().front();
    path += " " + command->get_name();
  }
  const std::vector<std::string> extra = app.remaining(true);
  if (command->get_subcommands({}).empty() || extra.empty() ||
      extra.front().empty() || extra.front()[0] == '-') {
    return false;
  }
  std::string names;
  for (const CLI::App* sub : command->get_subcommands({})) {
    names += (names.empty() ? "" : ", ") + sub->get_name();
  }
  std::cerr << "focus: error: unknown command '" << extra.front() << "' after '"
            << path << "' (commands: " << names << ")\nRun '" << path
            << " --help' for examples.\n";
  return true;
}

}  // namespace focus::cli
