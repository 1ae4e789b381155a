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

}  // namespace focus

#endif  // FOCUS_TEXT_H_
