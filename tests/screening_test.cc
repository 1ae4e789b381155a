#include "focus/screening.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "focus/error.h"
#include "test_util.h"

namespace focus {
namespace {

// The end of every identifier refusal; the override is its remedy, worded by
// each front end (Remedy::kAllowIdentifiers).
const char kTail[] = "; tickets are about services, not people: remove it";

// --- NHS check digit ---------------------------------------------------------

struct NhsCase {
  const char* digits;
  bool valid;
};

TEST(NhsNumberTest, ModulusElevenCheckDigit) {
  const NhsCase cases[] = {
      // 9*10+4*9+3*8+4*7+7*6+6*5+5*4+9*3+1*2 = 299; 299 % 11 = 2; 11-2 = 9.
      {"9434765919", true},
      // Same first nine digits, so the check digit must be 9, not 8.
      {"9434765918", false},
      // 9*10+4*9+3*8+4*7+7*6+6*5+5*4+8*3+7*2 = 308; 308 % 11 = 0; 11 -> 0.
      {"9434765870", true},
      {"9434765871", false},
      // 4*10+0*9+1*8+0*7+2*6+3*5+2*4+1*3+3*2 = 92; 92 % 11 = 4; 11-4 = 7.
      {"4010232137", true},
      // 4*10+5*9+0*8+5*7+5*6+7*5+7*4+1*3+0*2 = 216; 216 % 11 = 7; 11-7 = 4.
      {"4505577104", true},
      // 1*10+2*9+3*8+4*7+5*6+6*5+7*4+8*3+9*2 = 210; 210 % 11 = 1; 11-1 = 10,
      // which is never issued, so no tenth digit makes it valid.
      {"1234567890", false},
      {"1234567891", false},
      // 0 throughout: sum 0; 0 % 11 = 0; 11 -> 0, so 0000000000 passes the
      // arithmetic (it is the check digit rule, not a list of issued numbers).
      {"0000000000", true},
      // Shape: exactly ten ASCII digits.
      {"943476591", false},
      {"94347659190", false},
      {"943 476 5919", false},
      {"943476591a", false},
      {"", false},
  };
  for (const NhsCase& c : cases) {
    EXPECT_EQ(IsValidNhsNumber(c.digits), c.valid) << c.digits;
  }
}

// --- Finding identifiers -----------------------------------------------------

struct FindCase {
  const char* text;
  const char* kind;
  const char* match;
  int line;
  int column;
};

// `c.text` holds exactly one identifier, `c.match`, at its line and column.
void ExpectOneMatch(const FindCase& c) {
  const std::vector<IdentifierMatch> found = FindPersonalIdentifiers(c.text);
  ASSERT_EQ(found.size(), 1u) << c.text;
  EXPECT_EQ(found[0].kind, c.kind) << c.text;
  EXPECT_EQ(found[0].text, c.match) << c.text;
  EXPECT_EQ(found[0].line, c.line) << c.text;
  EXPECT_EQ(found[0].column, c.column) << c.text;
  EXPECT_EQ(std::string(c.text).substr(found[0].offset, found[0].text.size()),
            c.match)
      << c.text;
}

TEST(FindPersonalIdentifiersTest, FindsEachFormatOfEachKind) {
  const FindCase cases[] = {
      // NHS numbers, in the three ways they are written.
      {"NHS number 9434765919 on the letter", "NHS number", "9434765919", 1,
       12},
      {"Ref 943 476 5919.", "NHS number", "943 476 5919", 1, 5},
      {"Ref 943-476-5870", "NHS number", "943-476-5870", 1, 5},
      {"4010232137", "NHS number", "4010232137", 1, 1},
      // Phone numbers: national forms.
      {"Call 07700 900123 today", "phone number", "07700 900123", 1, 6},
      {"01483 123456", "phone number", "01483 123456", 1, 1},
      {"Ring 020 7946 0958.", "phone number", "020 7946 0958", 1, 6},
      {"(01483) 123 456", "phone number", "(01483) 123 456", 1, 1},
      {"Freephone 0800 123 4567", "phone number", "0800 123 4567", 1, 11},
      {"07700900123", "phone number", "07700900123", 1, 1},
      {"tel:01483-123-456", "phone number", "01483-123-456", 1, 5},
      // Phone numbers: international forms.
      {"+44 7700 900123", "phone number", "+44 7700 900123", 1, 1},
      {"or +44 (0)1483 123456", "phone number", "+44 (0)1483 123456", 1, 4},
      {"+447700900123", "phone number", "+447700900123", 1, 1},
      {"+44 20 7946 0958", "phone number", "+44 20 7946 0958", 1, 1},
      {"0044 20 7946 0958", "phone number", "0044 20 7946 0958", 1, 1},
      // E-mail addresses; trailing full stops and brackets are not part.
      {"Write to jo.bloggs@example.nhs.uk.", "e-mail address",
       "jo.bloggs@example.nhs.uk", 1, 10},
      {"<a.b+c@mail.example.com>", "e-mail address", "a.b+c@mail.example.com",
       1, 2},
      {"o'neill@example.org", "e-mail address", "o'neill@example.org", 1, 1},
      // Postcodes in each outward shape, any case, with or without the space.
      {"Leatherhead KT22 7AD", "postcode", "KT22 7AD", 1, 13},  // AA99 9AA
      {"GU1 4LZ", "postcode", "GU1 4LZ", 1, 1},                 // AA9 9AA
      {"SW1A 1AA", "postcode", "SW1A 1AA", 1, 1},               // AA9A 9AA
      {"M1 1AE", "postcode", "M1 1AE", 1, 1},                   // A9 9AA
      {"B33 8TH", "postcode", "B33 8TH", 1, 1},                 // A99 9AA
      {"W1A 0AX", "postcode", "W1A 0AX", 1, 1},                 // A9A 9AA
      {"lives near gu21 6ep", "postcode", "gu21 6ep", 1, 12},
      {"SW1A1AA", "postcode", "SW1A1AA", 1, 1},
      {"M11AE", "postcode", "M11AE", 1, 1},
      {"(GU1 4LZ)", "postcode", "GU1 4LZ", 1, 2},
  };
  for (const FindCase& c : cases) ExpectOneMatch(c);
}

TEST(FindPersonalIdentifiersTest, OrdinaryTextIsNotFlagged) {
  const char* const texts[] = {
      "The waiting room at the clinic was cold and the chairs were broken.",
      "Forum on 2027-04-06 at 10:30 in Room 101, ward 7.",
      "Forum on 06-04-2027 at 10:30; 101 people came.",
      "06-04-2027 101",
      "In 2026 we had 14 attendees; 3 left early.",
      "Parking near B&Q costs £1,234.56 a year.",
      "Ring 111 or 999 in an emergency.",
      "ON THE AGENDA: AB12, then the 3PM slot on the M25 3PM.",
      "ward b12 5th floor, room a1 2nd door",
      // Ten digits that fail the modulus 11 check, and longer runs.
      "Reference 1234567890 and 9434765918",
      "94347659190 and 19434765919",
      // Not 11 digits, or part of a longer run, or not a UK shape.
      "Call 0800 123 45",
      "07700 9001234",
      "007700900123",
      "123 4567 8901",
      "ISBN 978-0-12-345678-9",
      "Ticket #1234567 closed 01/02/2027",
      // '@' without an address.
      "Meet @ the hall; user@localhost; a@b.c; score 3@1.5",
      "",
  };
  for (const char* text : texts) {
    const std::vector<IdentifierMatch> found = FindPersonalIdentifiers(text);
    EXPECT_TRUE(found.empty()) << '"' << text << "\" found \""
                               << (found.empty() ? "" : found[0].text) << '"';
  }
}

TEST(FindPersonalIdentifiersTest, OverlapsAreReportedOnceAsTheMostSpecific) {
  const FindCase cases[] = {
      // The national part of "+44 ..." is a valid NHS number: NHS wins.
      {"+44 943 476 5919", "NHS number", "943 476 5919", 1, 5},
      // Digits or a postcode inside an address are the address.
      {"9434765919@example.com", "e-mail address", "9434765919@example.com", 1,
       1},
      {"sw1a1aa@example.com", "e-mail address", "sw1a1aa@example.com", 1, 1},
      {"07700900123@example.com", "e-mail address", "07700900123@example.com",
       1, 1},
  };
  for (const FindCase& c : cases) ExpectOneMatch(c);
}

TEST(FindPersonalIdentifiersTest, DisguisesAreSeenThrough) {
  const FindCase cases[] = {
      // Digits of other scripts: full-width (NFKC), Arabic-Indic, Devanagari,
      // mathematical bold (NFKC), and a mixture.
      {"NHS ９４３ ４７６ ５９１９", "NHS number", "９４３ ４７６ ５９１９", 1,
       5},
      {"９４３４７６５９１９", "NHS number", "９４３４７６５９１９", 1, 1},
      {"رقم \u0669\u0664\u0663\u0664\u0667\u0666\u0665\u0669\u0661\u0669",
       "NHS number",
       "\u0669\u0664\u0663\u0664\u0667\u0666\u0665\u0669\u0661\u0669", 1, 5},
      {"\u096f\u096a\u0969 \u096a\u096d\u096c \u096b\u096f\u0967\u096f",
       "NHS number",
       "\u096f\u096a\u0969 \u096a\u096d\u096c \u096b\u096f\u0967\u096f", 1, 1},
      {"\U0001D7D7\U0001D7D2\U0001D7D1 476 5919", "NHS number",
       "\U0001D7D7\U0001D7D2\U0001D7D1 476 5919", 1, 1},
      {"9\u0664３ 476 5919", "NHS number", "9\u0664３ 476 5919", 1, 1},
      // Separators: several spaces, tabs, line breaks, dots, slashes,
      // underscores, dashes, no-break and ideographic spaces, mixtures.
      {"943   476   5919", "NHS number", "943   476   5919", 1, 1},
      {"id\t943\t476\t5919", "NHS number", "943\t476\t5919", 1, 4},
      {"943\n476\n5919", "NHS number", "943\n476\n5919", 1, 1},
      {"x\r\n943\r\n\r\n476\r\n5919", "NHS number", "943\r\n\r\n476\r\n5919", 2,
       1},
      {"943.476.5919", "NHS number", "943.476.5919", 1, 1},
      {"943/476/5919", "NHS number", "943/476/5919", 1, 1},
      {"943_476_5919", "NHS number", "943_476_5919", 1, 1},
      {"943–476–5919", "NHS number", "943–476–5919", 1, 1},
      {"943 — 476 — 5919", "NHS number", "943 — 476 — 5919", 1, 1},
      {"943\u00A0476\u00A05919", "NHS number", "943\u00A0476\u00A05919", 1, 1},
      {"943\u3000476\u30005919", "NHS number", "943\u3000476\u30005919", 1, 1},
      {"943 -\t476 ./5919", "NHS number", "943 -\t476 ./5919", 1, 1},
      // Four separators are the most between two groups.
      {"943 \t\n 476 5919", "NHS number", "943 \t\n 476 5919", 1, 1},
      // Invisible marks and zero-width characters inside the digits (which
      // ScreenText refuses anyway) hide nothing.
      {"9\u03324\u03323\u0332 476 5919", "NHS number",
       "9\u03324\u03323\u0332 476 5919", 1, 1},
      {"943\u200B476\u200B5919", "NHS number", "943\u200B476\u200B5919", 1, 1},
      // Phone numbers.
      {"Ring 07700\t900123", "phone number", "07700\t900123", 1, 6},
      {"07700  900 123", "phone number", "07700  900 123", 1, 1},
      {"07700.900.123", "phone number", "07700.900.123", 1, 1},
      {"0800 – 123 – 4567", "phone number", "0800 – 123 – 4567", 1, 1},
      {"(01483)\n123\n456", "phone number", "(01483)\n123\n456", 1, 1},
      {"０７７００ ９００１２３", "phone number", "０７７００ ９００１２３", 1,
       1},
      {"＋４４ ７７００ ９００１２３", "phone number",
       "＋４４ ７７００ ９００１２３", 1, 1},
      {"+44\t7700\t900123", "phone number", "+44\t7700\t900123", 1, 1},
      {"+44 / (0)1483 / 123456", "phone number", "+44 / (0)1483 / 123456", 1,
       1},
      // Postcodes and addresses in full-width letters.
      {"ＧＵ１ ４ＬＺ", "postcode", "ＧＵ１ ４ＬＺ", 1, 1},
      {"ｊｏ＠ｅｘａｍｐｌｅ．ｏｒｇ", "e-mail address",
       "ｊｏ＠ｅｘａｍｐｌｅ．ｏｒｇ", 1, 1},
  };
  for (const FindCase& c : cases) ExpectOneMatch(c);
}

TEST(FindPersonalIdentifiersTest, DisguiseRulesKeepOrdinaryTextClear) {
  const char* const texts[] = {
      // Still the modulus 11 check: the NHS numbers above, last digit wrong.
      "９４３ ４７６ ５９１８",
      "943\t476\t5918",
      "\u0669\u0664\u0663\u0664\u0667\u0666\u0665\u0669\u0661\u0668",
      // Five separators or more keep numbers apart; an ellipsis is three.
      "943     476 5919",
      "943 \t\n\t 476 5919",
      "07700 …… 900123",
      // Words keep numbers apart however short.
      "943 and 476 or 5919",
      "943 a 476 b 5919",
      "\u0669\u0664\u0663 \u0628 476 5919",  // An Arabic letter.
      // Dates, times and counts with every separator.
      "Forum 06.04.2027 at 10.30; 2027/04/06; 06_04_2027",
      "Sessions 09:30, 10:30, 11:30 and 0930, 1030, 1130",
      "Rooms 101, 102, 103 and 104; 14\t12\t9 attended",
      "\u0662\u0660\u0662\u0667-\u0660\u0664-\u0660\u0666 at １０：３０",
      "Call 0800\t123\t45",
      "07700\t\t9001234",
  };
  for (const char* text : texts) {
    const std::vector<IdentifierMatch> found = FindPersonalIdentifiers(text);
    EXPECT_TRUE(found.empty()) << '"' << text << "\" found \""
                               << (found.empty() ? "" : found[0].text) << '"';
  }
}

TEST(FindPersonalIdentifiersTest, PositionsCountLinesAndCodePoints) {
  // Line 1 "Café – notes" is 12 code points, 15 bytes (é 2, – 3); with the
  // newline, line 2 starts at byte 16. "Équipe: " is 8 code points, 9 bytes,
  // so the NHS number is at column 9, byte 25. Line 2 is 21 bytes; line 3
  // starts at byte 38 and "日本 " is 3 code points, 7 bytes: column 4, byte 45.
  const std::string text =
      "Café – notes\nÉquipe: 943 476 5919\n日本 GU1 4LZ and jo@example.org";
  const std::vector<IdentifierMatch> found = FindPersonalIdentifiers(text);
  ASSERT_EQ(found.size(), 3u);
  EXPECT_EQ(found[0].kind, "NHS number");
  EXPECT_EQ(found[0].line, 2);
  EXPECT_EQ(found[0].column, 9);
  EXPECT_EQ(found[0].offset, 25u);
  EXPECT_EQ(found[1].kind, "postcode");
  EXPECT_EQ(found[1].text, "GU1 4LZ");
  EXPECT_EQ(found[1].line, 3);
  EXPECT_EQ(found[1].column, 4);
  EXPECT_EQ(found[1].offset, 45u);
  // "日本 GU1 4LZ and " is 3 + 7 + 5 = 15 code points: column 16.
  EXPECT_EQ(found[2].kind, "e-mail address");
  EXPECT_EQ(found[2].line, 3);
  EXPECT_EQ(found[2].column, 16);
}

TEST(FindPersonalIdentifiersTest, PositionsOfDisguisesAreInTheOriginal) {
  // Line 1 "Café – " is 7 code points, 10 bytes; the full-width number is
  // 12 code points, 32 bytes (3 a digit, ASCII spaces). Line 2 starts at
  // byte 43: "日本\t" is 3 code points, 7 bytes, so the phone number is at
  // column 4, byte 50, and spans a line break into line 3, "900 123 – ",
  // which is 10 code points, 12 bytes: the postcode is at line 3, column 11,
  // byte 50 + 6 ("07700\n") + 12 = 68.
  const std::string text =
      "Café – ９４３ ４７６ ５９１９\n日本\t07700\n900 123 – ＧＵ１ ４ＬＺ";
  const std::vector<IdentifierMatch> found = FindPersonalIdentifiers(text);
  struct Expected {
    const char* kind;
    const char* text;
    size_t offset;
    int line;
    int column;
  };
  const Expected expected[] = {
      {"NHS number", "９４３ ４７６ ５９１９", 10, 1, 8},
      {"phone number", "07700\n900 123", 50, 2, 4},
      {"postcode", "ＧＵ１ ４ＬＺ", 68, 3, 11},
  };
  ASSERT_EQ(found.size(), 3u);
  for (size_t k = 0; k < 3; ++k) {
    EXPECT_EQ(found[k].kind, expected[k].kind) << k;
    EXPECT_EQ(found[k].text, expected[k].text) << k;
    EXPECT_EQ(found[k].offset, expected[k].offset) << k;
    EXPECT_EQ(found[k].line, expected[k].line) << k;
    EXPECT_EQ(found[k].column, expected[k].column) << k;
  }
}

TEST(FindPersonalIdentifiersTest, ResultsAreInTextOrder) {
  const std::vector<IdentifierMatch> found = FindPersonalIdentifiers(
      "jo@x.org, then GU1 4LZ, 07700 900123, 4010232137");
  ASSERT_EQ(found.size(), 4u);
  EXPECT_EQ(found[0].kind, "e-mail address");
  EXPECT_EQ(found[1].kind, "postcode");
  EXPECT_EQ(found[2].kind, "phone number");
  EXPECT_EQ(found[3].kind, "NHS number");
}

TEST(FindPersonalIdentifiersTest, LongTextIsReadToTheEnd) {
  // 2,000 characters of prose, digits and punctuation (dates, times, money,
  // counts: nothing to find), with a number at each end, in ASCII and again
  // with the text outside ASCII so it is normalised.
  for (const std::string filler :
       {"Ward 7 met on 2027-04-06 at 10:30; 14 came, 1,234.56 raised. ",
        "Caf\xC3\xA9 met on 2027-04-06 at 10:30; 14 came, \xC2\xA3"
        "1,234.56. "}) {
    std::string text = "NHS 943 476 5919. ";
    while (text.size() + filler.size() <= 2000) text += filler;
    const size_t last = text.size();
    text += "Ring 07700\t900123";
    const std::vector<IdentifierMatch> found = FindPersonalIdentifiers(text);
    ASSERT_EQ(found.size(), 2u) << filler;
    EXPECT_EQ(found[0].offset, 4u);
    EXPECT_EQ(found[1].kind, "phone number");
    EXPECT_EQ(found[1].offset, last + 5);
  }
}

// --- UTF-8 -------------------------------------------------------------------

struct Utf8Case {
  std::string bytes;
  bool valid;
  size_t bad_offset;
};

TEST(Utf8Test, Validity) {
  const Utf8Case cases[] = {
      {"", true, 0},
      {"plain", true, 0},
      {"Caf\xC3\xA9", true, 0},        // é
      {"\xE2\x82\xAC", true, 0},       // €, U+20AC
      {"\xF0\x9F\x98\x80", true, 0},   // U+1F600
      {"\xF4\x8F\xBF\xBF", true, 0},   // U+10FFFF, the last
      {"\xED\x9F\xBF", true, 0},       // U+D7FF, just below surrogates
      {"\xEE\x80\x80", true, 0},       // U+E000, just above
      {"\xC0\x80", false, 0},          // Overlong NUL
      {"ab\xC1\xBF", false, 2},        // Overlong '?'
      {"\xE0\x80\x80", false, 0},      // Overlong three-byte
      {"\xF0\x80\x80\x80", false, 0},  // Overlong four-byte
      {"x\xED\xA0\x80", false, 1},     // Surrogate U+D800
      {"\xED\xBF\xBF", false, 0},      // Surrogate U+DFFF
      {"\xF4\x90\x80\x80", false, 0},  // U+110000
      {"\xF5\x80\x80\x80", false, 0},  // Lead byte past U+10FFFF
      {"ok\xE2\x82", false, 2},        // Truncated at the end
      {"\xE2\x82 x", false, 0},        // Truncated mid-text
      {"\x80", false, 0},              // Lone continuation byte
      {"a\xFF", false, 1},
  };
  for (const Utf8Case& c : cases) {
    size_t bad = 12345;
    EXPECT_EQ(IsValidUtf8(c.bytes, &bad), c.valid)
        << testing::PrintToString(c.bytes);
    if (!c.valid) {
      EXPECT_EQ(bad, c.bad_offset) << testing::PrintToString(c.bytes);
    }
  }
  EXPECT_FALSE(IsValidUtf8("\xC0\x80"));  // The offset is optional.
}

TEST(Utf8Test, LengthCountsCodePoints) {
  EXPECT_EQ(Utf8Length(""), 0u);
  EXPECT_EQ(Utf8Length("abc"), 3u);
  EXPECT_EQ(Utf8Length("Caf\xC3\xA9"), 4u);
  EXPECT_EQ(Utf8Length("\xE6\x97\xA5\xE6\x9C\xAC"), 2u);  // 日本
  EXPECT_EQ(Utf8Length("\xF0\x9F\x98\x80!"), 2u);
}

// --- ScreenText --------------------------------------------------------------

TEST(ScreenTextTest, CleanTextPasses) {
  EXPECT_TRUE(ScreenText("details", "The lift at the day centre is broken.",
                         ScreenOptions{})
                  .empty());
  EXPECT_TRUE(ScreenText("details", "", ScreenOptions{}).empty());
  // Exactly at the limit, counted in characters: 2,000 é are 4,000 bytes.
  std::string accents;
  for (int k = 0; k < 2000; ++k) accents += "\xC3\xA9";
  EXPECT_TRUE(ScreenText("details", accents, ScreenOptions{}).empty());
}

TEST(ScreenTextTest, ControlCharactersAreRefusedWithTheirPlace) {
  const ScreenOptions defaults;
  EXPECT_EQ(ErrorText([&] {
              ScreenText("details", std::string("ab\0c", 4), defaults);
            }),
            "details: line 1, column 3: a control character (U+0000) is not "
            "allowed");
  // Columns count characters: Ã© is one.
  EXPECT_EQ(ErrorText([&] {
              ScreenText("title", "one\n\xC3\xA9\x1B[31m", defaults);
            }),
            "title: line 2, column 2: a control character (U+001B) is not "
            "allowed");
  EXPECT_EQ(ErrorText([&] { ScreenText("note", "x\x7F", defaults); }),
            "note: line 1, column 2: a control character (U+007F) is not "
            "allowed");
  // Tabs and line breaks, Unix or Windows, are text.
  EXPECT_TRUE(ScreenText("details", "a\tb\r\nc\nd", defaults).empty());
}

TEST(ScreenTextTest, InvisibleCharactersAreRefusedWithTheirPlace) {
  struct HiddenCase {
    const char* text;
    const char* expected;
  };
  const HiddenCase cases[] = {
      // Every bidirectional control, as "an invisible text-direction control".
      {"Ward \u202E7 drawkcab",
       "title: line 1, column 6: an invisible text-direction control (U+202E "
       "RIGHT-TO-LEFT OVERRIDE) is not allowed"},
      {"\u202Ax",
       "title: line 1, column 1: an invisible text-direction "
       "control (U+202A LEFT-TO-RIGHT EMBEDDING) is not allowed"},
      {"\u202Bx",
       "title: line 1, column 1: an invisible text-direction "
       "control (U+202B RIGHT-TO-LEFT EMBEDDING) is not allowed"},
      {"\u202Cx",
       "title: line 1, column 1: an invisible text-direction "
       "control (U+202C POP DIRECTIONAL FORMATTING) is not allowed"},
      {"\u202Dx",
       "title: line 1, column 1: an invisible text-direction "
       "control (U+202D LEFT-TO-RIGHT OVERRIDE) is not allowed"},
      {"\u2066x",
       "title: line 1, column 1: an invisible text-direction "
       "control (U+2066 LEFT-TO-RIGHT ISOLATE) is not allowed"},
      {"\u2067x",
       "title: line 1, column 1: an invisible text-direction "
       "control (U+2067 RIGHT-TO-LEFT ISOLATE) is not allowed"},
      {"\u2068x",
       "title: line 1, column 1: an invisible text-direction "
       "control (U+2068 FIRST STRONG ISOLATE) is not allowed"},
      {"\u2069x",
       "title: line 1, column 1: an invisible text-direction "
       "control (U+2069 POP DIRECTIONAL ISOLATE) is not allowed"},
      {"\u200Ex",
       "title: line 1, column 1: an invisible text-direction "
       "control (U+200E LEFT-TO-RIGHT MARK) is not allowed"},
      {"\u200Fx",
       "title: line 1, column 1: an invisible text-direction "
       "control (U+200F RIGHT-TO-LEFT MARK) is not allowed"},
      {"\u061Cx",
       "title: line 1, column 1: an invisible text-direction "
       "control (U+061C ARABIC LETTER MARK) is not allowed"},
      // Other format characters; columns count characters, not bytes.
      {"Café\n日本\u200B943",
       "title: line 2, column 3: an invisible format character (U+200B ZERO "
       "WIDTH SPACE) is not allowed"},
      {"a\u200Cb",
       "title: line 1, column 2: an invisible format character "
       "(U+200C ZERO WIDTH NON-JOINER) is not allowed"},
      {"a\u200Db",
       "title: line 1, column 2: an invisible format character "
       "(U+200D ZERO WIDTH JOINER) is not allowed"},
      {"\uFEFFx",
       "title: line 1, column 1: an invisible format character "
       "(U+FEFF ZERO WIDTH NO-BREAK SPACE) is not allowed"},
      {"sel\u00ADdom",
       "title: line 1, column 4: an invisible format "
       "character (U+00AD SOFT HYPHEN) is not allowed"},
      {"a\u2060b",
       "title: line 1, column 2: an invisible format character "
       "(U+2060 WORD JOINER) is not allowed"},
      // A joiner or tag outside an emoji sequence.
      {"\U0001F469\u200D",
       "title: line 1, column 2: an invisible format "
       "character (U+200D ZERO WIDTH JOINER) is not "
       "allowed"},
      {"\U0001F469\u200D9",
       "title: line 1, column 2: an invisible format "
       "character (U+200D ZERO WIDTH JOINER) is not "
       "allowed"},
      {"x\U000E0067",
       "title: line 1, column 2: an invisible format "
       "character (U+E0067 TAG LATIN SMALL LETTER G) is not "
       "allowed"},
      // C1 control characters are control characters.
      {"a\u0085b",
       "title: line 1, column 2: a control character (U+0085) "
       "is not allowed"},
      {"\u009B31m",
       "title: line 1, column 1: a control character (U+009B) "
       "is not allowed"},
  };
  for (const HiddenCase& c : cases) {
    EXPECT_EQ(ErrorText([&] { ScreenText("title", c.text, ScreenOptions{}); }),
              c.expected)
        << c.text;
  }
  // Emoji sequences use U+200D and tags, and show as one emoji: accepted.
  const char* const emoji[] = {
      "Nurse \U0001F469\u200D\u2695\uFE0F on the ward",   // Health worker.
      "\U0001F468\u200D\U0001F469\u200D\U0001F467 came",  // Family.
      "\U0001F469\U0001F3FD\u200D\u2695\uFE0F",           // Skin tone.
      "\U0001F3F4\U000E0067\U000E0062\U000E0065\U000E006E\U000E0067"
      "\U000E007F flag",  // England.
  };
  for (const char* text : emoji) {
    EXPECT_TRUE(ScreenText("title", text, ScreenOptions{}).empty()) << text;
  }
}

TEST(ScreenTextTest, ErrorMessages) {
  const ScreenOptions defaults;
  ScreenOptions short_limit;
  short_limit.max_chars = 3;

  EXPECT_EQ(ErrorText([&] { ScreenText("details", "ok\xE2\x82", defaults); }),
            "details: not valid UTF-8 at byte 2");
  // UTF-8 is checked before length.
  EXPECT_EQ(ErrorText([&] { ScreenText("title", "\xC0\x80xyz", short_limit); }),
            "title: not valid UTF-8 at byte 0");
  EXPECT_EQ(ErrorText([&] {
              ScreenText("details", std::string(2001, 'a'), defaults);
            }),
            "details: 2001 characters is over the limit of 2000");
  // Length before identifiers; characters, not bytes (é is two bytes).
  EXPECT_EQ(
      ErrorText([&] { ScreenText("title", "Caf\xC3\xA9!", short_limit); }),
      "title: 5 characters is over the limit of 3");

  struct MessageCase {
    const char* text;
    const char* expected;  // Before kTail.
  };
  const MessageCase cases[] = {
      {"Patient 943 476 5919 waited",
       "details: line 1, column 9: looks like an NHS number (943 476 5919)"},
      {"Ring him on 07700 900123",
       "details: line 1, column 13: looks like a phone number (07700 900123)"},
      {"Caf\xC3\xA9 chat\nmail jo@example.org",
       "details: line 2, column 6: looks like an e-mail address "
       "(jo@example.org)"},
      {"Lives at GU1 4LZ",
       "details: line 1, column 10: looks like a postcode (GU1 4LZ)"},
      {"943 476 5919, jo@example.org\nGU1 4LZ",
       "details: line 1, column 1: looks like an NHS number (943 476 5919) "
       "(and 2 more)"},
      {"GU1 4LZ and KT22 7AD",
       "details: line 1, column 1: looks like a postcode (GU1 4LZ) (and 1 "
       "more)"},
      // Disguises are quoted as written; tabs and line breaks as escapes so
      // the message stays on one line.
      {"Patient ９４３ ４７６ ５９１９",
       "details: line 1, column 9: looks like an NHS number (９４３ ４７６ "
       "５９１９)"},
      {"Ring 07700\t900123",
       "details: line 1, column 6: looks like a phone number (07700\\t900123)"},
      {"Café\nref 943\r\n476\u20285919",
       "details: line 2, column 5: looks like an NHS number "
       "(943\\r\\n476\\u20285919)"},
  };
  for (const MessageCase& c : cases) {
    EXPECT_EQ(ErrorText([&] { ScreenText("details", c.text, defaults); }),
              std::string(c.expected) + kTail)
        << c.text;
  }
}

// The error names the input field it came from, and the override as its
// remedy.
TEST(ScreenTextTest, ErrorsCarryTheInputFieldAndTheOverride) {
  ScreenOptions options;
  options.input_field = "text";
  const struct {
    const char* text;
    Remedy remedy;
  } kCases[] = {
      {"Ring 07700 900123", Remedy::kAllowIdentifiers},
      {"caf\xC3", Remedy::kNone},
      {"a\x01b", Remedy::kNone},
  };
  for (const auto& c : kCases) {
    try {
      ScreenText("answer", c.text, options);
      ADD_FAILURE() << c.text << " passed";
    } catch (const Error& e) {
      EXPECT_EQ(e.field(), "text") << c.text;
      EXPECT_EQ(e.remedy(), c.remedy) << c.text;
    }
  }
}

TEST(ScreenTextTest, OverrideReturnsTheMatches) {
  ScreenOptions allow;
  allow.allow_identifiers = true;
  const std::vector<IdentifierMatch> found = ScreenText(
      "details", "Helpline 0800 123 4567 or help@example.org", allow);
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].kind, "phone number");
  EXPECT_EQ(found[0].text, "0800 123 4567");
  EXPECT_EQ(found[0].column, 10);
  EXPECT_EQ(found[1].kind, "e-mail address");
  EXPECT_EQ(found[1].text, "help@example.org");
  EXPECT_EQ(found[1].column, 27);
  // The override does not lift the other checks.
  allow.max_chars = 3;
  EXPECT_EQ(ErrorText([&] { ScreenText("details", "abcd", allow); }),
            "details: 4 characters is over the limit of 3");
  EXPECT_EQ(ErrorText([&] { ScreenText("details", "\xED\xA0\x80", allow); }),
            "details: not valid UTF-8 at byte 0");
}

}  // namespace
}  // namespace focus
