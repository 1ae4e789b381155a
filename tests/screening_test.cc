#include "focus/screening.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "focus/error.h"
#include "test_util.h"

namespace focus {
namespace {

const char kTail[] =
    "; tickets are about services, not people: remove it, or override with "
    "--allow-identifiers if it identifies nobody";

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
  for (const FindCase& c : cases) {
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
  for (const FindCase& c : cases) {
    const std::vector<IdentifierMatch> found = FindPersonalIdentifiers(c.text);
    ASSERT_EQ(found.size(), 1u) << c.text;
    EXPECT_EQ(found[0].kind, c.kind) << c.text;
    EXPECT_EQ(found[0].text, c.match) << c.text;
    EXPECT_EQ(found[0].column, c.column) << c.text;
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

TEST(FindPersonalIdentifiersTest, ResultsAreInTextOrder) {
  const std::vector<IdentifierMatch> found = FindPersonalIdentifiers(
      "jo@x.org, then GU1 4LZ, 07700 900123, 4010232137");
  ASSERT_EQ(found.size(), 4u);
  EXPECT_EQ(found[0].kind, "e-mail address");
  EXPECT_EQ(found[1].kind, "postcode");
  EXPECT_EQ(found[2].kind, "phone number");
  EXPECT_EQ(found[3].kind, "NHS number");
}

TEST(FindPersonalIdentifiersTest, LongTextIsQuick) {
  // 2,000 characters of mixed prose, digits and punctuation.
  const std::string filler =
      "Ward 7 met on 2027-04-06 at 10:30; 14 came, £1,234.56 raised. ";
  std::string text = "NHS 943 476 5919. ";
  while (text.size() + filler.size() <= 2000) text += filler;
  const auto start = std::chrono::steady_clock::now();
  size_t total = 0;
  for (int k = 0; k < 1000; ++k) total += FindPersonalIdentifiers(text).size();
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(total, 1000u);
  // Generous for an unoptimised build; in practice tens of microseconds.
  EXPECT_LT(elapsed, std::chrono::seconds(2));
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
  };
  for (const MessageCase& c : cases) {
    EXPECT_EQ(ErrorText([&] { ScreenText("details", c.text, defaults); }),
              std::string(c.expected) + kTail)
        << c.text;
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
