// The one error type that crosses the engine boundary.
//
// Library exceptions (yaml-cpp, SQLiteCpp, libical, std::filesystem) are
// caught inside the engine and rethrown as focus::Error with a message that
// says what is wrong and where; the CLI maps ErrorKind to an exit status.
#ifndef FOCUS_ERROR_H_
#define FOCUS_ERROR_H_

#include <stdexcept>
#include <string>

namespace focus {

enum class ErrorKind {
  kInvalidInput,   // Bad configuration, arguments or data. Exit status 2.
  kNotFound,       // What the input names does not exist (a ticket). 2.
  kUnsatisfiable,  // The rules cannot all be met (e.g. window too short). 3.
  kIo,             // A file could not be read or written. Exit status 4.
  kInternal,       // A bug. Exit status 70.
};

class Error : public std::runtime_error {
 public:
  Error(ErrorKind kind, const std::string& message)
      : std::runtime_error(message), kind_(kind) {}

  ErrorKind kind() const { return kind_; }

  // The process exit status the CLI uses for this error.
  int exit_code() const;

 private:
  ErrorKind kind_;
};

// Shorthands for the common kinds.
[[noreturn]] void ThrowInvalid(const std::string& message);
[[noreturn]] void ThrowNotFound(const std::string& message);
[[noreturn]] void ThrowUnsatisfiable(const std::string& message);
[[noreturn]] void ThrowIo(const std::string& message);

// `text` with control characters, U+2028 and U+2029 shown as escapes (\n,
// \t, \x01, \u2028), for quoting user text (a YAML key, a template tag, a
// match) in a message that must stay one line: a raw line break would split
// it, and could fake another line.
std::string OneLine(const std::string& text);

}  // namespace focus

#endif  // FOCUS_ERROR_H_
