// "As of" a date means as the history stood at the end of that date
// (Board::AsOf): a property test over thousands of random dated histories.
//
// Each history is a seeded random run of dated actions (forums, adds, votes,
// moves, pauses, answers, declines, merges). One board sees every action; a
// second sees them one day at a time. At random days D the outputs the first
// computes as of D must be byte-identical to those of the second, which has
// only ever seen the actions up to D.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "focus/board.h"
#include "focus/board_output.h"
#include "focus/error.h"
#include "focus/newsletter.h"
#include "focus/plan.h"
#include "focus/report.h"
#include "focus/sla.h"
#include "temp_dir.h"
#include "test_database.h"

namespace focus {
namespace {

// One action on a board. Applied to both boards in the same order, so ids
// agree; an action the board refuses changes nothing on either.
using Action = std::function<void(Board&)>;

struct DatedAction {
  Date on;
  Action act;
};

const char* const kThemes[] = {"access", "communication", "carers",
                               "crisis care"};
const char* const kAreas[] = {"east-surrey", "northwest-surrey",
                              "surrey-downs"};

// A random history of `days` days from `start`, built against `board` so
// that most actions are valid (the board's own state picks their targets).
class HistoryMaker {
 public:
  HistoryMaker(uint64_t seed, Board& board, FixedClock& clock)
      : rng_(seed), board_(board), clock_(clock) {}

  std::vector<DatedAction> Make(Date start, int days) {
    std::vector<DatedAction> out;
    for (int i = 0; i < days; ++i) {
      const Date day = start + boost::gregorian::days(i);
      clock_.Set(LondonToUnix(day, TimeOfDay{12 * 60}));
      const int n = Pick(0, 3);
      for (int k = 0; k < n; ++k) {
        Action a = Next(day);
        Apply(a);
        out.push_back({day, std::move(a)});
      }
    }
    return out;
  }

 private:
  int Pick(int lo, int hi) {
    return std::uniform_int_distribution<int>(lo, hi)(rng_);
  }

  void Apply(const Action& a) {
    try {
      a(board_);
    } catch (const Error&) {
      // Refused: the other board refuses it too.
    }
  }

  int64_t SomeTicket() {
    const std::vector<Ticket> all = board_.List(TicketFilter{});
    if (all.empty()) return 1;
    return all[Pick(0, static_cast<int>(all.size()) - 1)].id;
  }

  Action Next(Date day) {
    const int kind = Pick(0, 10);
    if (kind <= 2 || board_.List(TicketFilter{}).empty()) return Add(day);
    const int64_t id = SomeTicket();
    switch (kind) {
      case 3: {
        const int count = Pick(1, 3);
        return [id, count](Board& b) { b.AddVotes(id, count, {}, "", "t"); };
      }
      case 4:
        return Move(id, TicketState::kSentToTrust);
      case 5:
        return Move(id, Pick(0, 1) ? TicketState::kWaitingForForum
                                   : TicketState::kInProgress);
      case 6: {
        const bool doing = Pick(0, 2) == 0;
        const std::string text = "Answer " + std::to_string(Pick(1, 9));
        return [id, doing, text](Board& b) {
          b.Answer(id, text, "PALS", doing, false, "t");
        };
      }
      case 7:
        return Pick(0, 1) ? Move(id, TicketState::kClosed)
                          : Move(id, TicketState::kDeclined);
      case 8: {
        // A forum today gives its verdict on the ticket's answer.
        const std::string area = kAreas[Pick(0, 2)];
        const Verdict verdict = static_cast<Verdict>(Pick(0, 2));
        return [id, area, day, verdict](Board& b) {
          ForumRecord f;
          f.area = area;
          f.held_on = day;
          const int64_t forum = b.RecordForum(f, "t");
          b.RecordVerdict(id, forum, verdict, "Not what we see", "t");
        };
      }
      default: {
        const int64_t into = SomeTicket();
        return [id, into](Board& b) { b.Merge(id, into, "t"); };
      }
    }
  }

  Action Add(Date day) {
    NewTicket t;
    t.title = "Point " + std::to_string(Pick(1, 1000));
    t.area = kAreas[Pick(0, 2)];
    t.themes = {kThemes[Pick(0, 3)]};
    if (Pick(0, 2) == 0) t.themes.push_back(kThemes[Pick(0, 3)]);
    t.team = "PALS";
    t.raised_by = Pick(1, 3);
    t.raised_on = day - boost::gregorian::days(Pick(0, 2));
    return [t](Board& b) { b.AddTicket(t, "t"); };
  }

  Action Move(int64_t id, TicketState to) {
    return [id, to](Board& b) { b.Move(id, to, "Because of the budget", "t"); };
  }

