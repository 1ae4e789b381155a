// CSV as spreadsheets read it, for every CSV file focus writes (the board
// export, the reports' tables).
#ifndef FOCUS_CSV_H_
#define FOCUS_CSV_H_

#include <string>
#include <vector>

namespace focus {

// Rows (the first is the header) as a CSV file: UTF-8 with a byte-order
// mark and CRLF line ends, so Excel opens it correctly; RFC 4180 quoting;
// a cell a spreadsheet would run as a formula (starting = + - @, tab or CR)
// gets a leading apostrophe and is shown as text.
std::string RenderCsv(const std::vector<std::vector<std::string>>& rows);

}  // namespace focus

#endif  // FOCUS_CSV_H_
