// Written against the backend seam (sql_backend.h): portable SQL.
#include "focus/accounts_repository.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sql_backend.h"

namespace focus {

using store_internal::SqlQuery;

namespace {

constexpr const char* kSelect =
    "SELECT id, name, role, team, disabled, created_at, password_hash FROM "
    "accounts";

AccountRow ReadAccount(const SqlQuery& q) {
  AccountRow a;
  a.id = q.Int(0);
  a.name = q.Text(1);
  a.role = q.Text(2);
  a.team = q.Text(3);
  a.disabled = q.Int(4) != 0;
  a.created_at = q.Text(5);
  a.password_hash = q.Text(6);
  return a;
}

}  // namespace

std::optional<AccountRow> AccountsRepository::Find(const std::string& name) {
  // Names are stored COLLATE NOCASE; lower() on both sides says the same
  // in SQL any engine runs.
  std::unique_ptr<SqlQuery> q =
      db_.Prepare(std::string(kSelect) + " WHERE lower(name) = lower($1)");
  q->Bind(1, name);
  if (!q->Step()) return std::nullopt;
  return ReadAccount(*q);
}

std::vector<AccountRow> AccountsRepository::AllByName() {
  std::vector<AccountRow> out;
  std::unique_ptr<SqlQuery> q =
      db_.Prepare(std::string(kSelect) + " ORDER BY lower(name), name");
  while (q->Step()) out.push_back(ReadAccount(*q));
  return out;
}

int64_t AccountsRepository::Insert(const AccountRow& row,
                                   const std::string& created_by) {
  std::unique_ptr<SqlQuery> q = db_.Prepare(
      "INSERT INTO accounts (name, role, team, password_hash, created_at, "
      "created_by) VALUES ($1, $2, $3, $4, $5, $6)");
  q->Bind(1, row.name)
      .Bind(2, row.role)
      .Bind(3, row.team)
      .Bind(4, row.password_hash)
      .Bind(5, row.created_at)
      .Bind(6, created_by);
  q->Step();
  return q->InsertedId();
}

void AccountsRepository::Disable(int64_t id, const std::string& at,
                                 const std::string& by) {
  std::unique_ptr<SqlQuery> q = db_.Prepare(
      "UPDATE accounts SET disabled = 1, disabled_at = $1, disabled_by = $2 "
      "WHERE id = $3");
  q->Bind(1, at).Bind(2, by).Bind(3, id);
  q->Step();
}

std::optional<std::string> AccountsRepository::AnyPasswordHash() {
  std::unique_ptr<SqlQuery> q =
      db_.Prepare("SELECT password_hash FROM accounts ORDER BY id LIMIT 1");
  if (!q->Step()) return std::nullopt;
  return q->Text(0);
}

}  // namespace focus
