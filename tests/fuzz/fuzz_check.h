// Checks inside fuzz targets. A failed check prints what broke and aborts,
// which libFuzzer reports as a crash (and saves the input), and which fails
// the corpus replay test in the normal build. assert() would vanish from a
// release build; this does not.
#ifndef FOCUS_TESTS_FUZZ_FUZZ_CHECK_H_
#define FOCUS_TESTS_FUZZ_FUZZ_CHECK_H_

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>

#include "focus/error.h"

#define FUZZ_CHECK(condition, message)                                  \
  do {                                                                  \
    if (!(condition)) {                                                 \
      std::fprintf(stderr, "%s:%d: check failed: %s: %s\n", __FILE__,   \
                   __LINE__, #condition, std::string(message).c_str()); \
      std::abort();                                                     \
    }                                                                   \
  } while (0)

namespace focus::fuzz {

// A message fit for one line of a terminal or a log: no line break, carriage
// return, tab, escape or other C0 control character (user text quoted in it
// must be shown escaped, e.g. with focus::OneLine).
inline bool IsOneLine(const std::string& message) {
  for (char c : message) {
    if (static_cast<unsigned char>(c) < 0x20) return false;
  }
  return true;
}

// Every error the engine throws must be a focus::Error of an expected kind
// with a one-line message (IsOneLine): anything else (a yaml-cpp, nlohmann or
// SQLiteCpp exception escaping, std::out_of_range, kInternal) is a bug.
inline void CheckEngineError(const Error& e, ErrorKind expected) {
  const std::string what = e.what();
  FUZZ_CHECK(e.kind() == expected, "unexpected error kind: " + what);
  FUZZ_CHECK(!what.empty(), "empty error message");
  FUZZ_CHECK(IsOneLine(what), "error message is not one line: " + what);
}

}  // namespace focus::fuzz

#endif  // FOCUS_TESTS_FUZZ_FUZZ_CHECK_H_
