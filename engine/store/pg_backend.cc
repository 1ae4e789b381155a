// The seam's PostgreSQL side, through libpqxx: statements prepared once per
// connection, writes SERIALIZABLE and run again after a serialization
// failure or a deadlock, reads on a REPEATABLE READ snapshot.
#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <pqxx/pqxx>
#include <random>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#include "focus/error.h"
#include "sql_backend.h"
#include "store_internal.h"

namespace focus::store_internal {
namespace {

// A write that loses to a concurrent writer runs again after a random
// pause that doubles with each loss, up to kMaxPause: two writers retrying
// at once would collide again. It gives up (and reports kBusy) once it has
// lost for longer than the busy timeout, and at least kMinAttempts times.
constexpr int kMinAttempts = 3;
constexpr std::chrono::milliseconds kMaxPause{64};

// What every write transaction notifies at its commit (ChangeWatcher).
constexpr const char* kChangesChannel = "focus_changes";

// Every connection's: the server compiles no query to machine code. Ours
// are short, and the costs that trigger it are estimates: compiling one
// report's look-ups of a few thousand tickets took 0.4 s and saved nothing.
constexpr const char* kSessionSettings = "SET jit = off";

// Any constant serializes migrations between processes (an advisory lock).
constexpr int64_t kSchemaLockKey = 0x666f637573;  // "focus"

// Reads the current row of a result: PgQuery's, or a PgStream's batch.
class PgRows : public SqlQuery {
 public:
  int Columns() const override { return static_cast<int>(rows_.columns()); }
  std::string ColumnName(int column) const override {
    return rows_.column_name(static_cast<pqxx::row::size_type>(column));
  }
  int64_t Int(int column) const override {
    const pqxx::field f = Field(column);
    return f.is_null() ? 0 : f.as<int64_t>();
  }
  std::string Text(int column) const override { return Field(column).c_str(); }
  bool IsNull(int column) const override { return Field(column).is_null(); }
  std::optional<std::string_view> View(int column) const override {
    const pqxx::field f = Field(column);
    if (f.is_null()) return std::nullopt;
    return std::string_view(f.c_str(), f.size());
  }

 protected:
  pqxx::result rows_;
  size_t row_ = 0;  // In rows_.

 private:
  pqxx::field Field(int column) const {
    return rows_[static_cast<pqxx::result::size_type>(row_)]
                [static_cast<pqxx::row::size_type>(column)];
  }
};

class PgQuery : public PgRows {
 public:
  PgQuery(pqxx::transaction_base& tx, std::string name)
      : tx_(tx), name_(std::move(name)) {}

  SqlQuery& Bind(int index, int64_t value) override {
    return Set(index, std::to_string(value));
  }
  SqlQuery& Bind(int index, const std::string& value) override {
    return Set(index, value);
  }
  SqlQuery& BindRef(int index, const std::string& value) override {
    return Set(index, value);
  }
  SqlQuery& BindNull(int index) override { return Set(index, std::nullopt); }
  using SqlQuery::Bind;

  bool Step() override {
    if (!ran_) {
      std::vector<const char*> values;
      for (const auto& v : params_) values.push_back(v ? v->c_str() : nullptr);
      rows_ =
          tx_.exec_prepared(name_, pqxx::prepare::make_dynamic_params(values));
      ran_ = true;
      return rows_.size() > 0;
    }
    return ++row_ < rows_.size();
  }
  int64_t InsertedId() const override {
    return tx_.exec("SELECT lastval()")[0][0].as<int64_t>();
  }

 private:
  SqlQuery& Set(int index, std::optional<std::string> value) {
    if (params_.size() < static_cast<size_t>(index)) params_.resize(index);
    params_[index - 1] = std::move(value);
    return *this;
  }

  pqxx::transaction_base& tx_;
  std::string name_;
  std::vector<std::optional<std::string>> params_;
  bool ran_ = false;
};

class PgConnection : public Connection {
 public:
  explicit PgConnection(const std::string& url) : conn_(url), url_(url) {}

