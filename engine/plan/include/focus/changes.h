// Changes to a published plan: a forum moved or cancelled.
//
// Kept in a YAML file beside the configuration (config/focus.yaml ->
// config/focus.changes.yaml) so the next `focus plan` reproduces them and a
// coordinator can read and diff them. The file is append-only in spirit:
// `focus change` adds entries; the plan applies them in file order.
#ifndef FOCUS_CHANGES_H_
#define FOCUS_CHANGES_H_

#include <optional>
#include <string>
#include <vector>

#include "focus/file_system.h"
#include "focus/local_time.h"

namespace focus {

struct Config;
struct Plan;

struct Change {
  enum class Action { kMove, kCancel };

  std::string forum_id;  // e.g. "2027-r1-east-surrey".
  Action action = Action::kMove;
  std::optional<Date> date;          // Move: the new date.
  std::optional<TimeOfDay> time;     // Move: the new start time.
  std::optional<std::string> venue;  // Move: the new venue (by name).
  std::string reason;                // Required for a cancellation.
  bool forced = false;               // Recorded despite breaking a hard rule.
  std::string recorded_on;  // ISO date the change was recorded (information).

  std::string source;  // "file:line" it was read from, for messages.
};

// "move" / "cancel".
const char* ChangeActionName(Change::Action action);

// config/focus.yaml -> config/focus.changes.yaml.
std::string ChangesPathFor(const std::string& config_path);

// Reads the changes file; a missing file means no changes.
// Throws Error(kInvalidInput) with file, line and key on bad content.
std::vector<Change> LoadChanges(const FileSystem& fs, const std::string& path);

// The YAML text of a changes file (deterministic).
std::string SerializeChanges(const std::vector<Change>& changes);

// Checks what only holds on the day a change is recorded, against `plan`
// (the forum's plan year with the changes recorded so far) and `today`. A
// move's new date must lie in the forum's round window (RoundWindow: the
// days the planner places that round on) and must not be before `today`;
// otherwise throws Error(kInvalidInput) naming the forum, the date and the
// window or today, unless `change.forced`. Returns one line per warning:
// each rule a forced change breaks, the evening forum moved to a start
// before times.evening_start, a forum moved to another area's venue. A
// forum `plan` does not have is left to PlanYear to refuse.
std::vector<std::string> CheckNewChange(const Config& config, const Plan& plan,
                                        const Change& change, Date today);

}  // namespace focus

#endif  // FOCUS_CHANGES_H_
