// Fuzzes the Trello importer (focus/trello.h) with arbitrary bytes as the
// board export, against the default configuration and a real board database
// in a temporary folder.
//
// Any input must import or be refused with Error(kInvalidInput) naming the
// file; a refused import must change nothing (all or nothing); an import
// that succeeds must create exactly the cards it reports, and the board it
// produces must export and import again into an empty board with the same
// number of cards (the export is meant to re-import).
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "focus/board.h"
#include "focus/clock.h"
#include "focus/config.h"
#include "focus/error.h"
#include "focus/store.h"
#include "focus/trello.h"
#include "fuzz_check.h"
#include "scratch_board.h"

namespace fs = std::filesystem;

namespace {

constexpr char kSource[] = "fuzz.json";

using focus::fuzz::ScratchBoard;

struct State {
  focus::Config config;
  std::unique_ptr<focus::FixedClock> clock;
  fs::path dir;
  std::unique_ptr<ScratchBoard> board;
  std::unique_ptr<ScratchBoard> again;  // For the round trip.
};

State& Global() {
  static State* state = [] {
    auto* s = new State;
    s->config = focus::ParseConfig(focus::EmbeddedDefaultConfig(),
                                   "<built-in default configuration>");
    // A fixed "today" after every date in the seed corpus.
    s->clock =
        std::make_unique<focus::FixedClock>(*focus::ParseIsoDate("2027-06-30"));
    // Memory-backed when available: the store syncs every commit.
    const char* base = fs::is_directory("/dev/shm") ? "/dev/shm" : nullptr;
    fs::path root = base ? fs::path(base) : fs::temp_directory_path();
    s->dir = root / ("focus-trello-fuzz-" + std::to_string(::getpid()));
    fs::create_directories(s->dir);
    s->board = std::make_unique<ScratchBoard>(s->dir / "board.db", s->config,
                                              *s->clock);
    s->again = std::make_unique<ScratchBoard>(s->dir / "again.db", s->config,
                                              *s->clock);
    std::atexit([] {
      Global().board.reset();
      Global().again.reset();
      fs::remove_all(Global().dir);
    });
    return s;
  }();
  return *state;
}

focus::TrelloImportResult Import(focus::Board& board, const std::string& text) {
  State& s = Global();
  return focus::ImportTrello(board, s.config, text, kSource, {}, "fuzzer");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  State& s = Global();
  const std::string text(reinterpret_cast<const char*>(data), size);
  // Every input starts from an empty board, so inputs do not depend on each
  // other (a failed import leaves it as it was: nothing to put back).
  s.board->Reset();
  focus::TrelloImportResult result;
  try {
    result = Import(s.board->board(), text);
  } catch (const focus::Error& e) {
    focus::fuzz::CheckEngineError(e, focus::ErrorKind::kInvalidInput);
    const std::string what = e.what();
    FUZZ_CHECK(what.rfind(kSource, 0) == 0,
               "error does not name the file: " + what);
    FUZZ_CHECK(s.board->TicketCount() == 0,
               "a refused import left tickets behind: " + what);
    return 0;
  }
  FUZZ_CHECK(s.board->TicketCount() == static_cast<size_t>(result.cards),
             "import created a different number of tickets than reported");
  FUZZ_CHECK(result.archived <= result.cards, "more archived than cards");

  // Round trip: what the board exports must import again, card for card.
  const std::string exported = focus::ExportTrello(s.board->board(), s.config);
  s.again->Reset();
  try {
    const focus::TrelloImportResult second = Import(s.again->board(), exported);
    FUZZ_CHECK(second.cards == result.cards,
               "re-import of the export gave a different number of cards");
  } catch (const focus::Error& e) {
    FUZZ_CHECK(false,
               std::string("the export does not re-import: ") + e.what());
  }
  return 0;
}
