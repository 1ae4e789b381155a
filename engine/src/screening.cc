#include "focus/screening.h"

#include <algorithm>
#include <cstdio>
#include <string>

#include "focus/error.h"

namespace focus {
namespace {

// The detectors are a small hand-written scanner over bytes rather than
// std::regex: every pattern is anchored on a cheap trigger (a digit-run start,
// '+', '@', a word-initial letter), so a 2,000-character text is one pass,
// and the rules that matter (digit-run bounds, the modulus 11 check, postcode
// letter classes) are plain code instead of regex lookarounds, which
// std::regex does not have.

constexpr char kNhs[] = "NHS number";
constexpr char kPhone[] = "phone number";
constexpr char kEmail[] = "e-mail address";
constexpr char kPostcode[] = "postcode";

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAlpha(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}
bool IsAlnum(char c) { return IsDigit(c) || IsAlpha(c); }
char Upper(char c) { return (c >= 'a' && c <= 'z') ? c - 'a' + 'A' : c; }
bool In(char c, const char* set) {
  for (; *set; ++set) {
    if (*set == c) return true;
  }
  return false;
}

// Bytes at or past the end read as NUL, which no rule accepts; this keeps the
// bounds checks out of the patterns.
char At(std::string_view t, size_t i) { return i < t.size() ? t[i] : '\0'; }

bool DigitBefore(std::string_view t, size_t i) {
  return i > 0 && IsDigit(t[i - 1]);
}

// A candidate before overlaps are resolved. Lower priority wins an overlap.
struct Candidate {
  size_t begin;
  size_t end;
  int priority;
  const char* kind;
};

// --- NHS numbers ------------------------------------------------------------

// "9434765919", "943 476 5919" or "943-476-5919" starting at `i`, which must
// begin a digit run. Returns the end, or npos.
size_t MatchNhsShape(std::string_view t, size_t i, std::string* digits) {
  digits->clear();
  size_t p = i;
  const int groups[] = {3, 3, 4};
  for (int g = 0; g < 3; ++g) {
    for (int k = 0; k < groups[g]; ++k, ++p) {
      if (!IsDigit(At(t, p))) return std::string_view::npos;
      digits->push_back(t[p]);
    }
    if (g == 0 && IsDigit(At(t, p))) {
      // Written without separators: all ten digits in one run.
      for (; digits->size() < 10; ++p) {
        if (!IsDigit(At(t, p))) return std::string_view::npos;
        digits->push_back(t[p]);
      }
      return IsDigit(At(t, p)) ? std::string_view::npos : p;
    }
    if (g < 2) {
      if (!In(At(t, p), " -")) return std::string_view::npos;
      ++p;
    }
  }
  // Not the start of a longer run ("943 476 59190").
  return IsDigit(At(t, p)) ? std::string_view::npos : p;
}

// --- Phone numbers ----------------------------------------------------------

bool IsPhoneSeparator(char c) { return In(c, " -()"); }

// Reads `want` digits starting at digit `p`, in groups separated by up to
// three of " -()". The first group needs `min_first` digits and later ones
// two, which is how UK numbers are written and keeps dates such as
// "06-04-2027" and lists of small counts from joining into a phone number.
// Returns the end of the last digit, or npos.
size_t MatchDigitGroups(std::string_view t, size_t p, int want, int min_first) {
  int count = 0;
  int group = 0;
  int min_group = min_first;
  while (true) {
    const char c = At(t, p);
    if (IsDigit(c)) {
      ++count;
      ++group;
      ++p;
      if (count == want) {
        // The number must end here, not run on into more digits.
        if (group < min_group || IsDigit(At(t, p))) {
          return std::string_view::npos;
        }
        return p;
      }
    } else if (group > 0 && IsPhoneSeparator(c)) {
      if (group < min_group) return std::string_view::npos;
      min_group = 2;
      group = 0;
      const size_t start = p;
      while (p - start < 3 && IsPhoneSeparator(At(t, p))) ++p;
      if (!IsDigit(At(t, p))) return std::string_view::npos;
    } else {
      return std::string_view::npos;
    }
  }
}

// A national number at `i` ("07700 900123", "(01483) 123 456"): 11 digits,
// the first 0 and the second not (00 starts an international number).
size_t MatchNationalPhone(std::string_view t, size_t i) {
  size_t p = i;
  if (At(t, p) == '(') ++p;
  if (At(t, p) != '0' || !IsDigit(At(t, p + 1)) || At(t, p + 1) == '0') {
    return std::string_view::npos;
  }
  return MatchDigitGroups(t, p, 11, 3);
}

// An international number at `i` ("+44 7700 900123", "+44 (0)1483 123456",
// "0044 20 7946 0958"): the prefix, an optional "(0)", then the ten digits of
// the national number without its 0.
size_t MatchInternationalPhone(std::string_view t, size_t i) {
  size_t p;
  if (t.substr(i, 3) == "+44") {
    p = i + 3;
  } else if (t.substr(i, 4) == "0044") {
    p = i + 4;
  } else {
    return std::string_view::npos;
  }
  for (int k = 0; k < 3 && In(At(t, p), " -"); ++k) ++p;
  if (t.substr(p, 3) == "(0)") {
    p += 3;
    for (int k = 0; k < 3 && In(At(t, p), " -"); ++k) ++p;
  }
  const char first = At(t, p);
  if (!IsDigit(first) || first == '0') return std::string_view::npos;
  return MatchDigitGroups(t, p, 10, 2);
}

// --- E-mail addresses -------------------------------------------------------

bool IsLocalChar(char c) { return IsAlnum(c) || In(c, "._%+-'"); }
bool IsDomainChar(char c) { return IsAlnum(c) || c == '.' || c == '-'; }

// The address around the '@' at `at`: local@label.label...tld, where the
// top-level domain is two or more letters. Returns false if there is none.
bool MatchEmail(std::string_view t, size_t at, size_t* begin, size_t* end) {
  size_t b = at;
  while (b > 0 && IsLocalChar(t[b - 1])) --b;
  // Quotes and dots before the address are punctuation, not part of it.
  while (b < at && In(t[b], ".'")) ++b;
  if (b == at) return false;

  size_t e = at + 1;
  while (IsDomainChar(At(t, e))) ++e;
  // A full stop or dash after the address ends the sentence, not the domain.
  while (e > at + 1 && In(t[e - 1], ".-")) --e;
  const std::string_view domain = t.substr(at + 1, e - at - 1);
  if (domain.empty()) return false;

  int labels = 0;
  size_t start = 0;
  while (true) {
    const size_t dot = domain.find('.', start);
    const std::string_view label =
        domain.substr(start, dot == std::string_view::npos ? dot : dot - start);
    if (label.empty() || label.front() == '-' || label.back() == '-') {
      return false;
    }
    ++labels;
    if (dot == std::string_view::npos) {
      // The top-level domain: letters only ("example.com", not "1.5").
      if (labels < 2 || label.size() < 2) return false;
      for (char c : label) {
        if (!IsAlpha(c)) return false;
      }
      break;
    }
    start = dot + 1;
  }
  *begin = b;
  *end = e;
  return true;
}

// --- Postcodes --------------------------------------------------------------

// Letter classes from the Royal Mail format rules, by position. Applying them
// (not just "letter") keeps times such as "M25 3PM" out: M never appears in
// the inward code.
bool MatchesClass(char c, char cls) {
  const char u = Upper(c);
  if (!IsAlpha(c) && cls != '9') return false;
  switch (cls) {
    case '9':
      return IsDigit(c);
    case '1':  // First letter of the outward code.
      return !In(u, "QVX");
    case '2':  // Second letter of the outward code.
      return !In(u, "IJZ");
    case '3':  // Letter after the district digit in A9A.
      return In(u, "ABCDEFGHJKPSTUW");
    case '4':  // Letter after the district digit in AA9A.
      return In(u, "ABEHMNPRVWXY");
    case 'I':  // Letters of the inward code.
      return !In(u, "CIKMOV");
  }
  return false;
}

// "5th", "1st": ordinals that happen to fit the inward code ("ward B12 5th
// floor"). Only the lowercase form is excused; "B12 5TH" stays a postcode.
bool IsLowercaseOrdinal(std::string_view inward) {
  if (!(inward[1] >= 'a' && inward[1] <= 'z') ||
      !(inward[2] >= 'a' && inward[2] <= 'z')) {
    return false;
  }
  const std::string_view suffix = inward.substr(1);
  switch (inward[0]) {
    case '1':
      return suffix == "st";
    case '2':
      return suffix == "nd";
    case '3':
      return suffix == "rd";
    default:
      return suffix == "th";
  }
}

// A postcode starting at `i`, which begins a word. Returns the end, or npos.
size_t MatchPostcode(std::string_view t, size_t i) {
  // Outward patterns, longest first so "SW1A1AA" reads as SW1A 1AA.
  static const char* const kOutward[] = {"1299", "1294", "193",
                                         "199",  "129",  "19"};
  for (const char* pattern : kOutward) {
    size_t p = i;
    bool ok = true;
    for (const char* c = pattern; *c && ok; ++c, ++p) {
      ok = MatchesClass(At(t, p), *c);
    }
    if (!ok) continue;
    if (At(t, p) == ' ') ++p;
    const size_t inward = p;
    if (!MatchesClass(At(t, p), '9') || !MatchesClass(At(t, p + 1), 'I') ||
        !MatchesClass(At(t, p + 2), 'I') || IsAlnum(At(t, p + 3))) {
      continue;
    }
    if (IsLowercaseOrdinal(t.substr(inward, 3))) continue;
    return p + 3;
  }
  return std::string_view::npos;
}

// --- Positions --------------------------------------------------------------

bool IsContinuationByte(char c) {
  return (static_cast<unsigned char>(c) & 0xC0) == 0x80;
}

const char* Article(const std::string& kind) {
  return kind == kNhs || kind == kEmail ? "an" : "a";
}

}  // namespace

bool IsValidNhsNumber(std::string_view digits) {
  if (digits.size() != 10) return false;
  for (char c : digits) {
    if (!IsDigit(c)) return false;
  }
  int sum = 0;
  for (int k = 0; k < 9; ++k) sum += (digits[k] - '0') * (10 - k);
  int check = 11 - sum % 11;
  if (check == 11) check = 0;
  if (check == 10) return false;  // No number is issued with this prefix.
  return check == digits[9] - '0';
}

std::vector<IdentifierMatch> FindPersonalIdentifiers(std::string_view text) {
  const std::string_view t = text;
  std::vector<Candidate> found;
  std::string digits;
  for (size_t i = 0; i < t.size(); ++i) {
    const char c = t[i];
    // NHS and national phone numbers start a digit run (or its bracket).
    if ((IsDigit(c) || c == '(') && !DigitBefore(t, i)) {
      if (IsDigit(c)) {
        const size_t end = MatchNhsShape(t, i, &digits);
        if (end != std::string_view::npos && IsValidNhsNumber(digits)) {
          found.push_back({i, end, 1, kNhs});
        }
      }
      size_t end = MatchNationalPhone(t, i);
      if (end == std::string_view::npos) end = MatchInternationalPhone(t, i);
      if (end != std::string_view::npos) found.push_back({i, end, 2, kPhone});
    } else if (c == '+') {
      const size_t end = MatchInternationalPhone(t, i);
      if (end != std::string_view::npos) found.push_back({i, end, 2, kPhone});
    } else if (c == '@') {
      size_t begin, end;
      // An address swallows any digits or postcode-like text inside it.
      if (MatchEmail(t, i, &begin, &end)) {
        found.push_back({begin, end, 0, kEmail});
      }
    } else if (IsAlpha(c) && (i == 0 || !IsAlnum(t[i - 1]))) {
      const size_t end = MatchPostcode(t, i);
      if (end != std::string_view::npos) {
        found.push_back({i, end, 3, kPostcode});
      }
    }
  }

  // Each region once, as its most specific kind: take candidates by priority
  // and drop any that overlap one already taken.
  std::stable_sort(found.begin(), found.end(),
                   [](const Candidate& a, const Candidate& b) {
                     return a.priority < b.priority;
                   });
  std::vector<Candidate> kept;
  for (const Candidate& c : found) {
    const bool overlaps = std::any_of(
        kept.begin(), kept.end(),
        [&](const Candidate& k) { return c.begin < k.end && k.begin < c.end; });
    if (!overlaps) kept.push_back(c);
  }
  std::sort(
      kept.begin(), kept.end(),
      [](const Candidate& a, const Candidate& b) { return a.begin < b.begin; });

  // Line and column (in code points) for each, in one pass.
  std::vector<IdentifierMatch> matches;
  matches.reserve(kept.size());
  size_t pos = 0;
  int line = 1;
  int column = 1;
  for (const Candidate& c : kept) {
    for (; pos < c.begin; ++pos) {
      if (t[pos] == '\n') {
        ++line;
        column = 1;
      } else if (!IsContinuationByte(t[pos])) {
        ++column;
      }
    }
    IdentifierMatch m;
    m.kind = c.kind;
    m.text = std::string(t.substr(c.begin, c.end - c.begin));
    m.offset = c.begin;
    m.line = line;
    m.column = column;
    matches.push_back(std::move(m));
  }
  return matches;
}

bool IsValidUtf8(std::string_view text, size_t* bad_offset) {
  const auto byte = [&](size_t i) {
    return static_cast<unsigned char>(text[i]);
  };
  size_t i = 0;
  while (i < text.size()) {
    const unsigned char c = byte(i);
    if (c < 0x80) {
      ++i;
      continue;
    }
    // Lead byte: the sequence length and the allowed range of the second
    // byte, which is where overlongs (E0, F0), surrogates (ED) and code points
    // past U+10FFFF (F4) are ruled out. C0, C1 and F5..FF never appear.
    size_t len = 0;
    unsigned char lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      if (c == 0xE0) lo = 0xA0;
      if (c == 0xED) hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      if (c == 0xF0) lo = 0x90;
      if (c == 0xF4) hi = 0x8F;
    }
    bool ok = len > 0 && i + len <= text.size();
    if (ok) ok = byte(i + 1) >= lo && byte(i + 1) <= hi;
    for (size_t k = 2; ok && k < len; ++k) ok = IsContinuationByte(text[i + k]);
    if (!ok) {
      // The offset of the sequence that is bad, where a reader would look.
      if (bad_offset != nullptr) *bad_offset = i;
      return false;
    }
    i += len;
  }
  return true;
}

