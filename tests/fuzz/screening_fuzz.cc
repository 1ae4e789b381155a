// Fuzzes the identifier screen (focus/screening.h) with arbitrary bytes.
//
// Oracles, beyond "no crash": IsValidUtf8 and Utf8Length agree with a
// separate strict decoder written here from RFC 3629; every match is a real
// slice of the text at its offset, in order, without overlaps, with the right
// line and column; an NHS match passes the modulus 11 check; and ScreenText
// refuses exactly the texts that are invalid, too long or hold a match.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "focus/error.h"
#include "focus/screening.h"
#include "fuzz_check.h"

namespace {

// RFC 3629 decoding: the number of code points, or npos at the first byte
// of an ill-formed sequence (stored in *bad).
size_t ReferenceDecode(std::string_view t, size_t* bad) {
  size_t count = 0;
  size_t i = 0;
  while (i < t.size()) {
    const unsigned char c = static_cast<unsigned char>(t[i]);
    size_t len;
    uint32_t cp;
    if (c < 0x80) {
      len = 1;
      cp = c;
    } else if ((c & 0xE0) == 0xC0) {
      len = 2;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4;
      cp = c & 0x07;
    } else {
      *bad = i;
      return std::string_view::npos;
    }
    if (i + len > t.size()) {
      *bad = i;
      return std::string_view::npos;
    }
    for (size_t k = 1; k < len; ++k) {
      const unsigned char b = static_cast<unsigned char>(t[i + k]);
      if ((b & 0xC0) != 0x80) {
        *bad = i;
        return std::string_view::npos;
      }
      cp = (cp << 6) | (b & 0x3F);
    }
    static const uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMin[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
      *bad = i;
      return std::string_view::npos;
    }
    ++count;
    i += len;
  }
  return count;
}

std::string Digits(const std::string& s) {
  std::string d;
  for (char c : s) {
    if (c >= '0' && c <= '9') d.push_back(c);
  }
  return d;
}

void CheckMatches(std::string_view text,
                  const std::vector<focus::IdentifierMatch>& matches) {
  size_t previous_end = 0;
  for (const focus::IdentifierMatch& m : matches) {
    FUZZ_CHECK(!m.text.empty(), "empty match");
    FUZZ_CHECK(m.offset >= previous_end, "matches overlap or are unordered");
    FUZZ_CHECK(m.offset + m.text.size() <= text.size(), "match past the end");
    FUZZ_CHECK(text.substr(m.offset, m.text.size()) == m.text,
               "match text is not the text at its offset");
    previous_end = m.offset + m.text.size();

    // Line and column, counted independently.
    int line = 1;
    size_t line_start = 0;
    for (size_t i = 0; i < m.offset; ++i) {
      if (text[i] == '\n') {
        ++line;
        line_start = i + 1;
      }
    }
    const size_t column =
        focus::Utf8Length(text.substr(line_start, m.offset - line_start)) + 1;
    FUZZ_CHECK(m.line == line, "wrong line for " + m.text);
    FUZZ_CHECK(static_cast<size_t>(m.column) == column,
               "wrong column for " + m.text);

    if (m.kind == "NHS number") {
      FUZZ_CHECK(focus::IsValidNhsNumber(Digits(m.text)),
                 "NHS match fails the modulus 11 check: " + m.text);
    } else if (m.kind == "e-mail address") {
      FUZZ_CHECK(m.text.find('@') != std::string::npos,
                 "e-mail match without @: " + m.text);
    } else if (m.kind == "phone number") {
      const size_t n = Digits(m.text).size();
      FUZZ_CHECK(n >= 11 && n <= 15, "phone match digit count: " + m.text);
    } else {
      FUZZ_CHECK(m.kind == "postcode", "unknown kind " + m.kind);
      FUZZ_CHECK(m.text.size() >= 5 && m.text.size() <= 8,
                 "postcode length: " + m.text);
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);

  size_t bad = 0;
  size_t reference_bad = 0;
  const bool valid = focus::IsValidUtf8(text, &bad);
  const size_t reference_length = ReferenceDecode(text, &reference_bad);
  FUZZ_CHECK(valid == (reference_length != std::string_view::npos),
             "IsValidUtf8 disagrees with the reference decoder");

  focus::ScreenOptions options;
  options.max_chars = 200;  // Small, so the length rule is reached too.
  if (!valid) {
    FUZZ_CHECK(bad == reference_bad, "wrong offset of the first bad byte");
    try {
      focus::ScreenText("details", text, options);
      FUZZ_CHECK(false, "invalid UTF-8 was accepted");
    } catch (const focus::Error& e) {
      focus::fuzz::CheckEngineError(e, focus::ErrorKind::kInvalidInput);
      FUZZ_CHECK(std::string(e.what()) ==
                     "details: not valid UTF-8 at byte " + std::to_string(bad),
                 e.what());
    }
    return 0;
  }
  FUZZ_CHECK(focus::Utf8Length(text) == reference_length,
             "Utf8Length disagrees with the reference decoder");

  const std::vector<focus::IdentifierMatch> matches =
      focus::FindPersonalIdentifiers(text);
  CheckMatches(text, matches);

  const bool too_long = reference_length > options.max_chars;
  // Control characters other than tab and line breaks are refused first.
  const bool control = std::any_of(text.begin(), text.end(), [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return (byte < 0x20 && c != '\t' && c != '\n' && c != '\r') || byte == 0x7f;
  });
  try {
    const auto allowed = focus::ScreenText("details", text, options);
    FUZZ_CHECK(!control && !too_long && matches.empty() && allowed.empty(),
               "ScreenText accepted text it should refuse");
  } catch (const focus::Error& e) {
    focus::fuzz::CheckEngineError(e, focus::ErrorKind::kInvalidInput);
    FUZZ_CHECK(control || too_long || !matches.empty(),
               std::string("ScreenText refused clean text: ") + e.what());
    FUZZ_CHECK(control == (std::string(e.what()).find("a control character") !=
                           std::string::npos),
               std::string("wrong reason: ") + e.what());
  }
  // The override lets identifiers through and reports each one.
  options.allow_identifiers = true;
  if (!control && !too_long) {
    const auto allowed = focus::ScreenText("details", text, options);
    FUZZ_CHECK(allowed.size() == matches.size(),
               "override did not report every match");
  }
  return 0;
}
