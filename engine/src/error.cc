#include "focus/error.h"

namespace focus {

int Error::exit_code() const {
  switch (kind_) {
    case ErrorKind::kInvalidInput:
      return 2;
    case ErrorKind::kUnsatisfiable:
      return 3;
    case ErrorKind::kIo:
      return 4;
    case ErrorKind::kInternal:
      return 70;
  }
  return 70;
}

void ThrowInvalid(const std::string& message) {
  throw Error(ErrorKind::kInvalidInput, message);
}
void ThrowUnsatisfiable(const std::string& message) {
  throw Error(ErrorKind::kUnsatisfiable, message);
}
void ThrowIo(const std::string& message) {
  throw Error(ErrorKind::kIo, message);
}

}  // namespace focus
