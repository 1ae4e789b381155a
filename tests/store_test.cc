// Tests for the store, on SQLite and (as store_test's `.postgresql`
// variant) on PostgreSQL: connection settings, migrations from an older
// schema, refusal of a newer one, the append-only history, and transactions
// that leave nothing behind when they fail.
#include "focus/store.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>

#include "focus/board.h"
#include "focus/clock.h"
#include "focus/config.h"
#include "focus/error.h"
#include "focus/local_time.h"
#include "focus/store_testing.h"
#include "focus/ticket_state.h"
#include "temp_dir.h"
#include "test_database.h"
#include "test_util.h"

namespace focus {
namespace {

namespace fs = std::filesystem;

// A fresh directory per test, removed afterwards.
class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override { FOCUS_SKIP_WITHOUT_DATABASE(); }
  static bool Postgres() { return TestDatabase::Postgres(); }

  static StoreOptions Create() {
    StoreOptions o;
    o.create_if_missing = true;
    return o;
  }

  // How many rows `table` has, read through a separate raw connection.
  int64_t Count(const std::string& table) {
    return testing::RawDatabase(path_, testing::RawDatabase::Mode::kReadOnly)
        .Int("SELECT count(*) FROM " + table);
  }

  // Records one forum: a row any test can count.
  static constexpr const char* kAddForum =
      "INSERT INTO forums (area, held_on, format, recorded_at, recorded_by) "
      "VALUES ('east-surrey', '2027-01-05', 'virtual', "
      "'2027-01-05T10:00:00Z', 'jo')";
  static void AddForum(Connection& db) { testing::Exec(db, kAddForum); }

  // Whether the database at path_ has `table`.
  bool HasTable(const std::string& table) {
    testing::RawDatabase db(path_, testing::RawDatabase::Mode::kReadOnly);
    return db.Int(db.postgres()
                      ? "SELECT count(*) FROM information_schema.tables "
                        "WHERE table_schema = current_schema() AND "
                        "table_name = '" +
                            table + "'"
                      : "SELECT count(*) FROM sqlite_master WHERE type = "
                        "'table' AND name = '" +
                            table + "'") > 0;
  }

