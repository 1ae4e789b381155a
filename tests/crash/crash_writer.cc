// A board writer for the crash-safety test: opens (creating if needed) the
// database, then writes forever, one transaction per operation, until it is
// killed. Each operation is announced on stdout before it starts ("begin")
// and acknowledged after its transaction has committed ("ack"), one JSON
// object per line written with a single write(2), so a line is either whole
// or missing when the process dies. The test then checks that every
// acknowledged write is in the database and that nothing is half-applied.
//
// Usage: crash_writer --db PATH --seed N --run N [--today YYYY-MM-DD]
//   --run numbers this process's titles and notes so they are unique across
//   the test's many restarts.
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

#include "cli_errors.h"
#include "focus/board.h"
#include "focus/clock.h"
#include "focus/config.h"
#include "focus/error.h"
#include "focus/store.h"
#include "focus/trello.h"

namespace focus {
namespace {

using Json = nlohmann::ordered_json;

void Emit(const Json& line) {
  const std::string text = line.dump() + "\n";
  // One write: a line on the pipe is never torn by the kill.
  if (::write(1, text.data(), text.size()) !=
      static_cast<ssize_t>(text.size())) {
    std::_Exit(1);  // The test stopped reading.
  }
}

struct Args {
  std::string db;
  uint64_t seed = 0;
  int run = 0;
  std::string today = "2027-03-01";
};

Args ParseArgs(int argc, char** argv) {
  Args a;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string key = argv[i];
    const std::string value = argv[i + 1];
    if (key == "--db") {
      a.db = value;
    } else if (key == "--seed") {
      a.seed = std::stoull(value);
    } else if (key == "--run") {
      a.run = std::stoi(value);
    } else if (key == "--today") {
      a.today = value;
    } else {
      std::cerr << "crash_writer: unknown option " << key << "\n";
      std::exit(2);
    }
  }
  if (a.db.empty()) {
    std::cerr << "usage: crash_writer --db PATH --seed N --run N\n";
    std::exit(2);
  }
  return a;
}

class Writer {
 public:
  Writer(const Args& args, const Config& config, Board& board)
      : args_(args), config_(config), board_(board), rng_(args.seed) {
    TicketFilter all;
    all.include_merged = true;
    for (const Ticket& t : board_.List(all)) {
      if (t.state != TicketState::kMerged) open_.push_back(t.id);
      if (t.state == TicketState::kRaised) raised_.push_back(t.id);
    }
  }

  void Run() {
    for (int n = 0;; ++n) {
      const int pick = Uniform(0, 99);
      if (pick < 50 || open_.size() < 2) {
        Add(n);
      } else if (pick < 70) {
        Vote(n);
      } else if (pick < 80) {
        Merge();
      } else if (pick < 90) {
        Move(n);
      } else {
        Import(n);
      }
    }
  }

 private:
  int Uniform(int lo, int hi) {
    return std::uniform_int_distribution<int>(lo, hi)(rng_);
  }
  template <typename T>
  const T& Pick(const std::vector<T>& v) {
    return v[Uniform(0, static_cast<int>(v.size()) - 1)];
  }
  static void Remove(std::vector<int64_t>* v, int64_t id) {
    v->erase(std::remove(v->begin(), v->end(), id), v->end());
  }
  std::string Tag(const char* what, int n) const {
    return std::string(what) + "-" + std::to_string(args_.run) + "-" +
           std::to_string(n);
  }

  void Add(int n) {
    NewTicket t;
    t.title = Tag("add", n) + " waiting times at the clinic";
    t.details = "Said at the forum: " + std::string(Uniform(0, 300), 'x');
    t.area = Pick(config_.Forums())->slug;
    t.themes = {Pick(config_.board.themes)};
    if (Uniform(0, 1) == 1) {
      const std::string& second = Pick(config_.board.themes);
      if (second != t.themes[0]) t.themes.push_back(second);
    }
    t.team = Pick(config_.board.teams);
    t.raised_by = Uniform(1, 5);
    t.raised_on = *ParseIsoDate(args_.today);
    Emit({{"begin", "add"}, {"title", t.title}});
    const int64_t id = board_.AddTicket(t, "crash-writer");
    Emit({{"ack", "add"},
          {"id", id},
          {"title", t.title},
          {"details", t.details},
          {"area", t.area},
          {"themes", t.themes},
          {"team", t.team},
          {"raised_by", t.raised_by},
          {"raised_on", args_.today}});
    open_.push_back(id);
    raised_.push_back(id);
  }

