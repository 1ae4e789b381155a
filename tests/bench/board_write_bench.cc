// Board writes: focus::Board::AddTicket against the same rows written with
// the raw SQLite C API, one durable transaction per ticket each, on the same
// disk (one temporary folder, $TMPDIR or /tmp) and with the same connection
// settings (WAL, synchronous=FULL, foreign keys). scripts/run-benchmarks
// compares the two rates (items_per_second): the engine must reach at least
// half the raw rate.
//
// Both write into a fresh database made by focus::Store, so both see the
// same schema, indexes and triggers. The raw baseline writes what AddTicket
// writes for a plain ticket: the tickets row, its theme row and its
// "created" history row, in one BEGIN IMMEDIATE ... COMMIT.
#include <benchmark/benchmark.h>
#include <sqlite3.h>
#include <stdlib.h>

#include <cstdint>
#include <ctime>
#include <filesystem>
#include <stdexcept>
#include <string>

#include "bench_board.h"
#include "focus/board.h"
#include "focus/clock.h"
#include "focus/config.h"
#include "focus/local_time.h"
#include "focus/store.h"

namespace {

namespace fs = std::filesystem;

// A fresh folder for one benchmark's database, removed afterwards.
class TempDir {
 public:
  TempDir() {
    std::string pattern =
        (fs::temp_directory_path() / "focus-bench-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) {
      throw std::runtime_error("cannot create a temporary folder");
    }
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  std::string File(const char* name) const { return (path_ / name).string(); }

 private:
  fs::path path_;
};

using focus::bench::BenchClock;
using focus::bench::BenchConfig;
using focus::bench::kDetails;
using focus::bench::Title;

std::string NewDatabase(const TempDir& dir) {
  const std::string path = dir.File("board.db");
  focus::StoreOptions options;
  options.create_if_missing = true;
  focus::Store store(path, options);
  return path;
}

void BM_BoardAddTicket(benchmark::State& state) {
  TempDir dir;
  const std::string path = NewDatabase(dir);
  focus::Store store(path);
  focus::bench::AddTicketsTimed(state, store);
}

void Check(int rc, sqlite3* db, const char* what) {
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
    throw std::runtime_error(std::string(what) + ": " + sqlite3_errmsg(db));
  }
}

void Exec(sqlite3* db, const char* sql) {
  Check(sqlite3_exec(db, sql, nullptr, nullptr, nullptr), db, sql);
}

void BindText(sqlite3_stmt* q, int i, const std::string& s) {
  sqlite3_bind_text(q, i, s.data(), static_cast<int>(s.size()),
                    SQLITE_TRANSIENT);
}

void Step(sqlite3* db, sqlite3_stmt* q) {
  Check(sqlite3_step(q), db, "step");
  sqlite3_reset(q);
}

void BM_RawSqliteInsert(benchmark::State& state) {
  TempDir dir;
  const std::string path = NewDatabase(dir);
  sqlite3* db = nullptr;
  Check(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr), db,
        "open");
  sqlite3_busy_timeout(db, 30000);
  Exec(db, "PRAGMA foreign_keys = ON");
  Exec(db, "PRAGMA journal_mode = WAL");
  Exec(db, "PRAGMA synchronous = FULL");

  sqlite3_stmt* ticket = nullptr;
  sqlite3_stmt* theme = nullptr;
  sqlite3_stmt* history = nullptr;
  Check(sqlite3_prepare_v2(
            db,
            "INSERT INTO tickets (title, details, area, team, state, "
            "raised_on, forum_id, raised_by, votes_total, created_at) VALUES "
            "(?, ?, ?, ?, 'raised', ?, NULL, 1, 1, ?)",
            -1, &ticket, nullptr),
        db, "prepare");
  Check(sqlite3_prepare_v2(db,
                           "INSERT INTO ticket_themes (ticket_id, theme, "
                           "position) VALUES (?, ?, 0)",
                           -1, &theme, nullptr),
        db, "prepare");
  Check(sqlite3_prepare_v2(db,
                           "INSERT INTO history (ticket_id, at, actor, field, "
                           "old_value, new_value, note) VALUES (?, ?, ?, "
                           "'created', '', ?, ?)",
                           -1, &history, nullptr),
        db, "prepare");

  const std::string team = BenchConfig().board.teams.front();
  const std::string today = focus::FormatIsoDate(BenchClock().Today());
  int64_t n = 0;
  for (auto _ : state) {
    const std::string title = Title(++n);
    const std::string at = focus::FormatUtc(BenchClock().Now());
    Exec(db, "BEGIN IMMEDIATE");
    BindText(ticket, 1, title);
    BindText(ticket, 2, kDetails);
    BindText(ticket, 3, "east-surrey");
    BindText(ticket, 4, team);
    BindText(ticket, 5, today);
    BindText(ticket, 6, at);
    Step(db, ticket);
    const int64_t id = sqlite3_last_insert_rowid(db);
    sqlite3_bind_int64(theme, 1, id);
    BindText(theme, 2, "communication");
    Step(db, theme);
    sqlite3_bind_int64(history, 1, id);
    BindText(history, 2, at);
    BindText(history, 3, "facilitator");
    BindText(history, 4, title);
    BindText(history, 5,
             "raised by 1 on " + today +
                 " in east-surrey; themes: communication; team: " + team);
    Step(db, history);
    Exec(db, "COMMIT");
  }
  state.SetItemsProcessed(state.iterations());
  sqlite3_finalize(ticket);
  sqlite3_finalize(theme);
  sqlite3_finalize(history);
  sqlite3_close(db);
}

// 10,000 tickets each, as the target says; real time, because the cost is
// the disk's, not the CPU's.
BENCHMARK(BM_RawSqliteInsert)
    ->Iterations(10000)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_BoardAddTicket)
    ->Iterations(10000)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
