// Internals of the configuration loader (focus/config.h), shared by its
// parts: reading YAML values (yaml_reader.h), reading the sections into a
// Config (config_parse.cc), the rules between sections (config_validate.cc)
// and the default rotation (rotation_table.cc).
#ifndef FOCUS_CONFIG_CONFIG_INTERNAL_H_
#define FOCUS_CONFIG_CONFIG_INTERNAL_H_

#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "focus/config.h"
#include "focus/error.h"

namespace focus::config_internal {

// Where a value was given, so an error can say "FILE:LINE: KEY.PATH: what".
struct Where {
  int line = 1;
  std::string path;  // "" for the file as a whole.
};

// Throws Error(kInvalidInput) with "SOURCE:LINE: PATH: WHAT" on one line.
[[noreturn]] inline void FailAt(const std::string& source, const Where& at,
                                const std::string& what) {
  std::string where = source + ":" + std::to_string(at.line) + ": ";
  if (!at.path.empty()) where += at.path + ": ";
  ThrowInvalid(OneLine(where + what));
}

inline std::string Quote(const std::string& s) { return "'" + s + "'"; }

// " (as 'access': names match ignoring case)" when two names that match
// are not spelt the same; "" when they are.
inline std::string CaseNote(const std::string& configured,
                            const std::string& other) {
  if (configured == other) return "";
  return " (as " + Quote(configured) + ": names match ignoring case)";
}

// "areas[2]".
inline std::string IndexPath(const std::string& path, size_t i) {
  return path + "[" + std::to_string(i) + "]";
}

// The format rotation of the source excerpt, used when a configuration
// gives no rotation.table; it names the five default Surrey areas.
const std::vector<std::vector<std::string>>& DefaultRotationTable();

// Where the values the rules between sections look at were given.
struct ConfigLines {
  std::vector<int> areas;          // Each area's line.
  std::vector<int> daytime_slots;  // Empty when the default slots apply.
  int evening_start = 1;           // 1 when the default applies.
  // The line of rotation: (or of areas: without it) when the table is
  // DefaultRotationTable(); nullopt when the file gives the table.
  std::optional<int> default_rotation_table;
};

// The rules between sections, on a Config read so far. Each fails with
// Error(kInvalidInput) at the value that breaks it.

// A forum, from the informal time before it to the end of part 2 (online)
// or of the PALS clinic (in person), must end before midnight.
void CheckMeetingsFitInADay(const Config& config, const ConfigLines& lines);
// The default rotation table must name areas that exist: guessing a
// rotation for other areas would be wrong.
void CheckDefaultRotationFitsAreas(const Config& config,
                                   const ConfigLines& lines);
// Every area's in-person forums need a venue with all the required
// features.
void CheckVenuesHaveRequiredFeatures(const Config& config,
                                     const ConfigLines& lines);

// The names of the forums, their slugs and aliases, and the names of the
// venues, as they are read. A forum is found by its name, slug or an alias,
// and a venue by its name, in any case (SameName), so each must be unique;
// each is checked as it is read so the first clash in the file is the one
// reported.
class UniqueNames {
 public:
  explicit UniqueNames(std::string source) : source_(std::move(source)) {}

  // A forum's name, given at `at`, against the forums read before it.
  void CheckForumName(const Where& at, const std::string& name) const;
  // Checks `forum`'s slug, given at `slug_at` or made from its name (given
  // at `name_at`), then records the forum as `label` ("areas[0]").
  void AddForum(const std::string& label, const Area& forum,
                const Where& name_at, const std::optional<Where>& slug_at);
  // An alias of the forum `label` named `forum_name`, against every name,
  // slug and alias read before it.
  void AddAlias(const Where& at, const std::string& alias,
                const std::string& label, const std::string& forum_name);
  // Every alias against the names and slugs of the forums read after it.
  void CheckAliasesAgainstLaterForums() const;
  // A venue's name in the area `area_label` ("areas[0] (East Surrey)").
  void AddVenue(const Where& at, const std::string& name,
                const std::string& area_label);

 private:
  // (name, whose it is: "areas[0]" or "areas[0] (East Surrey)").
  using Taken = std::vector<std::pair<std::string, std::string>>;

  std::string source_;
  Taken names_;
  Taken slugs_;
  Taken aliases_;
  std::vector<Where> alias_at_;  // Where each of `aliases_` was given.
  Taken venues_;
};

}  // namespace focus::config_internal

#endif  // FOCUS_CONFIG_CONFIG_INTERNAL_H_