  std::unique_ptr<SqlQuery> Prepare(const std::string& sql) override {
    auto it = statements_.find(sql);
    if (it == statements_.end()) {
      const std::string name = "s" + std::to_string(statements_.size());
      conn_.prepare(name, sql);
      it = statements_.emplace(sql, name).first;
    }
    return std::make_unique<PgQuery>(Tx(), it->second);
  }
  void Exec(const std::string& sql) override { Tx().exec(sql); }
  Dialect dialect() const override { return Dialect::kPostgres; }

  pqxx::connection& conn() { return conn_; }
  const std::string& url() const { return url_; }
  void set_tx(pqxx::transaction_base* tx) { tx_ = tx; }

 private:
  pqxx::transaction_base& Tx() {
    if (tx_ == nullptr) {
      throw Error(ErrorKind::kInternal, "a query outside a transaction");
    }
    return *tx_;
  }

  pqxx::connection conn_;
  const std::string url_;
  pqxx::transaction_base* tx_ = nullptr;
  std::unordered_map<std::string, std::string> statements_;  // SQL -> name.
};

class PgBackend : public Backend {
 public:
  PgBackend(const std::string& url, int busy_timeout_ms)
      : db_(url),
        busy_timeout_(busy_timeout_ms),
        random_(std::random_device{}()) {
    pqxx::nontransaction tx(db_.conn());
    // Notices ("already exists, skipping") are not for the user; a lock
    // held longer than the busy timeout fails as SQLite's busy timeout does.
    tx.exec("SET client_min_messages TO WARNING; SET lock_timeout = " +
            std::to_string(busy_timeout_ms) + "; " + kSessionSettings);
  }

  void Transaction(bool write,
                   const std::function<void(Connection&)>& body) override {
    const auto give_up = std::chrono::steady_clock::now() + busy_timeout_;
    for (int attempt = 1;; ++attempt) {
      try {
        if (write) {
          Run<pqxx::transaction<pqxx::serializable>>(body, true);
        } else {
          Run<pqxx::transaction<pqxx::repeatable_read, pqxx::read_only>>(body,
                                                                         false);
        }
        return;
      } catch (const pqxx::serialization_failure&) {  // 40001
        if (!PauseBeforeRetry(attempt, give_up)) throw;
      } catch (const pqxx::deadlock_detected&) {  // 40P01
        if (!PauseBeforeRetry(attempt, give_up)) throw;
      }
    }
  }
  int SchemaVersion(Connection& db) override {
    std::unique_ptr<SqlQuery> q = db.Prepare(
        "SELECT CASE WHEN to_regclass('focus_schema') IS NULL THEN 0 ELSE 1 "
        "END");
    q->Step();
    if (q->Int(0) == 0) return 0;
    q = db.Prepare("SELECT max(version) FROM focus_schema");
    q->Step();
    return static_cast<int>(q->Int(0));
  }
  bool HasTables(Connection& db) override {
    std::unique_ptr<SqlQuery> q = db.Prepare(
        "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()");
    q->Step();
    return q->Int(0) > 0;
  }
  void SetSchemaVersion(Connection& db, int version) override {
    db.Exec(
        "CREATE TABLE IF NOT EXISTS focus_schema (version INTEGER NOT NULL);"
        "DELETE FROM focus_schema; INSERT INTO focus_schema VALUES (" +
        std::to_string(version) + ")");
  }
  // The board's own tables only: a bare VACUUM would also visit the shared
  // catalogs, which only a superuser may, and warn about each.
  void AfterBulkLoad() override {
    pqxx::nontransaction tx(db_.conn());
    std::string tables;
    for (const pqxx::row& r :
         tx.exec("SELECT quote_ident(tablename) FROM pg_tables WHERE "
                 "schemaname = current_schema() ORDER BY tablename")) {
      tables += (tables.empty() ? "" : ", ") + r[0].as<std::string>();
    }
    if (!tables.empty()) tx.exec("VACUUM (ANALYZE) " + tables);
  }
  void LockSchema(bool lock) override {
    pqxx::nontransaction tx(db_.conn());
    tx.exec(std::string(lock ? "SELECT pg_advisory_lock("
                             : "SELECT pg_advisory_unlock(") +
            std::to_string(kSchemaLockKey) + ")");
  }

