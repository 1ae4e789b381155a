// cli/cli_errors.h: exit statuses, remedies in command-line words, and the
// --json error line.
#include "cli_errors.h"

#include <gtest/gtest.h>

#include <string>

#include "focus/error.h"

namespace focus::cli {
namespace {

TEST(CliErrorsTest, KindsMapToExitStatuses) {
  const struct {
    ErrorKind kind;
    int status;
  } kCases[] = {
      {ErrorKind::kInvalidInput, 2},
      {ErrorKind::kNotFound, 2},
      {ErrorKind::kConflict, 2},
      {ErrorKind::kForbidden, 2},
      {ErrorKind::kUnsatisfiable, 3},
      {ErrorKind::kBusy, 4},
      {ErrorKind::kIo, 4},
      {ErrorKind::kInternal, 70},
  };
  for (const auto& c : kCases) {
    EXPECT_EQ(ExitStatus(c.kind), c.status) << ErrorKindName(c.kind);
  }
}

TEST(CliErrorsTest, RemediesAreWordedForTheCommandLine) {
  const struct {
    Remedy remedy;
    const char* message;
  } kCases[] = {
      {Remedy::kNone, "m"},
      {Remedy::kAllowIdentifiers,
       "m, or override with --allow-identifiers if it identifies nobody"},
      {Remedy::kAnswerFirst, "m (answer it first with `focus board answer`)"},
      {Remedy::kFinalAnswerFirst,
       "m (publish the final answer first with `focus board answer`)"},
      {Remedy::kForce, "m (record it with --force to keep it anyway)"},
      {Remedy::kCreateBoard,
       "m; create one with `focus init` (or pass --db / set FOCUS_DB)"},
      {Remedy::kDryRun, "m; --dry-run lists them all"},
      {Remedy::kListForums, "m (see `focus plan YEAR`)"},
  };
  for (const auto& c : kCases) {
    EXPECT_EQ(CliMessage(Error(ErrorKind::kInvalidInput, "m", "", c.remedy)),
              c.message);
  }
}

TEST(CliErrorsTest, ErrorLineForPeopleAndMachines) {
  const Error with_field(ErrorKind::kConflict, "ticket #2 is already closed",
                         "state");
  EXPECT_EQ(ErrorLine(with_field, false),
            "focus: error: ticket #2 is already closed");
  EXPECT_EQ(ErrorLine(with_field, true),
            R"({"error":"ticket #2 is already closed","kind":"conflict",)"
            R"("field":"state"})");
  // No field: no "field" member. Bytes that are not UTF-8 become U+FFFD
  // rather than failing while reporting.
  EXPECT_EQ(ErrorLine(Error(ErrorKind::kIo, "x\xff"), true),
            "{\"error\":\"x\xEF\xBF\xBD\",\"kind\":\"io\"}");
}

}  // namespace
}  // namespace focus::cli
