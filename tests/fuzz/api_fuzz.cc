// Fuzzes the web server's request bodies (focus/server.h): one real
// WebServer, started once on a free localhost port over a board database in
// a temporary folder, is sent each input with httplib::Client, signed in
// with a session cookie and CSRF token where the route needs them.
//
// Input: "ROUTE [ID]\nBODY" sends BODY to that route (ID = the ticket in the
// path, 1 to 4 by default 2); any other input is sent whole as the body to
// one route other than the sign-in ones (each sign-in costs a password
// hash), picked by a hash of its first line. One request per input: a
// request is the costly part, and the fuzzer learns more from many inputs
// than from one input sent everywhere.
// Routes (see Route below): login, tickets, votes, move, merge, answer,
// public-vote (the JSON API), and form-login, form-tickets,
// form-vote, form-move, form-merge, form-answer, form-public-vote (the
// board's HTML forms, with the CSRF field added), multipart.
//
// Before each request the database is put back to the same four tickets
// (#1 raised, #2 sent to the Trust, #3 answered, #4 in progress) if the last
// request changed it, so an input means the same thing whenever it runs.
//
// Oracles, beyond "no crash": every request gets an answer (the server is
// alive), never a 5xx; the status is one the server documents; an API answer
// is a JSON object, with a non-empty one-line "error" (and a "field", if
// any, that is text) for a 4xx, and the ticket for a 2xx; a form post either
// redirects (303 with a Location) or shows an HTML page.
#include <httplib.h>
#include <unistd.h>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "focus/accounts.h"
#include "focus/board.h"
#include "focus/clock.h"
#include "focus/config.h"
#include "focus/error.h"
#include "focus/server.h"
#include "focus/store.h"
#include "fuzz_check.h"
#include "scratch_board.h"

namespace fs = std::filesystem;
using Json = nlohmann::json;

