// Trello board JSON in and out, and CSV for the Trust's spreadsheets.
#ifndef FOCUS_TRELLO_H_
#define FOCUS_TRELLO_H_

#include <string>
#include <vector>

#include "focus/board.h"
#include "focus/config.h"

namespace focus {

struct TrelloImportOptions {
  bool allow_identifiers = false;  // Screening override for every card.
};

struct TrelloImportResult {
  int cards = 0;     // Tickets created.
  int archived = 0;  // Of which archived in Trello.
  int votes = 0;
  int comments = 0;  // Comment actions carried into ticket history.
  std::vector<std::string> warnings;
};

// Imports a Trello board export (lists, cards, labels, idMembersVoted, due,
// commentCard actions, archived cards) in one transaction: everything or
// nothing. List names map to states through board.trello_lists; labels
// naming a configured theme, area or team set those fields. A malformed or
// truncated file, or a card that fails validation, throws
// Error(kInvalidInput) naming the JSON path, e.g. "cards[3].idList".
TrelloImportResult ImportTrello(Board& board, const Config& config,
                                const std::string& json_text,
                                const std::string& source,
                                const TrelloImportOptions& options,
                                const std::string& actor);

// A Trello-compatible board export of every ticket (deterministic).
std::string ExportTrello(const Board& board, const Config& config);

// Every ticket as CSV: UTF-8 with a byte-order mark and CRLF so Excel opens
// it correctly; cells that a spreadsheet would run as a formula are
// neutralised.
std::string ExportCsv(const Board& board, const Config& config);

// Rows (the first is the header) as such a CSV file: byte-order mark, CRLF,
// RFC 4180 quoting, formula cells neutralised. Shared by every CSV focus
// writes (the board export, the reports' tables).
std::string RenderCsv(const std::vector<std::vector<std::string>>& rows);

}  // namespace focus

#endif  // FOCUS_TRELLO_H_
