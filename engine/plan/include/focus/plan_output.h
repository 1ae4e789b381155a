// Everything `focus plan` publishes: plan.json, the calendar files and the
// table printed for the coordinator.
#ifndef FOCUS_PLAN_OUTPUT_H_
#define FOCUS_PLAN_OUTPUT_H_

#include <map>
#include <string>

#include "focus/config.h"
#include "focus/file_system.h"
#include "focus/plan.h"

namespace focus {

// plan.json: every event (look-ahead ones flagged), machine-readable.
std::string RenderPlanJson(const Config& config, const Plan& plan);

// The readable table: one row per event, grouped by round.
std::string RenderPlanTable(const Config& config, const Plan& plan);

// The files of a plan, keyed by path relative to the output folder:
// plan.json, calendar.ics, internal.ics and areas/<slug>.ics.
std::map<std::string, std::string> RenderPlanFiles(const Config& config,
                                                   const Plan& plan);

// The DTSTAMP to use: SOURCE_DATE_EPOCH if set, else config.dtstamp, else
// 00:00 UTC on 1 January of the plan year.
std::time_t CalendarTimestamp(const Config& config, int year);

// Renders every file first, then writes them all atomically under `out_dir`.
void WritePlanFiles(FileSystem& fs, const Config& config, const Plan& plan,
                    const std::string& out_dir);

}  // namespace focus

#endif  // FOCUS_PLAN_OUTPUT_H_
