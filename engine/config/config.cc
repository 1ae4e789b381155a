#include "focus/config.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "focus/error.h"
#include "focus/file_system.h"

namespace focus {

const char* FormatName(Format f) {
  return f == Format::kVirtual ? "virtual" : "in-person";
}

std::string VenueFeatureWords(const std::string& feature) {
  static const std::map<std::string, std::string> kWords = {
      {"wifi", "Wi-Fi"},
      {"step-free", "step-free access"},
      {"hearing-loop", "hearing loop"},
      {"informal-layout", "informal room layout"},
  };
  auto it = kWords.find(feature);
  if (it != kWords.end()) return it->second;
  std::string words = feature;
  std::replace(words.begin(), words.end(), '-', ' ');
  return words;
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

bool SameName(const std::string& a, const std::string& b) {
  auto trimmed = [](const std::string& s) {
    const size_t first = s.find_first_not_of(" \t");
    if (first == std::string::npos) return std::string_view();
    return std::string_view(s).substr(first,
                                      s.find_last_not_of(" \t") - first + 1);
  };
  const std::string_view x = trimmed(a);
  const std::string_view y = trimmed(b);
  // ASCII only: a byte of a UTF-8 sequence is never changed.
  auto fold = [](char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
  };
  return x.size() == y.size() &&
         std::equal(x.begin(), x.end(), y.begin(),
                    [&](char p, char q) { return fold(p) == fold(q); });
}

std::optional<std::string> MatchName(const std::vector<std::string>& names,
                                     const std::string& given) {
  for (const std::string& n : names) {
    if (SameName(n, given)) return n;
  }
  return std::nullopt;
}

const Area* Config::FindArea(const std::string& name_or_slug) const {
  for (const Area* a : Forums()) {
    if (SameName(a->name, name_or_slug) || SameName(a->slug, name_or_slug)) {
      return a;
    }
  }
  for (const Area* a : Forums()) {
    if (MatchName(a->aliases, name_or_slug)) return a;
  }
  return nullptr;
}

std::string Config::AreaName(const std::string& name_or_slug) const {
  const Area* area = FindArea(name_or_slug);
  return area ? area->name : name_or_slug;
}

const Venue* Config::FindVenue(const std::string& name) const {
  for (const Area& a : areas) {
    for (const Venue& v : a.venues) {
      if (SameName(v.name, name)) return &v;
    }
  }
  return nullptr;
}

HolidayCalendar Config::MakeHolidayCalendar() const {
  return HolidayCalendar(holidays);
}

Config LoadConfigFile(const std::string& path) {
  // Reading a folder "succeeds" with no bytes on Linux; say what happened.
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    ThrowIo("cannot read " + path + ": it is a folder, not a file");
  }
  return ParseConfig(DiskFileSystem().ReadFile(path), path);
}

}  // namespace focus