 private:
  template <typename Tx>
  void Run(const std::function<void(Connection&)>& body, bool write) {
    Tx tx(db_.conn());
    db_.set_tx(&tx);
    try {
      body(db_);
      // Delivered to the listeners only if the transaction commits.
      if (write) tx.exec(std::string("NOTIFY ") + kChangesChannel);
    } catch (...) {
      db_.set_tx(nullptr);
      throw;
    }
    db_.set_tx(nullptr);
    tx.commit();
  }

  // False if the write should give up after losing `attempt` times.
  bool PauseBeforeRetry(int attempt,
                        std::chrono::steady_clock::time_point give_up) {
    if (attempt >= kMinAttempts &&
        std::chrono::steady_clock::now() >= give_up) {
      return false;
    }
    const auto ceiling = std::min<std::chrono::microseconds>(
        std::chrono::microseconds(250 << std::min(attempt, 16)), kMaxPause);
    std::this_thread::sleep_for(std::chrono::microseconds(
        std::uniform_int_distribution<int64_t>(0, ceiling.count())(random_)));
    return true;
  }

  PgConnection db_;
  const std::chrono::milliseconds busy_timeout_;
  std::mt19937_64 random_;
};

}  // namespace

bool IsPostgresUrl(const std::string& name) {
  return name.rfind("postgresql://", 0) == 0 ||
         name.rfind("postgres://", 0) == 0;
}

std::string DisplayName(const std::string& name) {
  if (!IsPostgresUrl(name)) return name;
  std::string out = name;
  // scheme://user:password@host/...: drop ":password".
  // The last '@' before the path: a careless password may hold one too.
  const size_t start = out.find("://") + 3;
  const size_t path = std::min(out.find_first_of("/?", start), out.size());
  const size_t at = out.rfind('@', path - 1);
  const size_t colon = out.find(':', start);
  if (at != std::string::npos && at >= start && colon < at) {
    out.erase(colon, at - colon);
  }
  // ...?host=h&password=secret: drop the parameter.
  const size_t query = out.find('?');
  if (query == std::string::npos) return out;
  std::string kept;
  std::istringstream params(out.substr(query + 1));
  for (std::string p; std::getline(params, p, '&');) {
    if (p.rfind("password=", 0) == 0) continue;
    kept += (kept.empty() ? "" : "&") + p;
  }
  return out.substr(0, query) + (kept.empty() ? "" : "?" + kept);
}

std::unique_ptr<Backend> OpenPostgres(const std::string& url,
                                      const std::string& display,
                                      int busy_timeout_ms) {
  try {
    return std::make_unique<PgBackend>(url, busy_timeout_ms);
  } catch (const pqxx::broken_connection& e) {
    throw Error(ErrorKind::kIo,
                display + ": cannot connect to the PostgreSQL server: " +
                    FirstLine(e.what()));
  } catch (const std::exception& e) {
    throw Translate(display, "cannot open the board database", e);
  }
}

namespace {

class PgChanges : public PostgresChanges {
 public:
  explicit PgChanges(const std::string& url) : conn_(url) {
    pqxx::nontransaction(conn_).exec(std::string("LISTEN ") + kChangesChannel);
  }
  int64_t Version() override {
    // A round trip: the server hands over what was committed before it.
    pqxx::nontransaction(conn_).exec("SELECT 1");
    commits_ += conn_.get_notifs();
    return commits_;
  }

