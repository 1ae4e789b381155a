// Fuzzes the identifier screen (focus/screening.h) with arbitrary bytes.
//
// Oracles, beyond "no crash": IsValidUtf8 and Utf8Length agree with a
// separate strict decoder written here from RFC 3629; every match is a real
// slice of the text at its offset, in order, without overlaps, with the right
// line and column; an NHS match (its digits read under NFKC, in any script)
// passes the modulus 11 check; ScreenText refuses exactly the texts that are
// invalid, too long, hold a control character, a direction control or a
// match, names the character and its place when it refuses a hidden one, and
// never writes a message over two lines; and writing every ASCII digit
// full-width finds the same identifiers at the same lines and columns.
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

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
// of an ill-formed sequence (stored in *bad). The code points go to
// *decoded if it is given.
size_t ReferenceDecode(std::string_view t, size_t* bad,
                       std::vector<uint32_t>* decoded = nullptr) {
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
    if (decoded != nullptr) decoded->push_back(cp);
    ++count;
    i += len;
  }
  return count;
}

// The text under NFKC, as ICU gives it for the whole string.
icu::UnicodeString Nfkc(const std::string& s) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfkc = icu::Normalizer2::getNFKCInstance(status);
  FUZZ_CHECK(U_SUCCESS(status), "no NFKC");
  const icu::UnicodeString out =
      nfkc->normalize(icu::UnicodeString::fromUTF8(s), status);
  FUZZ_CHECK(U_SUCCESS(status), "NFKC failed");
  return out;
}

// The decimal digits of a match, in any script, after NFKC.
std::string Digits(const std::string& s) {
  const icu::UnicodeString n = Nfkc(s);
  std::string d;
  for (int32_t k = 0; k < n.length(); k = n.moveIndex32(k, 1)) {
    const UChar32 c = n.char32At(k);
    if (u_isdigit(c)) d.push_back(static_cast<char>('0' + u_charDigitValue(c)));
  }
  return d;
}

// Visible characters of a match after NFKC (marks and format characters
// are not counted).
size_t VisibleLength(const std::string& s) {
  const icu::UnicodeString n = Nfkc(s);
  size_t count = 0;
  for (int32_t k = 0; k < n.length(); k = n.moveIndex32(k, 1)) {
    const int8_t type = u_charType(n.char32At(k));
    if (type != U_NON_SPACING_MARK && type != U_ENCLOSING_MARK &&
        type != U_FORMAT_CHAR) {
      ++count;
    }
  }
  return count;
}

// Every ASCII digit written full-width (U+FF10..U+FF19).
std::string Widen(std::string_view s) {
  std::string w;
  for (char c : s) {
    if (c >= '0' && c <= '9') {
      w += "\xEF\xBC";
      w.push_back(static_cast<char>(0x90 + (c - '0')));
    } else {
      w.push_back(c);
    }
  }
  return w;
}

bool IsControl(uint32_t c) {
  return (c < 0x20 && c != '\t' && c != '\n' && c != '\r') ||
         (c >= 0x7F && c <= 0x9F);
}