  TempDir temp_;
  const std::string dir_ = temp_.path();
  TestDatabase database_{dir_};
  const std::string path_ = database_.name();
};

TEST_F(StoreTest, CreatesTheSchemaWithWalForeignKeysAndFullSync) {
  FOCUS_SQLITE_ONLY("the file's settings");
  StoreOptions options = Create();
  options.busy_timeout_ms = 1234;
  Store store(path_, options);
  EXPECT_EQ(store.path(), path_);
  EXPECT_EQ(store.schema_version(), CurrentSchemaVersion());
  EXPECT_GE(CurrentSchemaVersion(), 3);
  store.Read([](Connection& db) {
    EXPECT_EQ(testing::Text(db, "PRAGMA journal_mode"), "wal");
    EXPECT_EQ(testing::Int(db, "PRAGMA foreign_keys"), 1);
    EXPECT_EQ(testing::Int(db, "PRAGMA synchronous"), 2);  // FULL
    EXPECT_EQ(testing::Int(db, "PRAGMA busy_timeout"), 1234);
  });
  for (const char* table : {"forums", "forum_apologies", "tickets",
                            "ticket_themes", "votes", "history", "accounts"}) {
    EXPECT_TRUE(HasTable(table)) << table;
  }
  // WAL is a property of the file: a new connection sees it too.
  testing::RawDatabase raw(path_, testing::RawDatabase::Mode::kReadOnly);
  EXPECT_EQ(raw.Text("PRAGMA journal_mode"), "wal");
}

TEST_F(StoreTest, ForeignKeysAreEnforced) {
  Store store(path_, Create());
  Error e = Catch([&] {
    store.WriteTransaction([](Connection& db) {
      testing::Exec(
          db,
          "INSERT INTO votes (ticket_id, count, at, actor) VALUES (99, 1, "
          "'2027-01-01T00:00:00Z', 'jo')");
    });
  });
  EXPECT_EQ(e.kind(), ErrorKind::kInternal);
  EXPECT_EQ(
      std::string(e.what()).rfind(path_ + ": cannot save the change: ", 0), 0u)
      << e.what();
  EXPECT_EQ(Count("votes"), 0);
}

TEST_F(StoreTest, MissingDatabaseIsRefusedWithoutCreatingIt) {
  Error e = Catch([&] { Store store(path_); });
  EXPECT_EQ(e.kind(), ErrorKind::kInvalidInput);
  EXPECT_EQ(std::string(e.what()), path_ + ": no board database here");
  EXPECT_EQ(e.remedy(), Remedy::kCreateBoard);
  EXPECT_FALSE(fs::exists(path_));
}

TEST_F(StoreTest, EmptyFileIsNotABoardDatabase) {
  FOCUS_SQLITE_ONLY("a file");
  std::ofstream(path_).close();
  Error e = Catch([&] { Store store(path_); });
  EXPECT_EQ(e.kind(), ErrorKind::kInvalidInput);
  EXPECT_EQ(std::string(e.what()), path_ + ": no board database here");
  EXPECT_EQ(e.remedy(), Remedy::kCreateBoard);
}

TEST_F(StoreTest, MissingDirectoryIsAnIoError) {
  FOCUS_SQLITE_ONLY("a file");
  std::string path = dir_ + "/no/such/dir/focus.db";
  Error e = Catch([&] { Store store(path, Create()); });
  EXPECT_EQ(e.kind(), ErrorKind::kIo);
  EXPECT_STREQ(e.what(),
               (path + ": cannot create the board database: the folder " +
                dir_ + "/no/such/dir does not exist")
                   .c_str());
}

TEST_F(StoreTest, FileThatIsNotSqliteIsAnIoError) {
  FOCUS_SQLITE_ONLY("a file");
  std::ofstream(path_) << "these are the minutes of the meeting, not a "
                          "database; they go on for a while so that SQLite "
                          "reads a whole header's worth of text here.\n";
  Error e = Catch([&] { Store store(path_); });
  EXPECT_EQ(e.kind(), ErrorKind::kIo);
  EXPECT_EQ(std::string(e.what()).rfind(path_ + ": ", 0), 0u) << e.what();
  EXPECT_NE(std::string(e.what()).find("not a focus board database"),
            std::string::npos)
      << e.what();
}

TEST_F(StoreTest, AnotherApplicationsDatabaseIsLeftAlone) {
  {
    testing::RawDatabase(path_, testing::RawDatabase::Mode::kCreate)
        .Exec("CREATE TABLE recipes (name TEXT)");
  }
  Error e = Catch([&] { Store store(path_, Create()); });
  EXPECT_EQ(e.kind(), ErrorKind::kInvalidInput);
  EXPECT_STREQ(e.what(),
               (path_ + ": this " + (Postgres() ? "PostgreSQL" : "SQLite") +
                " database is not a focus board database")
                   .c_str());
  EXPECT_FALSE(HasTable("tickets"));
}

TEST_F(StoreTest, NewerSchemaIsRefused) {
  { Store store(path_, Create()); }
  const std::string newer = std::to_string(CurrentSchemaVersion() + 1);
  {
    testing::RawDatabase db(path_);
    db.Exec(db.postgres() ? "UPDATE focus_schema SET version = " + newer
                          : "PRAGMA user_version = " + newer);
  }
  Error e = Catch([&] { Store store(path_); });
  EXPECT_EQ(e.kind(), ErrorKind::kInvalidInput);
  EXPECT_STREQ(e.what(),
               (path_ + ": schema version " + newer +
                " is newer than this focus "
                "understands (" +
                std::to_string(CurrentSchemaVersion()) + "); upgrade focus")
                   .c_str());
}

TEST_F(StoreTest, ReopeningACurrentDatabaseChangesNothing) {
  { Store store(path_, Create()); }
  Store store(path_);
  EXPECT_EQ(store.schema_version(), CurrentSchemaVersion());
}

TEST_F(StoreTest, CreateAtVersionStopsThere) {
  Store::CreateAtVersion(path_, 1);
  testing::RawDatabase db(path_, testing::RawDatabase::Mode::kReadOnly);
  EXPECT_EQ(db.Int(db.postgres() ? "SELECT version FROM focus_schema"
                                 : "PRAGMA user_version"),
            1);
  EXPECT_TRUE(HasTable("tickets"));
  // v2's columns are not there yet.
  EXPECT_EQ(db.Int(db.postgres()
                       ? "SELECT count(*) FROM information_schema.columns "
                         "WHERE table_schema = current_schema() AND "
                         "table_name = 'tickets' AND column_name = "
                         "'paused_since'"
                       : "SELECT count(*) FROM pragma_table_info('tickets') "
                         "WHERE name = 'paused_since'"),
            0);

  Error e = Catch([&] { Store::CreateAtVersion(dir_ + "/x.db", 0); });
  EXPECT_EQ(e.kind(), ErrorKind::kInvalidInput);
}

// v3 adds the web server's accounts to a v2 board without touching it.
TEST_F(StoreTest, MigratesAVersion2DatabaseToAccounts) {
  Store::CreateAtVersion(path_, 2);
  {
    EXPECT_FALSE(HasTable("accounts"));
    testing::RawDatabase(path_).Exec(R"sql(
      INSERT INTO tickets (id, title, area, team, state, raised_on,
        raised_by, votes_total, created_at)
      VALUES (1, 'Parking', 'east-surrey', 'Estates', 'raised',
        '2027-04-06', 1, 1, '2027-04-07T09:00:00Z');
    )sql");
  }
  Store store(path_);
  EXPECT_EQ(store.schema_version(), CurrentSchemaVersion());
  EXPECT_TRUE(HasTable("accounts"));
  store.Read([](Connection& db) {
    EXPECT_EQ(testing::Text(db, "SELECT title FROM tickets"), "Parking");
  });
  // Names are unique whatever their case: "Jo" and "jo" are one account.
  Error e = Catch([&] {
    store.WriteTransaction([](Connection& db) {
      testing::Exec(
          db,
          "INSERT INTO accounts (name, role, password_hash, created_at, "
          "created_by) VALUES ('jo', 'editor', 'x', 't', 'a'), ('Jo', "
          "'editor', 'x', 't', 'a')");
    });
  });
  EXPECT_EQ(e.kind(), ErrorKind::kInternal);
}

// A v1 database with real data: a forum, a ticket that waited for the forum
// across the late May bank holiday and was answered, and one still waiting.
// v5 adds the forums' verdicts, append-only like the history, and the day
// a ticket was reopened, to a v4 board without touching its tickets.
// v8 spells the tickets' state CHECK as comparisons joined by OR, not an
// IN list (SQLite builds a b-tree for the list at every insert): every
// state is accepted as before, anything else refused, and the rows stay.
TEST_F(StoreTest, MigratesAVersion7DatabaseToAPlainStateCheck) {
  Store::CreateAtVersion(path_, 7);
  const std::string insert =
      "INSERT INTO tickets (title, area, team, state, raised_on, raised_by, "
      "votes_total, created_at) VALUES ('Parking', 'east-surrey', 'Estates', "
      "'";
  const std::string rest = "', '2027-04-06', 1, 1, '2027-04-07T09:00:00Z')";
  testing::RawDatabase(path_).Exec(insert + "raised" + rest);
  Store store(path_);
  EXPECT_EQ(store.schema_version(), CurrentSchemaVersion());
  {
    testing::RawDatabase db(path_, testing::RawDatabase::Mode::kReadOnly);
    if (!db.postgres()) {
      const std::string sql = db.Text(
          "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = "
          "'tickets'");
      EXPECT_EQ(sql.find("state IN"), std::string::npos) << sql;
      EXPECT_NE(sql.find("state = 'raised' OR state = 'sent-to-trust' OR "),
                std::string::npos)
          << sql;
      EXPECT_EQ(db.Text("PRAGMA integrity_check"), "ok");
    }
  }
  for (TicketState s : AllTicketStates()) {
    store.WriteTransaction([&](Connection& db) {
      testing::Exec(db, insert + TicketStateName(s) + rest);
    });
  }
  Error e = Catch([&] {
    store.WriteTransaction(
        [&](Connection& db) { testing::Exec(db, insert + "lost" + rest); });
  });
  EXPECT_EQ(e.kind(), ErrorKind::kInternal) << e.what();
  store.Read([](Connection& db) {
    EXPECT_EQ(testing::Int(db, "SELECT count(*) FROM tickets"),
              1 + static_cast<int64_t>(AllTicketStates().size()));
  });
}

TEST_F(StoreTest, MigratesAVersion4DatabaseToVerdicts) {
  Store::CreateAtVersion(path_, 4);
  {
    EXPECT_FALSE(HasTable("verdicts"));
    testing::RawDatabase(path_).Exec(R"sql(
      INSERT INTO forums (id, area, held_on, format, recorded_at,
        recorded_by)
      VALUES (1, 'east-surrey', '2027-04-01', 'in-person',
        '2027-04-01T18:00:00Z', 'jo');
      INSERT INTO tickets (id, title, area, team, state, raised_on,
        raised_by, votes_total, answer, answered_on, created_at)
      VALUES (1, 'Parking', 'east-surrey', 'Estates', 'answered',
        '2027-01-06', 1, 1, 'More spaces', '2027-02-01',
        '2027-01-07T09:00:00Z');
    )sql");
  }
  Store store(path_);
  EXPECT_EQ(store.schema_version(), CurrentSchemaVersion());
  store.WriteTransaction([](Connection& db) {
    EXPECT_EQ(testing::Text(db, "SELECT reopened_on FROM tickets"), "NULL");
    testing::Exec(db, R"sql(
      INSERT INTO verdicts (ticket_id, forum_id, verdict, note, answered_on,
        at, actor)
      VALUES (1, 1, 'disputed', 'Still no spaces', '2027-02-01',
        '2027-04-02T09:00:00Z', 'jo');
    )sql");
  });
  for (const char* sql :
       {"UPDATE verdicts SET verdict = 'confirmed'", "DELETE FROM verdicts"}) {
    SCOPED_TRACE(sql);
    Error e = Catch([&] {
      store.WriteTransaction([&](Connection& db) { testing::Exec(db, sql); });
    });
    EXPECT_NE(std::string(e.what()).find("the forums' verdicts are "
                                         "append-only"),
              std::string::npos)
        << e.what();
  }
  EXPECT_EQ(Count("verdicts"), 1);
  // Only the three verdicts.
  Error e = Catch([&] {
    store.WriteTransaction([](Connection& db) {
      testing::Exec(
          db,
          "INSERT INTO verdicts (ticket_id, forum_id, verdict, answered_on, "
          "at, actor) VALUES (1, 1, 'maybe', '2027-02-01', "
          "'2027-04-02T09:00:00Z', 'jo')");
    });
  });
  EXPECT_EQ(e.kind(), ErrorKind::kInternal);
}

TEST_F(StoreTest, MigratesAVersion1DatabaseInPlaceKeepingItsData) {
  Store::CreateAtVersion(path_, 1);
  {
    testing::RawDatabase(path_).Exec(R"sql(
      INSERT INTO forums (id, plan_id, area, held_on, format, service_users,
        carers, recorded_at, recorded_by)
      VALUES (1, '2027-r2-east-surrey', 'east-surrey', '2027-04-06',
        'virtual', 4, 2, '2027-04-07T09:00:00Z', 'jo');
      INSERT INTO forum_apologies VALUES (1, 0, 'Ward manager');
      INSERT INTO tickets (id, title, details, area, team, state, raised_on,
        forum_id, raised_by, votes_total, sent_on, answer, answered_by,
        answered_on, created_at)
      VALUES (1, 'Parking at the hub', 'No spaces', 'east-surrey',
        'Estates', 'answered', '2027-04-06', 1, 3, 5, '2027-04-08',
        'More spaces', 'Estates lead', '2027-06-03', '2027-04-07T09:00:00Z'),
             (2, 'Letters arrive late', '', 'east-surrey', 'Estates',
        'waiting-for-forum', '2027-04-06', 1, 1, 1, '2027-04-08', '', '',
        NULL, '2027-04-07T09:00:00Z');
      INSERT INTO ticket_themes VALUES (1, 'access', 0), (2, 'communication', 0);
      INSERT INTO votes (ticket_id, forum_id, count, note, at, actor)
      VALUES (1, 1, 2, 'again', '2027-04-07T09:00:00Z', 'jo');
      INSERT INTO history (ticket_id, at, actor, field, old_value, new_value)
      VALUES (1, '2027-04-07T09:00:00Z', 'jo', 'created', '', 'Parking'),
             (1, '2027-04-08T09:00:00Z', 'jo', 'state', 'raised',
              'sent-to-trust'),
             (1, '2027-05-28T09:00:00Z', 'jo', 'state', 'sent-to-trust',
              'waiting-for-forum'),
             (1, '2027-06-01T09:00:00Z', 'jo', 'state', 'waiting-for-forum',
              'in-progress'),
             (1, '2027-06-03T09:00:00Z', 'jo', 'state', 'in-progress',
              'answered'),
             (2, '2027-04-07T09:00:00Z', 'jo', 'created', '', 'Letters'),
             (2, '2027-04-08T09:00:00Z', 'jo', 'state', 'raised',
              'sent-to-trust'),
             (2, '2027-06-02T09:00:00Z', 'jo', 'state', 'sent-to-trust',
              'waiting-for-forum');
    )sql");
  }

  Store store(path_);
  EXPECT_EQ(store.schema_version(), CurrentSchemaVersion());

  Config config = ParseConfig(EmbeddedDefaultConfig(), "test");
  config.board.teams = {"Estates"};
  FixedClock clock(Date(2027, 6, 10));
  Board board(store, config, clock);

  Ticket t1 = board.Get(1);
  EXPECT_EQ(t1.title, "Parking at the hub");
  EXPECT_EQ(t1.state, TicketState::kAnswered);
  EXPECT_EQ(t1.votes, 5);
  EXPECT_EQ(t1.themes, std::vector<std::string>{"access"});
  EXPECT_EQ(t1.forum_ids, std::vector<int64_t>{1});
  EXPECT_EQ(t1.answered_on, Date(2027, 6, 3));
  // Fri 28 May to Tue 1 June 2027: Monday 31 May is the spring bank
  // holiday, so only Tuesday is a working day waited.
  EXPECT_EQ(t1.paused_working_days, 1);
  EXPECT_FALSE(t1.paused_since);

  Ticket t2 = board.Get(2);
  EXPECT_EQ(t2.state, TicketState::kWaitingForForum);
  EXPECT_EQ(t2.paused_since, Date(2027, 6, 2));
  EXPECT_EQ(t2.paused_working_days, 0);

  EXPECT_EQ(board.History(1).size(), 5u);
  ForumRecord f = board.GetForum(1);
  EXPECT_EQ(f.plan_id, "2027-r2-east-surrey");
  EXPECT_EQ(f.apologies, std::vector<std::string>{"Ward manager"});

  // The migrated ticket carries on: leaving the pause closes it.
  board.Move(2, TicketState::kInProgress, "", "jo");
  EXPECT_EQ(board.Get(2).paused_working_days, 6);  // Thu 3 .. Thu 10 June.
}

// Two processes opening the same old database at once: one upgrades it,
// the other finds it already done; neither fails.
TEST_F(StoreTest, TwoProcessesUpgradingAtOnce) {
  Store::CreateAtVersion(path_, 1);
  RunInChildProcesses(2, [&](int) {
    Store store(path_);
    if (store.schema_version() != CurrentSchemaVersion()) {
      throw std::runtime_error("the schema was not upgraded");
    }
  });
  EXPECT_EQ(Store(path_).schema_version(), CurrentSchemaVersion());
}

// Two processes each reading a number and writing it back one higher: no
// increment is lost (SQLite serializes the writers; PostgreSQL runs them
// SERIALIZABLE and runs the loser of a conflict again).
TEST_F(StoreTest, ConcurrentReadModifyWritesAreExact) {
  {
    Store store(path_, Create());
    store.WriteTransaction(AddForum);
  }
  constexpr int kEach = 25;
  RunInChildProcesses(2, [&](int) {
    Store store(path_);
    for (int i = 0; i < kEach; ++i) {
      store.WriteTransaction([](Connection& db) {
        const int64_t n = testing::Int(db, "SELECT carers FROM forums");
        testing::Exec(db,
                      "UPDATE forums SET carers = " + std::to_string(n + 1));
      });
    }
  });
  EXPECT_EQ(testing::RawDatabase(path_).Int("SELECT carers FROM forums"),
            2 * kEach);
}

// A board copied into PostgreSQL is vacuumed and analysed after its
// commit: the planner knows the new rows (reltuples stays -1 until then).
TEST_F(StoreTest, CopiedIntoPostgresTheTablesAreAnalysed) {
  FOCUS_POSTGRES_ONLY("SQLite plans without statistics");
  const std::string from = dir_ + "/from.db";
  {
    Store source(from, Create());
    for (int i = 0; i < 3; ++i) source.WriteTransaction(AddForum);
  }
  CopyBoard(from, path_);
  EXPECT_EQ(testing::RawDatabase(path_).Int(
                "SELECT CAST(reltuples AS BIGINT) FROM pg_class WHERE "
                "relname = 'forums'"),
            3);
}

// The server's response cache asks the watcher whether anyone committed.
TEST_F(StoreTest, ChangeWatcherSeesOtherConnectionsCommits) {
  Store store(path_, Create());
  ChangeWatcher watcher(path_, 1000);
  const int64_t before = watcher.Version();
  EXPECT_EQ(watcher.Version(), before);  // Nothing committed in between.
  store.WriteTransaction(AddForum);
  const int64_t after = watcher.Version();
  EXPECT_NE(after, before);
  EXPECT_EQ(watcher.Version(), after);

  Error e = Catch([&] { ChangeWatcher missing(dir_ + "/none.db", 1000); });
  EXPECT_EQ(e.kind(), ErrorKind::kIo);
  EXPECT_EQ(std::string(e.what()).rfind(
                dir_ + "/none.db: cannot open the board database: ", 0),
            0u)
      << e.what();
}

// The server asks on threads that must never wait: while another
// connection holds the database, TryVersion says so instead of waiting out
// the busy time (a minute here: a wait would show as a stalled test).
TEST_F(StoreTest, ChangeWatcherTryVersionDoesNotWait) {
  FOCUS_SQLITE_ONLY("SQLite's lock (PostgreSQL's notifications take none)");
  { Store create(path_, Create()); }
  auto holder = std::make_unique<testing::RawDatabase>(path_);
  holder->Exec("PRAGMA locking_mode = EXCLUSIVE");
  holder->Exec("BEGIN EXCLUSIVE");
  holder->Exec("DELETE FROM forums");
  holder->Exec("COMMIT");  // The lock stays until the connection closes.
  ChangeWatcher watcher(path_, 60 * 1000);
  EXPECT_EQ(watcher.TryVersion(), std::nullopt);
  holder.reset();
  const std::optional<int64_t> version = watcher.TryVersion();
  ASSERT_TRUE(version);
  EXPECT_EQ(watcher.Version(), *version);
}

TEST_F(StoreTest, HistoryIsAppendOnlyEvenForRawSql) {
  Store store(path_, Create());
  store.WriteTransaction([](Connection& db) {
    testing::Exec(db, R"sql(
      INSERT INTO tickets (id, title, area, team, state, raised_on,
        raised_by, votes_total, created_at)
      VALUES (1, 'T', 'east-surrey', 'X', 'raised', '2027-01-05', 1, 1,
        '2027-01-05T10:00:00Z');
      INSERT INTO history (ticket_id, at, actor, field, new_value)
      VALUES (1, '2027-01-05T10:00:00Z', 'jo', 'created', 'T');
    )sql");
  });

  for (const char* sql :
       {"UPDATE history SET actor = 'someone else'", "DELETE FROM history"}) {
    SCOPED_TRACE(sql);
    // Straight through SQLite, bypassing the engine.
    {
      testing::RawDatabase raw(path_);
      try {
        raw.Exec(sql);
        ADD_FAILURE() << "history was changed";
      } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find("append-only"), std::string::npos)
            << e.what();
      }
    }
    // And through a write transaction: a focus::Error, not SQLite's.
    Error e = Catch([&] {
      store.WriteTransaction([&](Connection& db) { testing::Exec(db, sql); });
    });
    EXPECT_EQ(e.kind(), ErrorKind::kInternal);
    EXPECT_NE(std::string(e.what()).find("append-only"), std::string::npos);
  }
  EXPECT_EQ(testing::RawDatabase(path_).Text("SELECT actor FROM history"),
            "jo");
  EXPECT_EQ(Count("history"), 1);
}

