// The `focus` command: parses arguments, calls the engine, prints results and
// maps errors to exit statuses (0 ok, 1 usage, 2 bad input, 3 the rules
// cannot be met, 4 file error, 70 internal error).
#include <CLI/CLI.hpp>
#include <cstdlib>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "focus/changes.h"
#include "focus/clock.h"
#include "focus/config.h"
#include "focus/error.h"
#include "focus/file_system.h"
#include "focus/plan.h"
#include "focus/plan_output.h"

namespace {

using focus::Config;

constexpr const char* kDefaultConfig = "config/focus.yaml";
constexpr const char* kBuiltIn = "<built-in default configuration>";

// --config, else $FOCUS_CONFIG, else config/focus.yaml if present, else the
// configuration compiled into the binary.
std::string ConfigPath(const std::string& option) {
  if (!option.empty()) return option;
  if (const char* env = std::getenv("FOCUS_CONFIG")) return env;
  if (focus::DiskFileSystem().Exists(kDefaultConfig)) return kDefaultConfig;
  return kBuiltIn;
}

Config LoadConfig(const std::string& path) {
  if (path == kBuiltIn)
    return focus::ParseConfig(focus::EmbeddedDefaultConfig(), path);
  return focus::LoadConfigFile(path);
}

std::vector<focus::Change> LoadChangesFor(const std::string& config_path) {
  if (config_path == kBuiltIn) return {};
  return focus::LoadChanges(focus::DiskFileSystem(),
                            focus::ChangesPathFor(config_path));
}

int RunPlan(int year, const std::string& config_option, std::string out_dir,
            bool json, bool dry_run) {
  const std::string path = ConfigPath(config_option);
  const Config config = LoadConfig(path);
  const focus::Plan plan = focus::PlanYear(config, year, LoadChangesFor(path));
  if (out_dir.empty()) out_dir = "out/" + std::to_string(year);
  if (!dry_run) {
    focus::WritePlanFiles(focus::DiskFileSystem(), config, plan, out_dir);
  }
  if (json) {
    std::cout << focus::RenderPlanJson(config, plan);
    return 0;
  }
  std::cout << focus::RenderPlanTable(config, plan);
  std::cout << "\nConfiguration: " << path << "\n";
  if (!dry_run) {
    std::cout << "Files written to " << out_dir
              << "/: plan.json, calendar.ics (public, all forums), "
                 "internal.ics (everything), areas/<area>.ics\n";
  }
  return 0;
}

int RunCheckConfig(const std::string& config_option, bool json) {
  const std::string path = ConfigPath(config_option);
  const Config config = LoadConfig(path);
  // A plan of the rotation's first year exercises every rule end to end.
  focus::PlanYear(config, config.rotation.start_year);
  size_t venues = 0;
  for (const focus::Area& a : config.areas) venues += a.venues.size();
  if (json) {
    nlohmann::ordered_json j = {{"config", path},
                                {"ok", true},
                                {"areas", config.areas.size()},
                                {"venues", venues}};
    std::cout << j.dump(2) << "\n";
  } else {
    std::cout << path << ": ok (" << config.areas.size()
              << " areas and the evening forum, " << venues << " venues, "
              << (config.rotation.mode == focus::RotationMode::kTable
                      ? "table"
                      : "balanced")
              << " rotation from " << config.rotation.start_year << ")\n";
  }
  return 0;
}

struct ChangeArgs {
  std::string action;
  std::string forum;
  std::string date;
  std::string time;
  std::string venue;
  std::string reason;
  bool force = false;
};

int RunChange(const ChangeArgs& args, const std::string& config_option) {
  const std::string path = ConfigPath(config_option);
  if (path == kBuiltIn) {
    focus::ThrowInvalid(
        "no configuration file to record the change beside; pass --config "
        "FILE");
  }
  const Config config = LoadConfig(path);
  const std::string changes_path = focus::ChangesPathFor(path);
  std::vector<focus::Change> changes =
      focus::LoadChanges(focus::DiskFileSystem(), changes_path);

  focus::Change c;
  c.forum_id = args.forum;
  c.action = args.action == "cancel" ? focus::Change::Action::kCancel
                                     : focus::Change::Action::kMove;
  c.reason = args.reason;
  c.forced = args.force;
  c.recorded_on = focus::FormatIsoDate(focus::SystemClock().Today());
  if (!args.date.empty()) {
    c.date = focus::ParseIsoDate(args.date);
    if (!c.date) {
      focus::ThrowInvalid("--date: '" + args.date +
                          "' is not a date (expected YYYY-MM-DD)");
    }
  }
  if (!args.time.empty()) {
    c.time = focus::ParseTimeOfDay(args.time);
    if (!c.time) {
      focus::ThrowInvalid("--time: '" + args.time +
                          "' is not a time of day (expected HH:MM)");
    }
  }
  if (!args.venue.empty()) c.venue = args.venue;
  if (c.action == focus::Change::Action::kCancel && c.reason.empty()) {
    focus::ThrowInvalid(
        "--reason is required: the reason for a cancellation "
        "is published in the calendar");
  }
  if (c.action == focus::Change::Action::kMove && !c.date && !c.time &&
      !c.venue) {
    focus::ThrowInvalid("give at least one of --date, --time or --venue");
  }
  const std::optional<int> year = focus::PlanYearOfId(c.forum_id);
  if (!year) {
    focus::ThrowInvalid("'" + c.forum_id +
                        "' is not a forum id; forum ids look like "
                        "2027-r1-east-surrey (see plan.json)");
  }
  changes.push_back(c);
  // Planning with the new change applies every rule to it; it throws before
  // anything is written if the change is not allowed.
  const focus::Plan plan = focus::PlanYear(config, *year, changes);
  focus::DiskFileSystem().WriteFileAtomically(changes_path,
                                              focus::SerializeChanges(changes));
  const focus::Event* e = focus::FindEvent(plan, c.forum_id);
  std::cout << "Recorded in " << changes_path << ": " << args.action << " "
            << c.forum_id << "\n";
  if (e != nullptr) {
    std::cout << "  " << (e->cancelled ? "CANCELLED: " : "") << e->title
              << " on " << focus::FormatHumanDate(e->date);
    if (e->start) std::cout << " at " << focus::FormatTimeOfDay(*e->start);
    if (e->venue) std::cout << ", " << e->venue->name;
    std::cout << " (calendar SEQUENCE " << e->sequence << ")\n";
    for (const std::string& w : e->warnings) {
      std::cout << "  WARNING (forced): " << w << "\n";
    }
  }
  std::cout << "Run `focus plan " << *year
            << "` to update the calendar files.\n";
  return 0;
}

int RunChangeList(const std::string& config_option, bool json) {
  const std::string path = ConfigPath(config_option);
  const std::vector<focus::Change> changes = LoadChangesFor(path);
  if (json) {
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const focus::Change& c : changes) {
      nlohmann::ordered_json j = {{"forum", c.forum_id},
                                  {"action", ChangeActionName(c.action)}};
      if (c.date) j["date"] = focus::FormatIsoDate(*c.date);
      if (c.time) j["time"] = focus::FormatTimeOfDay(*c.time);
      if (c.venue) j["venue"] = *c.venue;
      j["reason"] = c.reason;
      j["forced"] = c.forced;
      j["recorded"] = c.recorded_on;
      list.push_back(j);
    }
    std::cout << list.dump(2) << "\n";
    return 0;
  }
  if (changes.empty()) {
    std::cout << "No changes recorded.\n";
    return 0;
  }
  for (const focus::Change& c : changes) {
    std::cout << c.forum_id << ": " << ChangeActionName(c.action);
    if (c.date) std::cout << " to " << focus::FormatIsoDate(*c.date);
    if (c.time) std::cout << " at " << focus::FormatTimeOfDay(*c.time);
    if (c.venue) std::cout << " at " << *c.venue;
    if (!c.reason.empty()) std::cout << " (" << c.reason << ")";
    if (c.forced) std::cout << " [forced]";
    std::cout << "\n";
  }
  return 0;
}

