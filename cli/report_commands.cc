// focus newsletter, focus report monthly, focus report development-group.
#include <iostream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli_common.h"
#include "focus/board.h"
#include "focus/changes.h"
#include "focus/clock.h"
#include "focus/file_system.h"
#include "focus/newsletter.h"
#include "focus/plan.h"
#include "focus/report.h"
#include "focus/store.h"

namespace focus::cli {
namespace {

struct PublishArgs {
  std::string period;     // "2027-Q2" or "2027-03".
  std::string out_dir;    // --out.
  std::string templates;  // --templates.
};

// The configuration, the board (read only) and the plan of one plan year.
struct Sources {
  explicit Sources(const GlobalOptions& g)
      : config_path(ConfigPath(g)),
        config(LoadConfig(config_path)),
        store(DbPath(g)),
        board(store, config, SystemClock()) {}

  Plan PlanOf(int plan_year) const {
    std::vector<Change> changes;
    if (config_path != kBuiltInConfig) {
      changes = LoadChanges(DiskFileSystem(), ChangesPathFor(config_path));
    }
    return PlanYear(config, plan_year, changes);
  }

  std::string config_path;
  Config config;
  Store store;
  Board board;
};

// Every file is rendered before any is written, and all are written
// atomically into --out (or `default_dir`): a template error leaves the
// folder as it was.
void WriteAndReport(const GlobalOptions& g, const PublishArgs& args,
                    const std::string& default_dir,
                    const std::map<std::string, std::string>& files,
                    const nlohmann::json& view) {
  const std::string out_dir = args.out_dir.empty() ? default_dir : args.out_dir;
  std::map<std::string, std::string> paths;
  for (const auto& [name, content] : files) {
    paths[out_dir + "/" + name] = content;
  }
  DiskFileSystem().WriteFilesAtomically(paths);
  if (g.json) {
    std::cout << view.dump(2) << "\n";
    return;
  }
  std::cout << "Files written to " << out_dir << "/:";
  for (const auto& entry : files) std::cout << " " << entry.first;
  std::cout << "\n";
}

void AddPublishOptions(CLI::App* cmd, PublishArgs& args,
                       const std::string& period_help) {
  cmd->add_option("period", args.period, period_help)->required();
  cmd->add_option("--out", args.out_dir, "folder for the files");
  cmd->add_option("--templates", args.templates,
                  "folder of edited templates; a file there replaces the "
                  "built-in one of the same name (see docs/templates.md)");
}

}  // namespace

void AddReportCommands(CLI::App& app, GlobalOptions& g) {
  auto newsletter = std::make_shared<PublishArgs>();
  CLI::App* n = app.add_subcommand(
      "newsletter",
      "Draft the quarter's roundup newsletter: Markdown, HTML, plain text and "
      "Easy Read.\nExample: focus newsletter 2027-Q2 --templates "
      "my-templates/");
  AddPublishOptions(n, *newsletter, "quarter, e.g. 2027-Q2 (round 2 of 2027)");
  n->callback([&g, newsletter] {
    const Quarter q = ParseQuarter(newsletter->period);
    Sources s(g);
    NewsletterOptions options;
    options.templates.dir = newsletter->templates;
    const nlohmann::json view =
        BuildNewsletterView(s.config, s.board, s.PlanOf(q.plan_year), q,
                            SystemClock().Today(), options);
    WriteAndReport(g, *newsletter, "out/newsletter-" + QuarterId(q),
                   RenderNewsletter(s.config, view, options), view);
  });

  CLI::App* report =
      AddCommandGroup(app, "report",
                      "Reports for the Trust.\nExamples: focus report monthly "
                      "2027-03; focus report development-group 2027-Q1");
  auto monthly = std::make_shared<PublishArgs>();
  CLI::App* m = report->add_subcommand(
      "monthly",
      "The board typed up for the Trust, with attendance, in Markdown, HTML "
      "and CSV.\nExample: focus report monthly 2027-03");
  AddPublishOptions(m, *monthly, "month, e.g. 2027-03");
  m->callback([&g, monthly] {
    const Month month = ParseMonth(monthly->period);
    Sources s(g);
    ReportOptions options;
    options.templates.dir = monthly->templates;
    const nlohmann::json view = BuildMonthlyReportView(
        s.config, s.board, month, SystemClock().Today(), options);
    WriteAndReport(g, *monthly,
                   "out/report-" + view.at("month").get<std::string>(),
                   RenderMonthlyReport(s.config, view, options), view);
  });

  auto group = std::make_shared<PublishArgs>();
  CLI::App* dg = report->add_subcommand(
      "development-group",
      "The Development Group pack: most-voted concerns, themes across areas, "
      "response times by team, attendance by format.\nExample: focus report "
      "development-group 2027-Q1");
  AddPublishOptions(dg, *group, "quarter, e.g. 2027-Q1 (round 1 of 2027)");
  dg->callback([&g, group] {
    const Quarter q = ParseQuarter(group->period);
    Sources s(g);
    ReportOptions options;
    options.templates.dir = group->templates;
    const nlohmann::json view =
        BuildDevelopmentGroupView(s.config, s.board, s.PlanOf(q.plan_year), q,
                                  SystemClock().Today(), options);
    WriteAndReport(g, *group, "out/development-group-" + QuarterId(q),
                   RenderDevelopmentGroupReport(s.config, view, options), view);
  });
}

}  // namespace focus::cli
