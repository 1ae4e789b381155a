// Connections that keep their prepared statements.
#include "sqlite_connection.h"

#include <SQLiteCpp/SQLiteCpp.h>

#include <memory>
#include <string>
#include <utility>

namespace focus {

PreparedStatement::PreparedStatement(SQLite::Statement* cached, bool* busy,
                                     std::unique_ptr<SQLite::Statement> own)
    : statement_(cached ? cached : own.get()),
      busy_(busy),
      own_(std::move(own)) {}

PreparedStatement::PreparedStatement(PreparedStatement&& other) noexcept
    : statement_(other.statement_),
      busy_(other.busy_),
      own_(std::move(other.own_)) {
  other.statement_ = nullptr;
  other.busy_ = nullptr;
}

PreparedStatement::~PreparedStatement() {
  if (statement_ == nullptr || busy_ == nullptr) return;
  // A step's error was already reported by the step; clearing bindings
  // cannot fail (sqlite3_clear_bindings always returns SQLITE_OK).
  statement_->tryReset();
  try {
    statement_->clearBindings();
  } catch (const SQLite::Exception&) {
  }
  *busy_ = false;
}

SqliteConnection::~SqliteConnection() = default;

PreparedStatement SqliteConnection::Cached(const std::string& sql) {
  auto it = statements_.find(sql);
  if (it == statements_.end() && statements_.size() < kMaxStatements) {
    Entry entry;
    entry.statement = std::make_unique<SQLite::Statement>(*this, sql);
    it = statements_.emplace(sql, std::move(entry)).first;
  }
  if (it == statements_.end() || it->second.busy) {
    return PreparedStatement(nullptr, nullptr,
                             std::make_unique<SQLite::Statement>(*this, sql));
  }
  it->second.busy = true;
  return PreparedStatement(it->second.statement.get(), &it->second.busy,
                           nullptr);
}

}  // namespace focus