  std::mt19937_64 rng_;
  Board& board_;
  FixedClock& clock_;
};

// A board of its own: a file in `dir`, or in the PostgreSQL variant a
// database of its own.
struct TestBoard {
  TestBoard(const std::string& dir, const Config& config, Date today)
      : database(dir),
        clock(today),
        store(database.name(),
              [] {
                StoreOptions o;
                o.create_if_missing = true;
                return o;
              }()),
        board(store, config, clock) {}
  TestDatabase database;
  FixedClock clock;
  Store store;
  Board board;
};

// Everything computed as of `d` that a person reads: the board list, the
// response-time report, the month's report, the quarter's newsletter and
// Development Group pack.
std::vector<std::string> OutputsAsOf(const Config& config, const Board& board,
                                     const Plan& plan, Date d) {
  std::vector<Ticket> listed;
  for (Ticket& t : board.AsOf(d)) {
    if (t.state != TicketState::kMerged) listed.push_back(std::move(t));
  }
  const auto [year, round] = RoundOfDate(config, d);
  const Quarter q{year, round};
  return {
      RenderTicketListJson(config, listed, d),
      RenderSlaReportJson(config, BuildBoardSlaReport(config, board, d)),
      BuildMonthlyReportView(config, board, Month{d.year(), d.month()}, d)
          .dump(1),
      BuildNewsletterView(config, board, plan, q, d).dump(1),
      BuildDevelopmentGroupView(config, board, plan, q, d).dump(1),
  };
}

// Thousands of small databases: in memory-backed /dev/shm where there is
// one, where syncing costs nothing.
std::string FastFolder() {
  std::error_code ec;
  return std::filesystem::is_directory("/dev/shm", ec) ? "/dev/shm" : "";
}

// The ticket numbers of a newsletter list, grouped by theme or not.
std::set<std::string> Numbers(const nlohmann::json& list) {
  std::set<std::string> out;
  for (const nlohmann::json& item : list) {
    if (item.contains("tickets")) {
      for (const nlohmann::json& t : item["tickets"]) out.insert(t["number"]);
    } else {
      out.insert(item["number"].get<std::string>());
    }
  }
  return out;
}

// The newsletter reconciles with itself: each count is its list's length,
// no ticket is both answered and waiting, and the responses counted against
// the agreed time are among those it lists.
void ExpectNewsletterReconciles(const nlohmann::json& v) {
  const std::set<std::string> did = Numbers(v["we_did"]);
  const std::set<std::string> doing = Numbers(v["we_are_doing"]);
  const std::set<std::string> declined = Numbers(v["declined"]);
  const std::set<std::string> waiting = Numbers(v["waiting"]);
  EXPECT_EQ(v["we_did_count"], did.size());
  EXPECT_EQ(v["we_are_doing_count"], doing.size());
  EXPECT_EQ(v["declined_count"], declined.size());
  EXPECT_EQ(v["waiting_count"], waiting.size());
  for (const std::set<std::string>* answered : {&did, &doing, &declined}) {
    for (const std::string& n : *answered) {
      EXPECT_EQ(waiting.count(n), 0u) << "#" << n << " answered and waiting";
    }
  }
  const int responses = v["responses"];
  EXPECT_EQ(responses,
            v["responses_on_time"].get<int>() + v["responses_late"].get<int>());
  EXPECT_LE(responses,
            static_cast<int>(did.size() + doing.size() + declined.size()));
  EXPECT_EQ(v["nothing_answered"],
            did.empty() && doing.empty() && declined.empty());
  if (v["nothing_answered"]) {
    EXPECT_EQ(responses, 0);
  }
}

// Compares `histories` random histories, from seed 0.
void CompareHistories(int histories) {
  const Config config = ParseConfig(EmbeddedDefaultConfig(), "test");
  const Date start(2027, 1, 4);
  const Plan plan = PlanYear(config, 2027);
  constexpr int kDays = 16;
  int compared = 0;
  for (int h = 0; h < histories; ++h) {
    SCOPED_TRACE("history seed " + std::to_string(h));
    TempDir full_dir(FastFolder()), step_dir(FastFolder());
    TestBoard full(full_dir.path(), config, start);
    const std::vector<DatedAction> history =
        HistoryMaker(h, full.board, full.clock).Make(start, kDays);

    // Days to compare: a few at random, among those the history covers.
    std::mt19937_64 rng(h ^ 0x5eed);
    std::vector<bool> check(kDays, false);
    for (int k = 0; k < 2; ++k) {
      check[std::uniform_int_distribution<int>(0, kDays - 1)(rng)] = true;
    }
    TestBoard step(step_dir.path(), config, start);
    size_t next = 0;
    for (int i = 0; i < kDays; ++i) {
      const Date day = start + boost::gregorian::days(i);
      step.clock.Set(LondonToUnix(day, TimeOfDay{12 * 60}));
      for (; next < history.size() && history[next].on == day; ++next) {
        try {
          history[next].act(step.board);
        } catch (const Error&) {
        }
      }
      if (!check[i]) continue;
      const std::vector<std::string> outputs =
          OutputsAsOf(config, full.board, plan, day);
      ASSERT_EQ(outputs, OutputsAsOf(config, step.board, plan, day))
          << "as of " << FormatIsoDate(day);
      ExpectNewsletterReconciles(nlohmann::json::parse(outputs[3]));
      ++compared;
    }
  }
  EXPECT_GT(compared, histories);
}

// Thousands of histories (FOCUS_AS_OF_HISTORIES to change how many): slow,
// so on SQLite only.
TEST(AsOfTest, OutputsAsOfADayIgnoreEverythingRecordedLater) {
  const char* histories = std::getenv("FOCUS_AS_OF_HISTORIES");
  CompareHistories(histories ? std::atoi(histories) : 2000);
}

// The first few of the same histories, on each backend.
TEST(AsOfTest, AFewHistoriesOnEachBackend) {
  FOCUS_SKIP_WITHOUT_DATABASE();
  CompareHistories(20);
}

}  // namespace
}  // namespace focus
