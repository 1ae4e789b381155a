#include "focus/screening.h"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

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

// Detectors read a normalised copy of the text (see ScreenView), where every
// character outside ASCII that survives NFKC is one of these bytes, or is
// dropped: a letter or number of any script, which belongs to a word, and
// anything else (punctuation, symbols, spaces), which separates.
constexpr char kWordChar = '\x80';
constexpr char kOtherChar = '\x81';

// Bytes at or past the end read as NUL, which no rule accepts; this keeps the
// bounds checks out of the patterns.
char At(std::string_view t, size_t i) { return i < t.size() ? t[i] : '\0'; }

bool DigitBefore(std::string_view t, size_t i) {
  return i > 0 && IsDigit(t[i - 1]);
}

// Between the digit groups of a number: any character that is neither a
// letter nor a digit in any script (NUL is the end-of-text sentinel).
bool IsSeparator(char c) { return c != '\0' && c != kWordChar && !IsAlnum(c); }

// The longest separator run between two digit groups, in characters of the
// normalised text. Long enough for "943 - 476", "943\r\n\r\n476" or a
// tab-aligned column; short enough that numbers apart in prose, which have
// words or longer punctuation between them, stay apart.
constexpr size_t kMaxSeparators = 4;

// Skips a run of separators at `p` (possibly empty). Returns where the run
// ends, or npos if it is longer than kMaxSeparators.
size_t SkipSeparators(std::string_view t, size_t p) {
  size_t q = p;
  while (IsSeparator(At(t, q))) {
    if (++q - p > kMaxSeparators) return std::string_view::npos;
  }
  return q;
}

// A candidate before overlaps are resolved. Lower priority wins an overlap.
struct Candidate {
  size_t begin;
  size_t end;
  int priority;
  const char* kind;
};

// --- NHS numbers ------------------------------------------------------------

// "9434765919", "943 476 5919", "943-476-5919" or the groups with any other
// separator run between them, starting at `i`, which must begin a digit run.
// Returns the end, or npos.
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
      if (!IsSeparator(At(t, p))) return std::string_view::npos;
      p = SkipSeparators(t, p);
      if (p == std::string_view::npos) return p;
    }
  }
  // Not the start of a longer run ("943 476 59190").
  return IsDigit(At(t, p)) ? std::string_view::npos : p;
}

// --- Phone numbers ----------------------------------------------------------

// Reads `want` digits starting at digit `p`, in groups separated by
// separator runs. The first group needs `min_first` digits and later ones
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
    } else if (group > 0 && IsSeparator(c)) {
      if (group < min_group) return std::string_view::npos;
      min_group = 2;
      group = 0;
      p = SkipSeparators(t, p);
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
  // Separators, stopping at a "(0)" (its bracket is a separator too).
  const size_t prefix_end = p;
  while (IsSeparator(At(t, p)) && t.substr(p, 3) != "(0)") {
    if (++p - prefix_end > kMaxSeparators) return std::string_view::npos;
  }
  if (t.substr(p, 3) == "(0)") {
    p = SkipSeparators(t, p + 3);
    if (p == std::string_view::npos) return p;
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

bool IsAscii(std::string_view t) {
  return std::none_of(t.begin(), t.end(), [](char c) { return c & 0x80; });
}

// The code point of valid UTF-8 starting at t[*i]; advances *i past it.
UChar32 NextCodePoint(std::string_view t, size_t* i) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(t[k]); };
  const unsigned char lead = byte(*i);
  size_t len = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
  UChar32 c = len == 1 ? lead : lead & (0x3F >> (len - 1));
  for (size_t k = 1; k < len && *i + k < t.size(); ++k) {
    c = (c << 6) | (byte(*i + k) & 0x3F);
  }
  *i += len;
  return c;
}

// --- Normalisation ----------------------------------------------------------

// What the detectors read: the text under Unicode NFKC (full-width and other
// compatibility forms become ASCII: "９４３" is "943", a no-break space is a
// space), with decimal digits of every script as ASCII digits, invisible
// marks and format characters dropped (so "9\u0332" or "94\u200B3" read as
// digits), and every other character outside ASCII one placeholder byte.
// Each byte remembers the range of the original text it came from, so a
// match is reported where, and as, the user wrote it. Pure ASCII text,
// nearly all of it, is read as it is, without ICU.
class ScreenView {
 public:
  explicit ScreenView(std::string_view text) : ascii_(IsAscii(text)) {
    if (ascii_) {
      view_ = text;
      return;
    }
    Normalise(text);
    view_ = normalised_;
  }

  std::string_view text() const { return view_; }
  // The original bytes [Begin(i), End(i)) that view byte i came from.
  size_t Begin(size_t i) const { return ascii_ ? i : begin_[i]; }
  size_t End(size_t i) const { return ascii_ ? i + 1 : end_[i]; }

