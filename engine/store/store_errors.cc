// Database failures as focus::Error: what went wrong, in words a
// coordinator can act on, and which kind of failure it is.
#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include <exception>
#include <pqxx/except>
#include <string>

#include "store_internal.h"

namespace focus::store_internal {
namespace {

// What went wrong, in words a coordinator can act on, from SQLite's primary
// result code. SQLiteCpp's what() alone ("database is locked") says neither
// what was being done nor to which file.
std::string Describe(const SQLite::Exception& e) {
  const std::string detail = e.what();
  switch (e.getErrorCode()) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return "another focus process kept the database busy for too long (" +
             detail + "); try again";
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return "the file is damaged or is not a focus board database (" + detail +
             ")";
    case SQLITE_FULL:
      return "the disk is full (" + detail + ")";
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_AUTH:
      return "the database cannot be written here (" + detail + ")";
    case SQLITE_CANTOPEN:
      return "the file cannot be opened (" + detail + ")";
    case SQLITE_IOERR:
      return "a disk read or write failed (" + detail + ")";
    default:
      return detail;
  }
}

// The ErrorKind for a SQLite failure: another process holding the database
// is kBusy; problems of the file or the disk are kIo; anything else (a
// constraint or SQL error) means the engine let something through that it
// should not have: a bug.
ErrorKind KindOf(const SQLite::Exception& e) {
  switch (e.getErrorCode()) {
    case SQLITE_CONSTRAINT:
    case SQLITE_ERROR:
    case SQLITE_MISMATCH:
    case SQLITE_RANGE:
    case SQLITE_MISUSE:
      return ErrorKind::kInternal;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return ErrorKind::kBusy;
    default:
      return ErrorKind::kIo;
  }
}

// The same for PostgreSQL, from the SQLSTATE's class (its first two
// characters): https://www.postgresql.org/docs/15/errcodes-appendix.html
Error FromPostgres(const std::string& where, const pqxx::sql_error& e) {
  const std::string state = e.sqlstate();
  const std::string cls = state.substr(0, 2);
  const std::string detail = FirstLine(e.what());
  if (cls == "40" || state == "55P03") {
    return Error(ErrorKind::kBusy,
                 where +
                     "another focus process kept the database busy for "
                     "too long (" +
                     detail + "); try again");
  }
  if (cls == "53") {
    return Error(
        ErrorKind::kIo,
        where + "the database server is out of resources (" + detail + ")");
  }
  if (cls == "28" || state == "42501") {
    return Error(
        ErrorKind::kIo,
        where + "the database cannot be written here (" + detail + ")");
  }
  if (cls == "08" || cls == "57" || cls == "58" || cls == "XX") {
    return Error(ErrorKind::kIo,
                 where + "the database server failed (" + detail + ")");
  }
  return Error(ErrorKind::kInternal, where + detail);
}

}  // namespace

std::string FirstLine(const std::string& what) {
  std::string line = what.substr(0, what.find('\n'));
  for (const char* prefix : {"ERROR:  ", "FATAL:  "}) {
    if (line.rfind(prefix, 0) == 0) line.erase(0, std::string(prefix).size());
  }
  return line;
}

Error Translate(const std::string& name, const std::string& doing,
                const std::exception& e) {
  const std::string where = name + ": " + doing + ": ";
  if (const auto* s = dynamic_cast<const SQLite::Exception*>(&e)) {
    return Error(KindOf(*s), where + Describe(*s));
  }
  if (const auto* s = dynamic_cast<const pqxx::sql_error*>(&e)) {
    return FromPostgres(where, *s);
  }
  if (dynamic_cast<const pqxx::transaction_rollback*>(&e)) {
    // Serialization failures and deadlocks still losing after the retries.
    return Error(ErrorKind::kBusy,
                 where +
                     "other focus processes kept the database busy for "
                     "too long (" +
                     FirstLine(e.what()) + "); try again");
  }
  if (dynamic_cast<const pqxx::broken_connection*>(&e) ||
      dynamic_cast<const pqxx::in_doubt_error*>(&e)) {
    return Error(ErrorKind::kIo, where + "lost the database server (" +
                                     FirstLine(e.what()) + ")");
  }
  return Error(ErrorKind::kInternal, where + FirstLine(e.what()));
}

}  // namespace focus::store_internal
