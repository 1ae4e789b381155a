#include "focus/text.h"

#include <unicode/brkiter.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include <memory>

namespace focus {
namespace {

bool IsAscii(std::string_view text) {
  for (char c : text) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

// A grapheme cluster's columns: 2 if any of its code points is wide.
size_t ClusterWidth(const icu::UnicodeString& s, int32_t begin, int32_t end) {
  for (int32_t i = begin; i < end; i = s.moveIndex32(i, 1)) {
    const UChar32 c = s.char32At(i);
    const int ea = u_getIntPropertyValue(c, UCHAR_EAST_ASIAN_WIDTH);
    if (ea == U_EA_WIDE || ea == U_EA_FULLWIDTH ||
        u_hasBinaryProperty(c, UCHAR_EMOJI_PRESENTATION)) {
      return 2;
    }
  }
  return 1;
}

// Calls fn(utf8_end, columns) after each grapheme cluster of `text`, with
// the byte offset where it ends and the columns up to there; stops when fn
// returns false.
template <typename Fn>
void ForEachCluster(std::string_view text, Fn fn) {
  size_t columns = 0;
  size_t bytes = 0;
  if (IsAscii(text)) {  // Most text: a column a byte, without ICU.
    while (bytes < text.size() && fn(++bytes, ++columns)) {
    }
    return;
  }
  const icu::UnicodeString s = icu::UnicodeString::fromUTF8(
      icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
  // Made once per thread: making one reads ICU's break rules.
  thread_local UErrorCode status = U_ZERO_ERROR;
  thread_local std::unique_ptr<icu::BreakIterator> clusters(
      icu::BreakIterator::createCharacterInstance(icu::Locale::getRoot(),
                                                  status));
  if (U_FAILURE(status)) {  // No break data: one column per code point.
    for (int32_t i = 0; i < s.length(); i = s.moveIndex32(i, 1)) {
      bytes += U8_LENGTH(s.char32At(i));
      if (!fn(bytes, ++columns)) return;
    }
    return;
  }
  clusters->setText(s);
  int32_t begin = clusters->first();
  for (int32_t end = clusters->next(); end != icu::BreakIterator::DONE;
       begin = end, end = clusters->next()) {
    for (int32_t i = begin; i < end; i = s.moveIndex32(i, 1)) {
      bytes += U8_LENGTH(s.char32At(i));
    }
    columns += ClusterWidth(s, begin, end);
    if (!fn(bytes, columns)) return;
  }
}

}  // namespace

std::string Join(const std::vector<std::string>& items, std::string_view sep) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += sep;
    out += items[i];
  }
  return out;
}

std::string JoinWords(const std::vector<std::string>& items,
                      std::string_view last) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) {
      out += i + 1 == items.size() ? " " + std::string(last) + " " : ", ";
    }
    out += items[i];
  }
  return out;
}

std::string Trim(std::string_view s) {
  constexpr std::string_view kBlanks = " \t\r\n\v\f";
  const size_t first = s.find_first_not_of(kBlanks);
  if (first == std::string_view::npos) return "";
  return std::string(s.substr(first, s.find_last_not_of(kBlanks) - first + 1));
}

std::string LowerAscii(std::string s) {
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return s;
}

size_t DisplayWidth(std::string_view text) {
  size_t width = 0;
  ForEachCluster(text, [&](size_t, size_t columns) {
    width = columns;
    return true;
  });
  return width;
}

std::string FitWidth(std::string_view text, size_t width) {
  if (DisplayWidth(text) <= width) return std::string(text);
  size_t keep = 0;
  ForEachCluster(text, [&](size_t bytes, size_t columns) {
    if (columns > width - 3) return false;
    keep = bytes;
    return true;
  });
  return std::string(text.substr(0, keep)) + "...";
}

std::string PadToWidth(std::string_view text, size_t width) {
  const size_t columns = DisplayWidth(text);
  std::string out(text);
  if (columns < width) out.append(width - columns, ' ');
  return out;
}

}  // namespace focus
