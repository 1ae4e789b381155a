// Connections that keep their prepared statements.
#include "sqlite_connection.h"

#include <SQLiteCpp/SQLiteCpp.h>

#include <charconv>
#include <cstddef>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace focus {

namespace {

// SQLite's index of the parameter "$n" of `statement` (0 if none), looked
// up by name: SQLite numbers named parameters in order of first
// appearance, not by the number in their name. The name is made without
// allocating.
int IndexByName(const SQLite::Statement& statement, int n) {
  char name[16] = "$";
  const std::to_chars_result end =
      std::to_chars(name + 1, name + sizeof(name) - 1, n);
  *end.ptr = '\0';
  return statement.getIndex(name);
}

}  // namespace

PreparedStatement::PreparedStatement(SQLite::Statement* cached, bool* busy,
                                     const std::vector<int>* indexes,
                                     std::unique_ptr<SQLite::Statement> own)
    : statement_(cached ? cached : own.get()),
      busy_(busy),
      indexes_(indexes),
      own_(std::move(own)) {}

PreparedStatement::PreparedStatement(PreparedStatement&& other) noexcept
    : statement_(other.statement_),
      busy_(other.busy_),
      indexes_(other.indexes_),
      own_(std::move(other.own_)) {
  other.statement_ = nullptr;
  other.busy_ = nullptr;
  other.indexes_ = nullptr;
}

int PreparedStatement::ParameterIndex(int n) const {
  if (indexes_ != nullptr && n >= 0 &&
      static_cast<size_t>(n) < indexes_->size()) {
    return (*indexes_)[n];
  }
  return IndexByName(*statement_, n);
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
    // A statement's $n are at most as many as its parameters (a gap leaves
    // a larger n to IndexByName).
    entry.indexes.resize(entry.statement->getBindParameterCount() + 1);
    for (size_t n = 1; n < entry.indexes.size(); ++n) {
      entry.indexes[n] = IndexByName(*entry.statement, static_cast<int>(n));
    }
    it = statements_.emplace(sql, std::move(entry)).first;
  }
  if (it == statements_.end() || it->second.busy) {
    return PreparedStatement(nullptr, nullptr, nullptr,
                             std::make_unique<SQLite::Statement>(*this, sql));
  }
  it->second.busy = true;
  return PreparedStatement(it->second.statement.get(), &it->second.busy,
                           &it->second.indexes, nullptr);
}

}  // namespace focus
