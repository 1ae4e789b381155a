// Small text helpers the whole engine shares: one home for each.
#ifndef FOCUS_TEXT_H_
#define FOCUS_TEXT_H_

#include <string>
#include <string_view>
#include <vector>

namespace focus {

// The items with `sep` between them: {"a", "b"} -> "a, b".
std::string Join(const std::vector<std::string>& items,
                 std::string_view sep = ", ");

// A list as a sentence says it: "a", "a and b", "a, b and c"; `last` is the
// word before the last item ("or" gives "a, b or c").
std::string JoinWords(const std::vector<std::string>& items,
                      std::string_view last = "and");

// `s` without ASCII blanks (space, tab, CR, LF, VT, FF) at either end.
std::string Trim(std::string_view s);

// `s` with ASCII letters in lower case; other bytes, UTF-8 included, kept.
std::string LowerAscii(std::string s);

// The columns UTF-8 `text` takes in a terminal: each user-perceived
// character (grapheme cluster) takes 2 if it is East Asian wide or
// full-width or an emoji shown as a picture, else 1; so an accent on a
// letter, a skin tone on an emoji or a joined emoji family adds nothing.
// REQUIRES: valid UTF-8 (all text focus keeps is checked on the way in).
size_t DisplayWidth(std::string_view text);

// `text` cut on a character boundary to at most `width` columns, ending in
// "..." when anything was cut. REQUIRES: width >= 3.
std::string FitWidth(std::string_view text, size_t width);

// `text` and spaces after it to at least `width` columns.
std::string PadToWidth(std::string_view text, size_t width);

}  // namespace focus

#endif  // FOCUS_TEXT_H_
