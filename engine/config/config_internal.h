// Internals of the configuration loader (focus/config.h), shared by its
// parts: reading YAML values (yaml_reader.h) and reading the sections into
// a Config (config.cc).
#ifndef FOCUS_CONFIG_CONFIG_INTERNAL_H_
#define FOCUS_CONFIG_CONFIG_INTERNAL_H_

#include <cstddef>
#include <string>

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

// "areas[2]".
inline std::string IndexPath(const std::string& path, size_t i) {
  return path + "[" + std::to_string(i) + "]";
}

}  // namespace focus::config_internal

#endif  // FOCUS_CONFIG_CONFIG_INTERNAL_H_
