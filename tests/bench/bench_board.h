// What the write benchmarks share: the configuration, the fixed clock, the
// ticket text every benchmark writes and the board's timed loop, so their
// rows are the same.
#ifndef FOCUS_TESTS_BENCH_BENCH_BOARD_H_
#define FOCUS_TESTS_BENCH_BENCH_BOARD_H_

#include <benchmark/benchmark.h>

#include <cstdint>
#include <string>

#include "focus/board.h"
#include "focus/clock.h"
#include "focus/config.h"
#include "focus/store.h"

namespace focus::bench {

inline const Config& BenchConfig() {
  static const Config config =
      ParseConfig(EmbeddedDefaultConfig(), "<built-in default configuration>");
  return config;
}

// Noon London time on 2027-01-15, the day every ticket is raised.
inline const FixedClock& BenchClock() {
  static const FixedClock clock(1800014400);
  return clock;
}

inline std::string Title(int64_t n) {
  return "Appointment letters arrive late (" + std::to_string(n) + ")";
}

inline constexpr const char* kDetails =
    "Several people said letters arrive after the appointment date.";

// The timed loop of a board-write benchmark: one ticket per iteration,
// each its own durable transaction, into the board on `store`.
inline void AddTicketsTimed(benchmark::State& state, Store& store) {
  const Config& config = BenchConfig();
  Board board(store, config, BenchClock());
  NewTicket t;
  t.details = kDetails;
  t.area = "East Surrey";
  t.themes = {"communication"};
  t.team = config.board.teams.front();
  int64_t n = 0;
  for (auto _ : state) {
    t.title = Title(++n);
    benchmark::DoNotOptimize(board.AddTicket(t, "facilitator"));
  }
  state.SetItemsProcessed(state.iterations());
}

}  // namespace focus::bench

#endif  // FOCUS_TESTS_BENCH_BENCH_BOARD_H_