// The code point a "line L, column C" message points at.
uint32_t CodePointAt(const std::vector<uint32_t>& cps, int line, int column) {
  int l = 1;
  int col = 1;
  for (uint32_t c : cps) {
    if (l == line && col == column) return c;
    if (c == '\n') {
      ++l;
      col = 1;
    } else {
      ++col;
    }
  }
  FUZZ_CHECK(false, "the message points past the end of the text");
  return 0;
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
      FUZZ_CHECK(Nfkc(m.text).indexOf(u'@') >= 0,
                 "e-mail match without @: " + m.text);
    } else if (m.kind == "phone number") {
      const size_t n = Digits(m.text).size();
      FUZZ_CHECK(n >= 11 && n <= 15, "phone match digit count: " + m.text);
    } else {
      FUZZ_CHECK(m.kind == "postcode", "unknown kind " + m.kind);
      const size_t n = VisibleLength(m.text);
      FUZZ_CHECK(n >= 5 && n <= 8, "postcode length: " + m.text);
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

  // Full-width digits are the same digits.
  const std::string wide = Widen(text);
  if (wide.size() != text.size()) {
    const std::vector<focus::IdentifierMatch> wide_matches =
        focus::FindPersonalIdentifiers(wide);
    CheckMatches(wide, wide_matches);
    FUZZ_CHECK(wide_matches.size() == matches.size(),
               "full-width digits changed what was found");
    for (size_t k = 0; k < matches.size(); ++k) {
      FUZZ_CHECK(wide_matches[k].kind == matches[k].kind &&
                     wide_matches[k].line == matches[k].line &&
                     wide_matches[k].column == matches[k].column &&
                     wide_matches[k].text == Widen(matches[k].text),
                 "full-width digits moved " + matches[k].text);
    }
  }

  std::vector<uint32_t> cps;
  ReferenceDecode(text, &reference_bad, &cps);
  const bool too_long = reference_length > options.max_chars;
  // Control characters other than tab and line breaks are always refused,
  // and so are direction controls; other format characters are, except in
  // emoji sequences.
  const bool control = std::any_of(cps.begin(), cps.end(), IsControl);
  const bool bidi = std::any_of(cps.begin(), cps.end(), [](uint32_t c) {
    return u_hasBinaryProperty(c, UCHAR_BIDI_CONTROL);
  });
  const bool format = std::any_of(cps.begin(), cps.end(), [](uint32_t c) {
    return u_charType(c) == U_FORMAT_CHAR;
  });
  std::string refusal;
  try {
    const auto allowed = focus::ScreenText("details", text, options);
    FUZZ_CHECK(
        !control && !bidi && !too_long && matches.empty() && allowed.empty(),
        "ScreenText accepted text it should refuse");
  } catch (const focus::Error& e) {
    focus::fuzz::CheckEngineError(e, focus::ErrorKind::kInvalidInput);
    refusal = e.what();
    FUZZ_CHECK(refusal.find("\xE2\x80\xA8") == std::string::npos &&
                   refusal.find("\xE2\x80\xA9") == std::string::npos &&
                   refusal.find('\r') == std::string::npos,
               "message breaks the line: " + refusal);
    FUZZ_CHECK(control || format || too_long || !matches.empty(),
               "ScreenText refused clean text: " + refusal);
  }
  const bool says_control =
      refusal.find("a control character (U+") != std::string::npos;
  const bool says_format = refusal.find("an invisible ") != std::string::npos;
  if (says_control || says_format) {
    // The character named is the one at the place given.
    int line = 0;
    int column = 0;
    FUZZ_CHECK(std::sscanf(refusal.c_str(),
                           "details: line %d, column %d:", &line, &column) == 2,
               "no place in " + refusal);
    const uint32_t c = CodePointAt(cps, line, column);
    char code[16];
    std::snprintf(code, sizeof code, "(U+%04X", static_cast<unsigned>(c));
    FUZZ_CHECK(refusal.find(code) != std::string::npos,
               "wrong character named: " + refusal);
    FUZZ_CHECK(says_control ? IsControl(c) : u_charType(c) == U_FORMAT_CHAR,
               "named character is not hidden: " + refusal);
    FUZZ_CHECK((refusal.find("text-direction") != std::string::npos) ==
                   u_hasBinaryProperty(c, UCHAR_BIDI_CONTROL),
               "direction control named wrongly: " + refusal);
  } else {
    FUZZ_CHECK(!control && !bidi, "hidden character not refused: " + refusal);
  }
  // The override lets identifiers through and reports each one.
  options.allow_identifiers = true;
  if (!says_control && !says_format && !too_long) {
    const auto allowed = focus::ScreenText("details", text, options);
    FUZZ_CHECK(allowed.size() == matches.size(),
               "override did not report every match");
  }
  return 0;
}
