// Reports for the Trust from editable templates: the monthly board report
// and the Development Group pack, in Markdown and HTML, with CSV tables
// alongside for spreadsheets (same CSV conventions as `focus export csv`).
//
// Like the newsletter, a report shows only what a ticket publishes (title,
// area, themes, team, votes, state, dates, published answer); never who
// raised it, its details or its history. Forum attendance is counts only.
#ifndef FOCUS_REPORT_H_
#define FOCUS_REPORT_H_

#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "focus/board.h"
#include "focus/config.h"
#include "focus/newsletter.h"
#include "focus/plan.h"
#include "focus/templates.h"

namespace focus {

struct ReportOptions {
  // Where the templates come from (TemplateOptions::dir = --templates).
  TemplateOptions templates;
  // Monthly: a ticket with at least this many votes is listed as "many
  // votes" (as is one raised at two or more forums).
  int many_votes = 3;
  // Development Group: how many of the most-voted concerns to list.
  int most_voted = 10;
};

struct Month {
  int year = 0;
  int month = 0;  // 1..12.
};
// Parses "2027-03". Throws Error(kInvalidInput) naming `text`.
Month ParseMonth(const std::string& text);

// The monthly board report for the Trust, as of the month's last day (or
// today, if earlier): tickets raised in the month by area and theme; tickets
// raised at several forums or with many votes; every open ticket due soon
// or past its agreed time, with its team; attendance at the month's forums
// by role and format, and the forums below two service users or carers.
nlohmann::json BuildMonthlyReportView(const Config& config, const Board& board,
                                      const Month& month, Date today,
                                      const ReportOptions& options = {});
nlohmann::json MonthlyReportViewShape(const Config& config);
// report.md, report.html and the CSV tables (see docs/templates.md).
std::map<std::string, std::string> RenderMonthlyReport(
    const Config& config, const nlohmann::json& view,
    const ReportOptions& options = {});

// The Development Group pack for a quarter, as of the day of that round's
// Development Group meeting (or today, if earlier): most-voted concerns,
// themes across areas (tickets raised in the plan year so far), response
// times by team, and attendance by format over the plan year so far.
// REQUIRES: plan is PlanYear(config, q.plan_year, ...).
nlohmann::json BuildDevelopmentGroupView(const Config& config,
                                         const Board& board, const Plan& plan,
                                         const Quarter& q, Date today,
                                         const ReportOptions& options = {});
nlohmann::json DevelopmentGroupViewShape(const Config& config);
std::map<std::string, std::string> RenderDevelopmentGroupReport(
    const Config& config, const nlohmann::json& view,
    const ReportOptions& options = {});

}  // namespace focus

#endif  // FOCUS_REPORT_H_