TEST_F(StoreTest, TransactionThatThrowsMidwayLeavesNothing) {
  Store store(path_, Create());
  auto insert_then = [&](const std::function<void(Connection&)>& fail) {
    return Catch([&] {
      store.WriteTransaction([&](Connection& db) {
        AddForum(db);
        fail(db);
      });
    });
  };

  // A focus::Error passes through unchanged.
  Error e1 = insert_then([](Connection&) {
    throw Error(ErrorKind::kInvalidInput, "no ticket #42");
  });
  EXPECT_EQ(e1.kind(), ErrorKind::kInvalidInput);
  EXPECT_STREQ(e1.what(), "no ticket #42");

  // A SQLite failure becomes a focus::Error that names the file.
  Error e2 = insert_then([](Connection& db) {
    testing::Exec(db, "INSERT INTO nowhere VALUES (1)");
  });
  EXPECT_EQ(e2.kind(), ErrorKind::kInternal);
  EXPECT_EQ(
      std::string(e2.what()).rfind(path_ + ": cannot save the change: ", 0), 0u)
      << e2.what();
  EXPECT_NE(std::string(e2.what()).find(
                Postgres() ? "relation \"nowhere\" does not exist"
                           : "no such table: nowhere"),
            std::string::npos)
      << e2.what();

  // Any other exception too.
  Error e3 =
      insert_then([](Connection&) { throw std::out_of_range("vector index"); });
  EXPECT_EQ(e3.kind(), ErrorKind::kInternal);
  EXPECT_STREQ(e3.what(),
               (path_ + ": cannot save the change: vector index").c_str());

  EXPECT_EQ(Count("forums"), 0);
  // The store is still usable afterwards.
  store.WriteTransaction(AddForum);
  EXPECT_EQ(Count("forums"), 1);
}