size_t Utf8Length(std::string_view text) {
  size_t n = 0;
  for (char c : text) {
    if (!IsContinuationByte(c)) ++n;
  }
  return n;
}

std::vector<IdentifierMatch> ScreenText(const std::string& field,
                                        std::string_view text,
                                        const ScreenOptions& options) {
  size_t bad = 0;
  if (!IsValidUtf8(text, &bad)) {
    ThrowInvalid(field + ": not valid UTF-8 at byte " + std::to_string(bad));
  }
  // A control character (NUL, escape, ...) has no place in a ticket: it
  // cannot be seen, breaks one-line messages and CSV, and may hide text.
  // Tabs and line breaks (\r\n from Trello and browsers) are text.
  int line = 1;
  int column = 1;
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if ((byte < 0x20 && c != '\t' && c != '\n' && c != '\r') || byte == 0x7f) {
      char code[8];
      std::snprintf(code, sizeof code, "U+%04X", static_cast<unsigned>(byte));
      ThrowInvalid(field + ": line " + std::to_string(line) + ", column " +
                   std::to_string(column) + ": a control character (" + code +
                   ") is not allowed");
    }
    if (c == '\n') {
      ++line;
      column = 1;
    } else if (!IsContinuationByte(c)) {
      ++column;
    }
  }
  const size_t length = Utf8Length(text);
  if (length > options.max_chars) {
    ThrowInvalid(field + ": " + std::to_string(length) +
                 " characters is over the limit of " +
                 std::to_string(options.max_chars));
  }
  std::vector<IdentifierMatch> matches = FindPersonalIdentifiers(text);
  if (matches.empty() || options.allow_identifiers) return matches;

  const IdentifierMatch& first = matches.front();
  std::string message = field + ": line " + std::to_string(first.line) +
                        ", column " + std::to_string(first.column) +
                        ": looks like " + Article(first.kind) + " " +
                        first.kind + " (" + first.text + ")";
  if (matches.size() > 1) {
    message += " (and " + std::to_string(matches.size() - 1) + " more)";
  }
  message +=
      "; tickets are about services, not people: remove it, or override "
      "with --allow-identifiers if it identifies nobody";
  ThrowInvalid(message);
}

}  // namespace focus