namespace {

constexpr char kPassword[] = "correct horse battery";
constexpr size_t kMaxBody = 1024;  // Small, so the fuzzer reaches 413.

struct Login {
  std::string cookie;  // "focus_session=..."
  std::string csrf;
};

enum class Who { kNobody, kFacilitator, kCoordinator };
enum class Kind { kApi, kForm, kMultipart };

struct Route {
  const char* name;
  const char* path;  // "%" = the ticket id.
  Who who;
  Kind kind;
  bool slow;  // Signs in: a password hash per request.
};

const Route kRoutes[] = {
    {"login", "/api/login", Who::kNobody, Kind::kApi, true},
    {"tickets", "/api/tickets", Who::kFacilitator, Kind::kApi, false},
    {"votes", "/api/tickets/%/votes", Who::kCoordinator, Kind::kApi, false},
    {"move", "/api/tickets/%/move", Who::kCoordinator, Kind::kApi, false},
    {"merge", "/api/tickets/%/merge", Who::kCoordinator, Kind::kApi, false},
    {"answer", "/api/tickets/%/answer", Who::kCoordinator, Kind::kApi, false},
    {"public-vote", "/api/answers/%/vote", Who::kNobody, Kind::kApi, false},
    {"form-login", "/login", Who::kNobody, Kind::kForm, true},
    {"form-tickets", "/board/tickets", Who::kFacilitator, Kind::kForm, false},
    {"form-vote", "/board/tickets/%/vote", Who::kCoordinator, Kind::kForm,
     false},
    {"form-move", "/board/tickets/%/move", Who::kCoordinator, Kind::kForm,
     false},
    {"form-merge", "/board/tickets/%/merge", Who::kCoordinator, Kind::kForm,
     false},
    {"form-answer", "/board/tickets/%/answer", Who::kCoordinator, Kind::kForm,
     false},
    {"form-public-vote", "/answers/%/vote", Who::kNobody, Kind::kForm, false},
    {"multipart", "/board/tickets", Who::kFacilitator, Kind::kMultipart, false},
};

struct State {
  focus::Config config;
  std::unique_ptr<focus::FixedClock> clock;
  fs::path dir;
  fs::path db;  // The server's.
  // The database every request starts from.
  std::unique_ptr<focus::fuzz::DatabaseSnapshot> seed;
  std::atomic<std::time_t> now{1800000000};
  std::unique_ptr<focus::WebServer> server;
  std::unique_ptr<std::thread> thread;
  std::unique_ptr<httplib::Client> client;
  Login facilitator;
  Login coordinator;
};

State& Global();

void MakeSeedDatabase(State& s) {
  focus::StoreOptions create;
  create.create_if_missing = true;
  focus::Store store(s.db.string(), create);
  focus::Accounts accounts(store, s.config, *s.clock);
  for (auto [name, role] : {std::pair{"fay", focus::Role::kFacilitator},
                            std::pair{"jo", focus::Role::kCoordinator}}) {
    focus::NewAccount a;
    a.name = name;
    a.role = role;
    a.password = kPassword;
    // Sign-ins are inputs too: each verifies a hash at the cost it was made.
    a.password_cost = focus::PasswordCost::kTestMinimum;
    accounts.Add(a, "fuzzer");
  }
  focus::Board board(store, s.config, *s.clock);
  auto add = [&](const char* title) {
    focus::NewTicket t;
    t.title = title;
    t.details = "Details only facilitators see";
    t.area = "East Surrey";
    t.themes = {"communication"};
    t.team = "PALS";
    return board.AddTicket(t, "fuzzer");
  };
  add("Letters arrive late");
  const int64_t sent = add("No parking at the clinic");
  const int64_t answered = add("Long waits for a first appointment");
  const int64_t doing = add("Crisis line rings out");
  for (int64_t id : {sent, answered, doing}) {
    board.Move(id, focus::TicketState::kSentToTrust, "", "fuzzer");
  }
  board.Answer(answered, "Two new clinics", "Service manager", false, false,
               "fuzzer");
  board.Answer(doing, "More staff from March", "Crisis Line", true, false,
               "fuzzer");
}

Login SignIn(const std::string& name) {
  State& s = Global();
  auto res = s.client->Post(
      "/api/login", Json{{"name", name}, {"password", kPassword}}.dump(),
      "application/json");
  FUZZ_CHECK(res && res->status == 200, "cannot sign in as " + name);
  const std::string cookie = res->get_header_value("Set-Cookie");
  return {cookie.substr(0, cookie.find(';')),
          Json::parse(res->body).at("csrf_token").get<std::string>()};
}

State& Global() {
  static State* state = [] {
    auto* s = new State;
    s->config = focus::ParseConfig(focus::EmbeddedDefaultConfig(),
                                   "<built-in default configuration>");
    s->clock = std::make_unique<focus::FixedClock>(focus::Date(2027, 1, 20));
    const char* base = fs::is_directory("/dev/shm") ? "/dev/shm" : nullptr;
    fs::path root = base ? fs::path(base) : fs::temp_directory_path();
    s->dir = root / ("focus-api-fuzz-" + std::to_string(::getpid()));
    fs::create_directories(s->dir);
    s->db = s->dir / "focus.db";
    return s;
  }();
  return *state;
}

void Start() {
  State& s = Global();
  MakeSeedDatabase(s);
  focus::ServerOptions options;
  options.port = 0;
  options.db_path = s.db.string();
  options.max_body_bytes = kMaxBody;
  options.threads = 2;
  // Sessions outlast the fuzzing run; time moves a second per input, so the
  // rate limits let a few sign-ins and votes through now and then.
  options.session_seconds = 1 << 30;
  options.now = [] { return Global().now.load(); };
  s.server = std::make_unique<focus::WebServer>(s.config, *s.clock, options);
  const int port = s.server->Bind();
  s.thread = std::make_unique<std::thread>([] { Global().server->Run(); });
  s.server->WaitUntilReady();
  s.client = std::make_unique<httplib::Client>("127.0.0.1", port);
  s.client->set_keep_alive(true);
  s.client->set_tcp_nodelay(true);  // No 40 ms delayed-ACK stalls.
  s.client->set_read_timeout(30, 0);
  s.facilitator = SignIn("fay");
  s.coordinator = SignIn("jo");
  // After signing in: the sessions are in the database, and every input
  // starts from a board where they are live.
  s.seed = std::make_unique<focus::fuzz::DatabaseSnapshot>(s.db.string());
  std::atexit([] {
    State& g = Global();
    g.client.reset();
    g.server->Stop();
    g.thread->join();
    g.seed.reset();
    fs::remove_all(g.dir);
  });
}

const std::set<int> kStatuses = {200, 201, 303, 400, 401, 403,
                                 404, 409, 413, 422, 429};

void CheckApiAnswer(const Route& route, const httplib::Response& res) {
  FUZZ_CHECK(
      res.get_header_value("Content-Type").rfind("application/json", 0) == 0,
      std::string(route.name) +
          ": not JSON: " + res.get_header_value("Content-Type"));
  Json body;
  try {
    body = Json::parse(res.body);
  } catch (const Json::exception& e) {
    FUZZ_CHECK(false, std::string(route.name) +
                          ": answer is not valid JSON: " + res.body);
  }
  FUZZ_CHECK(body.is_object(), "answer is not a JSON object: " + res.body);
  if (res.status >= 400) {
    FUZZ_CHECK(body.contains("error") && body["error"].is_string(),
               "4xx without an error: " + res.body);
    const std::string error = body["error"].get<std::string>();
    FUZZ_CHECK(!error.empty() && focus::fuzz::IsOneLine(error),
               "error message empty or not one line: " + res.body);
    // The server's own words for a bug (a message may quote the input, so
    // "internal error" may appear inside one).
    FUZZ_CHECK(error.rfind("internal error", 0) != 0,
               "internal error with a 4xx: " + res.body);
    if (body.contains("field")) {
      FUZZ_CHECK(body["field"].is_string() &&
                     !body["field"].get<std::string>().empty(),
                 "field is not a name: " + res.body);
    }
  } else if (std::string(route.name) != "login") {
    FUZZ_CHECK(
        body.contains("id") && body.contains("votes"),
        std::string(route.name) + ": 2xx without the ticket: " + res.body);
  }
}

void Send(const Route& route, int ticket, const std::string& body) {
  State& s = Global();
  s.seed->Restore();
  s.now += 1;
  std::string path = route.path;
  const size_t hole = path.find('%');
  if (hole != std::string::npos) {
    path.replace(hole, 1, std::to_string(ticket));
  }
  const Login* login = route.who == Who::kFacilitator   ? &s.facilitator
                       : route.who == Who::kCoordinator ? &s.coordinator
                                                        : nullptr;
  httplib::Headers headers;
  std::string content = body;
  std::string type;
  if (login) {
    headers.emplace("Cookie", login->cookie);
    if (route.kind == Kind::kApi) headers.emplace("X-CSRF-Token", login->csrf);
  }
  switch (route.kind) {
    case Kind::kApi:
      type = "application/json";
      break;
    case Kind::kForm:
      type = "application/x-www-form-urlencoded";
      if (login) content += "&csrf=" + login->csrf;
      break;
    case Kind::kMultipart:
      type = "multipart/form-data; boundary=fuzzboundary";
      break;
  }
  auto res = s.client->Post(path, headers, content, type);
  FUZZ_CHECK(res, std::string(route.name) + ": no answer (" +
                      httplib::to_string(res.error()) + ")");
  FUZZ_CHECK(res->status < 500, std::string(route.name) + ": " +
                                    std::to_string(res->status) + " " +
                                    res->body);
  // The seed keeps both sessions live: a signed-in route that answers 401
  // has lost them, and would fuzz nothing past the sign-in check.
  FUZZ_CHECK(!login || res->status != 401,
             std::string(route.name) + ": signed in, yet 401 " + res->body);
  FUZZ_CHECK(kStatuses.count(res->status) == 1,
             std::string(route.name) + ": unexpected status " +
                 std::to_string(res->status));
  if (route.kind == Kind::kApi) {
    CheckApiAnswer(route, *res);
  } else if (res->status == 303) {
    FUZZ_CHECK(res->has_header("Location"), "a redirect without a Location");
  } else {
    FUZZ_CHECK(res->get_header_value("Content-Type").rfind("text/html", 0) == 0,
               std::string(route.name) + ": a form post answered with " +
                   res->get_header_value("Content-Type"));
  }
}

}  // namespace

