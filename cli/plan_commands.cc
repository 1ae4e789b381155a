// focus plan, check-config, change, holidays.
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli_common.h"
#include "focus/changes.h"
#include "focus/clock.h"
#include "focus/error.h"
#include "focus/file_system.h"
#include "focus/plan.h"
#include "focus/plan_output.h"

namespace focus::cli {
namespace {

// Plan years `focus` accepts; a plan also looks one year ahead.
constexpr int kFirstYear = 1900;
constexpr int kLastYear = 9998;

std::vector<Change> LoadChangesFor(const std::string& config_path) {
  if (config_path == kBuiltInConfig) return {};
  return LoadChanges(DiskFileSystem(), ChangesPathFor(config_path));
}

struct PlanArgs {
  int year = 0;
  std::string out_dir;
  bool dry_run = false;
};

void RunPlan(const GlobalOptions& g, const PlanArgs& args) {
  const std::string path = ConfigPath(g);
  const Config config = LoadConfig(path);
  const Plan plan = PlanYear(config, args.year, LoadChangesFor(path));
  const std::string out_dir =
      args.out_dir.empty() ? "out/" + std::to_string(args.year) : args.out_dir;
  if (!args.dry_run) WritePlanFiles(DiskFileSystem(), config, plan, out_dir);
  if (g.json) {
    std::cout << RenderPlanJson(config, plan);
    return;
  }
  std::cout << RenderPlanTable(config, plan);
  std::cout << "\nConfiguration: " << path << "\n";
  if (!args.dry_run) {
    std::cout << "Files written to " << out_dir
              << "/: plan.json, calendar.ics (public, all forums), "
                 "internal.ics (everything), areas/<area>.ics\n";
  }
}

void RunCheckConfig(const GlobalOptions& g) {
  const std::string path = ConfigPath(g);
  const Config config = LoadConfig(path);
  // A plan of the rotation's first year exercises every rule end to end.
  PlanYear(config, config.rotation.start_year);
  size_t venues = 0;
  for (const Area& a : config.areas) venues += a.venues.size();
  if (g.json) {
    nlohmann::ordered_json j = {{"config", path},
                                {"ok", true},
                                {"areas", config.areas.size()},
                                {"venues", venues}};
    std::cout << j.dump(2) << "\n";
    return;
  }
  std::cout << path << ": ok (" << config.areas.size()
            << " areas and the evening forum, " << venues << " venues, "
            << (config.rotation.mode == RotationMode::kTable ? "table"
                                                             : "balanced")
            << " rotation from " << config.rotation.start_year << ")\n";
}

struct ChangeArgs {
  std::string forum;
  std::string date;
  std::string time;
  std::string venue;
  std::string reason;
  bool force = false;
};

void RunChange(const GlobalOptions& g, Change::Action action,
               const ChangeArgs& args) {
  const std::string path = ConfigPath(g);
  if (path == kBuiltInConfig) {
    ThrowInvalid(
        "no configuration file to record the change beside; pass --config "
        "FILE");
  }
  const Config config = LoadConfig(path);
  const std::string changes_path = ChangesPathFor(path);
  std::vector<Change> changes = LoadChanges(DiskFileSystem(), changes_path);

  Change c;
  c.forum_id = args.forum;
  c.action = action;
  c.reason = args.reason;
  c.forced = args.force;
  c.recorded_on = FormatIsoDate(SystemClock().Today());
  if (!args.date.empty()) c.date = ParseDateOption("--date", args.date);
  if (!args.time.empty()) {
    c.time = ParseTimeOfDay(args.time);
    if (!c.time) {
      ThrowInvalid("--time: '" + args.time +
                   "' is not a time of day (expected HH:MM)");
    }
  }
  if (!args.venue.empty()) {
    // Recorded as configured however it was typed; an unknown venue is
    // refused by the plan below.
    const Venue* venue = config.FindVenue(args.venue);
    c.venue = venue ? venue->name : args.venue;
  }
  if (action == Change::Action::kCancel && c.reason.empty()) {
    ThrowInvalid(
        "--reason is required: the reason for a cancellation is published in "
        "the calendar");
  }
  if (action == Change::Action::kMove && !c.date && !c.time && !c.venue) {
    ThrowInvalid("give at least one of --date, --time or --venue");
  }
  const std::optional<int> year = PlanYearOfId(c.forum_id);
  if (!year) {
    ThrowInvalid("'" + c.forum_id +
                 "' is not a forum id; forum ids look like "
                 "2027-r1-east-surrey (see plan.json)");
  }
  const std::vector<std::string> warnings = CheckNewChange(
      config, PlanYear(config, *year, changes), c, SystemClock().Today());
  changes.push_back(c);
  // Planning with the new change applies every rule to it and throws before
  // anything is written if the change is not allowed.
  const Plan plan = PlanYear(config, *year, changes);
  DiskFileSystem().WriteFileAtomically(changes_path, SerializeChanges(changes));
  for (const std::string& w : warnings) {
    std::cerr << "focus: warning: " << w << "\n";
  }
  std::cout << "Recorded in " << changes_path << ": "
            << ChangeActionName(action) << " " << c.forum_id << "\n";
  if (const Event* e = FindEvent(plan, c.forum_id)) {
    std::cout << "  " << (e->cancelled ? "CANCELLED: " : "") << e->title
              << " on " << FormatHumanDate(e->date);
    if (e->start) std::cout << " at " << FormatTimeOfDay(*e->start);
    if (e->venue) std::cout << ", " << e->venue->name;
    std::cout << " (calendar SEQUENCE " << e->sequence << ")\n";
    for (const std::string& w : e->warnings) {
      std::cout << "  WARNING (forced): " << w << "\n";
    }
  }
  std::cout << "Run `focus plan " << *year
            << "` to update the calendar files.\n";
}

void RunChangeList(const GlobalOptions& g) {
  const std::vector<Change> changes = LoadChangesFor(ConfigPath(g));
  if (g.json) {
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const Change& c : changes) {
      nlohmann::ordered_json j = {{"forum", c.forum_id},
                                  {"action", ChangeActionName(c.action)}};
      if (c.date) j["date"] = FormatIsoDate(*c.date);
      if (c.time) j["time"] = FormatTimeOfDay(*c.time);
      if (c.venue) j["venue"] = *c.venue;
      j["reason"] = c.reason;
      j["forced"] = c.forced;
      j["recorded"] = c.recorded_on;
      list.push_back(j);
    }
    std::cout << list.dump(2) << "\n";
    return;
  }
  if (changes.empty()) std::cout << "No changes recorded.\n";
  for (const Change& c : changes) {
    std::cout << c.forum_id << ": " << ChangeActionName(c.action);
    if (c.date) std::cout << " to " << FormatIsoDate(*c.date);
    if (c.time) std::cout << " at " << FormatTimeOfDay(*c.time);
    if (c.venue) std::cout << " at " << *c.venue;
    if (!c.reason.empty()) std::cout << " (" << c.reason << ")";
    if (c.forced) std::cout << " [forced]";
    std::cout << "\n";
  }
}

void RunHolidays(const GlobalOptions& g, int year) {
  const Config config = LoadConfig(ConfigPath(g));
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const Holiday& h : config.MakeHolidayCalendar().BankHolidays(year)) {
    if (g.json) {
      list.push_back({{"date", FormatIsoDate(h.date)}, {"name", h.name}});
    } else {
      std::cout << FormatHumanDate(h.date) << "  " << h.name << "\n";
    }
  }
  if (g.json) std::cout << list.dump(2) << "\n";
}

}  // namespace

