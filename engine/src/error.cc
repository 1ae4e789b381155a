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

std::string OneLine(const std::string& text) {
  std::string out;
  for (char c : text) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c == '\r') {
      out += "\\r";
    } else if (u < 0x20 || u == 0x7f) {
      static const char kHex[] = "0123456789abcdef";
      out += std::string("\\x") + kHex[u >> 4] + kHex[u & 0xf];
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace focus
