#include "focus/error.h"

namespace focus {

const char* ErrorKindName(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kInvalidInput:
      return "invalid_input";
    case ErrorKind::kNotFound:
      return "not_found";
    case ErrorKind::kConflict:
      return "conflict";
    case ErrorKind::kForbidden:
      return "forbidden";
    case ErrorKind::kBusy:
      return "busy";
    case ErrorKind::kUnsatisfiable:
      return "unsatisfiable";
    case ErrorKind::kIo:
      return "io";
    case ErrorKind::kInternal:
      return "internal";
  }
  return "internal";
}

void ThrowInvalid(const std::string& message, const std::string& field) {
  throw Error(ErrorKind::kInvalidInput, message, field);
}
void ThrowNotFound(const std::string& message, const std::string& field) {
  throw Error(ErrorKind::kNotFound, message, field);
}
void ThrowConflict(const std::string& message, const std::string& field) {
  throw Error(ErrorKind::kConflict, message, field);
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
