#include "focus/text.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace focus {
namespace {

using Items = std::vector<std::string>;

TEST(JoinTest, SeparatorOnlyBetweenItems) {
  EXPECT_EQ(Join({}), "");
  EXPECT_EQ(Join({"a"}), "a");
  EXPECT_EQ(Join({"a", "b", "c"}), "a, b, c");
  EXPECT_EQ(Join({"a", "", "c"}, "; "), "a; ; c");
}

TEST(JoinWordsTest, AsASentenceSaysIt) {
  const struct {
    Items items;
    const char* last;
    const char* want;
  } kCases[] = {
      {{}, "and", ""},
      {{"a"}, "and", "a"},
      {{"a", "b"}, "and", "a and b"},
      {{"a", "b", "c"}, "and", "a, b and c"},
      {{"a", "b", "c"}, "or", "a, b or c"},
  };
  for (const auto& c : kCases) {
    EXPECT_EQ(JoinWords(c.items, c.last), c.want) << c.want;
  }
}

TEST(TrimTest, AsciiBlanksAtEitherEnd) {
  EXPECT_EQ(Trim(""), "");
  EXPECT_EQ(Trim(" \t\r\n\v\f"), "");
  EXPECT_EQ(Trim("  East Surrey\t\n"), "East Surrey");
  EXPECT_EQ(Trim("a  b"), "a  b");
  // A no-break space (U+00A0) is not an ASCII blank.
  EXPECT_EQ(Trim("\xC2\xA0x"), "\xC2\xA0x");
}

TEST(LowerAsciiTest, OnlyAsciiLetters) {
  EXPECT_EQ(LowerAscii("East SURREY 1"), "east surrey 1");
  EXPECT_EQ(LowerAscii("\xC3\x89quipe"), "\xC3\x89quipe");  // "Équipe".
}

TEST(DisplayWidthTest, ColumnsATerminalGives) {
  const struct {
    const char* text;
    size_t width;
  } kCases[] = {
      {"", 0},
      {"East Surrey", 11},
      {"caf\xC3\xA9", 4},                       // "café", precomposed.
      {"cafe\xCC\x81", 4},                      // "café", e + combining acute.
      {"\xE6\x97\xA5\xE6\x9C\xAC", 4},          // "日本": wide.
      {"\xEF\xBC\xA1", 2},                      // "Ａ": full-width.
      {"\xF0\x9F\x98\x80", 2},                  // "😀": an emoji picture.
      {"\xF0\x9F\x91\x8D\xF0\x9F\x8F\xBD", 2},  // "👍🏽": with a skin tone.
      // "👩‍👧": two emoji joined (ZWJ) into one picture.
      {"\xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x91\xA7", 2},
  };
  for (const auto& c : kCases) {
    EXPECT_EQ(DisplayWidth(c.text), c.width) << c.text;
  }
}

TEST(FitWidthTest, CutsOnACharacterBoundary) {
  EXPECT_EQ(FitWidth("Parking", 10), "Parking");
  EXPECT_EQ(FitWidth("Parking at the hub", 10), "Parking...");
  // Four wide characters are 8 columns: two fit before the dots in 7.
  EXPECT_EQ(FitWidth("\xE6\x97\xA5\xE6\x9C\xAC\xE6\x97\xA5\xE6\x9C\xAC", 7),
            "\xE6\x97\xA5\xE6\x9C\xAC...");
  // The accent stays with its letter.
  EXPECT_EQ(FitWidth("cafe\xCC\x81 au lait", 7), "cafe\xCC\x81...");
}

TEST(PadToWidthTest, PadsByColumnsNotBytes) {
  EXPECT_EQ(PadToWidth("ab", 4), "ab  ");
  EXPECT_EQ(PadToWidth("\xE6\x97\xA5", 4), "\xE6\x97\xA5  ");
  EXPECT_EQ(PadToWidth("abcdef", 4), "abcdef");
}

}  // namespace
}  // namespace focus