TEST_F(StoreTest, WriterThatWaitsTooLongGetsAClearBusyError) {
  Store store(path_, Create());
  // Another process holds the write lock (PostgreSQL: a lock on the table
  // written) and does not let go.
  testing::RawDatabase other(path_);
  other.Exec(Postgres() ? "BEGIN; LOCK TABLE forums" : "BEGIN IMMEDIATE");

  StoreOptions impatient;
  impatient.busy_timeout_ms = 50;
  Store second(path_, impatient);
  Error e = Catch([&] { second.WriteTransaction(AddForum); });
  EXPECT_EQ(e.kind(), ErrorKind::kBusy);
  EXPECT_EQ(std::string(e.what()).rfind(
                path_ + ": cannot save the change: another focus process kept "
                        "the database busy for too long",
                0),
            0u)
      << e.what();
  other.Exec("ROLLBACK");
  second.WriteTransaction([](Connection&) {});
}

TEST_F(StoreTest, ReadsSeeOneSnapshotWhileAnotherProcessWrites) {
  Store store(path_, Create());
  store.WriteTransaction(AddForum);
  testing::RawDatabase other(path_);
  store.Read([&](Connection& db) {
    EXPECT_EQ(testing::Int(db, "SELECT count(*) FROM forums"), 1);
    other.Exec(kAddForum);  // Committed by the other connection meanwhile.
    EXPECT_EQ(testing::Int(db, "SELECT count(*) FROM forums"), 1);
  });
  EXPECT_EQ(Count("forums"), 2);
}

