// What the write benchmarks share: the configuration, the fixed clock and
// the ticket text every benchmark writes, so their rows are the same.
#ifndef FOCUS_TESTS_BENCH_BENCH_BOARD_H_
#define FOCUS_TESTS_BENCH_BENCH_BOARD_H_

#include <cstdint>
#include <string>

#include "focus/clock.h"
#include "focus/config.h"

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

}  // namespace focus::bench

#endif  // FOCUS_TESTS_BENCH_BENCH_BOARD_H_
