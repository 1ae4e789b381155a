// The configuration the board tests start from: the built-in one with the
// values their expectations rely on pinned, so edits to config/focus.yaml do
// not move them. Each test then sets what it is about (its teams, themes,
// Trello lists).
#ifndef FOCUS_TESTS_TEST_CONFIG_H_
#define FOCUS_TESTS_TEST_CONFIG_H_

#include "focus/config.h"

namespace focus {

inline Config TestConfig() {
  Config c = ParseConfig(EmbeddedDefaultConfig(), "test");
  c.first_round_month = 1;  // Rounds start in January, April, July, October.
  c.board.max_title_chars = 120;
  c.board.max_text_chars = 2000;
  // Every ticket: 5 working days to be sent to the Trust, 20 to an answer,
  // "due soon" from 5 working days before.
  c.board.response_times = SlaRule{5, 20};
  c.board.response_times_by_theme.clear();
  c.board.response_times_by_team.clear();
  c.board.due_soon_working_days = 5;
  return c;
}

}  // namespace focus

#endif  // FOCUS_TESTS_TEST_CONFIG_H_