// Messages, logs and `focus serve`'s first line name the database; a
// password in its URL never shows.
TEST(DatabaseNameTest, DropsThePassword) {
  const std::pair<const char*, const char*> cases[] = {
      {"focus.db", "focus.db"},
      {"/srv/a:b@c/focus.db", "/srv/a:b@c/focus.db"},
      {"postgresql://jo@db.example/focus", "postgresql://jo@db.example/focus"},
      {"postgresql://jo:s3cret@db.example:5432/focus",
       "postgresql://jo@db.example:5432/focus"},
      {"postgres://jo:p@ss@db/focus", "postgres://jo@db/focus"},
      {"postgresql://db.example:5432/focus",
       "postgresql://db.example:5432/focus"},
      {"postgresql://jo@/focus?host=/run/pg&password=s3cret&port=5433",
       "postgresql://jo@/focus?host=/run/pg&port=5433"},
      {"postgresql:///focus?password=s3cret", "postgresql:///focus"},
  };
  for (const auto& [url, shown] : cases) {
    EXPECT_EQ(DatabaseName(url), shown) << url;
  }
}

// The fuzz targets put their board back before every input; the store's
// kept connections must read what was put back, and need not parse the
// schema again when it is the one they hold.
TEST_F(StoreTest, SnapshotRestoreKeepsTheSchemaCookieOfTheSameSchema) {
  FOCUS_SQLITE_ONLY("a snapshot of the file");
  Store store(path_, Create());
  testing::DatabaseSnapshot snapshot(path_);
  testing::RawDatabase raw(path_);
  const int64_t cookie = raw.Int("PRAGMA schema_version");
  for (int round = 0; round < 2; ++round) {
    store.WriteTransaction(AddForum);
    EXPECT_TRUE(snapshot.Changed());
    snapshot.Restore();
    EXPECT_FALSE(snapshot.Changed());
    EXPECT_EQ(raw.Int("PRAGMA schema_version"), cookie) << "round " << round;
  }
  int64_t forums = -1;
  store.Read([&](Connection& db) {
    forums = testing::Int(db, "SELECT count(*) FROM forums");
  });
  EXPECT_EQ(forums, 0);
  EXPECT_EQ(raw.Text("PRAGMA integrity_check"), "ok");
}

TEST_F(StoreTest, SnapshotRestoreOfAnotherSchemaMakesConnectionsReadItAgain) {
  FOCUS_SQLITE_ONLY("a snapshot of the file");
  Store store(path_, Create());
  testing::DatabaseSnapshot snapshot(path_);
  testing::RawDatabase raw(path_);
  raw.Exec("CREATE TABLE extra (x INTEGER)");
  const int64_t cookie = raw.Int("PRAGMA schema_version");
  store.Read(
      [&](Connection& db) { testing::Exec(db, "SELECT count(*) FROM extra"); });
  snapshot.Restore();
  EXPECT_GT(raw.Int("PRAGMA schema_version"), cookie);
  EXPECT_THROW(store.Read([&](Connection& db) {
    testing::Exec(db, "SELECT count(*) FROM extra");
  }),
               Error);
}

}  // namespace
}  // namespace focus
