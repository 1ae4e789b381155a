// focus serve, focus account.
#include <pthread.h>
#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "cli_common.h"
#include "focus/accounts.h"
#include "focus/changes.h"
#include "focus/clock.h"
#include "focus/error.h"
#include "focus/server.h"
#include "focus/store.h"
#include "focus/text.h"

namespace focus::cli {
namespace {

struct ServeArgs {
  int port = 8080;
  std::string bind = "127.0.0.1";
  std::string templates;
  int threads = 0;  // 0 = one per processor.
};

void RunServe(const GlobalOptions& g, const ServeArgs& args) {
  const std::string config_path = ConfigPath(g);
  const Config config = LoadConfig(config_path);
  ServerOptions options;
  options.port = args.port;
  options.bind = args.bind;
  options.db_path = DbPath(g);
  options.templates_dir = args.templates;
  options.threads = args.threads;
  options.trusted_proxies = config.server.trusted_proxies;
  options.secure_cookies = config.server.public_url.rfind("https://", 0) == 0;
  if (config_path != kBuiltInConfig) {
    options.changes_path = ChangesPathFor(config_path);
  }

  // SIGINT and SIGTERM are taken by sigwait below, never by a worker
  // thread: block them before the server starts its threads.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  WebServer server(config, SystemClock(), options);
  const int port = server.Bind();
  std::thread serving([&server] { server.Run(); });
  server.WaitUntilReady();
  std::cout << "Serving the board and the public site on http://"
            << (args.bind.find(':') != std::string::npos ? "[" + args.bind + "]"
                                                         : args.bind)
            << ":" << port << "/ (database " << DatabaseName(options.db_path)
            << "; Ctrl+C stops)" << std::endl;
  int received = 0;
  sigwait(&stop_signals, &received);
  std::cout << "Stopping (" << (received == SIGINT ? "SIGINT" : "SIGTERM")
            << ")" << std::endl;
  server.Stop();
  serving.join();
}

// The password: typed without echo at a terminal (twice), else the first
// line of standard input, so scripts and tests can pipe it.
std::string ReadPassword(const std::string& name) {
  if (!isatty(STDIN_FILENO)) {
    std::string line;
    if (!std::getline(std::cin, line)) {
      ThrowInvalid("no password on standard input (give it on the first line)");
    }
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return line;
  }
  auto prompt = [](const std::string& text) {
    std::cerr << text << std::flush;
    termios old{};
    tcgetattr(STDIN_FILENO, &old);
    termios quiet = old;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
    std::string line;
    std::getline(std::cin, line);
    tcsetattr(STDIN_FILENO, TCSANOW, &old);
    std::cerr << "\n";
    return line;
  };
  std::string first =
      prompt("Password for " + name + " (at least " +
             std::to_string(kMinPasswordChars) + " characters): ");
  std::string again = prompt("The same password again: ");
  if (first != again) ThrowInvalid("the two passwords differ; nothing changed");
  return first;
}

// FOCUS_TEST_MIN_PASSWORD_COST=1 makes `account add` hash at libsodium's
// minimum Argon2id cost, so tests that go through the binary (end-to-end,
// crash and browser tests) do not spend seconds hashing. Tests only: never
// for real accounts. Signing in accepts a hash of any cost.
PasswordCost PasswordCostFromEnvironment() {
  const char* value = std::getenv("FOCUS_TEST_MIN_PASSWORD_COST");
  const std::string text = value ? value : "";
  if (text.empty() || text == "0") return PasswordCost::kInteractive;
  if (text == "1") return PasswordCost::kTestMinimum;
  ThrowInvalid("FOCUS_TEST_MIN_PASSWORD_COST='" + text +
               "' is not 0 or 1 (1 hashes passwords at the minimum cost, "
               "for tests only)");
}

struct AccountArgs {
  std::string name;
  std::string role;
  std::string team;
};

// The accounts as JSON, or as a table padded by display width (team names
// come from the configuration and may be in any script).
void PrintAccounts(const GlobalOptions& g, const std::vector<Account>& list) {
  if (g.json) {
    nlohmann::ordered_json j = nlohmann::ordered_json::array();
    for (const Account& x : list) {
      j.push_back({{"name", x.name},
                   {"role", RoleName(x.role)},
                   {"team", x.team},
                   {"disabled", x.disabled},
                   {"created_at", x.created_at}});
    }
    std::cout << j.dump(2) << "\n";
    return;
  }
  size_t width = 4;
  for (const Account& x : list) width = std::max(width, DisplayWidth(x.name));
  std::cout << PadToWidth("name", width + 2) << PadToWidth("role", 13)
            << "status    team\n";
  for (const Account& x : list) {
    std::string text =
        PadToWidth(x.name, width + 2) + PadToWidth(RoleName(x.role), 13) +
        PadToWidth(x.disabled ? "disabled" : "active", 10) + x.team;
    text.erase(text.find_last_not_of(' ') + 1);
    std::cout << text << "\n";
  }
  std::cout << list.size() << (list.size() == 1 ? " account" : " accounts")
            << ".\n";
}

void AddAccountCommands(CLI::App& app, GlobalOptions& g) {
  CLI::App* account = AddCommandGroup(
      app, "account", "Accounts for the web board (focus serve).");
  auto a = std::make_shared<AccountArgs>();

  CLI::App* add = account->add_subcommand(
      "add",
      "Create an account; the password is read from the terminal (or the "
      "first line of standard input).\nRoles: coordinator (everything), "
      "facilitator (add, vote, move, merge), responder (answers and moves "
      "their team's tickets; needs --team), editor (reads the board).\n"
      "Example: focus account add sam --role responder --team \"CMHRS East "
      "Surrey\"");
  add->add_option("NAME", a->name, "account name: letters, digits, . _ -")
      ->required();
  add->add_option("--role", a->role,
                  "coordinator, facilitator, responder or editor")
      ->required();
  add->add_option("--team", a->team, "the team a responder answers for");
  add->callback([&g, a] {
    const Config config = LoadConfig(ConfigPath(g));
    Store store(DbPath(g));
    Accounts accounts(store, config, SystemClock());
    NewAccount n;
    n.name = a->name;
    n.role = RoleFromName(a->role);
    n.team = a->team;
    n.password_cost = PasswordCostFromEnvironment();
    n.password = ReadPassword(a->name);
    accounts.Add(n, Actor(g));
    const std::string team = accounts.Find(n.name).value_or(Account{}).team;
    std::cout << "Added account " << n.name << " (" << RoleName(n.role)
              << (team.empty() ? "" : ", team " + team) << ")\n";
  });

  account->add_subcommand("list", "List accounts (never passwords).")
      ->callback([&g] {
        const Config config = LoadConfig(ConfigPath(g));
        Store store(DbPath(g));
        Accounts accounts(store, config, SystemClock());
        PrintAccounts(g, accounts.List());
      });

  CLI::App* disable = account->add_subcommand(
      "disable",
      "Stop an account from signing in (its sessions end at once; its name "
      "stays in the history).\nExample: focus account disable sam");
  disable->add_option("NAME", a->name)->required();
  disable->callback([&g, a] {
    const Config config = LoadConfig(ConfigPath(g));
    Store store(DbPath(g));
    Accounts accounts(store, config, SystemClock());
    accounts.Disable(a->name, Actor(g));
    std::cout << "Disabled account " << a->name << "\n";
  });
}

}  // namespace

void AddServeCommands(CLI::App& app, GlobalOptions& g) {
  auto args = std::make_shared<ServeArgs>();
  CLI::App* serve = app.add_subcommand(
      "serve",
      "Serve the facilitators' board, the public \"you said, we did\" site "
      "and the JSON API.\nExample: focus serve --port 8080   (then open "
      "http://127.0.0.1:8080/)");
  AddNumberOption(serve, "--port", args->port, 0, 65535,
                  "port to listen on (default 8080; 0 = any free port)");
  serve->add_option("--bind", args->bind,
                    "address to listen on (default 127.0.0.1: this machine "
                    "only)");
  serve->add_option("--templates", args->templates,
                    "folder of edited page templates (default: built in)");
  AddNumberOption(serve, "--threads", args->threads, 1, 4096,
                  "I/O threads serving every connection (default: one per "
                  "processor); database work runs on " +
                      std::to_string(DefaultServerWorkers()) +
                      " worker threads here");
  serve->callback([&g, args] { RunServe(g, *args); });
  AddAccountCommands(app, g);
}

}  // namespace focus::cli
