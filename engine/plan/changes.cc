#include "focus/changes.h"

#include <yaml-cpp/yaml.h>

#include <set>

#include "focus/config.h"
#include "focus/error.h"
#include "focus/plan.h"

namespace focus {
namespace {

const std::set<std::string> kKeys = {"forum", "action", "date",   "time",
                                     "venue", "reason", "forced", "recorded"};

std::string At(const std::string& path, const YAML::Node& node) {
  return path + ":" + std::to_string(node.Mark().line + 1);
}

std::string Scalar(const std::string& path, const YAML::Node& entry,
                   const std::string& key, size_t index) {
  const YAML::Node value = entry[key];
  if (!value.IsDefined() || !value.IsScalar()) {
    ThrowInvalid(At(path, value.IsDefined() ? value : entry) + ": changes[" +
                 std::to_string(index) + "]." + key + ": expected a value");
  }
  return value.Scalar();
}

Change ParseEntry(const std::string& path, const YAML::Node& entry,
                  size_t index) {
  const std::string where = "changes[" + std::to_string(index) + "]";
  if (!entry.IsMap()) {
    ThrowInvalid(At(path, entry) + ": " + where + ": expected a mapping");
  }
  for (const auto& kv : entry) {
    const std::string key = kv.first.Scalar();
    if (kKeys.count(key) == 0) {
      ThrowInvalid(At(path, kv.first) + ": " + where + "." + key +
                   ": unknown key (valid keys: forum, action, date, time, "
                   "venue, reason, forced, recorded)");
    }
  }
  Change c;
  c.source = At(path, entry);
  c.forum_id = Scalar(path, entry, "forum", index);
  const std::string action = Scalar(path, entry, "action", index);
  if (action == "move") {
    c.action = Change::Action::kMove;
  } else if (action == "cancel") {
    c.action = Change::Action::kCancel;
  } else {
    ThrowInvalid(At(path, entry["action"]) + ": " + where + ".action: '" +
                 action + "' is not an action (expected move or cancel)");
  }
  if (entry["date"]) {
    std::string text = Scalar(path, entry, "date", index);
    c.date = ParseIsoDate(text);
    if (!c.date) {
      ThrowInvalid(At(path, entry["date"]) + ": " + where + ".date: '" + text +
                   "' is not a date (expected YYYY-MM-DD)");
    }
  }
  if (entry["time"]) {
    std::string text = Scalar(path, entry, "time", index);
    c.time = ParseTimeOfDay(text);
    if (!c.time) {
      ThrowInvalid(At(path, entry["time"]) + ": " + where + ".time: '" + text +
                   "' is not a time of day (expected HH:MM)");
    }
  }
  if (entry["venue"]) c.venue = Scalar(path, entry, "venue", index);
  if (entry["reason"]) c.reason = Scalar(path, entry, "reason", index);
  if (entry["recorded"]) c.recorded_on = Scalar(path, entry, "recorded", index);
  if (entry["forced"]) {
    std::string text = Scalar(path, entry, "forced", index);
    if (text != "true" && text != "false") {
      ThrowInvalid(At(path, entry["forced"]) + ": " + where +
                   ".forced: expected true or false");
    }
    c.forced = text == "true";
  }
  if (c.action == Change::Action::kCancel && c.reason.empty()) {
    ThrowInvalid(c.source + ": " + where +
                 ": a cancellation needs a reason (it is published)");
  }
  if (c.action == Change::Action::kMove && !c.date && !c.time && !c.venue) {
    ThrowInvalid(c.source + ": " + where +
                 ": a move needs a new date, time or venue");
  }
  return c;
}

}  // namespace

const char* ChangeActionName(Change::Action action) {
  return action == Change::Action::kMove ? "move" : "cancel";
}

std::string ChangesPathFor(const std::string& config_path) {
  std::string base = config_path;
  for (const char* ext : {".yaml", ".yml"}) {
    const std::string e(ext);
    if (base.size() > e.size() &&
        base.compare(base.size() - e.size(), e.size(), e) == 0) {
      base.resize(base.size() - e.size());
      break;
    }
  }
  return base + ".changes.yaml";
}

std::vector<Change> LoadChanges(const FileSystem& fs, const std::string& path) {
  if (!fs.Exists(path)) return {};
  const std::string text = fs.ReadFile(path);
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    ThrowInvalid(path + ":" + std::to_string(e.mark.line + 1) +
                 ": malformed YAML: " + e.msg);
  }
  std::vector<Change> changes;
  if (!root || root.IsNull()) return changes;
  const YAML::Node list = root.IsMap() ? root["changes"] : YAML::Node();
  if (!root.IsMap() || (list && !list.IsSequence() && !list.IsNull())) {
    ThrowInvalid(At(path, root) +
                 ": changes: expected a list under the key 'changes'");
  }
  for (const auto& kv : root) {
    if (kv.first.Scalar() != "changes") {
      ThrowInvalid(At(path, kv.first) + ": " + kv.first.Scalar() +
                   ": unknown key (valid keys: changes)");
    }
  }
  if (!list || list.IsNull()) return changes;
  try {
    for (size_t i = 0; i < list.size(); ++i) {
      changes.push_back(ParseEntry(path, list[i], i));
    }
  } catch (const YAML::Exception& e) {
    ThrowInvalid(path + ":" + std::to_string(e.mark.line + 1) + ": " + e.msg);
  }
  return changes;
}

