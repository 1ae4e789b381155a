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

}  // namespace
}  // namespace focus
