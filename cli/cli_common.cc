#include "cli_common.h"

#include <pwd.h>
#include <unistd.h>

#include <charconv>
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

int64_t ParseWholeNumber(const std::string& name, const std::string& text,
                         int64_t min, int64_t max) {
  int64_t value = 0;
  const char* first = text.data();
  const char* last = first + text.size();
  // from_chars takes no '+', no spaces and stops at the first non-digit; a
  // value that does not fit int64_t is out of range like any other.
  const auto [end, ec] = std::from_chars(first, last, value);
  // "-0" is no count of people.
  const bool refused_sign = min >= 0 && !text.empty() && text[0] == '-';
  if (ec != std::errc() || end != last || refused_sign || value < min ||
      value > max) {
    ThrowInvalid(name + ": '" + text + "' is not a whole number from " +
                 std::to_string(min) + " to " + std::to_string(max));
  }
  return value;
}

CLI::App* AddCommandGroup(CLI::App& app, const std::string& name,
                          const std::string& help) {
  CLI::App* group = app.add_subcommand(name, help);
  group->require_subcommand(1);
  group->fallthrough();
  return group;
}

namespace {

// The last command given ("board vote") and its path ("focus board vote").
std::pair<const CLI::App*, std::string> LastCommand(const CLI::App& app) {
  const CLI::App* command = &app;
  std::string path = app.get_name();
  while (!command->get_subcommands().empty()) {
    command = command->get_subcommands().front();
    path += " " + command->get_name();
  }
  return {command, path};
}

}  // namespace

std::optional<std::string> UnknownCommandMessage(const CLI::App& app) {
  const auto [command, path] = LastCommand(app);
  const std::vector<std::string> extra = app.remaining(true);
  if (command->get_subcommands({}).empty() || extra.empty() ||
      extra.front().empty() || extra.front()[0] == '-') {
    return std::nullopt;
  }
  std::string names;
  for (const CLI::App* sub : command->get_subcommands({})) {
    names += (names.empty() ? "" : ", ") + sub->get_name();
  }
  return "unknown command '" + extra.front() + "' after '" + path +
         "' (commands: " + names + "; see '" + path + " --help')";
}

std::string ParseErrorMessage(const CLI::App& app,
                              const CLI::ParseError& error) {
  std::string message = error.what();
  // Some of CLI11's messages span lines; the rule is one line.
  for (char& c : message) {
    if (c == '\n') c = ' ';
  }
  while (!message.empty() && message.back() == ' ') message.pop_back();
  return message + " (see '" + LastCommand(app).second + " --help')";
}

}  // namespace focus::cli