int RunHolidays(int year, const std::string& config_option, bool json) {
  const Config config = LoadConfig(ConfigPath(config_option));
  const auto holidays = config.MakeHolidayCalendar().BankHolidays(year);
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const focus::Holiday& h : holidays) {
    if (json) {
      list.push_back(
          {{"date", focus::FormatIsoDate(h.date)}, {"name", h.name}});
    } else {
      std::cout << focus::FormatHumanDate(h.date) << "  " << h.name << "\n";
    }
  }
  if (json) std::cout << list.dump(2) << "\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "focus: plans the year's community forums and publishes their "
      "calendars.\n\nExamples:\n"
      "  focus plan 2027                      plan 2027, write out/2027/\n"
      "  focus plan 2027 --json               the plan as JSON on stdout\n"
      "  focus check-config --config my.yaml  validate a configuration\n"
      "  focus change move 2027-r1-east-surrey --date 2027-01-14 "
      "--reason \"venue closed\"\n"
      "  focus change cancel 2027-r2-surrey-downs --reason \"snow\"\n"
      "  focus holidays 2028                  England & Wales bank holidays",
      "focus"};
  app.set_version_flag("--version", std::string("focus ") + FOCUS_VERSION);
  app.require_subcommand(1);
  // Let --config follow the subcommand: `focus plan 2027 --config x.yaml`.
  app.fallthrough();
  std::string config_option;
  app.add_option("--config", config_option,
                 "configuration file (default: $FOCUS_CONFIG, else "
                 "config/focus.yaml, else the built-in default)")
      ->envname("FOCUS_CONFIG");

  int year = 0;
  std::string out_dir;
  bool json = false;
  bool dry_run = false;
  CLI::App* plan = app.add_subcommand(
      "plan",
      "Plan a year: print the table and write plan.json and calendars.\n"
      "Example: focus plan 2027 --out public/2027");
  plan->add_option("YEAR", year, "the plan year, e.g. 2027")
      ->required()
      ->check(CLI::Range(1900, 9998));
  plan->add_option("--out", out_dir, "output folder (default: out/YEAR)");
  plan->add_flag("--json", json, "print plan.json instead of the table");
  plan->add_flag("--dry-run", dry_run, "check and print; write no files");

  CLI::App* check = app.add_subcommand(
      "check-config", "Validate a configuration without writing anything.");
  check->add_flag("--json", json, "print the result as JSON");

  ChangeArgs change_args;
  CLI::App* change = app.add_subcommand(
      "change",
      "Record a change to a published forum (kept beside the configuration "
      "in <config>.changes.yaml).");
  change->require_subcommand(1);
  change->fallthrough();
  CLI::App* move = change->add_subcommand(
      "move",
      "Move a forum to another date, time or venue.\n"
      "Example: focus change move 2027-r1-east-surrey --date 2027-01-14 "
      "--time 13:30 --reason \"room double-booked\"");
  CLI::App* cancel = change->add_subcommand(
      "cancel",
      "Cancel a forum; it stays in the calendars as cancelled.\n"
      "Example: focus change cancel 2027-r2-surrey-downs --reason "
      "\"venue flooded\"");
  for (CLI::App* sub : {move, cancel}) {
    sub->add_option("FORUM", change_args.forum,
                    "forum id from the plan, e.g. 2027-r1-east-surrey")
        ->required();
    sub->add_option("--reason", change_args.reason,
                    "why (published in the calendar)");
  }
  move->add_option("--date", change_args.date, "new date, YYYY-MM-DD");
  move->add_option("--time", change_args.time, "new start time, HH:MM");
  move->add_option("--venue", change_args.venue, "new venue, by name");
  move->add_flag("--force", change_args.force,
                 "record it even if it breaks a rule (shown as a warning)");
  CLI::App* list = change->add_subcommand("list", "List recorded changes.");
  list->add_flag("--json", json, "print as JSON");

  CLI::App* holidays = app.add_subcommand(
      "holidays", "List the England & Wales bank holidays of a year.");
  holidays->add_option("YEAR", year, "e.g. 2028")
      ->required()
      ->check(CLI::Range(1900, 9998));
  holidays->add_flag("--json", json, "print as JSON");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int status = app.exit(e);
    return status == 0 ? 0 : 2;
  }

  try {
    if (plan->parsed())
      return RunPlan(year, config_option, out_dir, json, dry_run);
    if (check->parsed()) return RunCheckConfig(config_option, json);
    if (move->parsed()) {
      change_args.action = "move";
      return RunChange(change_args, config_option);
    }
    if (cancel->parsed()) {
      change_args.action = "cancel";
      return RunChange(change_args, config_option);
    }
    if (list->parsed()) return RunChangeList(config_option, json);
    if (holidays->parsed()) return RunHolidays(year, config_option, json);
  } catch (const focus::Error& e) {
    std::cerr << "focus: error: " << e.what() << "\n";
    return e.exit_code();
  } catch (const std::exception& e) {
    std::cerr << "focus: internal error: " << e.what() << "\n";
    return 70;
  }
  return 0;
}
