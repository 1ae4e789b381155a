// The floor for `focus sla` (scripts/run-benchmarks): the least a program
// can do to read what the report reads. It scans the same columns of every
// ticket but merged ones, and every ticket's themes, with the same queries
// through the SQLite C API, on one thread, and touches each value once so
// the scan cannot be skipped; it computes no figures at all.
// Usage: sla_scan_floor DATABASE
#include <sqlite3.h>

#include <cstdint>
#include <cstdio>

namespace {

// Steps `sql` to the end; returns a sum over every column of every row (the
// integers and the texts' lengths), or -1 on an error.
int64_t Scan(sqlite3* db, const char* sql) {
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr) != SQLITE_OK) return -1;
  int64_t sum = 0;
  const int columns = sqlite3_column_count(stmt);
  int rc;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    for (int c = 0; c < columns; ++c) {
      if (sqlite3_column_type(stmt, c) == SQLITE_INTEGER) {
        sum += sqlite3_column_int64(stmt, c);
      } else {
        sqlite3_column_text(stmt, c);
        sum += sqlite3_column_bytes(stmt, c);
      }
    }
  }
  sqlite3_finalize(stmt);
  return rc == SQLITE_DONE ? sum : -1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: sla_scan_floor DATABASE\n");
    return 2;
  }
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(argv[1], &db, SQLITE_OPEN_READONLY, nullptr) !=
      SQLITE_OK) {
    std::fprintf(stderr, "sla_scan_floor: cannot open %s\n", argv[1]);
    return 1;
  }
  // The same queries as focus's TicketScan (engine/store/ticket_scan.cc).
  const int64_t tickets =
      Scan(db,
           "SELECT id, area, team, state, raised_on, sent_on, answered_on, "
           "declined_on, merged_into, paused_working_days, paused_since, "
           "reopened_on FROM tickets WHERE state <> 'merged' ORDER BY id");
  const int64_t themes =
      Scan(db, "SELECT ticket_id, theme FROM ticket_themes ORDER BY ticket_id");
  sqlite3_close(db);
  if (tickets < 0 || themes < 0) {
    std::fprintf(stderr, "sla_scan_floor: %s: not a focus board\n", argv[1]);
    return 1;
  }
  std::printf("%lld\n", static_cast<long long>(tickets + themes));
  return 0;
}
