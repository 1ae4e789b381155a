#include "focus/csv.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace focus {
namespace {

TEST(RenderCsvTest, ByteOrderMarkAndCrlf) {
  EXPECT_EQ(RenderCsv({}), "\xEF\xBB\xBF");
  EXPECT_EQ(RenderCsv({{"id", "title"}, {"1", "Parking"}}),
            "\xEF\xBB\xBFid,title\r\n1,Parking\r\n");
}

TEST(RenderCsvTest, EachCellAsASpreadsheetMustReadIt) {
  const struct {
    const char* cell;
    const char* written;
  } kCases[] = {
      {"plain", "plain"},
      {"", ""},
      {"a, b", "\"a, b\""},
      {"say \"hi\"", "\"say \"\"hi\"\"\""},
      {"two\nlines", "\"two\nlines\""},
      // A spreadsheet would run these as formulas: shown as text instead.
      {"=1+1", "'=1+1"},
      {"+44 20", "'+44 20"},
      {"-5", "'-5"},
      {"@SUM(A1)", "'@SUM(A1)"},
      {"\tx", "'\tx"},
      {"=HYPERLINK(\"x\",\"y\")", "\"'=HYPERLINK(\"\"x\"\",\"\"y\"\")\""},
      {"caf\xC3\xA9", "caf\xC3\xA9"},
  };
  for (const auto& c : kCases) {
    EXPECT_EQ(RenderCsv({{c.cell}}),
              std::string("\xEF\xBB\xBF") + c.written + "\r\n")
        << c.cell;
  }
}

}  // namespace
}  // namespace focus
