#include "trello_json.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "focus/error.h"

namespace focus::trello_internal {
namespace {

constexpr size_t kNone = std::string::npos;

struct OutlineCase {
  const char* text;
  size_t open;                 // Of "actions"' '['; kNone: no share.
  size_t close;                // Of its ']'.
  std::vector<size_t> commas;  // Between its elements.
};

TEST(OutlineTest, FindsTheBoardsActionsArray) {
  const OutlineCase cases[] = {
      {R"({"actions": [1, 2]})", 12, 17, {14}},
      {R"({"cards": [], "actions": []})", 25, 26, {}},
      // Commas inside elements and strings are not between elements.
      {R"({"actions": [{"a": [1, 2]}, "x,]"]})", 12, 33, {26}},
      // An escaped quote does not end the string.
      {R"({"name": "\"actions\": [", "actions": [0]})", 38, 40, {}},
      // A quote after an even number of backslashes ends the string; after
      // an odd number it is part of it.
      {R"({"name": "a\\", "actions": [1, 2]})", 27, 32, {29}},
      {R"({"name": "\\\"actions\": [", "actions": []})", 40, 41, {}},
      // Only a key counts, and only on the board itself.
      {R"({"name": "actions", "x": [1]})", kNone, kNone, {}},
      {R"({"cards": [{"actions": [1, 2]}]})", kNone, kNone, {}},
      // Not an array, given twice, or not a board.
      {R"({"actions": {"a": 1}})", kNone, kNone, {}},
      {R"({"actions": [1], "actions": [2]})", kNone, kNone, {}},
      {R"([{"actions": [1, 2]}])", kNone, kNone, {}},
      // Spelled with an escape: read as "actions", but not shared.
      {R"({"act\u0069ons": [1, 2]})", kNone, kNone, {}},
      {R"({"actions": [1, 2)", kNone, kNone, {}},
  };
  for (const OutlineCase& c : cases) {
    const Outline o = OutlineOf(c.text);
    EXPECT_FALSE(o.too_deep) << c.text;
    EXPECT_EQ(o.actions_open, c.open) << c.text;
    EXPECT_EQ(o.actions_close, c.close) << c.text;
    EXPECT_EQ(o.actions_commas, c.commas) << c.text;
  }
}

TEST(OutlineTest, TooDeepGivesThePathOfTheFirstPlace) {
  const std::string text =
      R"({"cards": [{"x": )" + std::string(70, '[') + std::string(70, ']');
  const Outline o = OutlineOf(text);
  std::string path = "cards[0].x";
  for (int i = 0; i < 61; ++i) path += "[0]";
  EXPECT_EQ(o.too_deep, path);
}

// A board with `actions` comment actions, its "cards" after them, as
// Trello writes it; `bad` (if any) replaces action `bad_at`.
std::string Board(int actions, int bad_at = -1, const std::string& bad = "") {
  std::string text = R"({"name": "B", "actions": [)";
  for (int i = 0; i < actions; ++i) {
    if (i > 0) text += ",\n";
    text += i == bad_at ? bad
                        : R"({"type": "commentCard", "id": ")" +
                              std::to_string(i) + R"(", "data": {"text": ")" +
                              std::string(40, 'x') + "\"}}";
  }
  return text + R"(], "cards": [{"id": "c"}]})";
}

// What a parse handed on: each element's key and index, and on which
// side of the share.
struct Seen {
  std::vector<std::pair<std::string, size_t>> mine;
  std::vector<std::pair<std::string, size_t>> theirs;
};

Shared Parse(const std::string& text, Seen* seen) {
  const std::string source = "b.json";  // A Reader keeps a reference.
  const Reader reader(source);
  ExportStream stream(reader,
                      [&](const std::string& key, size_t i, const Json&) {
                        seen->mine.emplace_back(key, i);
                      });
  return ParseShared(
      text, OutlineOf(text), &stream,
      [&](const std::string& key, size_t i, const Json& v) {
        EXPECT_EQ(Text(v.at("id")), std::to_string(i));
        seen->theirs.emplace_back(key, i);
      },
      reader);
}

TEST(ParseSharedTest, EachElementOnceInOrderOnOneSideOrTheOther) {
  const int n = 20000;  // Over a megabyte: worth a second thread.
  const std::string text = Board(n);
  ASSERT_GT(text.size(), size_t{1} << 20);
  Seen seen;
  ASSERT_EQ(Parse(text, &seen), Shared::kYes);
  ASSERT_FALSE(seen.theirs.empty());
  ASSERT_GT(seen.mine.size(), 1u);
  // This thread: actions 0..k-1, then the card; the second: k..n-1.
  const size_t k = seen.theirs.front().second;
  ASSERT_EQ(seen.mine.size(), k + 1);
  for (size_t i = 0; i < k; ++i) {
    EXPECT_EQ(seen.mine[i], std::make_pair(std::string("actions"), i));
  }
  EXPECT_EQ(seen.mine.back(), std::make_pair(std::string("cards"), size_t{0}));
  ASSERT_EQ(seen.theirs.size(), n - k);
  for (size_t i = 0; i < seen.theirs.size(); ++i) {
    EXPECT_EQ(seen.theirs[i], std::make_pair(std::string("actions"), k + i));
  }
  // A little more than half the text to the second thread, which starts
  // after the scan (the card here is small).
  EXPECT_GT(k, 2 * n / 5u);
  EXPECT_LT(k, n / 2u);
}

TEST(ParseSharedTest, FailsOnAnErrorOnEitherSide) {
  const int n = 20000;
  for (int bad_at : {10, n - 10}) {
    for (const char* bad : {R"({"type": })", R"({"type": "x"} "junk")"}) {
      Seen seen;
      EXPECT_EQ(Parse(Board(n, bad_at, bad), &seen), Shared::kFailed)
          << bad_at << " " << bad;
    }
  }
}

TEST(ParseSharedTest, FailsWhenAnElementIsRefused) {
  const std::string source = "b.json";  // A Reader keeps a reference.
  const Reader reader(source);
  const std::string text = Board(20000);
  for (bool late : {false, true}) {
    int handed = 0;
    ExportStream stream(reader, [&](const std::string&, size_t i, const Json&) {
      if (!late && i == 5) reader.Fail("x", "refused");
    });
    const Shared shared = ParseShared(
        text, OutlineOf(text), &stream,
        [&](const std::string&, size_t i, const Json&) {
          ++handed;
          if (late && i == 19990) reader.Fail("x", "refused");
        },
        reader);
    EXPECT_EQ(shared, Shared::kFailed) << late;
    EXPECT_GT(handed, 0);
  }
}

TEST(ParseSharedTest, SmallOrUnsharableTextsAreLeftToOneThread) {
  for (const std::string& text :
       {Board(100), R"({"cards": [)" + std::string(2 << 20, ' ') + "]}"}) {
    Seen seen;
    EXPECT_EQ(Parse(text, &seen), Shared::kNo);
    EXPECT_TRUE(seen.mine.empty());
    EXPECT_TRUE(seen.theirs.empty());
  }
}

}  // namespace
}  // namespace focus::trello_internal
