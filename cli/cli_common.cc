#include "cli_common.h"

#include <pwd.h>
#include <unistd.h>

#include <cstdlib>

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

}  // namespace focus::cli
