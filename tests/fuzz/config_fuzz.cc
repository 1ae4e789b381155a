// Fuzzes the configuration loader (focus/config.h) with arbitrary YAML text.
//
// Any input must either load or be refused with Error(kInvalidInput) and a
// one-line "SOURCE:LINE: KEY: ..." style message; no other exception, crash
// or sanitizer report. A configuration that loads must also give a holiday
// calendar and plan its first year, or be refused by the planner with
// Error(kUnsatisfiable) (a window too short, say): a loader that accepts what
// the planner then crashes on is a loader bug.
#include <cstddef>
#include <cstdint>
#include <string>

#include "focus/config.h"
#include "focus/error.h"
#include "focus/plan.h"
#include "fuzz_check.h"

namespace {

constexpr char kSource[] = "fuzz.yaml";

void PlanFirstYear(const focus::Config& config) {
  try {
    const focus::Plan plan =
        focus::PlanYear(config, config.rotation.start_year);
    FUZZ_CHECK(plan.year == config.rotation.start_year, "wrong plan year");
  } catch (const focus::Error& e) {
    // A loaded configuration may still be impossible to satisfy, or name a
    // blackout outside any round; the planner must say so, not crash.
    if (e.kind() == focus::ErrorKind::kUnsatisfiable) {
      focus::fuzz::CheckEngineError(e, focus::ErrorKind::kUnsatisfiable);
    } else {
      focus::fuzz::CheckEngineError(e, focus::ErrorKind::kInvalidInput);
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  focus::Config config;
  try {
    config = focus::ParseConfig(text, kSource);
  } catch (const focus::Error& e) {
    focus::fuzz::CheckEngineError(e, focus::ErrorKind::kInvalidInput);
    const std::string what = e.what();
    FUZZ_CHECK(what.rfind(kSource, 0) == 0,
               "error does not name the file: " + what);
    return 0;
  }
  FUZZ_CHECK(config.source == kSource, "source not recorded");
  config.MakeHolidayCalendar();
  PlanFirstYear(config);
  return 0;
}
