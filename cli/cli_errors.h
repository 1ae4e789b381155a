// How the command line reports an engine error: its exit status, and its
// message with the remedy worded in terms of flags and commands.
#ifndef FOCUS_CLI_CLI_ERRORS_H_
#define FOCUS_CLI_CLI_ERRORS_H_

#include <string>

#include "focus/error.h"

namespace focus::cli {

// The exit status for an error of this kind: 2 bad input (including a
// missing or conflicting record), 3 the rules cannot be met, 4 a file or
// the database could not be used, 70 a bug.
int ExitStatus(ErrorKind kind);

// The error's message followed by its remedy in command-line terms, e.g.
// "...: remove it, or override with --allow-identifiers if it identifies
// nobody".
std::string CliMessage(const Error& e);

// The line written to stderr: "focus: error: MESSAGE", or with `json` one
// JSON object {"error", "kind", "field"?}.
std::string ErrorLine(const Error& e, bool json);

}  // namespace focus::cli

#endif  // FOCUS_CLI_CLI_ERRORS_H_
