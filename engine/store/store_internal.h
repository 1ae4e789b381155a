// What the storage library's sources share (internal): SQLite failures
// translated into focus::Error, and the connection settings every focus
// process uses.
#ifndef FOCUS_STORE_STORE_INTERNAL_H_
#define FOCUS_STORE_STORE_INTERNAL_H_

#include <SQLiteCpp/SQLiteCpp.h>

#include <exception>
#include <memory>
#include <string>

#include "focus/error.h"
#include "focus/sql_connection.h"
#include "focus/store.h"

namespace focus::store_internal {

// The ErrorKind for a SQLite failure, and what went wrong in words a
// coordinator can act on.
ErrorKind KindOf(const SQLite::Exception& e);
std::string Describe(const SQLite::Exception& e);

// Runs `fn`, turning any exception that is not already a focus::Error into
// one whose message says what was being done (`doing`) to which file.
template <typename Fn>
auto Translating(const std::string& path, const std::string& doing, Fn&& fn)
    -> decltype(fn()) {
  try {
    return fn();
  } catch (const Error&) {
    throw;
  } catch (const SQLite::Exception& e) {
    throw Error(KindOf(e), path + ": " + doing + ": " + Describe(e));
  } catch (const std::exception& e) {
    throw Error(ErrorKind::kInternal, path + ": " + doing + ": " + e.what());
  }
}

}  // namespace focus::store_internal

#endif  // FOCUS_STORE_STORE_INTERNAL_H_
