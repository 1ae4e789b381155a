#include "focus/error.h"

namespace focus {

int Error::exit_code() const {
  switch (kind_) {
    case ErrorKind::kInvalidInput:
    case ErrorKind::kNotFound:
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
void ThrowNotFound(const std::string& message) {
  throw Error(ErrorKind::kNotFound, message);
}
void ThrowUnsatisfiable(const std::string& message) {
  throw Error(ErrorKind::kUnsatisfiable, message);
}
void ThrowIo(const std::string& message) {
  throw Error(ErrorKind::kIo, message);
}

std::string OneLine(const std::string& text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const unsigned char u = static_cast<unsigned char>(c);
    if (text.compare(i, 2, "\xE2\x80") == 0 && i + 2 < text.size() &&
        (text[i + 2] == '\xA8' || text[i + 2] == '\xA9')) {
      // U+2028 and U+2029 break the line in many viewers.
      out += text[i + 2] == '\xA8' ? "\\u2028" : "\\u2029";
      i += 2;
    } else if (c == '\n') {
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
