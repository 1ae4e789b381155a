// The web server's accounts as stored: rows in, rows out. What a name,
// role or password may be is focus/accounts.h's to say.
#ifndef FOCUS_ACCOUNTS_REPOSITORY_H_
#define FOCUS_ACCOUNTS_REPOSITORY_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "focus/store.h"

namespace focus {

struct AccountRow {
  int64_t id = 0;
  std::string name;
  std::string role;  // "coordinator", "facilitator", "responder", "editor".
  std::string team;
  bool disabled = false;
  std::string created_at;
  std::string password_hash;  // libsodium Argon2id string.
};

// REQUIRES: `db` is the transaction of the call that made this object, and
// outlives it.
class AccountsRepository {
 public:
  explicit AccountsRepository(Connection& db) : db_(db) {}

  // Names compare without regard to ASCII case.
  std::optional<AccountRow> Find(const std::string& name);
  std::vector<AccountRow> AllByName();

  // Writes a new, enabled account (`row.id` and `row.disabled` are
  // ignored); returns its id.
  int64_t Insert(const AccountRow& row, const std::string& created_by);
  void Disable(int64_t id, const std::string& at, const std::string& by);

  // The oldest account's password hash, if there is an account.
  std::optional<std::string> AnyPasswordHash();

 private:
  Connection& db_;
};

}  // namespace focus

#endif  // FOCUS_ACCOUNTS_REPOSITORY_H_
