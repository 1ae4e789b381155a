#include "focus/accounts_repository.h"

#include <SQLiteCpp/SQLiteCpp.h>

#include <optional>
#include <string>
#include <vector>

#include "focus/sql_connection.h"

namespace focus {
namespace {

constexpr const char* kSelect =
    "SELECT id, name, role, team, disabled, created_at, password_hash FROM "
    "accounts";

AccountRow ReadAccount(SQLite::Statement& q) {
  AccountRow a;
  a.id = q.getColumn(0).getInt64();
  a.name = q.getColumn(1).getString();
  a.role = q.getColumn(2).getString();
  a.team = q.getColumn(3).getString();
  a.disabled = q.getColumn(4).getInt() != 0;
  a.created_at = q.getColumn(5).getString();
  a.password_hash = q.getColumn(6).getString();
  return a;
}

}  // namespace

std::optional<AccountRow> AccountsRepository::Find(const std::string& name) {
  PreparedStatement q = db_.Prepare(std::string(kSelect) + " WHERE name = ?");
  q->bind(1, name);
  if (!q->executeStep()) return std::nullopt;
  return ReadAccount(*q);
}

std::vector<AccountRow> AccountsRepository::AllByName() {
  std::vector<AccountRow> out;
  PreparedStatement q = db_.Prepare(std::string(kSelect) + " ORDER BY name");
  while (q->executeStep()) out.push_back(ReadAccount(*q));
  return out;
}

int64_t AccountsRepository::Insert(const AccountRow& row,
                                   const std::string& created_by) {
  PreparedStatement q = db_.Prepare(
      "INSERT INTO accounts (name, role, team, password_hash, created_at, "
      "created_by) VALUES (?, ?, ?, ?, ?, ?)");
  q->bind(1, row.name);
  q->bind(2, row.role);
  q->bind(3, row.team);
  q->bind(4, row.password_hash);
  q->bind(5, row.created_at);
  q->bind(6, created_by);
  q->exec();
  return db_.getLastInsertRowid();
}

void AccountsRepository::Disable(int64_t id, const std::string& at,
                                 const std::string& by) {
  PreparedStatement q = db_.Prepare(
      "UPDATE accounts SET disabled = 1, disabled_at = ?, disabled_by = ? "
      "WHERE id = ?");
  q->bind(1, at);
  q->bind(2, by);
  q->bind(3, id);
  q->exec();
}

std::optional<std::string> AccountsRepository::AnyPasswordHash() {
  PreparedStatement q =
      db_.Prepare("SELECT password_hash FROM accounts ORDER BY id LIMIT 1");
  if (!q->executeStep()) return std::nullopt;
  return q->getColumn(0).getString();
}

}  // namespace focus
