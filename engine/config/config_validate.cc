#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "config_internal.h"
#include "focus/config.h"
#include "focus/local_time.h"
#include "focus/text.h"

namespace focus::config_internal {

// The evening forum is always online.
void CheckMeetingsFitInADay(const Config& config, const ConfigLines& lines) {
  const MeetingShape& m = config.meeting;
  const int online = m.pre_meeting_minutes + m.part1_minutes +
                     m.online_break_minutes + m.part2_minutes;
  const int in_person = m.pre_meeting_minutes + m.part1_minutes +
                        m.social_minutes + m.part2_minutes +
                        m.pals_clinic_minutes;
  auto check = [&](TimeOfDay start, int length, int line,
                   const std::string& path) {
    if (start.minutes + length > 24 * 60) {
      FailAt(config.source, Where{line, path},
             "a forum starting at " + FormatTimeOfDay(start) +
                 " would run past midnight (with the meeting: settings "
                 "it lasts " +
                 std::to_string(length) + " minutes)");
    }
  };
  for (size_t i = 0; i < config.daytime_slots.size(); ++i) {
    check(config.daytime_slots[i], std::max(online, in_person),
          i < lines.daytime_slots.size() ? lines.daytime_slots[i] : 1,
          IndexPath("times.daytime_slots", i));
  }
  check(config.evening_start, online, lines.evening_start,
        "times.evening_start");
}

void CheckDefaultRotationFitsAreas(const Config& config,
                                   const ConfigLines& lines) {
  if (!lines.default_rotation_table) return;
  for (const auto& row : config.rotation.table) {
    for (const std::string& name : row) {
      const Area* a = config.FindArea(name);
      if (a == nullptr || a->evening) {
        FailAt(config.source,
               Where{*lines.default_rotation_table, "rotation.table"},
               "required when the areas are not the five default Surrey "
               "areas");
      }
    }
  }
}

// Each error names the missing features so the coordinator can fix them.
void CheckVenuesHaveRequiredFeatures(const Config& config,
                                     const ConfigLines& lines) {
  const std::vector<std::string>& required = config.required_venue_features;
  for (size_t i = 0; i < config.areas.size(); ++i) {
    const Area& area = config.areas[i];
    const std::string label = IndexPath("areas", i) + " (" + area.name + ")";
    if (area.venues.empty()) {
      std::string what =
          "no venues listed; add at least one venue for its "
          "in-person forums";
      if (!required.empty()) {
        what += " with " + JoinWords(required, "and") +
                " (required by venues.required_features)";
      }
      FailAt(config.source, Where{lines.areas[i], label}, what);
    }
    const Venue* best = nullptr;
    std::vector<std::string> best_missing;
    std::vector<std::string> missing_everywhere = required;
    for (const Venue& venue : area.venues) {
      std::vector<std::string> missing;
      for (const std::string& feature : required) {
        if (std::find(venue.features.begin(), venue.features.end(), feature) ==
            venue.features.end()) {
          missing.push_back(feature);
        }
      }
      if (missing.empty()) {
        best = nullptr;
        missing_everywhere.clear();
        break;
      }
      if (best == nullptr || missing.size() < best_missing.size()) {
        best = &venue;
        best_missing = missing;
      }
      missing_everywhere.erase(
          std::remove_if(missing_everywhere.begin(), missing_everywhere.end(),
                         [&](const std::string& f) {
                           return std::find(missing.begin(), missing.end(),
                                            f) == missing.end();
                         }),
          missing_everywhere.end());
    }
    if (best == nullptr) continue;
    if (!missing_everywhere.empty()) {
      const bool one = missing_everywhere.size() == 1;
      FailAt(config.source, Where{lines.areas[i], label},
             "no venue has " + JoinWords(missing_everywhere, "or") +
                 " (required by venues.required_features); add the " +
                 (one ? "feature to a venue or add a venue that has it"
                      : "features to a venue or add a venue that has "
                        "them"));
    }
    FailAt(config.source, Where{lines.areas[i], label},
           "no venue has all of " + JoinWords(required, "and") +
               " (required by venues.required_features); the closest, " +
               best->name + ", lacks " + JoinWords(best_missing, "and") +
               "; add the missing feature to it or add a venue that has "
               "them all");
  }
}

void UniqueNames::CheckForumName(const Where& at,
                                 const std::string& name) const {
  for (const auto& [other_name, other_label] : names_) {
    if (SameName(other_name, name)) {
      FailAt(source_, at,
             Quote(name) + " is already the name of " + other_label +
                 CaseNote(other_name, name) + "; forum names must be unique");
    }
  }
  for (const auto& [other_slug, other_label] : slugs_) {
    if (SameName(other_slug, name)) {
      FailAt(source_, at,
             Quote(name) + " is already the slug of " + other_label +
                 CaseNote(other_slug, name) +
                 "; a forum is found by its name or slug, so they "
                 "must be unique");
    }
  }
}

void UniqueNames::AddForum(const std::string& label, const Area& forum,
                           const Where& name_at,
                           const std::optional<Where>& slug_at) {
  for (const auto& [other_slug, other_label] : slugs_) {
    if (other_slug == forum.slug) {
      if (slug_at) {
        FailAt(source_, *slug_at,
               Quote(forum.slug) + " is already the slug of " + other_label +
                   "; slugs must be unique");
      }
      FailAt(source_, name_at,
             Quote(forum.name) + " gives the slug " + Quote(forum.slug) +
                 ", already the slug of " + other_label +
                 "; add a different slug:");
    }
  }
  for (const auto& [other_name, other_label] : names_) {
    if (SameName(other_name, forum.slug)) {
      FailAt(source_, slug_at ? *slug_at : name_at,
             Quote(forum.slug) + " is already the name of " + other_label +
                 CaseNote(other_name, forum.slug) +
                 "; a forum is found by its name or slug, so they must be "
                 "unique");
    }
  }
  names_.emplace_back(forum.name, label);
  slugs_.emplace_back(forum.slug, label + " (" + forum.name + ")");
}

void UniqueNames::AddAlias(const Where& at, const std::string& alias,
                           const std::string& label,
                           const std::string& forum_name) {
  for (const Taken* taken : {&names_, &slugs_, &aliases_}) {
    for (const auto& [other, other_label] : *taken) {
      if (SameName(other, alias)) {
        FailAt(source_, at,
               Quote(alias) + " already names " + other_label +
                   CaseNote(other, alias) + "; an alias must name one forum");
      }
    }
  }
  aliases_.emplace_back(alias, label + " (" + forum_name + ")");
  alias_at_.push_back(at);
}

void UniqueNames::CheckAliasesAgainstLaterForums() const {
  for (size_t i = 0; i < aliases_.size(); ++i) {
    for (const Taken* taken : {&names_, &slugs_}) {
      for (const auto& [other, other_label] : *taken) {
        if (SameName(other, aliases_[i].first)) {
          FailAt(source_, alias_at_[i],
                 Quote(aliases_[i].first) + " already names " + other_label +
                     "; an alias must name one forum");
        }
      }
    }
  }
}

void UniqueNames::AddVenue(const Where& at, const std::string& name,
                           const std::string& area_label) {
  for (const auto& [other, other_area] : venues_) {
    if (SameName(other, name)) {
      FailAt(source_, at,
             Quote(name) + " is already the name of a venue in " + other_area +
                 CaseNote(other, name) + "; venue names must be unique");
    }
  }
  venues_.emplace_back(name, area_label);
}

}  // namespace focus::config_internal
