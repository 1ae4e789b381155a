// A test fixture with a fresh board database (a SQLite file in a temporary
// folder, or a PostgreSQL database in a suite's `.postgresql` variant: see
// test_database.h), a configuration and a clock the test moves: for the
// board's own tests and for what is built from the board (response times,
// newsletter, reports).
#ifndef FOCUS_TESTS_BOARD_FIXTURE_H_
#define FOCUS_TESTS_BOARD_FIXTURE_H_

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <utility>

#include "focus/board.h"
#include "focus/clock.h"
#include "focus/config.h"
#include "focus/local_time.h"
#include "focus/store.h"
#include "temp_dir.h"
#include "test_database.h"

namespace focus {

class BoardFixture : public ::testing::Test {
 protected:
  // The built-in configuration, on Mon 4 Jan 2027.
  BoardFixture()
      : BoardFixture(ParseConfig(EmbeddedDefaultConfig(), "test"),
                     Date(2027, 1, 4)) {}
  // A subclass may still change config_ in its constructor: the board is
  // made in SetUp.
  BoardFixture(Config config, Date today)
      : config_(std::move(config)), clock_(today) {}

  void SetUp() override {
    FOCUS_SKIP_WITHOUT_DATABASE();
    dir_ = temp_.path();
    database_ = std::make_unique<TestDatabase>(dir_);
    path_ = database_->name();
    StoreOptions options;
    options.create_if_missing = true;
    store_ = std::make_unique<Store>(path_, options);
    board_ = std::make_unique<Board>(*store_, config_, clock_);
  }
  void TearDown() override {
    board_.reset();
    store_.reset();
    database_.reset();
  }

  // Moves the clock to noon, London time, on `d`.
  void On(Date d) { clock_.Set(LondonToUnix(d, TimeOfDay{12 * 60})); }

  Config config_;
  FixedClock clock_;
  TempDir temp_;
  std::string dir_;  // The temporary folder.
  std::unique_ptr<TestDatabase> database_;
  std::string path_;  // The database: a file in dir_, or a URL.
  std::unique_ptr<Store> store_;
  std::unique_ptr<Board> board_;
};

}  // namespace focus

#endif  // FOCUS_TESTS_BOARD_FIXTURE_H_
