#include "focus/csv.h"

namespace focus {
namespace {

// One cell: quoted when it holds a comma, quote or line break; a formula's
// first character made harmless first.
std::string CsvCell(const std::string& value) {
  std::string v = value;
  if (!v.empty() && std::string("=+-@\t\r").find(v[0]) != std::string::npos) {
    v.insert(0, "'");
  }
  if (v.find_first_of(",\"\r\n") == std::string::npos) return v;
  std::string out = "\"";
  for (char c : v) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

}  // namespace

std::string RenderCsv(const std::vector<std::vector<std::string>>& rows) {
  std::string out = "\xEF\xBB\xBF";  // Byte-order mark: Excel reads UTF-8.
  for (const std::vector<std::string>& cells : rows) {
    for (size_t i = 0; i < cells.size(); ++i) {
      if (i > 0) out += ',';
      out += CsvCell(cells[i]);
    }
    out += "\r\n";
  }
  return out;
}

}  // namespace focus
