// Board databases for fuzz targets, made once per process and put back to
// the same state before every input, so every input starts alike without
// paying for a new database (file, schema, migrations) each time.
#ifndef FOCUS_TESTS_FUZZ_SCRATCH_BOARD_H_
#define FOCUS_TESTS_FUZZ_SCRATCH_BOARD_H_

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "focus/board.h"
#include "focus/clock.h"
#include "focus/config.h"
#include "focus/store.h"
#include "focus/store_testing.h"

namespace focus::fuzz {

using testing::DatabaseSnapshot;

// A new, empty board database in its own file; Reset() empties it again.
// The file is removed when the ScratchBoard is dropped.
class ScratchBoard {
 public:
  // REQUIRES: config and clock outlive the ScratchBoard.
  ScratchBoard(const std::filesystem::path& path, const Config& config,
               const Clock& clock)
      : path_(path) {
    Remove();
    StoreOptions options;
    options.create_if_missing = true;
    store_ = std::make_unique<Store>(path.string(), options);
    board_ = std::make_unique<Board>(*store_, config, clock);
    empty_ = std::make_unique<DatabaseSnapshot>(path.string());
  }
  ~ScratchBoard() {
    empty_.reset();
    board_.reset();
    store_.reset();
    Remove();
  }
  ScratchBoard(const ScratchBoard&) = delete;
  ScratchBoard& operator=(const ScratchBoard&) = delete;

  Board& board() { return *board_; }

  // Back to the empty board it was made as.
  void Reset() { empty_->Restore(); }

  // Every ticket, merged ones included.
  size_t TicketCount() {
    TicketFilter all;
    all.include_merged = true;
    return board_->List(all).size();
  }

 private:
  void Remove() {
    for (const char* suffix : {"", "-wal", "-shm"}) {
      std::filesystem::remove(path_.string() + suffix);
    }
  }
  std::filesystem::path path_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<Board> board_;
  std::unique_ptr<DatabaseSnapshot> empty_;
};

}  // namespace focus::fuzz

#endif  // FOCUS_TESTS_FUZZ_SCRATCH_BOARD_H_
