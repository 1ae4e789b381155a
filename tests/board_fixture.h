// A test fixture with a fresh board database in a temporary folder, the
// built-in configuration and a clock the test moves, for the tests of what
// is built from the board (newsletter, reports).
#ifndef FOCUS_TESTS_BOARD_FIXTURE_H_
#define FOCUS_TESTS_BOARD_FIXTURE_H_

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <memory>
#include <string>

#include "focus/board.h"
#include "focus/clock.h"
#include "focus/config.h"
#include "focus/local_time.h"
#include "focus/store.h"

namespace focus {

class BoardFixture : public ::testing::Test {
 protected:
  BoardFixture()
      : config_(ParseConfig(EmbeddedDefaultConfig(), "test")),
        clock_(Date(2027, 1, 4)) {}

  void SetUp() override {
    namespace fs = std::filesystem;
    std::string pattern =
        (fs::temp_directory_path() / "focus-board-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    StoreOptions options;
    options.create_if_missing = true;
    store_ = std::make_unique<Store>((fs::path(dir_) / "focus.db").string(),
                                     options);
    board_ = std::make_unique<Board>(*store_, config_, clock_);
  }
  void TearDown() override {
    board_.reset();
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  // Moves the clock to noon, London time, on `d`.
  void On(Date d) { clock_.Set(LondonToUnix(d, TimeOfDay{12 * 60})); }

  Config config_;
  FixedClock clock_;
  std::string dir_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<Board> board_;
};

}  // namespace focus

#endif  // FOCUS_TESTS_BOARD_FIXTURE_H_
