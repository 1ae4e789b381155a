// SQLite failures as focus::Error: what went wrong, in words a coordinator
// can act on, and which kind of failure it is.
#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include <string>

#include "store_internal.h"

namespace focus::store_internal {

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

}  // namespace focus::store_internal
