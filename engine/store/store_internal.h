// What the storage library's sources share (internal): database failures
// translated into focus::Error.
#ifndef FOCUS_STORE_STORE_INTERNAL_H_
#define FOCUS_STORE_STORE_INTERNAL_H_

#include <exception>
#include <string>

#include "focus/error.h"

namespace focus::store_internal {

// `e` (a SQLite, PostgreSQL or other library failure) as the focus::Error
// to throw: its kind, and "<name>: <doing>: <what went wrong>" in words a
// coordinator can act on.
Error Translate(const std::string& name, const std::string& doing,
                const std::exception& e);

// The first line of a database message, without PostgreSQL's "ERROR:  " or
// "FATAL:  " (the server adds DETAIL and CONTEXT lines).
std::string FirstLine(const std::string& what);

// Runs `fn`, turning any exception that is not already a focus::Error into
// one whose message says what was being done (`doing`) to which database.
template <typename Fn>
auto Translating(const std::string& name, const std::string& doing, Fn&& fn)
    -> decltype(fn()) {
  try {
    return fn();
  } catch (const Error&) {
    throw;
  } catch (const std::exception& e) {
    throw Translate(name, doing, e);
  }
}

}  // namespace focus::store_internal

#endif  // FOCUS_STORE_STORE_INTERNAL_H_
