#include "focus/accounts.h"

#include <sodium.h>

#include <algorithm>
#include <cctype>

#include "focus/accounts_repository.h"
#include "focus/error.h"
#include "focus/screening.h"
#include "focus/text.h"
#include "web_security.h"

namespace focus {
namespace {

constexpr const char* kRoleNames[] = {"coordinator", "facilitator", "responder",
                                      "editor"};

void CheckName(const std::string& name) {
  if (name.empty() || name.size() > 64) {
    ThrowInvalid("account name '" + name +
                 "': give 1 to 64 letters, digits, '.', '_' or '-'");
  }
  for (unsigned char c : name) {
    if (!std::isalnum(c) && c != '.' && c != '_' && c != '-') {
      ThrowInvalid("account name '" + name +
                   "': use only letters, digits, '.', '_' or '-'");
    }
  }
}

void CheckPassword(const std::string& password) {
  if (!IsValidUtf8(password)) ThrowInvalid("password: not valid UTF-8");
  if (password.size() > kMaxPasswordBytes) {
    ThrowInvalid("password: longer than " + std::to_string(kMaxPasswordBytes) +
                 " bytes");
  }
  if (Utf8Length(password) < kMinPasswordChars) {
    ThrowInvalid("password: at least " + std::to_string(kMinPasswordChars) +
                 " characters, please");
  }
}

// The configured spelling of `team` (case-insensitive).
std::string ResolveTeam(const Config& config, const std::string& team) {
  for (const std::string& t : config.board.teams) {
    if (LowerAscii(t) == LowerAscii(team)) return t;
  }
  std::string list;
  for (const std::string& t : config.board.teams) {
    list += (list.empty() ? "" : ", ") + t;
  }
  ThrowInvalid("unknown team '" + team + "' (teams: " +
               (list.empty() ? "none configured in board.teams" : list) + ")");
}

Account ToAccount(const AccountRow& row) {
  Account a;
  a.id = row.id;
  a.name = row.name;
  a.role = RoleFromName(row.role);
  a.team = row.team;
  a.disabled = row.disabled;
  a.created_at = row.created_at;
  return a;
}

}  // namespace

const char* RoleName(Role role) { return kRoleNames[static_cast<int>(role)]; }

std::optional<Role> ParseRole(const std::string& name) {
  for (int i = 0; i < 4; ++i) {
    if (name == kRoleNames[i]) return static_cast<Role>(i);
  }
  return std::nullopt;
}

Role RoleFromName(const std::string& name) {
  std::optional<Role> role = ParseRole(name);
  if (!role) {
    ThrowInvalid("unknown role '" + name +
                 "' (roles: coordinator, facilitator, responder, editor)");
  }
  return *role;
}

bool Allows(const Account& account, Action action,
            const std::string& ticket_team) {
  if (account.disabled) return false;
  switch (account.role) {
    case Role::kCoordinator:
      return true;
    case Role::kFacilitator:
      return action != Action::kAnswer;
    case Role::kResponder:
      if (action == Action::kViewBoard) return true;
      if (action == Action::kMove || action == Action::kAnswer) {
        return ticket_team.empty() ||
               LowerAscii(ticket_team) == LowerAscii(account.team);
      }
      return false;
    case Role::kEditor:
      return action == Action::kViewBoard;
  }
  return false;
}

std::string HashPassword(const std::string& password, PasswordCost cost) {
  web::InitSodium();
  const bool minimum = cost == PasswordCost::kTestMinimum;
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(out, password.data(), password.size(),
                        minimum ? crypto_pwhash_OPSLIMIT_MIN
                                : crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        minimum ? crypto_pwhash_MEMLIMIT_MIN
                                : crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
    throw Error(ErrorKind::kInternal,
                "cannot hash the password (libsodium ran out of memory)");
  }
  return out;
}

bool VerifyPassword(const std::string& hash, const std::string& password) {
  web::InitSodium();
  return crypto_pwhash_str_verify(hash.c_str(), password.data(),
                                  password.size()) == 0;
}

Accounts::Accounts(Store& store, const Config& config, const Clock& clock)
    : store_(store), config_(config), clock_(clock) {}

int64_t Accounts::Add(const NewAccount& in, const std::string& actor) {
  CheckName(in.name);
  std::string team;
  if (in.role == Role::kResponder) {
    if (in.team.empty()) {
      ThrowInvalid("a responder needs the team they answer for", "team");
    }
    team = ResolveTeam(config_, in.team);
  } else if (!in.team.empty()) {
    ThrowInvalid(std::string("a team is only for responders, not for a ") +
                     RoleName(in.role),
                 "team");
  }
  CheckPassword(in.password);
  // Hash outside the transaction: it takes a tenth of a second on purpose.
  const std::string hash = HashPassword(in.password, in.password_cost);
  int64_t id = 0;
  store_.WriteTransaction([&](Connection& db) {
    AccountsRepository accounts(db);
    if (accounts.Find(in.name)) {
      ThrowInvalid("account '" + in.name + "' already exists");
    }
    AccountRow row;
    row.name = in.name;
    row.role = RoleName(in.role);
    row.team = team;
    row.password_hash = hash;
    row.created_at = FormatUtc(clock_.Now());
    id = accounts.Insert(row, actor);
  });
  return id;
}

std::vector<Account> Accounts::List() const {
  std::vector<Account> out;
  store_.Read([&](Connection& db) {
    for (const AccountRow& row : AccountsRepository(db).AllByName()) {
      out.push_back(ToAccount(row));
    }
  });
  return out;
}

std::optional<Account> Accounts::Find(const std::string& name) const {
  std::optional<Account> out;
  store_.Read([&](Connection& db) {
    std::optional<AccountRow> row = AccountsRepository(db).Find(name);
    if (row) out = ToAccount(*row);
  });
  return out;
}

void Accounts::Disable(const std::string& name, const std::string& actor) {
  store_.WriteTransaction([&](Connection& db) {
    AccountsRepository accounts(db);
    std::optional<AccountRow> row = accounts.Find(name);
    if (!row) ThrowInvalid("no account '" + name + "'");
    Account a = ToAccount(*row);
    if (a.disabled)
      ThrowInvalid("account '" + a.name + "' is already disabled");
    accounts.Disable(a.id, FormatUtc(clock_.Now()), actor);
  });
}

std::string Accounts::AnyHash() const {
  std::string hash;
  store_.Read([&](Connection& db) {
    hash = AccountsRepository(db).AnyPasswordHash().value_or("");
  });
  if (hash.empty()) {
    static const std::string no_accounts = HashPassword("not a real password");
    return no_accounts;
  }
  return hash;
}

std::optional<Account> Accounts::Authenticate(
    const std::string& name, const std::string& password) const {
  std::optional<Account> account;
  std::string hash;
  if (name.size() <= 64 && password.size() <= kMaxPasswordBytes) {
    store_.Read([&](Connection& db) {
      if (std::optional<AccountRow> row = AccountsRepository(db).Find(name)) {
        account = ToAccount(*row);
        hash = row->password_hash;
      }
    });
  }
  if (!account) {
    // Spend the same effort as a real check, so response times do not tell
    // which account names exist: check against the first account's hash,
    // which has the cost the board's real hashes have, and ignore the
    // result.
    VerifyPassword(AnyHash(), password.substr(0, kMaxPasswordBytes));
    return std::nullopt;
  }
  if (!VerifyPassword(hash, password) || account->disabled) return std::nullopt;
  return account;
}

}  // namespace focus