 private:
  pqxx::connection conn_;
  int64_t commits_ = 0;
};

// See StreamPostgres. The fetching thread hands over whole batches; the
// reader keeps the one it is in (rows_), so its views stay valid until
// Step().
class PgStream : public PgRows {
 public:
  PgStream(const std::string& url, const std::string& snapshot,
           const std::string& sql, int batch_rows)
      : conn_(url), tx_(conn_), batch_rows_(batch_rows) {
    tx_.exec("SET TRANSACTION SNAPSHOT " + tx_.quote(snapshot));
    tx_.exec(kSessionSettings);
    tx_.exec("DECLARE focus_stream NO SCROLL CURSOR FOR " + sql);
    fetcher_ = std::thread([this] { Fetch(); });
  }
  ~PgStream() override {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stop_ = true;
    }
    changed_.notify_all();
    fetcher_.join();
  }

  SqlQuery& Bind(int, int64_t) override { Unsupported("parameters"); }
  SqlQuery& Bind(int, const std::string&) override {
    Unsupported("parameters");
  }
  SqlQuery& BindRef(int, const std::string&) override {
    Unsupported("parameters");
  }
  SqlQuery& BindNull(int) override { Unsupported("parameters"); }
  using SqlQuery::Bind;

  bool Step() override {
    ++row_;
    while (row_ >= rows_.size()) {
      if (done_) return false;
      TakeBatch();
    }
    return true;
  }
  int64_t InsertedId() const override { Unsupported("inserts"); }

 private:
  static constexpr size_t kBatchesAhead = 2;

  [[noreturn]] static void Unsupported(const char* what) {
    throw Error(ErrorKind::kInternal,
                std::string("a streamed query takes no ") + what);
  }
  void Fetch() {
    const std::string fetch =
        "FETCH " + std::to_string(batch_rows_) + " FROM focus_stream";
    try {
      for (bool more = true; more;) {
        pqxx::result batch = tx_.exec(fetch);
        more = !batch.empty();
        std::unique_lock<std::mutex> lock(mutex_);
        changed_.wait(lock,
                      [&] { return stop_ || ready_.size() < kBatchesAhead; });
        if (stop_) return;
        ready_.push_back(std::move(batch));
        changed_.notify_all();
      }
    } catch (...) {
      std::lock_guard<std::mutex> lock(mutex_);
      error_ = std::current_exception();
      changed_.notify_all();
    }
  }

  // The next batch from the fetching thread; an empty one ends the rows.
  void TakeBatch() {
    std::unique_lock<std::mutex> lock(mutex_);
    changed_.wait(lock, [&] { return error_ || !ready_.empty(); });
    if (ready_.empty()) std::rethrow_exception(error_);
    rows_ = std::move(ready_.front());
    ready_.pop_front();
    changed_.notify_all();
    row_ = 0;
    done_ = rows_.empty();
  }

  pqxx::connection conn_;
  pqxx::transaction<pqxx::repeatable_read, pqxx::read_only> tx_;
  const int batch_rows_;
  std::thread fetcher_;

  std::mutex mutex_;  // Guards what follows, to `error_`.
  std::condition_variable changed_;
  std::deque<pqxx::result> ready_;
  bool stop_ = false;
  std::exception_ptr error_;

  bool done_ = false;  // The reader has had the empty batch.
};

}  // namespace

std::unique_ptr<SqlQuery> StreamPostgres(Connection& db, const std::string& sql,
                                         int batch_rows) {
  auto& pg = dynamic_cast<PgConnection&>(db);
  std::unique_ptr<SqlQuery> q = pg.Prepare("SELECT pg_export_snapshot()");
  q->Step();
  return std::make_unique<PgStream>(pg.url(), q->Text(0), sql, batch_rows);
}

std::unique_ptr<PostgresChanges> WatchPostgres(const std::string& url,
                                               const std::string& display) {
  try {
    return std::make_unique<PgChanges>(url);
  } catch (const pqxx::broken_connection& e) {
    throw Error(ErrorKind::kIo,
                display + ": cannot connect to the PostgreSQL server: " +
                    FirstLine(e.what()));
  }
}

}  // namespace focus::store_internal
