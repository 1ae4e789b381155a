// Trello board JSON in and out, and CSV for the Trust's spreadsheets.
#ifndef FOCUS_TRELLO_H_
#define FOCUS_TRELLO_H_

#include <map>
#include <string>
#include <vector>

#include "focus/board.h"
#include "focus/clock.h"
#include "focus/config.h"
#include "focus/error.h"

namespace focus {

// The largest export the import reads: far above a real board's (a
// 10,000-card board is about 20 MB), so a larger file is refused before it
// is parsed.
inline constexpr size_t kMaxTrelloExportBytes = 100u << 20;

struct TrelloImportOptions {
  bool allow_identifiers = false;  // Screening override for every card.
  // Today, for telling a plausible creation time in a card id from a
  // random one; when null, ImportTrello uses the board's clock and
  // PlanTrelloImport SystemClock().
  const Clock* clock = nullptr;
};

// One thing the import noticed: a problem (the import refuses the board
// until it is fixed) or a warning (imported, and the summary says how).
struct TrelloNote {
  // Problems: "unmapped-list", "no-area", "two-areas", "no-theme",
  // "no-team", "two-teams", "no-date". Warnings: "merged-skipped",
  // "no-answer", "no-reason", "unknown-label", "empty-list".
  std::string kind;
  std::string text;  // A sentence naming the JSON path and the card or list.
  Remedy remedy = Remedy::kNone;  // A text problem's way out (error.h).
};

// What the import would do with a board: the mapping `--dry-run` prints.
struct TrelloImportPlan {
  struct List {
    std::string path;  // "lists[2]"
    std::string name;
    int cards = 0;
    std::string state;  // A TicketStateName, or "" when unmapped.
    // "configured" (board.trello_lists), "state label" (named like a state),
    // "unmapped", or "empty" (unmapped, no cards: ignored).
    std::string how;
  };
  struct Label {
    std::string name;
    std::string kind;    // "theme", "area", "team" or "ignored".
    std::string target;  // The configured theme, area or team.
    int cards = 0;
  };
  std::vector<List> lists;    // In file order.
  std::vector<Label> labels;  // By name.
  // How the cards' areas were found: "label", "list", "title",
  // "description", "none" -> cards.
  std::map<std::string, int> area_from;
  int cards = 0;     // Cards read (archived and merged ones included).
  int tickets = 0;   // Tickets the import would make.
  int archived = 0;  // Of those, archived in Trello.
  int votes = 0;
  int comments = 0;
  int checklists = 0;
  int due_dates = 0;
  std::vector<TrelloNote> problems;
  std::vector<TrelloNote> warnings;
  // A board: section to paste into the configuration: every list's state
  // (unmapped ones with a guess to check) and the labels it did not match.
  std::string yaml;
};

// Reads a Trello board export and works out everything the import would do,
// writing nothing. A file that cannot be read as a board at all (not JSON,
// wrong types, duplicate ids, a card in a missing list) throws
// Error(kInvalidInput) naming the JSON path; text that identifies someone
// or is too long (first), what the configuration does not cover (lists,
// areas, themes, teams) and cards with no usable date are collected in
// `problems`, all of them.
TrelloImportPlan PlanTrelloImport(const Config& config,
                                  const std::string& json_text,
                                  const std::string& source,
                                  const TrelloImportOptions& options);

struct TrelloImportResult {
  int cards = 0;     // Tickets created.
  int archived = 0;  // Of which archived in Trello.
  int votes = 0;
  int comments = 0;  // Comment actions carried into ticket history.
  int checklists = 0;
  int due_dates = 0;
  std::vector<TrelloNote> warnings;
};

// Imports a Trello board export (lists, cards, labels, idMembersVoted, due,
// checklists, commentCard and createCard actions, archived cards) in one
// transaction: everything or nothing. List names map to states through
// board.trello_lists; a card's area comes from a label, else its list's
// name, else an area name or alias as a whole phrase in its title, else in
// its description; labels naming a configured theme or team (or an alias)
// set those. What tickets have no column for (due date, checklists,
// archived flag, unmatched labels, the card id) goes into the history as a
// "trello" entry, so ExportTrello writes it back. Throws Error(kInvalidInput)
// as PlanTrelloImport does, and for the first of its problems (saying how
// many more there are).
TrelloImportResult ImportTrello(Board& board, const Config& config,
                                const std::string& json_text,
                                const std::string& source,
                                const TrelloImportOptions& options,
                                const std::string& actor);

// The plan as people read it (lists, labels, area sources, problems, then
// the YAML), and as JSON.
std::string RenderTrelloPlanText(const TrelloImportPlan& plan);
std::string RenderTrelloPlanJson(const TrelloImportPlan& plan);

// The summary of an import's warnings for stderr: a count per kind and the
// first `examples` of each; `see_all`, when given, says in brackets after
// "... and N more" where the rest can be read.
std::string RenderTrelloWarnings(const std::vector<TrelloNote>& warnings,
                                 size_t examples = 10,
                                 const std::string& see_all = "");

// A Trello-compatible board export of every ticket (deterministic).
std::string ExportTrello(const Board& board, const Config& config);

// Every ticket as CSV: UTF-8 with a byte-order mark and CRLF so Excel opens
// it correctly; cells that a spreadsheet would run as a formula are
// neutralised.
std::string ExportCsv(const Board& board, const Config& config);

}  // namespace focus

#endif  // FOCUS_TRELLO_H_
