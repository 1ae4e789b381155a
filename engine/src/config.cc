#include "focus/config.h"

#include <cctype>

#include "focus/error.h"

namespace focus {

const char* FormatName(Format f) {
  return f == Format::kVirtual ? "virtual" : "in-person";
}

std::string Slugify(const std::string& name) {
  std::string slug;
  bool dash = false;
  for (unsigned char c : name) {
    if (std::isalnum(c)) {
      if (dash && !slug.empty()) slug += '-';
      slug += static_cast<char>(std::tolower(c));
      dash = false;
    } else {
      dash = true;
    }
  }
  return slug;
}

std::vector<const Area*> Config::Forums() const {
  std::vector<const Area*> forums;
  for (const Area& a : areas) forums.push_back(&a);
  forums.push_back(&evening_forum);
  return forums;
}

const Area* Config::FindArea(const std::string& name_or_slug) const {
  for (const Area* a : Forums()) {
    if (a->name == name_or_slug || a->slug == name_or_slug) return a;
  }
  return nullptr;
}

const Venue* Config::FindVenue(const std::string& name) const {
  for (const Area& a : areas) {
    for (const Venue& v : a.venues) {
      if (v.name == name) return &v;
    }
  }
  return nullptr;
}

HolidayCalendar Config::MakeHolidayCalendar() const {
  return HolidayCalendar(holidays);
}

// TODO(config helper): ParseConfig / LoadConfigFile.

}  // namespace focus