#ifdef FOCUS_LIBFUZZER
// Each request allocates thousands of small objects (the board page's view,
// its render), and ASan records a stack trace for every allocation and free,
// a large share of the run's time. Without them a report still shows where
// the bad access happened; replaying the saved input with api_fuzz_replay
// in build/sanitize shows where the memory came from.
// ASAN_OPTIONS, if set, still wins.
extern "C" const char* __asan_default_options() {
  return "malloc_context_size=0";
}
#endif

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const bool started = (Start(), true);
  (void)started;
  const std::string input(reinterpret_cast<const char*>(data), size);
  const size_t newline = input.find('\n');
  if (newline != std::string::npos) {
    const std::string first = input.substr(0, newline);
    const std::string name = first.substr(0, first.find(' '));
    int ticket = 2;
    if (first.size() == name.size() + 2 && first[name.size()] == ' ' &&
        first.back() >= '1' && first.back() <= '4') {
      ticket = first.back() - '0';
    }
    for (const Route& r : kRoutes) {
      if (name == r.name) {
        Send(r, ticket, input.substr(newline + 1));
        return 0;
      }
    }
  }
  std::vector<const Route*> fast;
  for (const Route& r : kRoutes) {
    if (!r.slow) fast.push_back(&r);
  }
  // FNV-1a: deterministic, and stable while the body after the first line
  // is mutated.
  uint32_t hash = 2166136261u;
  for (char c : input.substr(0, newline)) {
    hash = (hash ^ static_cast<unsigned char>(c)) * 16777619u;
  }
  Send(*fast[hash % fast.size()], 2, input);
  return 0;
}
