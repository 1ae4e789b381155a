#include "focus/store_testing.h"

#include <SQLiteCpp/Backup.h>
#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <memory>
#include <pqxx/pqxx>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "sql_backend.h"
#include "sqlite_connection.h"

namespace focus::testing {
namespace {

Rows QueryOn(SQLite::Database& db, const std::string& sql) {
  SQLite::Statement q(db, sql);
  Rows rows;
  while (q.executeStep()) {
    std::vector<std::string> row;
    for (int i = 0; i < q.getColumnCount(); ++i) {
      row.push_back(q.getColumn(i).isNull() ? "NULL"
                                            : q.getColumn(i).getString());
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

std::string FirstOf(const Rows& rows, const std::string& sql) {
  if (rows.empty() || rows.front().empty()) {
    throw std::runtime_error("no rows from: " + sql);
  }
  return rows.front().front();
}

int OpenFlags(RawDatabase::Mode mode) {
  switch (mode) {
    case RawDatabase::Mode::kReadOnly:
      return SQLite::OPEN_READONLY;
    case RawDatabase::Mode::kReadWrite:
      return SQLite::OPEN_READWRITE;
    case RawDatabase::Mode::kCreate:
      break;
  }
  return SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE;
}

// Runs `fn`, giving SQLite's failures as std::runtime_error.
template <typename Fn>
auto Plain(Fn&& fn) -> decltype(fn()) {
  try {
    return fn();
  } catch (const SQLite::Exception& e) {
    throw std::runtime_error(e.what());
  } catch (const pqxx::failure& e) {
    throw std::runtime_error(e.what());
  }
}

}  // namespace

// A SQLite file, or (for a postgresql:// URL) a PostgreSQL connection whose
// every statement commits on its own.
struct RawDatabase::Impl {
  std::unique_ptr<SQLite::Database> db;
  std::unique_ptr<pqxx::connection> pg;
  Impl(const std::string& path, int flags) {
    if (store_internal::IsPostgresUrl(path)) {
      pg = std::make_unique<pqxx::connection>(path);
      pqxx::nontransaction(*pg).exec("SET client_min_messages TO WARNING");
    } else {
      db = std::make_unique<SQLite::Database>(path, flags);
    }
  }
};

RawDatabase::RawDatabase(const std::string& path, Mode mode)
    : impl_(Plain(
          [&] { return std::make_unique<Impl>(path, OpenFlags(mode)); })) {}

RawDatabase::~RawDatabase() = default;

bool RawDatabase::postgres() const { return impl_->pg != nullptr; }

void RawDatabase::Exec(const std::string& sql) {
  Plain([&] {
    if (impl_->pg) {
      pqxx::nontransaction(*impl_->pg).exec(sql);
    } else {
      impl_->db->exec(sql);
    }
  });
}

Rows RawDatabase::Query(const std::string& sql) {
  return Plain([&] {
    if (!impl_->pg) return QueryOn(*impl_->db, sql);
    Rows rows;
    for (const pqxx::row& r : pqxx::nontransaction(*impl_->pg).exec(sql)) {
      std::vector<std::string> row;
      for (const pqxx::field& f : r) {
        row.push_back(f.is_null() ? "NULL" : f.c_str());
      }
      rows.push_back(std::move(row));
    }
    return rows;
  });
}

std::string RawDatabase::Text(const std::string& sql) {
  return FirstOf(Query(sql), sql);
}

int64_t RawDatabase::Int(const std::string& sql) {
  return std::stoll(Text(sql));
}

void Exec(Connection& db, const std::string& sql) { db.Exec(sql); }

Rows Query(Connection& db, const std::string& sql) {
  std::unique_ptr<store_internal::SqlQuery> q = db.Prepare(sql);
  Rows rows;
  while (q->Step()) {
    std::vector<std::string> row;
    for (int i = 0; i < q->Columns(); ++i) {
      row.push_back(q->IsNull(i) ? "NULL" : q->Text(i));
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

std::string Text(Connection& db, const std::string& sql) {
  return FirstOf(Query(db, sql), sql);
}

int64_t Int(Connection& db, const std::string& sql) {
  return std::stoll(Text(db, sql));
}

struct Insert::Impl {
  sqlite3* db = nullptr;
  sqlite3_stmt* stmt = nullptr;

  void Check(int rc, const char* what) const {
    if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
      throw std::runtime_error(std::string(what) + ": " + sqlite3_errmsg(db));
    }
  }
};

Insert::Insert(Connection& db, const char* sql)
    : impl_(std::make_unique<Impl>()) {
  auto* sqlite = dynamic_cast<SqliteConnection*>(&db);
  if (sqlite == nullptr) {
    throw std::runtime_error("testing::Insert runs on SQLite only");
  }
  impl_->db = sqlite->getHandle();
  impl_->Check(sqlite3_prepare_v2(impl_->db, sql, -1, &impl_->stmt, nullptr),
               sql);
}

Insert::~Insert() { sqlite3_finalize(impl_->stmt); }

Insert& Insert::Int(int i, int64_t v) {
  sqlite3_bind_int64(impl_->stmt, i, v);
  return *this;
}

Insert& Insert::Text(int i, const std::string& v) {
  sqlite3_bind_text(impl_->stmt, i, v.data(), static_cast<int>(v.size()),
                    SQLITE_TRANSIENT);
  return *this;
}

Insert& Insert::Null(int i) {
  sqlite3_bind_null(impl_->stmt, i);
  return *this;
}

Insert& Insert::OptText(int i, const std::string& v) {
  return v.empty() ? Null(i) : Text(i, v);
}

void Insert::Run() {
  impl_->Check(sqlite3_step(impl_->stmt), "insert");
  sqlite3_reset(impl_->stmt);
}

struct DatabaseSnapshot::Impl {
  SQLite::Database db;
  SQLite::Database copy;
  int64_t version = 0;
  int64_t schema_cookie = 0;  // The file's, when the snapshot was taken.

  explicit Impl(const std::string& path)
      : db(path, SQLite::OPEN_READWRITE),
        copy(":memory:", SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE) {}

  // Differs between two reads iff another connection committed in between
  // (a commit on this connection, as Restore's, leaves it alone).
  // Prepared once: the fuzz targets ask before every input.
  int64_t DataVersion() {
    data_version.executeStep();
    const int64_t v = data_version.getColumn(0).getInt64();
    data_version.reset();  // Holds no read open across a write.
    return v;
  }

  int64_t SchemaCookie() {
    return db.execAndGet("PRAGMA schema_version").getInt64();
  }

  SQLite::Statement data_version{db, "PRAGMA data_version"};
};

DatabaseSnapshot::DatabaseSnapshot(const std::string& path)
    : impl_(std::make_unique<Impl>(path)) {
  SQLite::Backup(impl_->copy, impl_->db).executeStep();
  impl_->version = impl_->DataVersion();
  impl_->schema_cookie = impl_->SchemaCookie();
}

DatabaseSnapshot::~DatabaseSnapshot() = default;

bool DatabaseSnapshot::Changed() {
  return impl_->DataVersion() != impl_->version;
}

void DatabaseSnapshot::Restore() {
  if (!Changed()) return;
  // Every change of schema bumps its cookie, so a file whose cookie is the
  // snapshot's holds the snapshot's schema: same tables, SQL and root pages.
  const bool same_schema = impl_->SchemaCookie() == impl_->schema_cookie;
  SQLite::Backup(impl_->db, impl_->copy).executeStep();
  // The backup bumps the cookie, and every other connection would parse the
  // schema again and re-prepare each statement it keeps. Where the schema
  // put back is the one they hold, the old cookie is still the truth.
  if (same_schema) {
    impl_->db.exec("PRAGMA schema_version = " +
                   std::to_string(impl_->schema_cookie));
  }
  impl_->version = impl_->DataVersion();
}

std::string WithDatabaseName(const std::string& url, const std::string& name) {
  // scheme://authority/dbname?params
  const size_t authority = url.find("://");
  const size_t slash =
      url.find('/', authority == std::string::npos ? 0 : authority + 3);
  if (slash == std::string::npos) return url + "/" + name;
  const size_t end = url.find('?', slash);
  return url.substr(0, slash + 1) + name +
         (end == std::string::npos ? "" : url.substr(end));
}

TemporaryPostgresDatabase::TemporaryPostgresDatabase(
    const std::string& server_url)
    : server_url_(server_url) {
  static std::atomic<int> next{0};
  name_ =
      "focus_test_" + std::to_string(getpid()) + "_" + std::to_string(next++);
  url_ = WithDatabaseName(server_url, name_);
  try {
    pqxx::connection c(server_url_);
    pqxx::nontransaction tx(c);
    tx.exec("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
    tx.exec("CREATE DATABASE " + name_);
  } catch (const std::exception& e) {
    throw std::runtime_error(std::string("cannot create a test database: ") +
                             e.what());
  }
}

TemporaryPostgresDatabase::~TemporaryPostgresDatabase() {
  try {
    pqxx::connection c(server_url_);
    pqxx::nontransaction tx(c);
    tx.exec("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
  } catch (const std::exception&) {
    // The throwaway cluster goes at the end of the run anyway.
  }
}

std::string Dump(const std::string& path) {
  RawDatabase db(path, RawDatabase::Mode::kReadOnly);
  const bool pg = db.postgres();
  std::ostringstream out;
  for (const auto& table : db.Query(
           pg ? "SELECT table_name FROM information_schema.tables WHERE "
                "table_schema = current_schema() AND table_name <> "
                "'focus_schema' ORDER BY table_name COLLATE \"C\""
              : "SELECT name FROM sqlite_master WHERE type = 'table' ORDER "
                "BY name")) {
    out << "[" << table[0] << "]\n";
    // Sorted: without ORDER BY, PostgreSQL returns an updated row wherever
    // its new version went, so two equal tables could list rows apart.
    std::vector<std::string> lines;
    for (const auto& row : db.Query("SELECT * FROM \"" + table[0] + "\"")) {
      std::string line;
      for (const std::string& value : row) line += value + "|";
      lines.push_back(std::move(line));
    }
    std::sort(lines.begin(), lines.end());
    for (const std::string& line : lines) out << line << "\n";
  }
  out << "user_version="
      << db.Int(pg ? "SELECT version FROM focus_schema"
                   : "PRAGMA user_version");
  return out.str();
}

}  // namespace focus::testing
