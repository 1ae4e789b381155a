// The seam's SQLite side: statements from the connection's cache, with $n
// parameters mapped to SQLite's indexes by name.
#include <SQLiteCpp/SQLiteCpp.h>

#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "sql_backend.h"
#include "sqlite_connection.h"

namespace focus::store_internal {
namespace {

class SqliteQuery : public SqlQuery {
 public:
  SqliteQuery(SqliteConnection& db, PreparedStatement statement)
      : db_(db), statement_(std::move(statement)) {}

  SqlQuery& Bind(int index, int64_t value) override {
    statement_->bind(Position(index), value);
    return *this;
  }
  SqlQuery& Bind(int index, const std::string& value) override {
    statement_->bind(Position(index), value);
    return *this;
  }
  SqlQuery& BindRef(int index, const std::string& value) override {
    statement_->bindNoCopy(Position(index), value);
    return *this;
  }
  SqlQuery& BindNull(int index) override {
    statement_->bind(Position(index));
    return *this;
  }
  using SqlQuery::Bind;

  bool Step() override { return statement_->executeStep(); }
  int Columns() const override { return statement_->getColumnCount(); }
  std::string ColumnName(int column) const override {
    return statement_->getColumnName(column);
  }
  int64_t Int(int column) const override {
    return statement_->getColumn(column).getInt64();
  }
  std::string Text(int column) const override {
    return statement_->getColumn(column).getString();
  }
  bool IsNull(int column) const override {
    return statement_->getColumn(column).isNull();
  }
  std::optional<std::string_view> View(int column) const override {
    SQLite::Column c = statement_->getColumn(column);
    if (c.isNull()) return std::nullopt;
    const char* p = c.getText();  // Before getBytes(): it converts.
    return std::string_view(p, static_cast<size_t>(c.getBytes()));
  }
  int64_t InsertedId() const override { return db_.getLastInsertRowid(); }

 private:
  // SQLite's index of "$index".
  int Position(int index) const {
    const int position = statement_.ParameterIndex(index);
    if (position == 0) {
      throw SQLite::Exception("no parameter $" + std::to_string(index) +
                              " in: " + statement_->getQuery());
    }
    return position;
  }

  SqliteConnection& db_;
  PreparedStatement statement_;
};

}  // namespace

}  // namespace focus::store_internal

namespace focus {

std::unique_ptr<store_internal::SqlQuery> SqliteConnection::Prepare(
    const std::string& sql) {
  return std::make_unique<store_internal::SqliteQuery>(*this, Cached(sql));
}

}  // namespace focus