 private:
  void Normalise(std::string_view text) {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* nfkc = icu::Normalizer2::getNFKCInstance(status);
    if (U_FAILURE(status)) {
      throw Error(ErrorKind::kInternal,
                  std::string("Unicode normalisation is unavailable: ") +
                      u_errorName(status));
    }
    // NFKC of the whole text is NFKC of each piece between normalisation
    // boundaries, so pieces are normalised one at a time and every output
    // character maps to the piece it came from.
    icu::UnicodeString piece;
    size_t piece_begin = 0;
    size_t i = 0;
    while (i < text.size()) {
      const size_t start = i;
      const UChar32 c = NextCodePoint(text, &i);
      if (!piece.isEmpty() && nfkc->hasBoundaryBefore(c)) {
        Flush(nfkc, &piece, piece_begin, start);
      }
      // ASCII followed by ASCII is a piece of its own and its own NFKC.
      if (piece.isEmpty() && c < 0x80 &&
          (i == text.size() || static_cast<unsigned char>(text[i]) < 0x80)) {
        Emit(c, start, i);
        continue;
      }
      if (piece.isEmpty()) piece_begin = start;
      piece.append(c);
    }
    Flush(nfkc, &piece, piece_begin, text.size());
  }

  void Flush(const icu::Normalizer2* nfkc, icu::UnicodeString* piece,
             size_t begin, size_t end) {
    if (piece->length() == 1 && (*piece)[0] < 0x80) {
      Emit((*piece)[0], begin, end);  // ASCII is its own NFKC.
    } else {
      UErrorCode status = U_ZERO_ERROR;
      const icu::UnicodeString out = nfkc->normalize(*piece, status);
      const icu::UnicodeString& chars = U_SUCCESS(status) ? out : *piece;
      for (int32_t k = 0; k < chars.length();) {
        const UChar32 c = chars.char32At(k);
        k += U16_LENGTH(c);
        Emit(c, begin, end);
      }
    }
    piece->remove();
  }

  void Emit(UChar32 c, size_t begin, size_t end) {
    char byte;
    if (c < 0x80) {
      byte = static_cast<char>(c);
    } else {
      const uint32_t category = U_GET_GC_MASK(c);
      if (category & (U_GC_MN_MASK | U_GC_ME_MASK | U_GC_CF_MASK)) return;
      if (category & U_GC_ND_MASK) {
        byte = static_cast<char>('0' + u_charDigitValue(c));
      } else if (category & (U_GC_L_MASK | U_GC_N_MASK | U_GC_MC_MASK)) {
        byte = kWordChar;
      } else {
        byte = kOtherChar;
      }
    }
    normalised_.push_back(byte);
    begin_.push_back(begin);
    end_.push_back(end);
  }

  bool ascii_;
  std::string_view view_;
  std::string normalised_;
  std::vector<size_t> begin_;
  std::vector<size_t> end_;
};

const char* Article(const std::string& kind) {
  return kind == kNhs || kind == kEmail ? "an" : "a";
}

// Every identifier-shaped run of the normalised text `t`, overlaps and
// all.
std::vector<Candidate> CandidatesIn(std::string_view t) {
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
  return found;
}

// Each region once, as its most specific kind, in text order: takes
// candidates by priority and drops any that overlap one already taken.
std::vector<Candidate> MostSpecific(std::vector<Candidate> found) {
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
  return kept;
}

