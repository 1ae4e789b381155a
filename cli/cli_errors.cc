#include "cli_errors.h"

#include <nlohmann/json.hpp>

namespace focus::cli {

int ExitStatus(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kInvalidInput:
    case ErrorKind::kNotFound:
    case ErrorKind::kConflict:
    case ErrorKind::kForbidden:
      return 2;
    case ErrorKind::kUnsatisfiable:
      return 3;
    case ErrorKind::kBusy:
    case ErrorKind::kIo:
      return 4;
    case ErrorKind::kInternal:
      return 70;
  }
  return 70;
}

std::string CliMessage(const Error& e) {
  const std::string message = e.what();
  switch (e.remedy()) {
    case Remedy::kNone:
      return message;
    case Remedy::kAllowIdentifiers:
      return message +
             ", or override with --allow-identifiers if it identifies nobody";
    case Remedy::kAnswerFirst:
      return message + " (answer it first with `focus board answer`)";
    case Remedy::kFinalAnswerFirst:
      return message +
             " (publish the final answer first with `focus board answer`)";
    case Remedy::kForce:
      return message + " (record it with --force to keep it anyway)";
    case Remedy::kCreateBoard:
      return message +
             "; create one with `focus init` (or pass --db / set FOCUS_DB)";
    case Remedy::kDryRun:
      return message + "; --dry-run lists them all";
    case Remedy::kListForums:
      return message + " (see `focus plan YEAR`)";
  }
  return message;
}

std::string ErrorLine(const Error& e, bool json) {
  if (!json) return "focus: error: " + CliMessage(e);
  nlohmann::ordered_json j = {{"error", CliMessage(e)},
                              {"kind", ErrorKindName(e.kind())}};
  if (!e.field().empty()) j["field"] = e.field();
  // A message may quote input that is not UTF-8.
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace focus::cli
