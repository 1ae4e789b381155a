// Writes a large generated feedback board for the SLA benchmark:
//
//   make_bench_board DB TICKETS AS_OF [CONFIG]
//
// The schema comes from focus::Store (so it always matches the migrations);
// the rows go in with plain SQL in one transaction, because a million
// Board::AddTicket calls would take far longer than the benchmark itself.
// Tickets are spread evenly over the ten years before AS_OF, in id order
// like a real board, with the mix of states, pauses, themes, teams, merges
// and answers a board that long in use would have. Deterministic: the same
// arguments give the same database.
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "focus/board.h"
#include "focus/calendar_rules.h"
#include "focus/config.h"
#include "focus/error.h"
#include "focus/local_time.h"
#include "focus/store.h"
#include "focus/store_testing.h"

namespace {

namespace bg = boost::gregorian;

// A fixed-seed generator (splitmix64): the same board on every machine.
class Random {
 public:
  uint64_t Next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  int Below(int n) { return static_cast<int>(Next() % n); }
  bool Percent(int p) { return Below(100) < p; }

 private:
  uint64_t state_ = 20270115;
};

const char* kTitles[] = {
    "Appointment letters arrive after the appointment",
    "No accessible parking at the clinic",
    "Crisis line rings out at night",
    "Carers not told about discharge",
    "Waiting list letters stopped",
    "Hearing loop at the venue does not work",
    "Leaflets only in English",
    "Medication reviews cancelled at short notice",
    "Reception staff did not explain the delay",
    "No follow-up after discharge from the ward",
};

const char* kDetails =
    "Several people at the forum said this happened to them more than once "
    "in the last quarter, and that nobody told them why or what to do next.";

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4 || argc > 5) {
    std::cerr << "usage: make_bench_board DB TICKETS AS_OF [CONFIG]\n";
    return 2;
  }
  try {
    const std::string path = argv[1];
    const long count = std::stol(argv[2]);
    const std::optional<focus::Date> as_of = focus::ParseIsoDate(argv[3]);
    if (!as_of || count < 1) {
      std::cerr << "make_bench_board: bad TICKETS or AS_OF\n";
      return 2;
    }
    const focus::Config config =
        argc == 5 ? focus::LoadConfigFile(argv[4])
                  : focus::ParseConfig(focus::EmbeddedDefaultConfig(),
                                       "<built-in default configuration>");
    std::vector<std::string> areas;
    for (const focus::Area* a : config.Forums()) areas.push_back(a->slug);
    const std::vector<std::string>& themes = config.board.themes;
    const std::vector<std::string>& teams = config.board.teams;
    if (areas.empty() || themes.empty() || teams.empty()) {
      std::cerr << "make_bench_board: the configuration needs areas, themes "
                   "and teams\n";
      return 2;
    }
    const focus::HolidayCalendar holidays = config.MakeHolidayCalendar();

    std::filesystem::remove(path);
    std::filesystem::remove(path + "-wal");
    std::filesystem::remove(path + "-shm");
    focus::StoreOptions options;
    options.create_if_missing = true;
    focus::Store store(path, options);

    const focus::Date first = *as_of - bg::years(10);
    const long span = (*as_of - first).days();
    Random rnd;
    store.WriteTransaction([&](focus::Connection& db) {
      using focus::testing::Insert;
      Insert ticket(db,
                    "INSERT INTO tickets (id, title, details, area, team, "
                    "state, raised_on, forum_id, raised_by, votes_total, "
                    "sent_on, answer, answered_by, answered_on, "
                    "decline_reason, declined_on, merged_into, created_at, "
                    "paused_working_days, paused_since) VALUES (?1, ?2, ?3, "
                    "?4, ?5, ?6, ?7, NULL, ?8, ?9, ?10, ?11, ?12, ?13, ?14, "
                    "?15, ?16, ?17, ?18, ?19)");
      Insert theme(db,
                   "INSERT INTO ticket_themes (ticket_id, theme, position) "
                   "VALUES (?1, ?2, ?3)");
      Insert history(db,
                     "INSERT INTO history (ticket_id, at, actor, field, "
                     "old_value, new_value, note) VALUES (?1, ?2, "
                     "'facilitator', 'created', '', ?3, 'generated')");
      Insert vote(db,
                  "INSERT INTO votes (ticket_id, forum_id, count, note, at, "
                  "actor) VALUES (?1, NULL, ?2, 'raised again', ?3, "
                  "'facilitator')");

      for (long id = 1; id <= count; ++id) {
        const focus::Date raised = first + bg::days(span * (id - 1) / count);
        const long age = (*as_of - raised).days();
        const std::string raised_text = focus::FormatIsoDate(raised);
        // A working day a few working days on, never after the report date.
        auto later = [&](int max_days) {
          const focus::Date d =
              holidays.AddWorkingDays(raised, 1 + rnd.Below(max_days));
          return focus::FormatIsoDate(std::min(d, *as_of));
        };

        // Old tickets are mostly settled; recent ones mostly open.
        const int roll = rnd.Below(1000);
        std::string state, sent_on, answer, answered_by, answered_on, reason,
            declined_on, paused_since;
        int64_t merged_into = 0;
        int paused_days = rnd.Percent(8) ? 1 + rnd.Below(10) : 0;
        const bool settled = age > 60 ? roll < 985 : roll < 300;
        if (settled) {
          const int kind = rnd.Below(100);
          sent_on = later(6);
          if (kind < 85) {
            state = kind < 65   ? "closed"
                    : kind < 80 ? "answered"
                                : "in-progress";
            answer = "Thank you: the team has changed how this works.";
            answered_by = "Head of Community Services";
            answered_on = later(30);
          } else if (kind < 93) {
            state = "declined";
            reason = "This is outside what the Trust runs.";
            declined_on = later(30);
          } else if (id > 1) {
            state = "merged";
            merged_into = 1 + rnd.Below(static_cast<int>(id - 1));
          } else {
            state = "closed";
            answer = "Done.";
            answered_by = "Patient Experience";
            answered_on = later(30);
          }
        } else {
          const int kind = rnd.Below(100);
          if (kind < 30) {
            state = "raised";
            paused_days = 0;
          } else if (kind < 70) {
            state = "sent-to-trust";
            sent_on = later(6);
          } else if (kind < 80) {
            state = "escalated";
          } else {
            state = "waiting-for-forum";
            sent_on = later(6);
            paused_since = later(10);
          }
        }
        const int raised_by = 1 + rnd.Below(4);
        const int extra_votes = rnd.Percent(5) ? 1 + rnd.Below(5) : 0;
        const std::string created_at = raised_text + "T19:00:00Z";

        ticket.Int(1, id)
            .Text(2, kTitles[rnd.Below(10)])
            .Text(3, kDetails)
            .Text(4, areas[rnd.Below(static_cast<int>(areas.size()))])
            .Text(5, teams[rnd.Below(static_cast<int>(teams.size()))])
            .Text(6, state)
            .Text(7, raised_text)
            .Int(8, raised_by)
            .Int(9, raised_by + extra_votes)
            .OptText(10, sent_on)
            .Text(11, answer)
            .Text(12, answered_by)
            .OptText(13, answered_on)
            .Text(14, reason)
            .OptText(15, declined_on)
            .Text(17, created_at)
            .Int(18, paused_days)
            .OptText(19, paused_since);
        if (merged_into > 0) {
          ticket.Int(16, merged_into);
        } else {
          ticket.Null(16);
        }
        ticket.Run();

        // One to three distinct themes, the first ones most common.
        const int n_themes = rnd.Percent(70) ? 1 : rnd.Percent(70) ? 2 : 3;
        std::vector<int> picked;
        while (static_cast<int>(picked.size()) < n_themes) {
          const int t = rnd.Below(static_cast<int>(themes.size()));
          bool seen = false;
          for (int p : picked) seen = seen || p == t;
          if (!seen) picked.push_back(t);
        }
        for (size_t i = 0; i < picked.size(); ++i) {
          theme.Int(1, id).Text(2, themes[picked[i]]).Int(3, i).Run();
        }
        history.Int(1, id).Text(2, created_at).Text(3, kTitles[id % 10]).Run();
        if (extra_votes > 0) {
          vote.Int(1, id).Int(2, extra_votes).Text(3, created_at).Run();
        }
      }
    });
    std::cout << path << ": " << count << " tickets raised "
              << focus::FormatIsoDate(first) << " to "
              << focus::FormatIsoDate(*as_of) << "\n";
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "make_bench_board: " << e.what() << "\n";
    return 1;
  }
}
