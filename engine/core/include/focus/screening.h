// Safeguarding screen for free text before it is stored.
//
// Tickets are about services, never about identifiable patients. Text that
// looks like it carries a personal identifier (an NHS number that passes its
// modulus 11 check, a UK phone number, an e-mail address, a UK postcode) is
// refused unless the facilitator explicitly overrides the screen, which the
// board records in the ticket's history.
#ifndef FOCUS_SCREENING_H_
#define FOCUS_SCREENING_H_

#include <string>
#include <string_view>
#include <vector>

namespace focus {

struct IdentifierMatch {
  std::string kind;   // "NHS number", "phone number", "e-mail address",
                      // "postcode".
  std::string text;   // The matched text as written.
  size_t offset = 0;  // Byte offset in the screened text.
  int line = 1;       // 1-based.
  int column = 1;     // 1-based, in characters (not bytes).
};

// Every personal identifier found in `text`, in order of position.
// Disguises are seen through: the text is read under Unicode NFKC (so
// full-width and other compatibility forms count as ASCII), decimal digits of
// any script count as digits, invisible marks and format characters are
// ignored, and the digit groups of an NHS or phone number may be separated
// by any run of up to four characters that are neither letters nor digits
// (spaces, tabs, line breaks, dots, slashes, dashes...). Each match is
// reported in the original text, as written.
// REQUIRES: text is valid UTF-8.
std::vector<IdentifierMatch> FindPersonalIdentifiers(std::string_view text);

// Returns true iff `digits` is ten ASCII digits whose last digit is the NHS
// modulus 11 check digit of the first nine.
bool IsValidNhsNumber(std::string_view digits);

// Returns true iff `text` is valid UTF-8 (no overlongs, surrogates or code
// points above U+10FFFF). On failure sets *bad_offset to the first bad byte.
bool IsValidUtf8(std::string_view text, size_t* bad_offset = nullptr);

// The number of Unicode code points in valid UTF-8 `text`.
size_t Utf8Length(std::string_view text);

struct ScreenOptions {
  size_t max_chars = 2000;         // Longest text accepted, in characters.
  bool allow_identifiers = false;  // The facilitator's explicit override.
  std::string input_field;  // The input field's API name, for Error::field().
};

// Checks one free-text field before it is stored; `field` names it in
// messages (e.g. "details"). Refuses text that is not UTF-8, that holds a
// control character other than tab and line breaks (C1 controls included),
// that holds an invisible format character (Unicode category Cf: direction
// controls, zero-width spaces and joiners, the soft hyphen, U+FEFF; except
// the joiners and tags inside emoji sequences), that is over
// options.max_chars, or that looks like it identifies a person. Throws
// Error(kInvalidInput) with a one-line message saying what was found and
// where, e.g.
//   details: line 1, column 14: looks like an NHS number (943 476 5919);
//   tickets are about services, not people: remove it, or override with
//   --allow-identifiers if it identifies nobody
// (tabs and line breaks in the quoted text are written \t, \n, \r).
// Returns the matches that were allowed through by the override (empty
// otherwise) so the caller can record them.
std::vector<IdentifierMatch> ScreenText(const std::string& field,
                                        std::string_view text,
                                        const ScreenOptions& options);

}  // namespace focus

#endif  // FOCUS_SCREENING_H_
