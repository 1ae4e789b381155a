// Accounts of the people who use the web board, and what each role may do.
//
// Passwords are stored only as libsodium Argon2id hash strings (memory-hard;
// the string carries its own salt and parameters). Accounts are disabled,
// never deleted, because the ticket history names them.
#ifndef FOCUS_ACCOUNTS_H_
#define FOCUS_ACCOUNTS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "focus/clock.h"
#include "focus/config.h"
#include "focus/store.h"

namespace focus {

enum class Role {
  kCoordinator,  // Everything.
  kFacilitator,  // Add tickets, vote, move, merge.
  kResponder,    // Answer and move the tickets of their own team.
  kEditor,       // Reads the board (newsletter drafts); changes nothing.
};

// "coordinator", "facilitator", "responder", "editor".
const char* RoleName(Role role);
std::optional<Role> ParseRole(const std::string& name);
// Throws Error(kInvalidInput): "unknown role 'x' (roles: coordinator, ...)".
Role RoleFromName(const std::string& name);

struct Account {
  int64_t id = 0;
  std::string name;
  Role role = Role::kEditor;
  std::string team;  // Responders only: the board team they answer for.
  bool disabled = false;
  std::string created_at;  // UTC, "2026-11-22T14:05:09Z".
};

// The Argon2id cost of a new password hash.
enum class PasswordCost {
  kInteractive,  // libsodium's interactive limits: every real account.
  kTestMinimum,  // libsodium's minimum limits: for tests only, so they do
                 // not spend a tenth of a second (seconds under a sanitizer)
                 // per account. Production code never uses it.
};

struct NewAccount {
  std::string name;  // 1-64 letters, digits, '.', '_' or '-'.
  Role role = Role::kEditor;
  std::string team;      // Required for responders, refused for others.
  std::string password;  // At least kMinPasswordChars characters.
  // Tests set kTestMinimum; verification accepts a hash of any cost.
  PasswordCost password_cost = PasswordCost::kInteractive;
};

inline constexpr size_t kMinPasswordChars = 10;
inline constexpr size_t kMaxPasswordBytes = 1024;

// What an account may do on the board.
enum class Action { kViewBoard, kAddTicket, kVote, kMove, kMerge, kAnswer };

// Returns true iff `account` may do `action`; for responders, moving and
// answering also need `ticket_team` to be their team ("" = no ticket yet).
bool Allows(const Account& account, Action action,
            const std::string& ticket_team = "");

// Argon2id via libsodium (crypto_pwhash_str), at `cost`.
// Throws Error(kInternal) if libsodium cannot run (e.g. out of memory).
std::string HashPassword(const std::string& password,
                         PasswordCost cost = PasswordCost::kInteractive);
// Returns true iff `password` matches `hash` (crypto_pwhash_str_verify).
bool VerifyPassword(const std::string& hash, const std::string& password);

class Accounts {
 public:
  // REQUIRES: store, config and clock outlive this object.
  Accounts(Store& store, const Config& config, const Clock& clock);

  // Creates an account. Throws Error(kInvalidInput) for a bad or taken
  // name, a short password, or a team that does not fit the role.
  int64_t Add(const NewAccount& account, const std::string& actor);
  // Every account, by name.
  std::vector<Account> List() const;
  // The account named `name` (case-insensitive), if any.
  std::optional<Account> Find(const std::string& name) const;
  // Stops the account from signing in. Throws for an unknown name or an
  // account that is already disabled.
  void Disable(const std::string& name, const std::string& actor);
  // The enabled account named `name` whose password is `password`, else
  // nullopt. Takes as long for unknown names as for known ones.
  std::optional<Account> Authenticate(const std::string& name,
                                      const std::string& password) const;

 private:
  // A password hash made at the cost this board's hashes have (the first
  // account's; an interactive-cost one when there is no account yet).
  std::string AnyHash() const;

  Store& store_;
  const Config& config_;
  const Clock& clock_;
};

}  // namespace focus

#endif  // FOCUS_ACCOUNTS_H_
