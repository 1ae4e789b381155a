// Board writes on PostgreSQL: focus::Board::AddTicket against the same rows
// written with the raw libpq C API, one durable transaction per ticket
// each, on the same server (the one FOCUS_BENCH_PG_URL names; scripts/
// run-benchmarks starts a throwaway cluster with fsync on). Each writes into
// a fresh database made by focus::Store, so both see the same schema,
// indexes and triggers. The raw baseline writes what AddTicket writes for a
// plain ticket: the tickets row, its theme row and its "created" history
// row, in one BEGIN ... COMMIT. scripts/run-benchmarks compares the rates.
#include <benchmark/benchmark.h>
#include <libpq-fe.h>

#include <cstdint>
#include <cstdlib>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "bench_board.h"
#include "focus/board.h"
#include "focus/clock.h"
#include "focus/config.h"
#include "focus/local_time.h"
#include "focus/store.h"
#include "focus/store_testing.h"

namespace {

using focus::bench::BenchClock;
using focus::bench::BenchConfig;
using focus::bench::kDetails;
using focus::bench::Title;

// A fresh database with the board's schema on the benchmark's server.
std::unique_ptr<focus::testing::TemporaryPostgresDatabase> NewDatabase() {
  const char* server = std::getenv("FOCUS_BENCH_PG_URL");
  if (server == nullptr) {
    throw std::runtime_error("FOCUS_BENCH_PG_URL is not set");
  }
  auto db = std::make_unique<focus::testing::TemporaryPostgresDatabase>(server);
  focus::StoreOptions options;
  options.create_if_missing = true;
  focus::Store store(db->url(), options);
  return db;
}

void BM_PostgresBoardAddTicket(benchmark::State& state) {
  auto database = NewDatabase();
  focus::Store store(database->url());
  focus::bench::AddTicketsTimed(state, store);
}

// Runs a prepared statement with text parameters; the result is cleared
// unless `keep`.
PGresult* Run(PGconn* c, const char* name,
              const std::vector<std::string>& params, bool keep = false) {
  std::vector<const char*> values;
  for (const std::string& p : params) values.push_back(p.c_str());
  PGresult* r = PQexecPrepared(c, name, static_cast<int>(values.size()),
                               values.data(), nullptr, nullptr, 0);
  const ExecStatusType s = PQresultStatus(r);
  if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK) {
    const std::string message = PQerrorMessage(c);
    PQclear(r);
    throw std::runtime_error(message);
  }
  if (keep) return r;
  PQclear(r);
  return nullptr;
}

void Exec(PGconn* c, const char* sql) {
  PGresult* r = PQexec(c, sql);
  const bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
  PQclear(r);
  if (!ok) throw std::runtime_error(PQerrorMessage(c));
}

void Prepare(PGconn* c, const char* name, const char* sql) {
  PGresult* r = PQprepare(c, name, sql, 0, nullptr);
  const bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
  PQclear(r);
  if (!ok) throw std::runtime_error(PQerrorMessage(c));
}

void BM_RawLibpqInsert(benchmark::State& state) {
  auto database = NewDatabase();
  PGconn* c = PQconnectdb(database->url().c_str());
  if (PQstatus(c) != CONNECTION_OK) {
    throw std::runtime_error(PQerrorMessage(c));
  }
  Prepare(c, "ticket",
          "INSERT INTO tickets (title, details, area, team, state, raised_on, "
          "forum_id, raised_by, votes_total, created_at) VALUES ($1, $2, $3, "
          "$4, 'raised', $5, NULL, 1, 1, $6) RETURNING id");
  Prepare(c, "theme",
          "INSERT INTO ticket_themes (ticket_id, theme, position) VALUES ($1, "
          "$2, 0)");
  Prepare(c, "history",
          "INSERT INTO history (ticket_id, at, actor, field, old_value, "
          "new_value, note) VALUES ($1, $2, $3, 'created', '', $4, $5)");
  const std::string team = BenchConfig().board.teams.front();
  const std::string today = focus::FormatIsoDate(BenchClock().Today());
  int64_t n = 0;
  for (auto _ : state) {
    const std::string title = Title(++n);
    const std::string at = focus::FormatUtc(BenchClock().Now());
    Exec(c, "BEGIN");
    PGresult* r = Run(c, "ticket",
                      {title, kDetails, "east-surrey", team, today, at}, true);
    const std::string id = PQgetvalue(r, 0, 0);
    PQclear(r);
    Run(c, "theme", {id, "communication"});
    Run(c, "history",
        {id, at, "facilitator", title,
         "raised by 1 on " + today +
             " in east-surrey; themes: communication; team: " + team});
    Exec(c, "COMMIT");
  }
  state.SetItemsProcessed(state.iterations());
  PQfinish(c);
}

// 2,000 tickets each (a commit costs a server round trip and an fsync);
// real time, because the cost is the disk's and the server's.
BENCHMARK(BM_RawLibpqInsert)
    ->Iterations(2000)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_PostgresBoardAddTicket)
    ->Iterations(2000)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
