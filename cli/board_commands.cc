// focus init, db copy, forum, board, sla, import, export.
#include <filesystem>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli_common.h"
#include "focus/board.h"
#include "focus/board_output.h"
#include "focus/changes.h"
#include "focus/clock.h"
#include "focus/error.h"
#include "focus/file_system.h"
#include "focus/notify.h"
#include "focus/plan.h"
#include "focus/sla.h"
#include "focus/store.h"
#include "focus/trello.h"

namespace focus::cli {
namespace {

// Tickets and forums are numbered by SQLite from 1.
constexpr int64_t kMaxId = std::numeric_limits<int64_t>::max();

StoreOptions OpenOptions(bool create) {
  StoreOptions options;
  options.create_if_missing = create;
  return options;
}

// The configuration, database and board one command works with.
struct Session {
  explicit Session(const GlobalOptions& g, bool create = false)
      : config(LoadConfig(ConfigPath(g))),
        store(DbPath(g), OpenOptions(create)),
        board(store, config, SystemClock()) {}

  Config config;
  Store store;
  Board board;
};

// A forum given as a number ("7") or as the plan id of a recorded forum
// ("2027-r1-east-surrey").
std::optional<int64_t> ResolveForum(const Board& board,
                                    const std::string& text) {
  if (text.empty()) return std::nullopt;
  if (text.find_first_not_of("0123456789") == std::string::npos) {
    return ParseWholeNumber("--forum", text, 1, kMaxId);
  }
  for (const ForumRecord& f : board.Forums()) {
    if (f.plan_id == text) return f.id;
  }
  ThrowInvalid("--forum: no forum recorded with plan id '" + text +
               "'; record it first with `focus forum record " + text + "`");
}

void PrintTicket(const GlobalOptions& g, const Session& s, int64_t id) {
  const Ticket t = s.board.Get(id);
  const Date today = SystemClock().Today();
  std::cout << (g.json
                    ? RenderTicketJson(s.config, t, s.board.History(id), today)
                    : RenderTicketText(s.config, t, s.board.History(id),
                                       today));
}

void AddInit(CLI::App& app, GlobalOptions& g) {
  app.add_subcommand("init",
                     "Create the board database (or upgrade an older one).\n"
                     "Example: focus init --db /srv/focus/focus.db")
      ->callback([&g] {
        Store store(DbPath(g), OpenOptions(true));
        if (g.json) {
          std::cout << nlohmann::ordered_json{{"db", store.path()},
                                              {"schema_version",
                                               store.schema_version()}}
                           .dump(2)
                    << "\n";
        } else {
          std::cout << store.path() << ": ready (schema version "
                    << store.schema_version() << ")\n";
        }
      });
}

// focus db copy: the engine copies; this names what it copied.
void AddDbCopy(CLI::App& app) {
  CLI::App* db = app.add_subcommand("db", "Work on the board database itself.");
  db->require_subcommand(1);
  CLI::App* copy = db->add_subcommand(
      "copy",
      "Copy the whole board, history included, into an empty database "
      "(a SQLite file or a postgresql:// URL), in one transaction.\n"
      "Example: focus db copy --from focus.db --to "
      "postgresql://focus@db.example/focus");
  auto ends = std::make_shared<std::pair<std::string, std::string>>();
  copy->add_option("--from", ends->first, "the board to copy (a file or a URL)")
      ->required();
  copy->add_option("--to", ends->second,
                   "an empty or new database to copy into")
      ->required();
  copy->callback([ends] {
    const auto& [from, to] = *ends;
    std::string counts;
    for (const auto& [table, rows] : CopyBoard(from, to)) {
      counts +=
          (counts.empty() ? "" : ", ") + std::to_string(rows) + " " + table;
    }
    std::cout << "Copied " << DatabaseName(from) << " to " << DatabaseName(to)
              << ": " << counts << "\n";
  });
}

struct ForumArgs {
  std::string plan_id;
  std::string area;
  std::string date;
  std::string format;
  std::string title;
  Attendance attendance;
  std::vector<std::string> apologies;
};

// The forum the arguments describe: a planned forum (area, date and format
// from the plan unless given) or an ad hoc one.
ForumRecord ForumOfArgs(const GlobalOptions& g, const Session& s,
                        const ForumArgs& a) {
  ForumRecord f;
  f.plan_id = a.plan_id;
  f.title = a.title;
  f.attendance = a.attendance;
  f.apologies = a.apologies;
  f.area = a.area;
  if (!a.format.empty()) {
    f.format = a.format == "virtual" ? Format::kVirtual : Format::kInPerson;
  }
  if (!a.plan_id.empty()) {
    // Take area, date and format from the plan unless given.
    std::optional<int> year = PlanYearOfId(a.plan_id);
    if (!year) {
      ThrowInvalid("'" + a.plan_id +
                   "' is not a forum id; forum ids look like "
                   "2027-r1-east-surrey (see plan.json)");
    }
    const Plan plan =
        PlanYear(s.config, *year,
                 LoadChanges(DiskFileSystem(), ChangesPathFor(ConfigPath(g))));
    const Event* e = FindEvent(plan, a.plan_id);
    if (e == nullptr || e->kind != EventKind::kForum) {
      ThrowInvalid("'" + a.plan_id + "' is not a forum in the " +
                   std::to_string(*year) + " plan");
    }
    if (f.area.empty()) f.area = e->area_slug;
    f.held_on = e->date;
    if (a.format.empty()) f.format = *e->format;
  } else if (a.area.empty() || a.date.empty() || a.format.empty()) {
    ThrowInvalid(
        "give the forum's id from the plan, or --area, --date and --format "
        "for an ad hoc forum");
  }
  if (!a.date.empty()) f.held_on = ParseDateOption("--date", a.date);
  return f;
}

void AddForum(CLI::App& app, GlobalOptions& g) {
  CLI::App* forum = AddCommandGroup(
      app, "forum", "Record forums that took place, with attendance counts.");
  auto a = std::make_shared<ForumArgs>();
  CLI::App* record = forum->add_subcommand(
      "record",
      "Record a forum that took place (counts only, never names).\n"
      "Example: focus forum record 2027-r1-east-surrey --service-users 6 "
      "--carers 3 --staff 4 --apology \"CMHRS manager\"\n"
      "Ad hoc: focus forum record --area \"Surrey Downs\" --date 2027-02-10 "
      "--format in-person --title \"Carers' drop-in\" --carers 5");
  record->add_option("PLAN_ID", a->plan_id,
                     "the forum's id from the plan, e.g. 2027-r1-east-surrey");
  record->add_option("--area", a->area, "area (for an ad hoc forum)");
  record->add_option("--date", a->date, "date held, YYYY-MM-DD");
  record->add_option("--format", a->format, "virtual or in-person")
      ->check(CLI::IsMember({"virtual", "in-person"}));
  record->add_option("--title", a->title, "name of an ad hoc forum");
  AddNumberOption(record, "--service-users", a->attendance.service_users, 0,
                  kMaxPeople);
  AddNumberOption(record, "--carers", a->attendance.carers, 0, kMaxPeople);
  AddNumberOption(record, "--staff", a->attendance.trust_staff, 0, kMaxPeople,
                  "Trust staff");
  AddNumberOption(record, "--governors", a->attendance.governors, 0,
                  kMaxPeople);
  AddNumberOption(record, "--others", a->attendance.others, 0, kMaxPeople);
  record->add_option("--apology", a->apologies,
                     "a Trust staff role that sent apologies (repeatable)");
  record->callback([&g, a] {
    Session s(g);
    const ForumRecord f = ForumOfArgs(g, s, *a);
    int64_t id = s.board.RecordForum(f, Actor(g));
    if (g.json) {
      std::cout << nlohmann::ordered_json{{"id", id}}.dump() << "\n";
      return;
    }
    std::cout << "Recorded forum #" << id << "\n";
    if (f.BelowInvolvementMinimum()) {
      std::cout << "FLAG: fewer than two service users or carers were present "
                   "(the 4Pi standard asks for at least two).\n";
    }
  });
  forum->add_subcommand("list", "List recorded forums and attendance.")
      ->callback([&g] {
        Session s(g);
        std::cout << (g.json ? RenderForumListJson(s.config, s.board.Forums())
                             : RenderForumListText(s.config, s.board.Forums()));
      });
}

struct TicketArgs {
  int64_t id = 0;
  int64_t other = 0;
  std::string title;
  std::string details;
  std::string area;
  std::vector<std::string> themes;
  std::string team;
  int count = 1;
  std::string forum;
  std::string date;
  std::string state;
  std::string text;
  std::string note;
  std::string answered_by;
  bool in_progress = false;
  bool allow_identifiers = false;
};

void AddTicketAdd(CLI::App* board, GlobalOptions& g,
                  const std::shared_ptr<TicketArgs>& a) {
  CLI::App* add = board->add_subcommand(
      "add",
      "Add a ticket raised at a forum.\n"
      "Example: focus board add --forum 2027-r1-east-surrey --area \"East "
      "Surrey\" --title \"Letters arrive after appointments\" --theme "
      "communication --team \"CMHRS East Surrey\" --raised-by 3");
  add->add_option("--title", a->title, "short title")->required();
  add->add_option("--details", a->details, "what was said (no names)");
  add->add_option("--area", a->area, "area the ticket is about")->required();
  add->add_option("--theme", a->themes, "theme (repeatable)")->required();
  add->add_option("--team", a->team, "Trust team it is for")->required();
  AddNumberOption(add, "--raised-by", a->count, 1, kMaxPeople,
                  "how many people raised it");
  add->add_option("--forum", a->forum,
                  "forum it was raised at: number or plan id");
  add->add_option("--date", a->date, "date raised (default: the forum's)");
  add->add_flag("--allow-identifiers", a->allow_identifiers,
                "store text the safeguarding screen flagged (recorded)");
  add->callback([&g, a] {
    Session s(g);
    NewTicket t;
    t.title = a->title;
    t.details = a->details;
    t.area = a->area;
    t.themes = a->themes;
    t.team = a->team;
    t.raised_by = a->count;
    t.forum_id = ResolveForum(s.board, a->forum);
    if (!a->date.empty()) t.raised_on = ParseDateOption("--date", a->date);
    t.allow_identifiers = a->allow_identifiers;
    int64_t id = s.board.AddTicket(t, Actor(g));
    if (g.json) {
      PrintTicket(g, s, id);
    } else {
      std::cout << "Added ticket #" << id << ": " << t.title << "\n";
    }
  });
}

void AddTicketVote(CLI::App* board, GlobalOptions& g,
                   const std::shared_ptr<TicketArgs>& a) {
  CLI::App* vote = board->add_subcommand(
      "vote",
      "Add votes, e.g. when a later forum raises it again.\n"
      "Example: focus board vote 12 --count 4 --forum 2027-r2-surrey-downs "
      "--note \"raised again at Surrey Downs\"");
  AddNumberOption(vote, "TICKET", a->id, 1, kMaxId)->required();
  AddNumberOption(vote, "--count", a->count, 1, kMaxPeople,
                  "votes to add (default 1)");
  vote->add_option("--forum", a->forum, "forum: number or plan id");
  vote->add_option("--note", a->note, "why");
  vote->callback([&g, a] {
    Session s(g);
    s.board.AddVotes(a->id, a->count, ResolveForum(s.board, a->forum), a->note,
                     Actor(g));
    std::cout << "Ticket #" << a->id << " now has " << s.board.Get(a->id).votes
              << " votes\n";
  });
}

void AddTicketMerge(CLI::App* board, GlobalOptions& g,
                    const std::shared_ptr<TicketArgs>& a) {
  CLI::App* merge = board->add_subcommand(
      "merge",
      "Fold a repeat into an existing ticket (votes, forums and history carry "
      "over).\nExample: focus board merge 15 --into 12");
  AddNumberOption(merge, "REPEAT", a->id, 1, kMaxId)->required();
  AddNumberOption(merge, "--into", a->other, 1, kMaxId,
                  "the ticket that survives")
      ->required();
  merge->callback([&g, a] {
    Session s(g);
    s.board.Merge(a->id, a->other, Actor(g));
    std::cout << "Merged #" << a->id << " into #" << a->other << " (now "
              << s.board.Get(a->other).votes << " votes)\n";
  });
}

void AddTicketMove(CLI::App* board, GlobalOptions& g,
                   const std::shared_ptr<TicketArgs>& a) {
  CLI::App* move = board->add_subcommand(
      "move",
      "Move a ticket to another state: " +
          TicketStateNames(MoveTargetStates()) +
          ".\n"
          "Example: focus board move 12 declined --reason \"Outside the "
          "Trust's remit: passed to the county council\"");
  AddNumberOption(move, "TICKET", a->id, 1, kMaxId)->required();
  move->add_option("STATE", a->state)->required();
  move->add_option("--reason", a->text,
                   "why (required and published for declined; for "
                   "waiting-for-forum, the Trust's question, published in "
                   "the newsletter)");
  move->callback([&g, a] {
    Session s(g);
    std::optional<TicketState> to = ParseTicketState(a->state);
    if (!to) {
      ThrowInvalid("'" + a->state + "' is not a state (" +
                   TicketStateNames(MoveTargetStates()) + ")");
    }
    s.board.Move(a->id, *to, a->text, Actor(g));
    std::cout << "Ticket #" << a->id << " is now " << TicketStateName(*to)
              << "\n";
  });
}

void AddTicketAnswer(CLI::App* board, GlobalOptions& g,
                     const std::shared_ptr<TicketArgs>& a) {
  CLI::App* answer = board->add_subcommand(
      "answer",
      "Publish the Trust's answer.\n"
      "Example: focus board answer 12 --text \"Letters now go out 10 days "
      "before\" --by \"Head of Community Services\"");
  AddNumberOption(answer, "TICKET", a->id, 1, kMaxId)->required();
  answer->add_option("--text", a->text, "the published answer")->required();
  answer->add_option("--by", a->answered_by, "who answered (role)")->required();
  answer->add_flag("--in-progress", a->in_progress,
                   "work is under way: \"you said, we are doing\"");
  answer->add_flag("--allow-identifiers", a->allow_identifiers,
                   "store text the safeguarding screen flagged (recorded)");
  answer->callback([&g, a] {
    Session s(g);
    s.board.Answer(a->id, a->text, a->answered_by, a->in_progress,
                   a->allow_identifiers, Actor(g));
    std::cout << "Answered ticket #" << a->id << "\n";
  });
}

void AddTicketVerdict(CLI::App* board, GlobalOptions& g,
                      const std::shared_ptr<TicketArgs>& a) {
  CLI::App* verdict = board->add_subcommand(
      "verdict",
      "Record a later forum's verdict on a published answer: confirmed, "
      "not-yet or disputed (a disputed answer goes back to the Trust).\n"
      "Example: focus board verdict 12 --forum 2027-r2-east-surrey disputed "
      "--note \"Letters still arrive late\"");
  AddNumberOption(verdict, "TICKET", a->id, 1, kMaxId)->required();
  verdict->add_option("VERDICT", a->state, "confirmed, not-yet or disputed")
      ->required();
  verdict
      ->add_option("--forum", a->forum,
                   "the forum that gave it: number or plan id")
      ->required();
  verdict->add_option("--note", a->note,
                      "published beside the answer (required for disputed)");
  verdict->callback([&g, a] {
    Session s(g);
    std::optional<Verdict> v = ParseVerdict(a->state);
    if (!v) {
      ThrowInvalid("'" + a->state +
                   "' is not a verdict (confirmed, not-yet, disputed)");
    }
    const std::optional<int64_t> forum = ResolveForum(s.board, a->forum);
    if (!forum) ThrowInvalid("--forum: give the forum that gave the verdict");
    s.board.RecordVerdict(a->id, *forum, *v, a->note, Actor(g));
    if (g.json) {
      PrintTicket(g, s, a->id);
      return;
    }
    std::cout << "Recorded the forum's verdict on ticket #" << a->id << ": "
              << VerdictName(*v) << "\n";
    if (*v == Verdict::kDisputed) {
      std::cout << "Ticket #" << a->id
                << " is back with the Trust (sent-to-trust) with a new "
                   "clock\n";
    }
  });
}

void AddTicketShow(CLI::App* board, GlobalOptions& g,
                   const std::shared_ptr<TicketArgs>& a) {
  CLI::App* show = board->add_subcommand(
      "show",
      "Show a ticket with its whole history.\nExample: focus board "
      "show 12");
  AddNumberOption(show, "TICKET", a->id, 1, kMaxId)->required();
  show->callback([&g, a] {
    Session s(g);
    PrintTicket(g, s, a->id);
  });
}

void AddTicketList(CLI::App* board, GlobalOptions& g,
                   const std::shared_ptr<TicketArgs>& a) {
  auto filter = std::make_shared<TicketFilter>();
  CLI::App* list = board->add_subcommand(
      "list",
      "List tickets.\nExamples: focus board list --state sent-to-trust "
      "--area \"East Surrey\"\n          focus board list --by-votes   (the "
      "Development Group's most-voted view)");
  list->add_option("--state", a->state, "only this state");
  list->add_option("--area", filter->area, "only this area");
  list->add_option("--theme", filter->theme, "only this theme");
  list->add_option("--team", filter->team, "only this team");
  list->add_option("--forum", a->forum, "only this forum: number or plan id");
  list->add_option("--round", filter->round, "only this round, e.g. 2027-r1");
  list->add_flag("--by-votes", filter->by_votes, "most voted first");
  list->add_flag("--all", filter->include_merged, "include merged tickets");
  auto as_of = std::make_shared<std::string>();
  list->add_option("--as-of", *as_of,
                   "the board as it stood at the end of this day, e.g. "
                   "2027-03-31 (default: as it stands)");
  auto since = std::make_shared<std::string>();
  list->add_option("--since", *since,
                   "only tickets changed from the start of this day on, "
                   "e.g. 2027-03-01");
  list->callback([&g, a, filter, as_of, since] {
    Session s(g);
    TicketFilter f = *filter;
    if (!as_of->empty()) f.as_of = ParseDateOption("--as-of", *as_of);
    if (!since->empty()) {
      f.since = ParseDateOption("--since", *since);
      if (f.as_of && *f.since > *f.as_of) {
        ThrowInvalid("--since " + *since + " is after --as-of " + *as_of);
      }
    }
    if (!a->state.empty()) {
      f.state = ParseTicketState(a->state);
      if (!f.state) ThrowInvalid("--state: '" + a->state + "' is not a state");
    }
    f.forum_id = ResolveForum(s.board, a->forum);
    const std::vector<Ticket> tickets = s.board.List(f);
    const Date today = f.as_of.value_or(SystemClock().Today());
    std::cout << (g.json ? RenderTicketListJson(s.config, tickets, today)
                         : RenderTicketListText(s.config, tickets, today));
  });
}

void AddBoard(CLI::App& app, GlobalOptions& g) {
  CLI::App* board = AddCommandGroup(
      app, "board", "The feedback board: tickets raised at forums.");
  // One set of arguments: CLI11 runs one subcommand's callback per call.
  auto a = std::make_shared<TicketArgs>();
  AddTicketAdd(board, g, a);
  AddTicketVote(board, g, a);
  AddTicketMerge(board, g, a);
  AddTicketMove(board, g, a);
  AddTicketAnswer(board, g, a);
  AddTicketVerdict(board, g, a);
  AddTicketShow(board, g, a);
  AddTicketList(board, g, a);
}

void AddSla(CLI::App& app, GlobalOptions& g) {
  auto as_of = std::make_shared<std::string>();
  CLI::App* sla =
      app.add_subcommand("sla",
                         "Report response times against the agreed times.\n"
                         "Example: focus sla --as-of 2027-03-01");
  sla->add_option("--as-of", *as_of, "report date (default: today)");
  sla->callback([&g, as_of] {
    Session s(g);
    Date date = as_of->empty() ? SystemClock().Today()
                               : ParseDateOption("--as-of", *as_of);
    SlaReport report = BuildBoardSlaReport(s.config, s.board, date);
    // Reminders not delivered are news of today, not of a past report date.
    if (as_of->empty()) {
      for (std::string& line : UndeliveredReminders(s.store)) {
        report.warnings.push_back(std::move(line));
      }
    }
    std::cout << (g.json ? RenderSlaReportJson(s.config, report)
                         : RenderSlaReportText(s.config, report));
  });
}

// Refused before reading: the file might not fit in memory.
void RefuseOversizedExport(const std::string& file) {
  std::error_code size_error;
  const auto size = std::filesystem::file_size(file, size_error);
  if (!size_error && size > kMaxTrelloExportBytes) {
    ThrowInvalid(file + ": " + std::to_string(size) +
                 " bytes is larger than a Trello export can be here (at "
                 "most " +
                 std::to_string(kMaxTrelloExportBytes) + " bytes)");
  }
}

// --dry-run: the mapping and every problem, written nowhere.
void PrintTrelloPlan(const GlobalOptions& g, const std::string& file,
                     TrelloImportOptions options) {
  options.clock = &SystemClock();
  const Config config = LoadConfig(ConfigPath(g));
  const std::string text = DiskFileSystem().ReadFile(file);
  const TrelloImportPlan plan = PlanTrelloImport(config, text, file, options);
  std::cout << (g.json ? RenderTrelloPlanJson(plan)
                       : RenderTrelloPlanText(plan));
  if (!plan.problems.empty()) {
    ThrowInvalid(file + ": " + std::to_string(plan.problems.size()) +
                 (plan.problems.size() == 1 ? " problem" : " problems") +
                 " to fix before it can be imported (listed above)");
  }
}

void PrintImportResult(const GlobalOptions& g, const TrelloImportResult& r) {
  if (g.json) {
    nlohmann::ordered_json warnings = nlohmann::ordered_json::array();
    for (const TrelloNote& w : r.warnings) {
      warnings.push_back({{"kind", w.kind}, {"text", w.text}});
    }
    std::cout << nlohmann::ordered_json{{"cards", r.cards},
                                        {"archived", r.archived},
                                        {"votes", r.votes},
                                        {"comments", r.comments},
                                        {"checklists", r.checklists},
                                        {"due_dates", r.due_dates},
                                        {"warnings", warnings}}
                     .dump(2)
              << "\n";
  } else {
    std::cout << "Imported " << r.cards << " cards (" << r.archived
              << " archived, " << r.votes << " votes, " << r.comments
              << " comments, " << r.checklists << " checklists, " << r.due_dates
              << " due dates)\n";
  }
  std::cerr << RenderTrelloWarnings(r.warnings, 10, "--json lists them all");
}

void AddImport(CLI::App& app, GlobalOptions& g) {
  CLI::App* import = AddCommandGroup(app, "import", "Import a board.");
  auto file = std::make_shared<std::string>();
  auto allow = std::make_shared<bool>(false);
  auto dry_run = std::make_shared<bool>(false);
  CLI::App* trello = import->add_subcommand(
      "trello",
      "Import a Trello board JSON export: all cards or nothing.\n"
      "Example: focus import trello board.json --dry-run");
  trello->add_option("FILE", *file, "Trello JSON export")->required();
  trello->add_flag("--allow-identifiers", *allow,
                   "import text the safeguarding screen flagged (recorded)");
  trello->add_flag("--dry-run", *dry_run,
                   "write nothing: print how lists, labels and cards map, "
                   "every problem, and configuration to paste");
  trello->callback([&g, file, allow, dry_run] {
    RefuseOversizedExport(*file);
    TrelloImportOptions options;
    options.allow_identifiers = *allow;
    if (*dry_run) {
      PrintTrelloPlan(g, *file, options);
      return;
    }
    Session s(g);
    const std::string text = DiskFileSystem().ReadFile(*file);
    PrintImportResult(
        g, ImportTrello(s.board, s.config, text, *file, options, Actor(g)));
  });
}

void AddExport(CLI::App& app, GlobalOptions& g) {
  CLI::App* export_cmd = AddCommandGroup(app, "export", "Export the board.");
  auto out = std::make_shared<std::string>();
  for (const char* kind : {"trello", "csv"}) {
    const std::string k = kind;
    CLI::App* sub = export_cmd->add_subcommand(
        k, k == "trello"
               ? "Write a Trello-compatible board JSON.\nExample: focus "
                 "export trello --out board.json"
               : "Write every ticket as CSV for spreadsheets (UTF-8, opens "
                 "in Excel).\nExample: focus export csv --out board.csv");
    sub->add_option("--out", *out, "file to write (default: stdout)");
    sub->callback([&g, out, k] {
      Session s(g);
      const std::string text = k == "trello" ? ExportTrello(s.board, s.config)
                                             : ExportCsv(s.board, s.config);
      if (out->empty()) {
        std::cout << text;
      } else {
        DiskFileSystem().WriteFileAtomically(*out, text);
        std::cerr << "Wrote " << *out << "\n";
      }
    });
  }
}

}  // namespace

void AddBoardCommands(CLI::App& app, GlobalOptions& g) {
  AddInit(app, g);
  AddDbCopy(app);
  AddForum(app, g);
  AddBoard(app, g);
  AddSla(app, g);
  AddImport(app, g);
  AddExport(app, g);
}

}  // namespace focus::cli
