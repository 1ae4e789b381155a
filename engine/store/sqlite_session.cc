// The seam's SQLite side: statements from the connection's cache, with $n
// parameters mapped to SQLite's indexes by name.
#include <SQLiteCpp/SQLiteCpp.h>

#include <charconv>
#include <memory>
#include <string>
#include <utility>

#include "focus/sql_connection.h"
#include "sql_backend.h"

namespace focus::store_internal {
namespace {

class SqliteQuery : public SqlQuery {
 public:
  SqliteQuery(Connection& db, PreparedStatement statement)
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
  int64_t Int(int column) const override {
    return statement_->getColumn(column).getInt64();
  }
  std::string Text(int column) const override {
    return statement_->getColumn(column).getString();
  }
  bool IsNull(int column) const override {
    return statement_->getColumn(column).isNull();
  }
  int64_t InsertedId() const override { return db_.getLastInsertRowid(); }

 private:
  // SQLite numbers named parameters in order of first appearance, so "$n"
  // is looked up by name rather than assumed to be the n-th.
  // The name is made without allocating: every value of every row an
  // import writes is bound through here.
  int Position(int index) const {
    char name[16] = "$";
    const std::to_chars_result end =
        std::to_chars(name + 1, name + sizeof(name) - 1, index);
    *end.ptr = '\0';
    const int position = statement_->getIndex(name);
    if (position == 0) {
      throw SQLite::Exception(std::string("no parameter ") + name +
                              " in: " + statement_->getQuery());
    }
    return position;
  }

  Connection& db_;
  PreparedStatement statement_;
};

}  // namespace

std::unique_ptr<SqlQuery> SqliteSession::Prepare(const std::string& sql) {
  return std::make_unique<SqliteQuery>(db_, db_.Prepare(sql));
}

}  // namespace focus::store_internal