  void Vote(int n) {
    const int64_t id = Pick(open_);
    const int count = Uniform(1, 4);
    const std::string note = Tag("vote", n);
    Emit({{"begin", "vote"}, {"id", id}, {"note", note}});
    board_.AddVotes(id, count, std::nullopt, note, "crash-writer");
    Emit({{"ack", "vote"}, {"id", id}, {"count", count}, {"note", note}});
  }

  void Merge() {
    const int64_t repeat = Pick(open_);
    int64_t into = Pick(open_);
    if (into == repeat) return;
    Emit({{"begin", "merge"}, {"repeat", repeat}, {"into", into}});
    board_.Merge(repeat, into, "crash-writer");
    Emit({{"ack", "merge"}, {"repeat", repeat}, {"into", into}});
    Remove(&open_, repeat);
    Remove(&raised_, repeat);
  }

  void Move(int n) {
    if (raised_.empty()) return;
    const int64_t id = Pick(raised_);
    const std::string reason = Tag("move", n);
    Emit({{"begin", "move"}, {"id", id}, {"note", reason}});
    board_.Move(id, TicketState::kSentToTrust, reason, "crash-writer");
    Emit({{"ack", "move"},
          {"id", id},
          {"state", "sent-to-trust"},
          {"note", reason}});
    Remove(&raised_, id);
  }

  // A Trello export of several cards, imported all or nothing.
  void Import(int n) {
    const std::string batch = Tag("import", n);
    const int cards = Uniform(1, 30);
    Json board = {{"id", "6abe21109ea5e97d2f481d54"},
                  {"name", "Crash test " + batch},
                  {"lists",
                   {{{"id", "list-raised"}, {"name", "Raised at forums"}},
                    {{"id", "list-sent"}, {"name", "Sent to the Trust"}}}},
                  {"labels",
                   {{{"id", "label-area"}, {"name", "Surrey Downs"}},
                    {{"id", "label-theme"}, {"name", "access"}},
                    {{"id", "label-team"}, {"name", config_.board.teams[0]}}}},
                  {"cards", Json::array()},
                  {"actions", Json::array()}};
    for (int i = 0; i < cards; ++i) {
      char id[25];
      // Trello ids start with the creation time: 2027-01-05, in hex.
      std::snprintf(id, sizeof id, "%08x%016x", 1799150400u, i);
      Json voters = Json::array();
      for (int v = Uniform(0, 3); v > 0; --v) {
        voters.push_back("member" + std::to_string(v));
      }
      board["cards"].push_back(
          {{"id", id},
           {"name", batch + " card " + std::to_string(i)},
           {"desc", "Imported in a batch of " + std::to_string(cards)},
           {"idList", Uniform(0, 1) ? "list-raised" : "list-sent"},
           {"idLabels", {"label-area", "label-theme", "label-team"}},
           {"idMembersVoted", voters},
           {"dateLastActivity", "2027-01-06T10:00:00.000Z"}});
    }
    Emit({{"begin", "import"}, {"batch", batch}, {"cards", cards}});
    TrelloImportResult r = ImportTrello(board_, config_, board.dump(),
                                        batch + ".json", {}, "crash-writer");
    Emit({{"ack", "import"}, {"batch", batch}, {"cards", r.cards}});
    // New ids are not reported by the import; they join the pool on the
    // next start.
  }

  const Args& args_;
  const Config& config_;
  Board& board_;
  std::mt19937_64 rng_;
  std::vector<int64_t> open_;    // Not merged: can take votes and merges.
  std::vector<int64_t> raised_;  // Still raised: can be sent to the Trust.
};

}  // namespace
}  // namespace focus

int main(int argc, char** argv) {
  const focus::Args args = focus::ParseArgs(argc, argv);
  try {
    const focus::Config config = focus::ParseConfig(
        focus::EmbeddedDefaultConfig(), "<built-in default configuration>");
    focus::FixedClock clock(*focus::ParseIsoDate(args.today));
    focus::StoreOptions options;
    options.create_if_missing = true;
    focus::Emit({{"begin", "open"}});
    focus::Store store(args.db, options);
    focus::Board board(store, config, clock);
    focus::Emit({{"ack", "open"}, {"schema_version", store.schema_version()}});
    focus::Writer(args, config, board).Run();
  } catch (const focus::Error& e) {
    std::cerr << "crash_writer: " << e.what() << "\n";
    return focus::cli::ExitStatus(e.kind());
  }
}
