// The one error type that crosses the engine boundary.
//
// Library exceptions (yaml-cpp, SQLiteCpp, libical, std::filesystem) are
// caught inside the engine and rethrown as focus::Error with a message that
// says what is wrong and where. The message names no command-line flag and
// no web control: each front end turns the kind into its own status (an exit
// status, an HTTP status), the field into its own control, and the remedy
// into its own words.
#ifndef FOCUS_ERROR_H_
#define FOCUS_ERROR_H_

#include <stdexcept>
#include <string>
#include <utility>

namespace focus {

enum class ErrorKind {
  kInvalidInput,   // Bad configuration, arguments or data.
  kNotFound,       // What the input names does not exist (a ticket, a forum).
  kConflict,       // Well formed, but the record's current state forbids it
                   // (answering a closed ticket, a second verdict).
  kForbidden,      // The account may not do this.
  kBusy,           // Another writer held the data too long; try again.
  kUnsatisfiable,  // The rules cannot all be met (e.g. window too short).
  kIo,             // A file could not be read or written.
  kInternal,       // A bug.
};

// What the person can do about the error, beyond fixing the input. Each
// front end words it for its own controls (a flag, a tick box, a route).
enum class Remedy {
  kNone,
  kAllowIdentifiers,  // The text may be kept if it identifies nobody.
  kAnswerFirst,       // Publish an answer before closing the ticket.
  kFinalAnswerFirst,  // Publish the final answer before closing it.
  kForce,             // Record the change anyway.
  kCreateBoard,       // There is no board database yet: create one.
  kDryRun,            // A dry run lists every problem at once.
  kListForums,        // The year's plan lists the forum ids.
};

class Error : public std::runtime_error {
 public:
  Error(ErrorKind kind, const std::string& message, std::string field = {},
        Remedy remedy = Remedy::kNone)
      : std::runtime_error(message),
        kind_(kind),
        field_(std::move(field)),
        remedy_(remedy) {}

  ErrorKind kind() const { return kind_; }

  // The input field the error is about, by its API name ("title", "area",
  // "themes", "team", "raised_by", "forum", "text", "answered_by", ...), or
  // "" when it is about no one field.
  const std::string& field() const { return field_; }

  Remedy remedy() const { return remedy_; }

 private:
  ErrorKind kind_;
  std::string field_;
  Remedy remedy_;
};

// The kind's name in machine-readable output: "invalid_input", "not_found",
// "conflict", "forbidden", "busy", "unsatisfiable", "io", "internal".
const char* ErrorKindName(ErrorKind kind);

// Shorthands for the common kinds; `field` as in Error::field().
[[noreturn]] void ThrowInvalid(const std::string& message,
                               const std::string& field = {});
[[noreturn]] void ThrowNotFound(const std::string& message,
                                const std::string& field = {});
[[noreturn]] void ThrowConflict(const std::string& message,
                                const std::string& field = {});
[[noreturn]] void ThrowUnsatisfiable(const std::string& message);
[[noreturn]] void ThrowIo(const std::string& message);

// `text` with control characters, U+2028 and U+2029 shown as escapes (\n,
// \t, \x01, \u2028), for quoting user text (a YAML key, a template tag, a
// match) in a message that must stay one line: a raw line break would split
// it, and could fake another line.
std::string OneLine(const std::string& text);

}  // namespace focus

#endif  // FOCUS_ERROR_H_