std::string SerializeChanges(const std::vector<Change>& changes) {
  YAML::Emitter out;
  out << YAML::Comment(
      "Changes to published forum plans, in the order they were recorded.\n"
      "Written by `focus change`; `focus plan` applies them. Safe to read\n"
      "and diff; edit by hand only with care.");
  out << YAML::BeginMap << YAML::Key << "changes" << YAML::Value
      << YAML::BeginSeq;
  for (const Change& c : changes) {
    out << YAML::BeginMap;
    out << YAML::Key << "forum" << YAML::Value << c.forum_id;
    out << YAML::Key << "action" << YAML::Value << ChangeActionName(c.action);
    if (c.date)
      out << YAML::Key << "date" << YAML::Value << FormatIsoDate(*c.date);
    if (c.time) {
      out << YAML::Key << "time" << YAML::Value << YAML::DoubleQuoted
          << FormatTimeOfDay(*c.time);
    }
    if (c.venue) out << YAML::Key << "venue" << YAML::Value << *c.venue;
    if (!c.reason.empty()) {
      out << YAML::Key << "reason" << YAML::Value << c.reason;
    }
    if (c.forced) out << YAML::Key << "forced" << YAML::Value << true;
    if (!c.recorded_on.empty()) {
      out << YAML::Key << "recorded" << YAML::Value << c.recorded_on;
    }
    out << YAML::EndMap;
  }
  out << YAML::EndSeq << YAML::EndMap;
  return std::string(out.c_str()) + "\n";
}

std::vector<std::string> CheckNewChange(const Config& config, const Plan& plan,
                                        const Change& change, Date today) {
  const Event* event = FindEvent(plan, change.forum_id);
  if (event == nullptr || event->kind != EventKind::kForum ||
      change.action != Change::Action::kMove) {
    return {};
  }
  std::vector<std::string> broken;
  if (change.date) {
    const std::string day = FormatHumanDate(*change.date);
    if (*change.date < today) {
      broken.push_back(day + " is already past (today is " +
                       FormatHumanDate(today) + ")");
    }
    const DateRange window =
        RoundWindow(config, event->plan_year, event->round);
    if (*change.date < window.first || *change.date > window.last) {
      broken.push_back(day + " is outside the round window of round " +
                       std::to_string(event->round) + " of " +
                       std::to_string(event->plan_year) + ", " +
                       FormatHumanDate(window.first) + " to " +
                       FormatHumanDate(window.last) + " (year.window_days: " +
                       std::to_string(config.window_days) + ")");
    }
  }
  const std::string where = change.forum_id + ": ";
  if (!broken.empty() && !change.forced) {
    std::string msg = where + "the change breaks a rule: ";
    for (size_t i = 0; i < broken.size(); ++i) {
      msg += (i ? "; " : "") + broken[i];
    }
    throw Error(ErrorKind::kInvalidInput, msg, "", Remedy::kForce);
  }
  std::vector<std::string> warnings;
  for (const std::string& b : broken) {
    warnings.push_back(where + b + " (kept: the change is forced)");
  }
  if (event->evening && change.time &&
      change.time->minutes < config.evening_start.minutes) {
    warnings.push_back(where + "the evening forum moves to " +
                       FormatTimeOfDay(*change.time) +
                       ", in the daytime (times.evening_start: " +
                       FormatTimeOfDay(config.evening_start) +
                       "): people who work in the day may not be able to come");
  }
  const Venue* venue = change.venue ? config.FindVenue(*change.venue) : nullptr;
  for (const Area& area : config.areas) {
    for (const Venue& v : area.venues) {
      if (&v == venue && area.slug != event->area_slug) {
        warnings.push_back(where + v.name + " is a venue of " + area.name +
                           ", not of " + event->area);
      }
    }
  }
  return warnings;
}

}  // namespace focus