// The matches for `kept` (ranges of `text`, in order), with the line and
// column (in code points) of each, in one pass.
std::vector<IdentifierMatch> Located(std::string_view text,
                                     const std::vector<Candidate>& kept) {
  std::vector<IdentifierMatch> matches;
  matches.reserve(kept.size());
  size_t pos = 0;
  int line = 1;
  int column = 1;
  for (const Candidate& c : kept) {
    for (; pos < c.begin; ++pos) {
      if (text[pos] == '\n') {
        ++line;
        column = 1;
      } else if (!IsContinuationByte(text[pos])) {
        ++column;
      }
    }
    IdentifierMatch m;
    m.kind = c.kind;
    m.text = std::string(text.substr(c.begin, c.end - c.begin));
    m.offset = c.begin;
    m.line = line;
    m.column = column;
    matches.push_back(std::move(m));
  }
  return matches;
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
  const ScreenView view(text);
  std::vector<Candidate> found = CandidatesIn(view.text());
  // From here on, ranges are in the original text. Overlaps are resolved
  // there: a character that normalised to several ("⑩" is "10") may be
  // shared by two candidates that were apart in the view.
  for (Candidate& c : found) {
    const size_t last = c.end - 1;
    c.begin = view.Begin(c.begin);
    c.end = view.End(last);
  }
  return Located(text, MostSpecific(std::move(found)));
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

namespace {

// Emoji that are joined or tagged: U+200D between two pictographs
// ("👩‍⚕️", a health worker) and tag characters after U+1F3F4 (the
// flags of England, Scotland and Wales). They show as one emoji and hide
// nothing, so they are the exceptions to the rule on format characters.
bool IsPictograph(UChar32 c) {
  return u_hasBinaryProperty(c, UCHAR_EXTENDED_PICTOGRAPHIC);
}
bool IsEmojiModifier(UChar32 c) {  // Emoji presentation, skin tones.
  return c == 0xFE0F || (c >= 0x1F3FB && c <= 0x1F3FF);
}
bool IsTag(UChar32 c) { return c >= 0xE0020 && c <= 0xE007F; }

// "U+202E RIGHT-TO-LEFT OVERRIDE".
std::string Describe(UChar32 c) {
  char code[16];
  std::snprintf(code, sizeof code, "U+%04X", static_cast<unsigned>(c));
  char name[128];
  UErrorCode status = U_ZERO_ERROR;
  const int32_t length =
      u_charName(c, U_UNICODE_CHAR_NAME, name, sizeof name, &status);
  if (U_FAILURE(status) || length <= 0) return code;
  return std::string(code) + " " + std::string(name, length);
}

// A control character (NUL, escape, C1 controls) has no place in a ticket:
// it cannot be seen, breaks one-line messages and CSV, and may hide text.
// Tabs and line breaks (\r\n from Trello and browsers) are text. Format
// characters (category Cf: direction overrides and marks, zero-width spaces
// and joiners, the soft hyphen, U+FEFF) are invisible too: they can reorder
// what a reader sees or split a number so that it no longer looks like one.
void RefuseHiddenCharacters(const std::string& field, std::string_view text,
                            const std::string& input_field) {
  int line = 1;
  int column = 1;
  bool after_pictograph = false;
  bool in_flag = false;
  size_t i = 0;
  while (i < text.size()) {
    const auto lead = static_cast<unsigned char>(text[i]);
    UChar32 c = lead;
    if (lead < 0x80) {
      ++i;
    } else {
      c = NextCodePoint(text, &i);
    }
    std::string what;
    if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') ||
        (c >= 0x7F && c <= 0x9F)) {
      char code[8];
      std::snprintf(code, sizeof code, "U+%04X", static_cast<unsigned>(c));
      what = std::string("a control character (") + code + ")";
    } else if (c >= 0x80 && u_charType(c) == U_FORMAT_CHAR) {
      size_t next = i;
      const bool joins_emoji =
          (c == 0x200D && after_pictograph && next < text.size() &&
           IsPictograph(NextCodePoint(text, &next))) ||
          (IsTag(c) && in_flag);
      if (!joins_emoji) {
        what = (u_hasBinaryProperty(c, UCHAR_BIDI_CONTROL)
                    ? "an invisible text-direction control ("
                    : "an invisible format character (") +
               Describe(c) + ")";
      }
    }
    if (!what.empty()) {
      ThrowInvalid(field + ": line " + std::to_string(line) + ", column " +
                       std::to_string(column) + ": " + what + " is not allowed",
                   input_field);
    }
    if (c < 0x80) {
      after_pictograph = in_flag = false;
    } else {
      if (!IsEmojiModifier(c)) after_pictograph = IsPictograph(c);
      in_flag = c == 0x1F3F4 || (in_flag && IsTag(c));
    }
    if (c == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
}

}  // namespace

std::vector<IdentifierMatch> ScreenText(const std::string& field,
                                        std::string_view text,
                                        const ScreenOptions& options) {
  size_t bad = 0;
  if (!IsValidUtf8(text, &bad)) {
    ThrowInvalid(field + ": not valid UTF-8 at byte " + std::to_string(bad),
                 options.input_field);
  }
  RefuseHiddenCharacters(field, text, options.input_field);
  const size_t length = Utf8Length(text);
  if (length > options.max_chars) {
    ThrowInvalid(field + ": " + std::to_string(length) +
                     " characters is over the limit of " +
                     std::to_string(options.max_chars),
                 options.input_field);
  }
  std::vector<IdentifierMatch> matches = FindPersonalIdentifiers(text);
  if (matches.empty() || options.allow_identifiers) return matches;

  const IdentifierMatch& first = matches.front();
  std::string message = field + ": line " + std::to_string(first.line) +
                        ", column " + std::to_string(first.column) +
                        ": looks like " + Article(first.kind) + " " +
                        first.kind + " (" + OneLine(first.text) + ")";
  if (matches.size() > 1) {
    message += " (and " + std::to_string(matches.size() - 1) + " more)";
  }
  message += "; tickets are about services, not people: remove it";
  throw Error(ErrorKind::kInvalidInput, message, options.input_field,
              Remedy::kAllowIdentifiers);
}

}  // namespace focus
