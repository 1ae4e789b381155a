// A fresh board database in its own file for one fuzz input; the file is
// removed when the ScratchBoard is dropped, so every input starts alike.
#ifndef FOCUS_TESTS_FUZZ_SCRATCH_BOARD_H_
#define FOCUS_TESTS_FUZZ_SCRATCH_BOARD_H_

#include <filesystem>
#include <memory>

#include "focus/board.h"
#include "focus/clock.h"
#include "focus/config.h"
#include "focus/store.h"

namespace focus::fuzz {

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
  }
  ~ScratchBoard() {
    board_.reset();
    store_.reset();
    Remove();
  }
  ScratchBoard(const ScratchBoard&) = delete;
  ScratchBoard& operator=(const ScratchBoard&) = delete;

  Board& board() { return *board_; }

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
};

}  // namespace focus::fuzz

#endif  // FOCUS_TESTS_FUZZ_SCRATCH_BOARD_H_
