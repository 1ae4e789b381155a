// Moving a board between databases (focus db copy), through the seam, so
// any engine copies to any other.
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "focus/error.h"
#include "focus/store.h"
#include "sql_backend.h"

namespace focus {
namespace {

using store_internal::Dialect;
using store_internal::SqlQuery;

struct Table {
  const char* name;
  const char* order_by;
  bool has_id;  // An integer `id` the engine numbers.
};

// Parents before children, so every reference finds its row.
constexpr Table kTables[] = {
    {"forums", "id", true},
    {"forum_apologies", "forum_id, position", false},
    {"tickets", "id", true},
    {"ticket_themes", "ticket_id, theme", false},
    {"votes", "id", true},
    {"history", "id", true},
    {"verdicts", "id", true},
    {"accounts", "id", true},
    {"reminders", "id", true},
    {"reminder_tickets", "reminder_id, ticket_id", false},
};

int64_t Count(Connection& db, const std::string& table) {
  std::unique_ptr<SqlQuery> q = db.Prepare("SELECT count(*) FROM " + table);
  q->Step();
  return q->Int(0);
}

void CheckEmpty(Connection& to, const std::string& name) {
  for (const Table& t : kTables) {
    if (Count(to, t.name) > 0) {
      ThrowInvalid(name + ": already holds a board (" + t.name +
                   " has rows); copy only into an empty board database");
    }
  }
}

// Copies table `t`'s rows. A ticket's merged_into may name a later ticket,
// so it is written once every ticket is there.
int64_t CopyTable(Connection& from, Connection& to, const Table& t) {
  std::unique_ptr<SqlQuery> in = from.Prepare(
      std::string("SELECT * FROM ") + t.name + " ORDER BY " + t.order_by);
  bool row = in->Step();  // Runs it: PostgreSQL names columns after that.
  std::string columns, params;
  int id = -1, merged_into = -1;
  for (int c = 0; c < in->Columns(); ++c) {
    if (c > 0) columns += ", ", params += ", ";
    const std::string name = in->ColumnName(c);
    columns += name;
    params += "$" + std::to_string(c + 1);
    if (name == "id") id = c;
    if (name == "merged_into") merged_into = c;
  }
  const std::string insert = std::string("INSERT INTO ") + t.name + " (" +
                             columns + ") VALUES (" + params + ")";
  std::vector<std::pair<std::string, std::string>> merges;  // id, into.
  int64_t rows = 0;
  for (; row; row = in->Step(), ++rows) {
    std::unique_ptr<SqlQuery> out = to.Prepare(insert);
    for (int c = 0; c < in->Columns(); ++c) {
      if (in->IsNull(c) || c == merged_into) {
        out->BindNull(c + 1);
      } else {
        // Text either way: each engine reads it as the column's type.
        out->Bind(c + 1, in->Text(c));
      }
    }
    out->Step();
    if (merged_into >= 0 && !in->IsNull(merged_into)) {
      merges.emplace_back(in->Text(id), in->Text(merged_into));
    }
  }
  for (const auto& [id, into] : merges) {
    std::unique_ptr<SqlQuery> q = to.Prepare(
        "UPDATE tickets SET merged_into = CAST($1 AS BIGINT) WHERE id = "
        "CAST($2 AS BIGINT)");
    q->Bind(1, into).Bind(2, id);
    q->Step();
  }
  return rows;
}

}  // namespace

std::vector<std::pair<std::string, int64_t>> CopyBoard(const std::string& from,
                                                       const std::string& to) {
  Store source(from);
  StoreOptions create;
  create.create_if_missing = true;
  Store target(to, create);
  std::vector<std::pair<std::string, int64_t>> copied;
  target.WriteTransaction([&](Connection& out) {
    copied.clear();  // The body may run again (see WriteTransaction).
    CheckEmpty(out, DatabaseName(to));
    source.Read([&](Connection& in) {
      for (const Table& t : kTables) {
        copied.emplace_back(t.name, CopyTable(in, out, t));
        if (t.has_id) store_internal::ContinueNumbering(out, t.name);
      }
    });
  });
  target.AfterBulkLoad();
  return copied;
}

}  // namespace focus