void AddPlanCommands(CLI::App& app, GlobalOptions& g) {
  auto plan_args = std::make_shared<PlanArgs>();
  CLI::App* plan = app.add_subcommand(
      "plan",
      "Plan a year: print the table and write plan.json and calendars.\n"
      "Example: focus plan 2027 --out public/2027");
  AddNumberOption(plan, "YEAR", plan_args->year, kFirstYear, kLastYear,
                  "the plan year, e.g. 2027")
      ->required();
  plan->add_option("--out", plan_args->out_dir,
                   "output folder (default: out/YEAR)");
  plan->add_flag("--dry-run", plan_args->dry_run,
                 "check and print; write no files");
  plan->callback([&g, plan_args] { RunPlan(g, *plan_args); });

  app.add_subcommand("check-config",
                     "Validate a configuration without writing anything.\n"
                     "Example: focus check-config --config my-focus.yaml")
      ->callback([&g] { RunCheckConfig(g); });

  CLI::App* change = AddCommandGroup(
      app, "change",
      "Record a change to a published forum (kept beside the configuration "
      "in <config>.changes.yaml).");
  auto change_args = std::make_shared<ChangeArgs>();
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
    sub->add_option("FORUM", change_args->forum,
                    "forum id from the plan, e.g. 2027-r1-east-surrey")
        ->required();
    sub->add_option("--reason", change_args->reason,
                    "why (published in the calendar)");
  }
  move->add_option("--date", change_args->date, "new date, YYYY-MM-DD");
  move->add_option("--time", change_args->time, "new start time, HH:MM");
  move->add_option("--venue", change_args->venue, "new venue, by name");
  move->add_flag("--force", change_args->force,
                 "record it even if it breaks a rule (shown as a warning)");
  move->callback(
      [&g, change_args] { RunChange(g, Change::Action::kMove, *change_args); });
  cancel->callback([&g, change_args] {
    RunChange(g, Change::Action::kCancel, *change_args);
  });
  change->add_subcommand("list", "List recorded changes.")->callback([&g] {
    RunChangeList(g);
  });

  auto year = std::make_shared<int>(0);
  CLI::App* holidays = app.add_subcommand(
      "holidays", "List the England & Wales bank holidays of a year.");
  AddNumberOption(holidays, "YEAR", *year, kFirstYear, kLastYear, "e.g. 2028")
      ->required();
  holidays->callback([&g, year] { RunHolidays(g, *year); });
}

}  // namespace focus::cli
