// Tests for `focus serve`, in process: a real server on a free localhost
// port, driven with httplib::Client. Public pages never leak private
// fields; writes need a session (401), the right role (403) and the CSRF
// token (403); bad requests get 400/404/413/422; sign-ins and public votes
// are rate-limited (429); every write names the account in the history.
#include "focus/server.h"

#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>
#include <zlib.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <future>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "focus/accounts.h"
#include "focus/board.h"
#include "focus/clock.h"
#include "focus/config.h"
#include "focus/store.h"
#include "focus/store_testing.h"
#include "temp_dir.h"
#include "test_database.h"

namespace focus {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

const char kPassword[] = "correct horse battery";

// Words that are only in private fields: none may reach a public page.
const char* const kPrivate[] = {"SECRET-DETAIL", "SECRET-NOTE",
                                "UNPUBLISHED-TITLE", "actor-jo", "actor-fay"};

struct Login {
  std::string cookie;  // "focus_session=..."
  std::string csrf;
};

class ServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    FOCUS_SKIP_WITHOUT_DATABASE();
    dir_ = tmp_.path();
    database_ = std::make_unique<TestDatabase>(dir_);
    db_ = database_->name();
    config_ = ParseConfig(EmbeddedDefaultConfig(), "test");
    config_.board.teams = {"PALS", "Crisis Line"};
    StoreOptions create;
    create.create_if_missing = true;
    store_ = std::make_unique<Store>(db_, create);
    board_ = std::make_unique<Board>(*store_, config_, clock_);
    Accounts accounts(*store_, config_, clock_);
    auto add = [&](const std::string& name, Role role,
                   const std::string& team = "") {
      NewAccount a;
      a.name = name;
      a.role = role;
      a.team = team;
      a.password = kPassword;
      a.password_cost = PasswordCost::kTestMinimum;  // Five per test.
      accounts.Add(a, "test");
    };
    add("actor-jo", Role::kCoordinator);
    add("actor-fay", Role::kFacilitator);
    add("sam", Role::kResponder, "PALS");
    add("rob", Role::kResponder, "Crisis Line");
    add("ed", Role::kEditor);

    ServerOptions options;
    options.port = 0;
    options.db_path = db_;
    options.max_body_bytes = 4096;
    options.public_votes_per_hour = 2;
    options.threads = 4;
    options.now = [this] { return now_.load(); };
    server_ = std::make_unique<WebServer>(config_, clock_, options);
    port_ = server_->Bind();
    thread_ = std::thread([this] { server_->Run(); });
    server_->WaitUntilReady();
    client_ = std::make_unique<httplib::Client>("127.0.0.1", port_);
  }

  void TearDown() override {
    if (!server_) return;  // SetUp skipped: no database to run on.
    server_->Stop();
    thread_.join();
    server_.reset();
    board_.reset();
    store_.reset();
  }

  // A ticket with private details and a history note, answered (public).
  int64_t PublishedTicket(const std::string& title = "Parking at the hub") {
    NewTicket t;
    t.title = title;
    t.details = "SECRET-DETAIL";
    t.area = "east-surrey";
    t.themes = {"access"};
    t.team = "PALS";
    int64_t id = board_->AddTicket(t, "actor-jo");
    board_->AddVotes(id, 2, std::nullopt, "SECRET-NOTE", "actor-fay");
    board_->Move(id, TicketState::kSentToTrust, "", "actor-jo");
    board_->Answer(id, "More spaces from March", "Estates lead", false, false,
                   "actor-jo");
    return id;
  }

  int64_t UnpublishedTicket(const std::string& team = "PALS") {
    NewTicket t;
    t.title = "UNPUBLISHED-TITLE";
    t.details = "SECRET-DETAIL";
    t.area = "surrey-downs";
    t.themes = {"communication"};
    t.team = team;
    return board_->AddTicket(t, "actor-jo");
  }

  Login SignIn(const std::string& name) {
    auto res = client_->Post(
        "/api/login", Json{{"name", name}, {"password", kPassword}}.dump(),
        "application/json");
    EXPECT_TRUE(res);
    if (!res) return {};
    EXPECT_EQ(res->status, 200) << res->body;
    std::string cookie = res->get_header_value("Set-Cookie");
    EXPECT_NE(cookie.find("HttpOnly"), std::string::npos) << cookie;
    EXPECT_NE(cookie.find("SameSite=Strict"), std::string::npos) << cookie;
    EXPECT_NE(cookie.find("Path=/"), std::string::npos) << cookie;
    EXPECT_NE(cookie.find("Max-Age="), std::string::npos) << cookie;
    return {cookie.substr(0, cookie.find(';')),
            Json::parse(res->body)["csrf_token"].get<std::string>()};
  }

  httplib::Result Get(const std::string& path, const Login* login = nullptr) {
    httplib::Headers h;
    if (login) h.emplace("Cookie", login->cookie);
    return client_->Get(path.c_str(), h);
  }

  // An API write: JSON body, the session cookie and the CSRF header.
  httplib::Result PostJson(const std::string& path, const std::string& body,
                           const Login* login = nullptr,
                           const std::string& csrf = "<session>") {
    httplib::Headers h;
    if (login) {
      h.emplace("Cookie", login->cookie);
      std::string token = csrf == "<session>" ? login->csrf : csrf;
      if (!token.empty()) h.emplace("X-CSRF-Token", token);
    }
    return client_->Post(path.c_str(), h, body, "application/json");
  }

  // A form post from a page.
  httplib::Result PostForm(const std::string& path, httplib::Params params,
                           const Login* login = nullptr,
                           bool with_csrf = true) {
    httplib::Headers h;
    if (login) {
      h.emplace("Cookie", login->cookie);
      if (with_csrf) params.emplace("csrf", login->csrf);
    }
    return client_->Post(path.c_str(), h, params);
  }

  // The sign-in page's form posted as a browser would: with the token and
  // cookie the page came with. `from` is sent as X-Forwarded-For.
  httplib::Result LoginForm(const std::string& name,
                            const std::string& password,
                            const std::string& from = "") {
    httplib::Headers h;
    if (!from.empty()) h.emplace("X-Forwarded-For", from);
    auto page = client_->Get("/login", h);
    EXPECT_EQ(page->status, 200);
    const std::string cookie = page->get_header_value("Set-Cookie");
    const std::string marker = "name=\"csrf\" value=\"";
    const size_t at = page->body.find(marker);
    EXPECT_NE(at, std::string::npos);
    const std::string token = page->body.substr(at + marker.size(), 64);
    h.emplace("Cookie", cookie.substr(0, cookie.find(';')));
    return client_->Post(
        "/login", h,
        httplib::Params{
            {"name", name}, {"password", password}, {"csrf", token}});
  }

  static Json Body(const httplib::Result& res) {
    return Json::parse(res->body);
  }

  TempDir tmp_;  // First: removed after everything that uses it.
  std::string dir_;
  std::unique_ptr<TestDatabase> database_;  // Outlives the server's store.
  std::string db_;
  Config config_;
  FixedClock clock_{Date(2027, 1, 20)};
  std::atomic<std::time_t> now_{1800000000};
  std::unique_ptr<Store> store_;
  std::unique_ptr<Board> board_;
  std::unique_ptr<WebServer> server_;
  std::thread thread_;
  int port_ = 0;
  std::unique_ptr<httplib::Client> client_;
};

TEST_F(ServerTest, PublicPagesShowPublishedAnswersAndNothingPrivate) {
  int64_t published = PublishedTicket();
  UnpublishedTicket();
  NewTicket d;
  d.title = "Open on Sundays";
  d.details = "SECRET-DETAIL";
  d.area = "surrey-downs";
  d.themes = {"waiting times"};
  d.team = "Crisis Line";
  int64_t declined = board_->AddTicket(d, "actor-jo");
  board_->Move(declined, TicketState::kSentToTrust, "", "actor-jo");
  board_->Move(declined, TicketState::kDeclined,
               "Outside the Trust's remit: passed to the council", "actor-jo");

  for (const char* path :
       {"/", "/answers", "/api/answers", "/api/forums", "/calendar.ics",
        "/calendar/east-surrey.ics", "/login"}) {
    auto res = Get(path);
    ASSERT_TRUE(res) << path;
    EXPECT_EQ(res->status, 200) << path;
    for (const char* secret : kPrivate) {
      EXPECT_EQ(res->body.find(secret), std::string::npos)
          << path << " shows " << secret;
    }
  }
  auto page = Get("/answers");
  EXPECT_NE(page->body.find("More spaces from March"), std::string::npos);
  EXPECT_NE(page->body.find("Parking at the hub"), std::string::npos);
  EXPECT_NE(page->body.find("remit: passed to the council"), std::string::npos)
      << page->body;
  EXPECT_NE(page->body.find("<html lang=\"en-GB\">"), std::string::npos);
  EXPECT_EQ(page->get_header_value("Content-Type"), "text/html; charset=utf-8");

  // The public JSON carries an allow-list of fields and nothing else.
  Json answers = Body(Get("/api/answers"))["answers"];
  ASSERT_EQ(answers.size(), 2u);
  for (const Json& a : answers) {
    std::vector<std::string> keys;
    for (auto it = a.begin(); it != a.end(); ++it) keys.push_back(it.key());
    EXPECT_EQ(keys,
              (std::vector<std::string>{
                  "answer", "answered_by", "answered_on", "area", "area_slug",
                  "decline_reason", "id", "reopened_on", "status",
                  "status_label", "themes", "title", "verdicts", "votes"}));
  }
  EXPECT_EQ(answers[0]["id"], published);
  EXPECT_EQ(answers[0]["votes"], 3);
  EXPECT_EQ(answers[0]["status_label"], "You said, we did");
  EXPECT_EQ(answers[1]["status"], "declined");

  // Upcoming forums from the plan, with how to attend.
  Json forums = Body(Get("/api/forums"))["forums"];
  ASSERT_FALSE(forums.empty());
  EXPECT_GE(forums[0]["date"].get<std::string>(), "2027-01-20");
  auto home = Get("/");
  EXPECT_NE(home->body.find("/calendar.ics"), std::string::npos);
  EXPECT_NE(home->body.find("How to join"), std::string::npos);
}

TEST_F(ServerTest, CalendarsAreServedAsTextCalendar) {
  auto res = Get("/calendar.ics");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->get_header_value("Content-Type"),
            "text/calendar; charset=utf-8");
  EXPECT_EQ(res->body.rfind("BEGIN:VCALENDAR\r\n", 0), 0u);
  EXPECT_NE(res->body.find("UID:2027-r1-east-surrey@"), std::string::npos);
  auto area = Get("/calendar/surrey-downs.ics");
  EXPECT_EQ(area->status, 200);
  EXPECT_NE(area->body.find("2027-r1-surrey-downs@"), std::string::npos);
  EXPECT_EQ(area->body.find("2027-r1-east-surrey@"), std::string::npos);
  EXPECT_NE(area->body.find("surrey-wide-evening@"), std::string::npos);
  EXPECT_EQ(Get("/calendar/atlantis.ics")->status, 404);
}

TEST_F(ServerTest, UnauthenticatedWritesGet401) {
  int64_t id = UnpublishedTicket();
  const std::string t = "/api/tickets/" + std::to_string(id);
  for (const std::string& path :
       {std::string("/api/tickets"), t + "/move", t + "/votes", t + "/merge",
        t + "/answer", std::string("/api/logout")}) {
    auto res = PostJson(path, "{}");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 401) << path;
    EXPECT_EQ(Body(res)["error"], "sign in first") << path;
  }
  EXPECT_EQ(Get("/api/tickets")->status, 401);
  EXPECT_EQ(Get("/api/session")->status, 401);
  EXPECT_EQ(PostForm("/board/tickets", {{"title", "x"}})->status, 401);
  // Reading the board redirects to the sign-in page.
  auto board = Get("/board");
  EXPECT_EQ(board->status, 303);
  EXPECT_EQ(board->get_header_value("Location"), "/login");
  EXPECT_EQ(board_->Get(id).state, TicketState::kRaised);
}

TEST_F(ServerTest, WrongRoleGets403AndChangesNothing) {
  int64_t pals = UnpublishedTicket("PALS");
  board_->Move(pals, TicketState::kSentToTrust, "", "actor-jo");
  const std::string t = "/api/tickets/" + std::to_string(pals);
  Login ed = SignIn("ed");
  Login fay = SignIn("actor-fay");
  Login rob = SignIn("rob");
  Login sam = SignIn("sam");
  const std::string add =
      R"({"title":"x","area":"east-surrey","themes":["access"],"team":"PALS"})";
  const std::string answer = R"({"text":"Done","answered_by":"PALS lead"})";

  auto res = PostJson("/api/tickets", add, &ed);
  EXPECT_EQ(res->status, 403);
  EXPECT_EQ(Body(res)["error"], "an editor may not add tickets");
  EXPECT_EQ(PostJson(t + "/votes", "{}", &ed)->status, 403);
  EXPECT_EQ(PostJson(t + "/answer", answer, &fay)->status, 403);
  EXPECT_EQ(PostJson("/api/tickets", add, &rob)->status, 403);
  res = PostJson(t + "/answer", answer, &rob);
  EXPECT_EQ(res->status, 403);
  EXPECT_EQ(Body(res)["error"],
            "a responder may not answer this ticket (responders act on their "
            "own team's tickets: Crisis Line)");
  EXPECT_EQ(PostJson(t + "/move", R"({"state":"escalated"})", &rob)->status,
            403);
  EXPECT_EQ(board_->Get(pals).state, TicketState::kSentToTrust);

  // The responder for the ticket's team may answer it.
  res = PostJson(t + "/answer", answer, &sam);
  EXPECT_EQ(res->status, 200) << res->body;
  EXPECT_EQ(Body(res)["state"], "answered");
  // Editors read the board.
  EXPECT_EQ(Get("/api/tickets", &ed)->status, 200);
  auto page = Get("/board", &ed);
  EXPECT_EQ(page->status, 200);
  EXPECT_EQ(page->body.find("Add ticket"), std::string::npos);
  EXPECT_EQ(page->body.find("Move ticket"), std::string::npos);
}

TEST_F(ServerTest, WritesNeedTheSessionsCsrfToken) {
  int64_t id = UnpublishedTicket();
  Login jo = SignIn("actor-jo");
  const std::string move = "/api/tickets/" + std::to_string(id) + "/move";
  const std::string body = R"({"state":"sent-to-trust"})";
  auto res = PostJson(move, body, &jo, "");
  EXPECT_EQ(res->status, 403);
  EXPECT_EQ(Body(res)["error"],
            "missing or wrong CSRF token: reload the page and try again");
  EXPECT_EQ(PostJson(move, body, &jo, std::string(64, '0'))->status, 403);
  // Another session's token is wrong too.
  Login fay = SignIn("actor-fay");
  EXPECT_EQ(PostJson(move, body, &jo, fay.csrf)->status, 403);
  // Forms: the hidden field.
  EXPECT_EQ(PostForm("/board/tickets/" + std::to_string(id) + "/move",
                     {{"state", "sent-to-trust"}}, &jo, false)
                ->status,
            403);
  EXPECT_EQ(board_->Get(id).state, TicketState::kRaised);
  // Cross-site form posts are refused even with a token.
  httplib::Headers cross = {{"Cookie", jo.cookie},
                            {"X-CSRF-Token", jo.csrf},
                            {"Origin", "https://evil.example"}};
  EXPECT_EQ(
      client_->Post(move.c_str(), cross, body, "application/json")->status,
      403);

  res = PostJson(move, body, &jo);
  EXPECT_EQ(res->status, 200) << res->body;
  EXPECT_EQ(board_->Get(id).state, TicketState::kSentToTrust);
  // The session endpoint hands the token to scripts.
  EXPECT_EQ(Body(Get("/api/session", &jo))["csrf_token"], jo.csrf);
}

TEST_F(ServerTest, BadRequestsGetClearClientErrors) {
  Login jo = SignIn("actor-jo");
  auto res = PostJson("/api/tickets", R"({"title": "x",)", &jo);
  EXPECT_EQ(res->status, 400);
  EXPECT_EQ(Body(res)["error"].get<std::string>().rfind(
                "malformed JSON: parse error at line 1, column 15", 0),
            0u)
      << res->body;
  res = PostJson("/api/tickets", "[1, 2]", &jo);
  EXPECT_EQ(res->status, 400);
  EXPECT_EQ(Body(res)["error"], "the body must be a JSON object");
  res = PostJson("/api/tickets", R"({"title": 7})", &jo);
  EXPECT_EQ(res->status, 400);
  EXPECT_EQ(Body(res)["error"], "title: must be a string");

  // Oversized bodies: 413, before any handler runs.
  res = PostJson("/api/tickets", std::string(10000, ' '), &jo);
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 413);
  EXPECT_EQ(Body(res)["error"], "the request body is larger than 4096 bytes");

  // Unknown ids and routes: 404.
  res = Get("/api/tickets/999", &jo);
  EXPECT_EQ(res->status, 404);
  EXPECT_EQ(Body(res)["error"], "no ticket #999");
  EXPECT_EQ(
      PostJson("/api/tickets/999/move", R"({"state":"closed"})", &jo)->status,
      404);
  res = Get("/api/nothing-here");
  EXPECT_EQ(res->status, 404);
  EXPECT_EQ(Body(res)["error"],
            "no such page or API route: GET /api/nothing-here");
  EXPECT_EQ(Get("/nothing-here")->status, 404);
  EXPECT_EQ(PostJson("/api/answers/999/vote", "")->status, 404);
  // An unpublished ticket is not there for the public.
  int64_t hidden = UnpublishedTicket();
  res = PostJson("/api/answers/" + std::to_string(hidden) + "/vote", "");
  EXPECT_EQ(res->status, 404);
  EXPECT_EQ(board_->Get(hidden).votes, 1);

  // The server is still serving.
  EXPECT_EQ(Get("/")->status, 200);
}

// Numbers past what the board keeps are refused with the value and the
// field, never cut down to one that fits (4294967297 votes is not 1 vote,
// 2^64 - 1 is not ticket #-1).
TEST_F(ServerTest, NumbersOutOfRangeAreRefusedNotWrapped) {
  Login jo = SignIn("actor-jo");
  const int64_t id = UnpublishedTicket();
  const std::string votes = "/api/tickets/" + std::to_string(id) + "/votes";
  auto res = PostJson(votes, R"({"count": 4294967297})", &jo);
  EXPECT_EQ(res->status, 422);
  EXPECT_EQ(Body(res),
            Json::parse(R"({"error": "count: 4294967297 is too large",
                                        "field": "count"})"));
  res = PostJson(votes, R"({"count": -4294967297})", &jo);
  EXPECT_EQ(res->status, 422);
  EXPECT_EQ(Body(res)["error"], "count: -4294967297 is too small");
  EXPECT_EQ(board_->Get(id).votes, 1);

  res = PostJson("/api/tickets",
                 R"({"title": "Parking", "area": "east-surrey",
                     "themes": ["access"], "team": "PALS",
                     "raised_by": 4294967297})",
                 &jo);
  EXPECT_EQ(res->status, 422);
  EXPECT_EQ(Body(res)["error"], "raised_by: 4294967297 is too large");

  res = PostJson("/api/tickets/" + std::to_string(id) + "/merge",
                 R"({"into": 18446744073709551615})", &jo);
  EXPECT_EQ(res->status, 422);
  EXPECT_EQ(Body(res)["error"], "into: 18446744073709551615 is too large");
  EXPECT_EQ(board_->List(TicketFilter{}).size(), 1u);
}

// Found by the bad-input corpus: a body that is not UTF-8 got a 500 (the
// parse error quotes the bytes, and the JSON answer could not be written);
// other messages said too little or named the CLI.
TEST_F(ServerTest, BadRequestMessagesSayWhatAndWhere) {
  Login jo = SignIn("actor-jo");
  auto res = PostJson("/api/tickets", "{\"title\": \"Caf\xe9\"}", &jo);
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 400);
  EXPECT_EQ(Body(res)["error"].get<std::string>().rfind(
                "malformed JSON: parse error at line 1, column 16: syntax "
                "error while parsing value - invalid string: ill-formed UTF-8 "
                "byte",
                0),
            0u)
      << res->body;
  res = PostJson("/api/nothing/\xff", "{}", &jo);
  EXPECT_EQ(res->status, 404);
  EXPECT_EQ(Body(res)["error"],
            "no such page or API route: POST /api/nothing/\xef\xbf\xbd");

  res = PostJson("/api/tickets", "", &jo);
  EXPECT_EQ(res->status, 400);
  EXPECT_EQ(Body(res)["error"], "the body is empty: send a JSON object");

  res = Get("/api/tickets?state=done", &jo);
  EXPECT_EQ(res->status, 422);
  EXPECT_EQ(Body(res)["error"],
            "state: 'done' is not a state (raised, sent-to-trust, "
            "in-progress, waiting-for-forum, escalated, answered, closed, "
            "declined, merged)");

  const int64_t id = UnpublishedTicket();
  const std::string path = "/api/tickets/" + std::to_string(id);
  res = PostJson(path + "/merge", R"({"into": 999})", &jo);
  EXPECT_EQ(res->status, 422);
  EXPECT_EQ(Body(res), Json::parse(R"({"error": "into: no ticket #999",
                                        "field": "into"})"));
  auto page = PostForm("/board/tickets/" + std::to_string(id) + "/merge",
                       {{"into", "999"}}, &jo);
  EXPECT_EQ(page->status, 422);
  EXPECT_NE(page->body.find("into: no ticket #999"), std::string::npos);

  // Closing an unanswered ticket conflicts with its state (409); the remedy
  // is worded for the web: `focus board answer` is the CLI's way.
  res = PostJson(path + "/move", R"({"state": "closed"})", &jo);
  EXPECT_EQ(res->status, 409);
  EXPECT_EQ(Body(res)["error"],
            "ticket #" + std::to_string(id) +
                " cannot be closed: it has no published answer yet (answer it "
                "first with POST /api/tickets/" +
                std::to_string(id) + "/answer)");
  EXPECT_EQ(Body(res)["field"], "state");
  page = PostForm("/board/tickets/" + std::to_string(id) + "/move",
                  {{"state", "closed"}}, &jo);
  EXPECT_EQ(page->status, 409);
  EXPECT_NE(page->body.find("(answer it first on the ticket&apos;s page)"),
            std::string::npos);
}

TEST_F(ServerTest, ValidationAndScreeningErrorsName422TheField) {
  Login fay = SignIn("actor-fay");
  struct Case {
    std::string body;
    std::string field;
    std::string error_start;
  };
  const Case cases[] = {
      {R"({"title":"Ring 07700 900123","area":"east-surrey","themes":["access"],"team":"PALS"})",
       "title",
       "title: line 1, column 6: looks like a phone number (07700 900123); "
       "tickets are about services, not people: remove it, or override with "
       "\"allow_identifiers\": true"},
      {R"({"title":"Parking","details":"see jo@example.org","area":"east-surrey","themes":["access"],"team":"PALS"})",
       "details", "details: line 1, column 5: looks like an e-mail address"},
      {R"({"title":"Parking","area":"Atlantis","themes":["access"],"team":"PALS"})",
       "area", "unknown area 'Atlantis'"},
      {R"({"title":"Parking","area":"east-surrey","themes":["food"],"team":"PALS"})",
       "themes", "unknown theme 'food'"},
      {R"({"title":"Parking","area":"east-surrey","themes":["access"],"team":"Nobody"})",
       "team", "unknown team 'Nobody' (teams: PALS, Crisis Line)"},
      {R"({"area":"east-surrey","themes":["access"],"team":"PALS"})", "title",
       "a ticket needs a title"},
  };
  for (const Case& c : cases) {
    auto res = PostJson("/api/tickets", c.body, &fay);
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 422) << c.body;
    Json j = Body(res);
    EXPECT_EQ(j["field"], c.field) << c.body;
    EXPECT_EQ(j["error"].get<std::string>().rfind(c.error_start, 0), 0u)
        << j["error"];
  }
  EXPECT_EQ(board_->List(TicketFilter{}).size(), 0u);

  // The override goes through and is recorded.
  auto res = PostJson(
      "/api/tickets",
      R"({"title":"Ring 07700 900123","area":"east-surrey","themes":["access"],"team":"PALS","allow_identifiers":true})",
      &fay);
  EXPECT_EQ(res->status, 201) << res->body;

  // The board form shows the message next to the field, values kept.
  auto page = PostForm("/board/tickets",
                       {{"title", "Letters arrive late"},
                        {"details", "call 07700 900123"},
                        {"area", "surrey-downs"},
                        {"themes", "communication"},
                        {"team", "PALS"}},
                       &fay);
  EXPECT_EQ(page->status, 422);
  const std::string& html = page->body;
  EXPECT_NE(html.find("<p class=\"field-error\" id=\"details-error\">Error: "
                      "details: line 1, column 6: looks like a phone number"),
            std::string::npos)
      << html;
  EXPECT_NE(
      html.find("aria-invalid=\"true\" aria-describedby=\"details-error\""),
      std::string::npos);
  EXPECT_NE(html.find("value=\"Letters arrive late\""), std::string::npos);
  EXPECT_NE(html.find(">call 07700 900123</textarea>"), std::string::npos);
  EXPECT_NE(html.find("<option value=\"surrey-downs\" selected>"),
            std::string::npos);
  EXPECT_NE(html.find("<option value=\"communication\" selected>"),
            std::string::npos);
  EXPECT_NE(html.find("override with the tick box below"), std::string::npos);
  EXPECT_NE(html.find("id=\"allow_identifiers\""), std::string::npos);
}

// A later forum's verdict through the API and the ticket page: checked
// like every other write (422 naming the field, 403 for a responder), a
// disputed one sends the ticket back to the Trust, and the public sees the
// verdict beside the answer but never who recorded it.
TEST_F(ServerTest, VerdictsAreCheckedRecordedAndPublished) {
  // Answered on 5 January; forums on 4 January (before) and 14 January.
  FixedClock early(Date(2027, 1, 5));
  Board early_board(*store_, config_, early);
  NewTicket t;
  t.title = "Parking at the hub";
  t.details = "SECRET-DETAIL";
  t.area = "east-surrey";
  t.themes = {"access"};
  t.team = "PALS";
  const int64_t id = early_board.AddTicket(t, "actor-jo");
  early_board.Move(id, TicketState::kSentToTrust, "", "actor-jo");
  early_board.Answer(id, "More spaces from March", "Estates lead", false, false,
                     "actor-jo");
  ForumRecord f;
  f.area = "east-surrey";
  f.held_on = Date(2027, 1, 4);
  const int64_t before = early_board.RecordForum(f, "actor-jo");
  f.held_on = Date(2027, 1, 14);
  const int64_t later = board_->RecordForum(f, "actor-jo");
  const std::string path = "/api/tickets/" + std::to_string(id) + "/verdict";
  const std::string later_id = std::to_string(later);

  Login fay = SignIn("actor-fay");
  struct Case {
    std::string body;
    std::string field;
    std::string error;
  };
  const Case cases[] = {
      {R"({"verdict":"maybe","forum":)" + later_id + "}", "verdict",
       "verdict: 'maybe' is not a verdict (confirmed, not-yet, disputed)"},
      {R"({"verdict":"confirmed"})", "forum",
       "forum: give the forum that gave the verdict"},
      {R"({"verdict":"confirmed","forum":999})", "forum", "no forum #999"},
      {R"({"verdict":"confirmed","forum":)" + std::to_string(before) + "}",
       "forum",
       "forum #" + std::to_string(before) +
           " was held on 2027-01-04, not after the answer to ticket #" +
           std::to_string(id) +
           " was published on 2027-01-05: a verdict comes from a later "
           "forum"},
      {R"({"verdict":"disputed","forum":)" + later_id + "}", "note",
       "note: a disputed verdict needs a note saying why: it is published "
       "beside the answer"},
      {R"({"verdict":"disputed","forum":)" + later_id +
           R"(,"note":"Ring 07700 900123"})",
       "note",
       "note: line 1, column 6: looks like a phone number (07700 900123); "
       "tickets are about services, not people: remove it"},
  };
  for (const Case& c : cases) {
    auto res = PostJson(path, c.body, &fay);
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 422) << c.body;
    const Json j = Body(res);
    EXPECT_EQ(j["field"], c.field) << c.body;
    EXPECT_EQ(j["error"].get<std::string>().rfind(c.error, 0), 0u)
        << j["error"];
  }
  // A responder does not judge the answers of the Trust.
  Login sam = SignIn("sam");
  auto res = PostJson(
      path, R"({"verdict":"confirmed","forum":)" + later_id + "}", &sam);
  EXPECT_EQ(res->status, 403);
  EXPECT_TRUE(board_->Get(id).verdicts.empty());
  EXPECT_EQ(board_->Get(id).state, TicketState::kAnswered);

  res = PostJson(path,
                 R"({"verdict":"disputed","forum":)" + later_id +
                     R"(,"note":"Still no spaces on Tuesdays"})",
                 &fay);
  ASSERT_EQ(res->status, 200) << res->body;
  Json ticket = Body(res);
  EXPECT_EQ(ticket["state"], "sent-to-trust");
  EXPECT_EQ(ticket["reopened_on"], "2027-01-20");
  EXPECT_EQ(ticket["answer"], "More spaces from March");
  ASSERT_EQ(ticket["verdicts"].size(), 1u);
  EXPECT_EQ(ticket["verdicts"][0]["verdict"], "disputed");
  EXPECT_EQ(ticket["verdicts"][0]["note"], "Still no spaces on Tuesdays");
  bool named = false;
  for (const HistoryEntry& h : board_->History(id)) {
    named = named || (h.field == "verdict" && h.actor == "actor-fay");
  }
  EXPECT_TRUE(named);
  // Once disputed, the next verdict waits for a new answer.
  res = PostJson(path, R"({"verdict":"confirmed","forum":)" + later_id + "}",
                 &fay);
  EXPECT_EQ(res->status, 409);
  EXPECT_EQ(Body(res)["error"],
            "ticket #" + std::to_string(id) +
                " went back to the Trust after a disputed verdict on "
                "2027-01-20: wait for the Trust's new answer");

  // Published beside the answer, never who recorded it.
  const std::string sentence =
      "The East Surrey forum disputed this on Thursday 14 January 2027: "
      "Still no spaces on Tuesdays.";
  auto page = Get("/answers");
  EXPECT_NE(page->body.find(sentence), std::string::npos) << page->body;
  EXPECT_NE(page->body.find("More spaces from March"), std::string::npos);
  EXPECT_NE(page->body.find("The forum disputed this: back with the Trust"),
            std::string::npos);
  const Json answers = Body(Get("/api/answers"))["answers"];
  ASSERT_EQ(answers.size(), 1u);
  EXPECT_EQ(answers[0]["verdicts"][0]["text"], sentence);
  EXPECT_EQ(answers[0]["verdicts"][0]["held_on"], "2027-01-14");
  for (const auto& r : {page->body, answers.dump()}) {
    for (const char* secret : kPrivate) {
      EXPECT_EQ(r.find(secret), std::string::npos) << secret;
    }
  }

  // The ticket page's form: an error keeps the note and names the field.
  t.title = "Signs to the clinic";
  const int64_t other = early_board.AddTicket(t, "actor-jo");
  early_board.Move(other, TicketState::kSentToTrust, "", "actor-jo");
  early_board.Answer(other, "New signs are up", "Estates lead", false, false,
                     "actor-jo");
  const std::string form =
      "/board/tickets/" + std::to_string(other) + "/verdict";
  auto html = Get("/board/tickets/" + std::to_string(other), &fay);
  EXPECT_NE(html->body.find("Record the forum's verdict"), std::string::npos);
  EXPECT_NE(html->body.find("<option value=\"" + later_id + "\">"),
            std::string::npos)
      << html->body;
  page = PostForm(form,
                  {{"forum", later_id},
                   {"verdict", "confirmed"},
                   {"note", "see jo@example.org"}},
                  &fay);
  EXPECT_EQ(page->status, 422);
  EXPECT_NE(page->body.find("id=\"verdict-error\" role=\"alert\">Error: "
                            "note: line 1, column 5: looks like an e-mail"),
            std::string::npos)
      << page->body;
  EXPECT_NE(page->body.find("value=\"see jo@example.org\""), std::string::npos);
  EXPECT_TRUE(board_->Get(other).verdicts.empty());
  page = PostForm(form, {{"forum", later_id}, {"verdict", "confirmed"}}, &fay);
  EXPECT_EQ(page->status, 303);
  EXPECT_EQ(board_->Get(other).verdicts.size(), 1u);
  EXPECT_EQ(board_->Get(other).state, TicketState::kAnswered);
}

TEST_F(ServerTest, SignInAttemptsAreRateLimited) {
  for (int i = 0; i < 5; ++i) {
    auto res = client_->Post("/api/login",
                             R"({"name":"actor-jo","password":"wrong one!"})",
                             "application/json");
    EXPECT_EQ(res->status, 401);
    EXPECT_EQ(Body(res)["error"], "the account name or password is wrong");
  }
  // Even the right password waits now.
  auto res = client_->Post(
      "/api/login", Json{{"name", "actor-jo"}, {"password", kPassword}}.dump(),
      "application/json");
  EXPECT_EQ(res->status, 429);
  EXPECT_EQ(res->get_header_value("Retry-After"), "900");
  EXPECT_EQ(Body(res)["error"],
            "too many failed sign-ins: try again in 15 minutes");
  // The page says so too.
  auto page = LoginForm("sam", kPassword);
  EXPECT_EQ(page->status, 429);
  EXPECT_NE(page->body.find("too many failed sign-ins"), std::string::npos);

  now_ += 15 * 60;
  SignIn("actor-jo");
}

TEST_F(ServerTest, PublicVotesCountAndAreRateLimitedPerClient) {
  int64_t a = PublishedTicket("First");
  int64_t b = PublishedTicket("Second");
  int64_t c = PublishedTicket("Third");
  const int before = board_->Get(a).votes;
  auto vote = [&](int64_t id) {
    return client_->Post(
        ("/api/answers/" + std::to_string(id) + "/vote").c_str(), "",
        "application/json");
  };
  auto res = vote(a);
  EXPECT_EQ(res->status, 200) << res->body;
  EXPECT_EQ(Body(res)["votes"], before + 1);
  // One vote per ticket per day.
  res = vote(a);
  EXPECT_EQ(res->status, 429);
  EXPECT_EQ(Body(res)["error"], "you have already voted for #" +
                                    std::to_string(a) + " today; thank you");
  EXPECT_FALSE(res->get_header_value("Retry-After").empty());
  // Two an hour (this server's setting).
  EXPECT_EQ(vote(b)->status, 200);
  res = vote(c);
  EXPECT_EQ(res->status, 429);
  EXPECT_EQ(Body(res)["error"], "too many votes from here: try again later");
  now_ += 3601;
  EXPECT_EQ(vote(c)->status, 200);
  EXPECT_EQ(vote(a)->status, 429);
  now_ += 24 * 3600;
  // The page form works without JavaScript: vote, then back to the answer.
  auto page = client_->Post(("/answers/" + std::to_string(a) + "/vote").c_str(),
                            httplib::Params{});
  EXPECT_EQ(page->status, 303);
  EXPECT_EQ(
      page->get_header_value("Location"),
      "/answers?voted=" + std::to_string(a) + "#ticket-" + std::to_string(a));
  EXPECT_EQ(board_->Get(a).votes, before + 2);
  EXPECT_EQ(board_->History(a).back().actor, "public site");
}

TEST_F(ServerTest, WritesRecordTheAccountInTheHistory) {
  Login fay = SignIn("actor-fay");
  auto res = PostJson(
      "/api/tickets",
      R"({"title":"Letters arrive late","details":"Two weeks late","area":"East Surrey","themes":["communication"],"team":"PALS","raised_by":3})",
      &fay);
  ASSERT_EQ(res->status, 201) << res->body;
  int64_t id = Body(res)["id"];
  EXPECT_EQ(Body(res)["votes"], 3);
  res = PostJson("/api/tickets/" + std::to_string(id) + "/votes",
                 R"({"count":2,"note":"raised again"})", &fay);
  EXPECT_EQ(res->status, 200) << res->body;
  Login jo = SignIn("actor-jo");
  // A form post moves it, then the page shows where it went.
  auto page = PostForm("/board/tickets/" + std::to_string(id) + "/move",
                       {{"state", "sent-to-trust"}}, &jo);
  EXPECT_EQ(page->status, 303);
  EXPECT_EQ(
      page->get_header_value("Location"),
      "/board?changed=" + std::to_string(id) + "#ticket-" + std::to_string(id));

  std::vector<HistoryEntry> history = board_->History(id);
  ASSERT_GE(history.size(), 3u);
  EXPECT_EQ(history.front().field, "created");
  EXPECT_EQ(history.front().actor, "actor-fay");
  bool voted = false, moved = false;
  for (const HistoryEntry& h : history) {
    if (h.field == "votes") voted = h.actor == "actor-fay";
    if (h.field == "state") moved = h.actor == "actor-jo";
  }
  EXPECT_TRUE(voted);
  EXPECT_TRUE(moved);

  // The board lists it in its new column with the move control.
  auto board = Get("/board", &jo);
  EXPECT_EQ(board->status, 200);
  EXPECT_NE(
      board->body.find("<label for=\"move-" + std::to_string(id) +
                       "\">Move ticket " + std::to_string(id) + " to</label>"),
      std::string::npos);
  EXPECT_NE(board->body.find("On time: "), std::string::npos);
}

// Requests at once, and a direct (CLI-like) writer beside them: every write
// lands, none is refused or lost.
TEST_F(ServerTest, ConcurrentWritesAllLand) {
  Login fay = SignIn("actor-fay");
  std::vector<std::thread> threads;
  std::atomic<int> created{0};
  for (int i = 0; i < 6; ++i) {
    threads.emplace_back([&, i] {
      httplib::Client client("127.0.0.1", port_);
      httplib::Headers h = {{"Cookie", fay.cookie}, {"X-CSRF-Token", fay.csrf}};
      for (int j = 0; j < 4; ++j) {
        Json body = {{"title", "Point " + std::to_string(i * 10 + j)},
                     {"area", "east-surrey"},
                     {"themes", {"access"}},
                     {"team", "PALS"}};
        auto res =
            client.Post("/api/tickets", h, body.dump(), "application/json");
        if (res && res->status == 201) ++created;
        client.Get("/");
      }
    });
  }
  for (int j = 0; j < 4; ++j) UnpublishedTicket();
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(created.load(), 24);
  EXPECT_EQ(board_->List(TicketFilter{}).size(), 28u);
}

// Public pages and read-only JSON are kept between requests; a write by
// another process (here: another connection, as the CLI has) shows at once.
TEST_F(ServerTest, CachedResponsesFollowWritesFromAnotherConnection) {
  int64_t id = PublishedTicket();
  UnpublishedTicket();  // Its response clock runs: it changes with the day.
  Login ed = SignIn("ed");
  auto answers = Get("/answers");
  auto json = Get("/api/answers");
  auto tickets = Get("/api/tickets", &ed);
  ASSERT_TRUE(answers && json && tickets);
  // Asked again, unchanged: the same bytes.
  EXPECT_EQ(Get("/answers")->body, answers->body);
  EXPECT_EQ(Get("/api/answers")->body, json->body);
  EXPECT_EQ(Get("/api/tickets", &ed)->body, tickets->body);
  EXPECT_EQ(Body(Get("/api/tickets?state=answered", &ed)).size(), 1u);
  EXPECT_EQ(Body(Get("/api/tickets?state=raised", &ed)).size(), 1u);
  EXPECT_EQ(Body(tickets).size(), 2u);

  {
    // A separate connection writes, as `focus board ...` would.
    Store cli_store(db_);
    Board cli(cli_store, config_, clock_);
    cli.AddVotes(id, 5, std::nullopt, "", "actor-fay");
    int64_t second = PublishedTicket("Later buses");
    cli.AddVotes(second, 1, std::nullopt, "", "actor-fay");
  }
  auto answers2 = Get("/answers");
  EXPECT_NE(answers2->body, answers->body);
  EXPECT_NE(answers2->body.find("8 votes"), std::string::npos);
  EXPECT_NE(answers2->body.find("Later buses"), std::string::npos);
  Json list = Body(Get("/api/answers"))["answers"];
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0]["votes"], 8);
  EXPECT_EQ(Body(Get("/api/tickets", &ed)).size(), 3u);
  EXPECT_EQ(Body(Get("/api/tickets?state=answered", &ed)).size(), 2u);
  EXPECT_EQ(Body(Get("/api/tickets?state=raised", &ed)).size(), 1u);

  // The server's own writes too.
  EXPECT_EQ(
      PostJson("/api/answers/" + std::to_string(id) + "/vote", "{}")->status,
      200);
  EXPECT_EQ(Body(Get("/api/answers"))["answers"][0]["votes"], 9);
  EXPECT_NE(Get("/answers")->body.find("9 votes"), std::string::npos);

  // And a new day (the response clock moves on).
  const std::string before = Get("/api/tickets", &ed)->body;
  clock_.Set(clock_.Now() + 40 * 24 * 3600);
  EXPECT_NE(Get("/api/tickets", &ed)->body, before);
  // Still only for those signed in.
  EXPECT_EQ(Get("/api/tickets")->status, 401);
}

// The answers page is kept, but the layout's per-visitor parts are not: no
// visitor ever sees another's name or CSRF token.
TEST_F(ServerTest, CachedPageNeverShowsAnotherVisitorsToken) {
  PublishedTicket();
  Login jo = SignIn("actor-jo");
  Login fay = SignIn("actor-fay");
  auto mine = Get("/answers", &jo);
  EXPECT_NE(mine->body.find(jo.csrf), std::string::npos);
  EXPECT_NE(mine->body.find("Signed in as actor-jo"), std::string::npos);
  auto anonymous = Get("/answers");
  auto theirs = Get("/answers", &fay);
  auto again = Get("/answers", &jo);
  for (const auto* res : {&anonymous, &theirs}) {
    EXPECT_EQ((*res)->body.find(jo.csrf), std::string::npos);
    EXPECT_EQ((*res)->body.find("actor-jo"), std::string::npos);
  }
  EXPECT_EQ(anonymous->body.find("Signed in as"), std::string::npos);
  EXPECT_EQ(anonymous->body.find(fay.csrf), std::string::npos);
  EXPECT_NE(theirs->body.find(fay.csrf), std::string::npos);
  EXPECT_NE(theirs->body.find("Signed in as actor-fay"), std::string::npos);
  EXPECT_EQ(again->body, mine->body);
  // The body is the same for all of them.
  EXPECT_NE(anonymous->body.find("More spaces from March"), std::string::npos);
  EXPECT_NE(theirs->body.find("More spaces from March"), std::string::npos);
  // After signing out, the page is the anonymous one again.
  EXPECT_EQ(PostJson("/api/logout", "{}", &jo)->status, 200);
  EXPECT_EQ(Get("/answers", &jo)->body, anonymous->body);
}

// An edited template shows on the next request, cached page or not.
TEST_F(ServerTest, CachedPagesFollowEditedTemplates) {
  PublishedTicket();
  const std::string tdir = dir_ + "/templates";
  fs::create_directories(tdir + "/pages");
  const std::string file = tdir + "/pages/answers.html.mustache";
  auto write = [&](const std::string& text, int seconds) {
    FILE* f = fopen(file.c_str(), "w");
    ASSERT_NE(f, nullptr);
    fputs(text.c_str(), f);
    fclose(f);
    // A distinct time even on file systems with coarse timestamps.
    fs::last_write_time(
        file, fs::file_time_type::clock::now() + std::chrono::seconds(seconds));
  };
  write("<p>first {{#has_answers}}yes{{/has_answers}}</p>\n", 1);
  ServerOptions options;
  options.port = 0;
  options.db_path = db_;
  options.templates_dir = tdir;
  options.threads = 2;
  WebServer server(config_, clock_, options);
  const int port = server.Bind();
  std::thread serving([&] { server.Run(); });
  server.WaitUntilReady();
  httplib::Client client("127.0.0.1", port);
  auto first = client.Get("/answers");
  ASSERT_TRUE(first);
  EXPECT_NE(first->body.find("<p>first yes</p>"), std::string::npos)
      << first->body;
  EXPECT_EQ(client.Get("/answers")->body, first->body);
  write("<p>second {{#has_answers}}yes{{/has_answers}}</p>\n", 2);
  auto second = client.Get("/answers");
  EXPECT_NE(second->body.find("<p>second yes</p>"), std::string::npos)
      << second->body;
  server.Stop();
  serving.join();
}

TEST_F(ServerTest, SignOutAndDisabledAccountsEndSessions) {
  Login jo = SignIn("actor-jo");
  EXPECT_EQ(Get("/api/session", &jo)->status, 200);
  EXPECT_EQ(PostJson("/api/logout", "{}", &jo)->status, 200);
  EXPECT_EQ(Get("/api/session", &jo)->status, 401);

  Login fay = SignIn("actor-fay");
  Accounts(*store_, config_, clock_).Disable("actor-fay", "test");
  EXPECT_EQ(Get("/api/tickets", &fay)->status, 401);

  // Sessions expire.
  Login sam = SignIn("sam");
  now_ += 12 * 3600;
  EXPECT_EQ(Get("/api/session", &sam)->status, 401);
}

// --- Limits: slow, large and hostile requests, at the socket. ----------

// A raw connection to the server, to send what no well-behaved client
// would. Reads block until the server answers or closes (never a clock).
class RawClient {
 public:
  // A `receive_buffer` of a few KiB makes the server wait for the client
  // to read a large response as it goes.
  explicit RawClient(int port, int receive_buffer = 0) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    if (receive_buffer > 0) {
      ::setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &receive_buffer,
                   sizeof receive_buffer);
    }
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ =
        ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  }
  ~RawClient() { ::close(fd_); }
  RawClient(const RawClient&) = delete;
  RawClient& operator=(const RawClient&) = delete;

  bool connected() const { return connected_; }
  // False if the server stopped taking the bytes (it closed).
  bool Send(const std::string& bytes) {
    size_t sent = 0;
    while (sent < bytes.size()) {
      ssize_t n =
          ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) return false;
      sent += static_cast<size_t>(n);
    }
    return true;
  }
  // One response (to a GET, by its Content-Length; to a HEAD, its head).
  std::string ReadResponse(bool head = false) {
    std::string out;
    char buf[4096];
    size_t end = std::string::npos;
    size_t want = 0;
    while (end == std::string::npos || out.size() < want) {
      const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
      if (n <= 0) break;
      out.append(buf, static_cast<size_t>(n));
      if (end == std::string::npos &&
          (end = out.find("\r\n\r\n")) != std::string::npos) {
        const size_t at = out.find("\r\nContent-Length: ");
        want =
            end + 4 + (head || at > end ? 0 : std::stoul(out.substr(at + 18)));
      }
    }
    return out;
  }
  // True if the server has sent something not yet read (never waits).
  bool Pending() {
    char c;
    return ::recv(fd_, &c, 1, MSG_PEEK | MSG_DONTWAIT) > 0;
  }
  // Everything until the server closes the connection.
  std::string ReadUntilClosed() {
    std::string out;
    char buf[4096];
    ssize_t n;
    while ((n = ::recv(fd_, buf, sizeof buf, 0)) > 0) out.append(buf, n);
    return out;
  }

 private:
  int fd_ = -1;
  bool connected_ = false;
};

// The status codes of the responses in `raw`, in order.
std::vector<int> Statuses(const std::string& raw) {
  std::vector<int> out;
  size_t at = 0;
  while ((at = raw.find("HTTP/1.1 ", at)) != std::string::npos) {
    out.push_back(std::stoi(raw.substr(at + 9, 3)));
    at += 9;
  }
  return out;
}

class ServerLimitsTest : public ServerTest {
 protected:
  // A second server on the same board with `options` changed.
  void Start(const std::function<void(ServerOptions&)>& change) {
    ServerOptions options;
    options.port = 0;
    options.db_path = db_;
    options.threads = 2;
    options.max_body_bytes = 4096;
    change(options);
    limited_ = std::make_unique<WebServer>(config_, clock_, options);
    limited_port_ = limited_->Bind();
    limited_thread_ = std::thread([this] { limited_->Run(); });
    limited_->WaitUntilReady();
  }
  void TearDown() override {
    if (limited_) {
      limited_->Stop();
      limited_thread_.join();
      limited_.reset();
    }
    ServerTest::TearDown();
  }
  // Twenty wrong passwords for one account at once, spread over `ports`:
  // how many were refused (401) and how many told to wait (429).
  std::pair<int, int> WrongPasswordsAtOnce(const std::vector<int>& ports) {
    std::vector<std::thread> threads;
    std::atomic<int> refused{0}, limited{0};
    for (size_t i = 0; i < 20; ++i) {
      threads.emplace_back([&, i] {
        httplib::Client client("127.0.0.1", ports[i % ports.size()]);
        auto res = client.Post("/api/login",
                               R"({"name":"actor-jo","password":"wrong one!"})",
                               "application/json");
        if (res && res->status == 401) ++refused;
        if (res && res->status == 429) ++limited;
      });
    }
    for (std::thread& t : threads) t.join();
    return {refused.load(), limited.load()};
  }
  std::string AskWhileTheWorkerWaits(int64_t id, const std::string& get);
  int Get200(int port) {
    httplib::Client client("127.0.0.1", port);
    auto res = client.Get("/api/forums");
    return res ? res->status : -1;
  }

  std::unique_ptr<WebServer> limited_;
  std::thread limited_thread_;
  int limited_port_ = 0;
};

const char kPost[] =
    "POST /api/login HTTP/1.1\r\nHost: t\r\n"
    "Content-Type: application/json\r\n";

// Each request the HTTP layer refuses: its exact status and message, and
// the server answers the next request.
TEST_F(ServerLimitsTest, MalformedAndOversizedRequestsGetTheirStatus) {
  std::string chunked =
      std::string(kPost) + "Transfer-Encoding: chunked\r\n\r\n";
  for (int i = 0; i < 100; ++i)
    chunked += "3e8\r\n" + std::string(1000, ' ') + "\r\n";
  chunked += "0\r\n\r\n";
  struct Case {
    std::string request;
    int status;
    std::string error;
  } cases[] = {
      {chunked, 413, "the request body is larger than 4096 bytes"},
      {std::string(kPost) + "Content-Length: 10000\r\n\r\n" +
           std::string(10000, ' '),
       413, "the request body is larger than 4096 bytes"},
      {std::string(kPost) +
           "Content-Encoding: gzip\r\nContent-Length: 4\r\n\r\nabcd",
       415, "request bodies must not be compressed (Content-Encoding: gzip)"},
      {std::string(kPost) + "Content-Length: -1\r\n\r\n", 400,
       "malformed request: bad Content-Length"},
      {"GET /api/forums HTTP/1.1\r\nHost: t\r\nX-Big: " +
           std::string(17 * 1024, 'a') + "\r\n\r\n",
       431, "the request header is larger than 16384 bytes"},
      {std::string(kPost) + "Connection: close\r\nContent-Length: 30\r\n\r\n"
                            R"({"name":"jo","password":1e400})",
       400, "password: number overflow parsing '1e400'"},
  };
  for (const Case& c : cases) {
    RawClient raw(port_);
    ASSERT_TRUE(raw.connected());
    raw.Send(c.request);
    const std::string answer = raw.ReadUntilClosed();
    EXPECT_EQ(Statuses(answer), std::vector<int>{c.status}) << answer;
    const size_t body = answer.find("\r\n\r\n");
    ASSERT_NE(body, std::string::npos) << answer;
    EXPECT_EQ(Json::parse(answer.substr(body + 4))["error"], c.error);
    EXPECT_EQ(Get("/api/forums")->status, 200) << c.error;
  }
}

TEST_F(ServerLimitsTest, JsonNumbersOutOfRangeNameTheField) {
  auto res = client_->Post("/api/login", R"({"name":"jo","password":1e400})",
                           "application/json");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 400);
  EXPECT_EQ(Body(res), Json::parse(R"({
    "error": "password: number overflow parsing '1e400'",
    "field": "password"})"));
  EXPECT_EQ(Get("/")->status, 200);
}

// A client that sends its header slowly, or never, is closed once the
// header time is up; one that keeps a connection idle, once the idle time
// is up. Either way the server answers others afterwards.
TEST_F(ServerLimitsTest, SlowHeadersAndIdleConnectionsAreClosed) {
  Start([](ServerOptions& o) {
    o.header_timeout_ms = 100;
    o.idle_timeout_ms = 100;
  });
  RawClient slow(limited_port_);
  ASSERT_TRUE(slow.connected());
  slow.Send("GET /api/forums HTTP/1.1\r\nHost: t\r\n");
  EXPECT_EQ(slow.ReadUntilClosed(), "");  // Closed, unanswered.

  RawClient idle(limited_port_);
  ASSERT_TRUE(idle.connected());
  idle.Send("GET /api/forums HTTP/1.1\r\nHost: t\r\n\r\n");
  // Answered, then closed when the idle time was up.
  EXPECT_EQ(Statuses(idle.ReadUntilClosed()), std::vector<int>{200});
  EXPECT_EQ(Get200(limited_port_), 200);
}

TEST_F(ServerLimitsTest, PipelinedRequestsAreAnsweredInOrder) {
  RawClient raw(port_);
  ASSERT_TRUE(raw.connected());
  raw.Send(
      "GET /api/forums HTTP/1.1\r\nHost: t\r\n\r\n"
      "GET /nothing-here HTTP/1.1\r\nHost: t\r\n\r\n"
      "GET /api/session HTTP/1.1\r\nHost: t\r\n\r\n"
      "GET /api/answers HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(Statuses(raw.ReadUntilClosed()),
            (std::vector<int>{200, 404, 401, 200}));
}

// Past the cap on connections from one address, or in all, a new
// connection gets 503 with Retry-After; once they close, it is served.
TEST_F(ServerLimitsTest, ConnectionsPastTheCapGet503) {
  for (bool per_address : {true, false}) {
    Start([per_address](ServerOptions& o) {
      if (per_address) {
        o.max_connections_per_address = 2;
      } else {
        o.max_connections = 2;
      }
      o.retry_after_seconds = 7;
    });
    {
      auto first = std::make_unique<RawClient>(limited_port_);
      auto second = std::make_unique<RawClient>(limited_port_);
      RawClient third(limited_port_);
      const std::string answer = third.ReadUntilClosed();
      EXPECT_EQ(Statuses(answer), std::vector<int>{503}) << answer;
      EXPECT_NE(answer.find("Retry-After: 7\r\n"), std::string::npos) << answer;
      EXPECT_NE(answer.find("the server is serving as many connections as "
                            "it can"),
                std::string::npos);
      // The first two are still served.
      first->Send(
          "GET /api/forums HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
      EXPECT_EQ(Statuses(first->ReadUntilClosed()), std::vector<int>{200});
    }
    // Served again once the server has counted them out.
    int status = 0;
    for (int i = 0; i < 1000 && status != 200; ++i) {
      status = Get200(limited_port_);
      if (status != 200) std::this_thread::yield();
    }
    EXPECT_EQ(status, 200);
    limited_->Stop();
    limited_thread_.join();
    limited_.reset();
  }
}

// --- Signing in: races, lockouts, proxies, cross-site requests. ---------

class SignInTest : public ServerLimitsTest {
 protected:
  // A server behind a proxy at 127.0.0.1: X-Forwarded-For names clients.
  void StartBehindProxy(int slowdown_after, int lockout) {
    Start([&](ServerOptions& o) {
      o.trusted_proxies = {"127.0.0.1"};
      o.login_slowdown_after = slowdown_after;
      o.login_lockout = lockout;
      o.now = [this] { return now_.load(); };
    });
    proxied_ = std::make_unique<httplib::Client>("127.0.0.1", limited_port_);
  }
  int ProxiedLogin(const std::string& name, const std::string& password,
                   const std::string& from,
                   std::string* retry_after = nullptr) {
    auto res =
        proxied_->Post("/api/login", {{"X-Forwarded-For", from}},
                       Json{{"name", name}, {"password", password}}.dump(),
                       "application/json");
    if (!res) return -1;
    if (retry_after) *retry_after = res->get_header_value("Retry-After");
    return res->status;
  }
  std::unique_ptr<httplib::Client> proxied_;
};

// Twenty wrong passwords at once: exactly the limit is tried, the rest wait.
TEST_F(SignInTest, WrongPasswordsAtOnceCannotOutrunTheLimit) {
  EXPECT_EQ(WrongPasswordsAtOnce({port_}), std::make_pair(5, 15));
  EXPECT_EQ(Get("/")->status, 200);
}

// One client's failures do not lock the account for others; locking it for
// everyone takes many more, with growing waits between them.
TEST_F(SignInTest, OnlyManyFailuresFromEverywhereLockAnAccount) {
  StartBehindProxy(/*slowdown_after=*/6, /*lockout=*/9);
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(ProxiedLogin("actor-jo", "wrong one!", "203.0.113.1"), 401);
  }
  EXPECT_EQ(ProxiedLogin("actor-jo", kPassword, "203.0.113.1"), 429);
  // Another client (as the proxy says) signs in at once.
  EXPECT_EQ(ProxiedLogin("actor-jo", kPassword, "198.51.100.7"), 200);
  // The 6th failure from anywhere: then each attempt waits 1, 2, 4 s.
  EXPECT_EQ(ProxiedLogin("actor-jo", "wrong one!", "203.0.113.2"), 401);
  std::string wait;
  for (int seconds : {1, 2, 4}) {
    EXPECT_EQ(ProxiedLogin("actor-jo", "wrong one!", "203.0.113.3", &wait),
              429);
    EXPECT_EQ(wait, std::to_string(seconds));
    now_ += seconds;
    EXPECT_EQ(ProxiedLogin("actor-jo", "wrong one!", "203.0.113.3"), 401);
  }
  // Nine failures: locked for everyone, the right password too.
  EXPECT_EQ(ProxiedLogin("actor-jo", kPassword, "198.51.100.8", &wait), 429);
  EXPECT_EQ(wait, "893");  // Until the first failure leaves the window.
  now_ += 900;
  EXPECT_EQ(ProxiedLogin("actor-jo", kPassword, "198.51.100.8"), 200);
}

// X-Forwarded-For from anyone but a trusted proxy is ignored: a client
// cannot dodge its limit by naming another address.
TEST_F(SignInTest, ForwardedForIsBelievedOnlyFromTrustedProxies) {
  auto login = [&](const std::string& from) {
    return client_
        ->Post("/api/login", {{"X-Forwarded-For", from}},
               R"({"name":"actor-jo","password":"wrong one!"})",
               "application/json")
        ->status;
  };
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(login("192.0.2." + std::to_string(i)), 401);
  }
  EXPECT_EQ(login("192.0.2.99"), 429);
}

TEST_F(SignInTest, OpaqueAndCrossSiteOriginsAreRefusedOnEveryWrite) {
  Login jo = SignIn("actor-jo");
  const int64_t id = UnpublishedTicket();
  const std::string move = "/api/tickets/" + std::to_string(id) + "/move";
  const std::string body = R"({"state": "sent-to-trust"})";
  for (const auto& [header, value] :
       std::vector<std::pair<std::string, std::string>>{
           {"Origin", "null"}, {"Sec-Fetch-Site", "cross-site"}}) {
    httplib::Headers h = {{header, value}};
    auto res = client_->Post(
        "/api/login", h,
        Json{{"name", "actor-jo"}, {"password", kPassword}}.dump(),
        "application/json");
    EXPECT_EQ(res->status, 403) << value;
    h.emplace("Cookie", jo.cookie);
    h.emplace("X-CSRF-Token", jo.csrf);
    EXPECT_EQ(client_->Post(move.c_str(), h, body, "application/json")->status,
              403);
    EXPECT_EQ(client_->Post("/answers/1/vote", h, "", "text/plain")->status,
              403);
  }
  EXPECT_EQ(board_->Get(id).state, TicketState::kRaised);
  EXPECT_EQ(PostJson(move, body, &jo)->status, 200);
}

// The sign-in form needs the token its page set in a cookie: another site
// cannot sign a visitor in to an account of its choosing.
TEST_F(SignInTest, TheSignInFormNeedsItsOwnToken) {
  auto res = client_->Post(
      "/login", httplib::Params{{"name", "actor-jo"}, {"password", kPassword}});
  EXPECT_EQ(res->status, 403);
  EXPECT_NE(res->body.find("the sign-in form has expired or came from "
                           "another site"),
            std::string::npos);
  EXPECT_EQ(res->get_header_value("Set-Cookie").rfind("focus_login=", 0), 0u);
  res = client_->Post("/login",
                      {{"Cookie", "focus_login=" + std::string(64, 'a')}},
                      httplib::Params{{"name", "actor-jo"},
                                      {"password", kPassword},
                                      {"csrf", std::string(64, 'b')}});
  EXPECT_EQ(res->status, 403);
  res = LoginForm("actor-jo", kPassword);
  EXPECT_EQ(res->status, 303);
  EXPECT_EQ(res->get_header_value("Location"), "/board");
}

// A published reason for declining is a Trust response: the team's
// responder or a coordinator, not a facilitator.
TEST_F(SignInTest, OnlyTheTeamsResponderOrACoordinatorDeclines) {
  const int64_t id = UnpublishedTicket("PALS");
  board_->Move(id, TicketState::kSentToTrust, "", "actor-jo");
  const std::string move = "/api/tickets/" + std::to_string(id) + "/move";
  const std::string body =
      R"({"state": "declined", "reason": "Outside the Trust's remit"})";
  Login fay = SignIn("actor-fay");
  auto res = PostJson(move, body, &fay);
  EXPECT_EQ(res->status, 403);
  EXPECT_EQ(Body(res)["error"],
            "a facilitator may not decline a ticket (its reason is published)");
  Login rob = SignIn("rob");
  EXPECT_EQ(PostJson(move, body, &rob)->status, 403);
  auto page = PostForm("/board/tickets/" + std::to_string(id) + "/move",
                       {{"state", "declined"}, {"reason", "No"}}, &fay);
  EXPECT_EQ(page->status, 403);
  EXPECT_EQ(board_->Get(id).state, TicketState::kSentToTrust);
  Login sam = SignIn("sam");
  EXPECT_EQ(PostJson(move, body, &sam)->status, 200);
  EXPECT_EQ(board_->Get(id).state, TicketState::kDeclined);
}

// --- HTTP as clients expect it: ETag, gzip, Cache-Control, Secure. -----

std::string Gunzip(const std::string& data) {
  z_stream z{};
  EXPECT_EQ(inflateInit2(&z, 15 + 16), Z_OK);
  std::string out;
  char buf[65536];
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  int result = Z_OK;
  while (result == Z_OK) {
    z.next_out = reinterpret_cast<Bytef*>(buf);
    z.avail_out = sizeof buf;
    result = inflate(&z, Z_NO_FLUSH);
    out.append(buf, sizeof buf - z.avail_out);
  }
  inflateEnd(&z);
  EXPECT_EQ(result, Z_STREAM_END);
  return out;
}

// A GET at the socket (no client decoding): the raw head and body.
struct RawResponse {
  std::string head;
  std::string body;
};
RawResponse RawGet(int port, const std::string& path,
                   const std::string& headers) {
  RawClient raw(port);
  raw.Send("GET " + path + " HTTP/1.1\r\nHost: t\r\nConnection: close\r\n" +
           headers + "\r\n");
  const std::string all = raw.ReadUntilClosed();
  const size_t at = all.find("\r\n\r\n");
  if (at == std::string::npos) return {all, ""};
  return {all.substr(0, at + 2), all.substr(at + 4)};
}

std::string HeaderOf(const std::string& head, const std::string& name) {
  const size_t at = head.find("\r\n" + name + ": ");
  if (at == std::string::npos) return "";
  const size_t start = at + name.size() + 4;
  return head.substr(start, head.find("\r\n", start) - start);
}

// Cached pages, API lists and calendar feeds carry an ETag; asked again
// with it, the answer is 304 without a body until the content changes.
TEST_F(ServerTest, ETagsGiveNotModifiedUntilTheContentChanges) {
  const int64_t id = PublishedTicket();
  Login ed = SignIn("ed");
  for (const char* path :
       {"/answers", "/api/answers", "/calendar.ics", "/api/tickets"}) {
    const Login* who = std::string(path) == "/api/tickets" ? &ed : nullptr;
    auto first = Get(path, who);
    ASSERT_EQ(first->status, 200) << path;
    const std::string etag = first->get_header_value("ETag");
    EXPECT_EQ(etag.size(), 18u) << path << " " << etag;
    httplib::Headers h = {{"If-None-Match", etag}};
    if (who) h.emplace("Cookie", who->cookie);
    auto again = client_->Get(path, h);
    EXPECT_EQ(again->status, 304) << path;
    EXPECT_EQ(again->body, "") << path;
    EXPECT_EQ(again->get_header_value("ETag"), etag) << path;
  }
  auto answers = Get("/answers");
  board_->AddVotes(id, 1, std::nullopt, "", "actor-fay");
  auto changed = client_->Get(
      "/answers", {{"If-None-Match", answers->get_header_value("ETag")}});
  EXPECT_EQ(changed->status, 200);
  EXPECT_NE(changed->get_header_value("ETag"),
            answers->get_header_value("ETag"));
}

// gzip for clients that ask, the same bytes once inflated; none for
// clients that do not.
TEST_F(ServerTest, ClientsThatAcceptGzipGetIt) {
  for (int i = 0; i < 12; ++i) PublishedTicket("Point " + std::to_string(i));
  const RawResponse plain = RawGet(port_, "/answers", "");
  EXPECT_EQ(HeaderOf(plain.head, "Content-Encoding"), "");
  EXPECT_EQ(HeaderOf(plain.head, "Vary"), "Accept-Encoding");
  for (int round = 0; round < 2; ++round) {  // Made, then kept.
    const RawResponse gz =
        RawGet(port_, "/answers", "Accept-Encoding: br, gzip;q=0.8\r\n");
    EXPECT_EQ(HeaderOf(gz.head, "Content-Encoding"), "gzip") << gz.head;
    EXPECT_LT(gz.body.size(), plain.body.size());
    EXPECT_EQ(Gunzip(gz.body), plain.body);
    EXPECT_NE(HeaderOf(gz.head, "ETag"), HeaderOf(plain.head, "ETag"));
  }
  const RawResponse refused =
      RawGet(port_, "/answers", "Accept-Encoding: gzip;q=0\r\n");
  EXPECT_EQ(HeaderOf(refused.head, "Content-Encoding"), "");
  EXPECT_EQ(refused.body, plain.body);
}

// A public page asked again on a kept-alive connection is written from a
// response kept ready: the same bytes as the first answer (and for HEAD,
// its head), in each encoding, from memory or (a large one) from a file; a
// request that closes the connection gets them with "Connection: close".
TEST_F(ServerTest, ReadyResponsesAreTheBytesFirstServed) {
  for (int i = 0; i < 60; ++i) PublishedTicket("Point " + std::to_string(i));
  for (const char* path : {"/answers", "/api/answers", "/answers?limit=2"}) {
    for (const char* extra : {"", "Accept-Encoding: gzip\r\n"}) {
      SCOPED_TRACE(std::string(path) + " " + extra);
      RawClient raw(port_, 4096);
      auto ask = [&](const char* method, const char* more = "") {
        raw.Send(std::string(method) + " " + path + " HTTP/1.1\r\nHost: t\r\n" +
                 extra + more + "\r\n");
        return raw.ReadResponse(std::string(method) == "HEAD");
      };
      const std::string first = ask("GET");
      EXPECT_EQ(Statuses(first), std::vector<int>{200});
      if (std::string(path) == "/answers" && *extra == '\0') {
        EXPECT_GT(first.size(), 16u * 1024);  // Large: sent from a file.
      }
      EXPECT_EQ(ask("GET"), first);
      EXPECT_EQ(ask("HEAD"), first.substr(0, first.find("\r\n\r\n") + 4));
      std::string closing = ask("GET", "Connection: close\r\n");
      const size_t at = closing.find("Connection: close\r\n");
      ASSERT_NE(at, std::string::npos) << closing;
      EXPECT_EQ(closing.erase(at, 19), first);
    }
  }
  // A large kept body for a signed-in visitor goes from a file too.
  const Login ed = SignIn("ed");
  RawClient raw(port_, 4096);
  raw.Send("GET /api/tickets HTTP/1.1\r\nHost: t\r\nCookie: " + ed.cookie +
           "\r\n\r\n");
  const std::string kept = raw.ReadResponse();
  EXPECT_GT(kept.size(), 16u * 1024);
  const RawResponse plain =
      RawGet(port_, "/api/tickets", "Cookie: " + ed.cookie + "\r\n");
  EXPECT_EQ(kept.substr(kept.find("\r\n\r\n") + 4), plain.body);
  EXPECT_EQ(Statuses(kept), std::vector<int>{200});
}

// Asks `get` on one kept-alive connection of a server with one worker;
// then, while another connection holds the write lock and a public vote for
// ticket `id` waits for it on that worker, asks again: the answer must be
// the kept one, written by the I/O thread. Returns the answer asked once
// the vote has landed.
std::string ServerLimitsTest::AskWhileTheWorkerWaits(int64_t id,
                                                     const std::string& get) {
  Start([](ServerOptions& o) {
    o.workers = 1;
    o.busy_timeout_ms = 60 * 1000;
  });
  RawClient reader(limited_port_);
  reader.Send(get);
  const std::string kept = reader.ReadResponse();
  EXPECT_EQ(Statuses(kept), std::vector<int>{200});

  std::promise<void> held, release;
  std::thread writer([&] {
    Store(db_).WriteTransaction([&](Connection&) {
      held.set_value();
      release.get_future().wait();
    });
  });
  held.get_future().wait();
  RawClient voter(limited_port_);
  voter.Send("POST /api/answers/" + std::to_string(id) +
             "/vote HTTP/1.1\r\nHost: t\r\nContent-Type: application/json"
             "\r\nContent-Length: 2\r\n\r\n{}");
  reader.Send(get);
  EXPECT_EQ(reader.ReadResponse(), kept);
  EXPECT_FALSE(voter.Pending());  // The vote still waits for the lock.
  release.set_value();
  writer.join();
  EXPECT_EQ(Statuses(voter.ReadResponse()), std::vector<int>{200});
  reader.Send(get);
  const std::string after = reader.ReadResponse();
  EXPECT_NE(after, kept);  // The vote shows.
  return after;
}

// A kept page is answered while the only worker waits for a write lock,
// and the write then shows.
TEST_F(ServerLimitsTest, ReadyResponsesDoNotWaitForTheWorkers) {
  const int64_t id = PublishedTicket();
  const std::string after =
      AskWhileTheWorkerWaits(id, "GET /answers HTTP/1.1\r\nHost: t\r\n\r\n");
  EXPECT_NE(after.find("4 votes"), std::string::npos) << after;
}

// The signed-in ticket list is kept ready the same way, for the session
// that asked for it.
TEST_F(ServerLimitsTest, SignedInListsAreKeptReadyForTheirSession) {
  const int64_t id = PublishedTicket();
  const Login ed = SignIn("ed");
  AskWhileTheWorkerWaits(
      id, "GET /api/tickets HTTP/1.1\r\nHost: t\r\nCookie: " + ed.cookie +
              "\r\n\r\n");
}

// A list kept for one session goes to no other cookie, and not past the
// session's end (asked on one kept-alive connection, as kept responses
// are only written to those).
TEST_F(ServerTest, ListsKeptForASessionEndWithIt) {
  PublishedTicket();
  RawClient raw(port_);
  auto status = [&](const std::string& cookie) {
    raw.Send("GET /api/tickets HTTP/1.1\r\nHost: t\r\n" +
             (cookie.empty() ? "" : "Cookie: " + cookie + "\r\n") + "\r\n");
    const std::vector<int> statuses = Statuses(raw.ReadResponse());
    return statuses.size() == 1 ? statuses[0] : -1;
  };
  const Login ed = SignIn("ed");
  EXPECT_EQ(status(ed.cookie), 200);
  EXPECT_EQ(status(ed.cookie), 200);
  EXPECT_EQ(status("focus_session=" + std::string(64, 'a')), 401);
  EXPECT_EQ(status(""), 401);
  now_ += 12 * 3600;  // Past the session's end.
  EXPECT_EQ(status(ed.cookie), 401);

  const Login sam = SignIn("sam");
  EXPECT_EQ(status(sam.cookie), 200);
  EXPECT_EQ(status(sam.cookie), 200);
  EXPECT_EQ(PostJson("/api/logout", "{}", &sam)->status, 200);
  EXPECT_EQ(status(sam.cookie), 401);
}

// What a signed-in visitor sees is never stored by a browser or proxy.
TEST_F(ServerTest, SignedInResponsesAreNoStore) {
  PublishedTicket();
  Login jo = SignIn("actor-jo");
  for (const char* path : {"/answers", "/", "/board", "/api/session"}) {
    EXPECT_EQ(Get(path, &jo)->get_header_value("Cache-Control"), "no-store")
        << path;
  }
  EXPECT_EQ(Get("/answers")->get_header_value("Cache-Control"), "");
}

TEST_F(ServerLimitsTest, CookiesAreSecureBehindHttps) {
  EXPECT_EQ(
      client_->Get("/login")->get_header_value("Set-Cookie").find("Secure"),
      std::string::npos);
  Start([](ServerOptions& o) { o.secure_cookies = true; });
  httplib::Client client("127.0.0.1", limited_port_);
  auto res = client.Post("/api/login",
                         Json{{"name", "sam"}, {"password", kPassword}}.dump(),
                         "application/json");
  ASSERT_EQ(res->status, 200);
  const std::string cookie = res->get_header_value("Set-Cookie");
  EXPECT_NE(cookie.find("; Secure"), std::string::npos) << cookie;
  EXPECT_NE(
      client.Get("/login")->get_header_value("Set-Cookie").find("; Secure"),
      std::string::npos);
}

// --- Pagination. -------------------------------------------------------

// The lists come a page at a time: limit (default 100, at most 1,000) and
// the cursor the previous page gave; following the pages gives every item
// once.
TEST_F(ServerTest, ListsArePagedWithCursors) {
  for (int i = 0; i < 5; ++i) PublishedTicket("Point " + std::to_string(i));
  Login ed = SignIn("ed");
  // /api/answers: "next" in the body.
  std::vector<int64_t> ids;
  std::string next = "/api/answers?limit=2";
  int pages = 0;
  while (!next.empty() && pages < 10) {
    Json page = Body(Get(next));
    ASSERT_LE(page["answers"].size(), 2u);
    for (const Json& a : page["answers"]) ids.push_back(a["id"]);
    next = page["next"].is_null() ? "" : page["next"].get<std::string>();
    ++pages;
  }
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(ids, (std::vector<int64_t>{1, 2, 3, 4, 5}));
  EXPECT_TRUE(Body(Get("/api/answers"))["next"].is_null());
  // /api/tickets: a JSON array, the next page in a Link header, filters kept.
  auto first = Get("/api/tickets?state=answered&limit=3", &ed);
  EXPECT_EQ(Body(first).size(), 3u);
  EXPECT_EQ(first->get_header_value("Link"),
            "</api/tickets?state=answered&limit=3&cursor=3>; rel=\"next\"");
  auto last = Get("/api/tickets?state=answered&limit=3&cursor=3", &ed);
  EXPECT_EQ(Body(last).size(), 2u);
  EXPECT_EQ(Body(last)[0]["id"], 4);
  EXPECT_EQ(last->get_header_value("Link"), "");
  // Bad values name the field.
  for (const char* bad : {"limit=0", "limit=1001", "limit=x", "cursor=-1"}) {
    auto res = Get(std::string("/api/answers?") + bad);
    EXPECT_EQ(res->status, 422) << bad;
    const std::string field =
        std::string(bad).substr(0, 5) == "limit" ? "limit" : "cursor";
    EXPECT_EQ(Body(res)["field"], field) << bad;
  }
  EXPECT_EQ(Body(Get("/api/answers?limit=1001"))["error"],
            "limit: '1001' is not a whole number from 1 to 1000");
  // The page: links to the pages before and after.
  auto page = Get("/answers?limit=2&cursor=2");
  EXPECT_NE(page->body.find("href=\"/answers?limit=2&amp;cursor=0\" "
                            "rel=\"prev\""),
            std::string::npos)
      << page->body;
  EXPECT_NE(page->body.find("href=\"/answers?limit=2&amp;cursor=4\" "
                            "rel=\"next\""),
            std::string::npos);
  EXPECT_EQ(Get("/answers")->body.find("rel=\"next\""), std::string::npos);
}

// Two servers on one board, as behind a proxy: sessions, sign-in limits and
// vote limits are in the board database, so each server sees the other's,
// and a server started later (a restart) keeps everyone signed in.
class SharedStateTest : public ServerLimitsTest {
 protected:
  void SetUp() override {
    ServerLimitsTest::SetUp();
    StartSecond();
  }
  void StartSecond() {
    Start([&](ServerOptions& o) { o.now = [this] { return now_.load(); }; });
    second_ = std::make_unique<httplib::Client>("127.0.0.1", limited_port_);
  }
  httplib::Client& On(int server) { return server == 0 ? *client_ : *second_; }
  int Session(int server, const Login& login) {
    auto res = On(server).Get("/api/session", {{"Cookie", login.cookie}});
    return res ? res->status : -1;
  }
  int WrongPassword(int server) {
    auto res = On(server).Post("/api/login",
                               R"({"name":"actor-jo","password":"wrong one!"})",
                               "application/json");
    return res ? res->status : -1;
  }
  std::unique_ptr<httplib::Client> second_;
};

TEST_F(SharedStateTest, SessionsAreSharedAndSurviveARestart) {
  const Login jo = SignIn("actor-jo");
  auto res = second_->Get("/api/session", {{"Cookie", jo.cookie}});
  ASSERT_EQ(res->status, 200) << res->body;
  EXPECT_EQ(Body(res)["csrf_token"], jo.csrf);
  // A restart: a new server process on the same board.
  limited_->Stop();
  limited_thread_.join();
  StartSecond();
  EXPECT_EQ(Session(1, jo), 200);
  // Signing out on one server signs out everywhere.
  res = second_->Post("/api/logout",
                      {{"Cookie", jo.cookie}, {"X-CSRF-Token", jo.csrf}}, "",
                      "application/json");
  EXPECT_EQ(res->status, 200) << res->body;
  EXPECT_EQ(Session(0, jo), 401);
  EXPECT_EQ(Session(1, jo), 401);
}

TEST_F(SharedStateTest, TheDatabaseHoldsNoSessionSecret) {
  const Login jo = SignIn("actor-jo");
  const std::string token = jo.cookie.substr(jo.cookie.find('=') + 1);
  ASSERT_EQ(token.size(), 64u);
  const std::string rows = testing::Dump(db_);
  EXPECT_NE(rows.find("actor-jo"), std::string::npos);  // Rows were read.
  EXPECT_EQ(rows.find(token), std::string::npos);
  EXPECT_EQ(rows.find(jo.csrf), std::string::npos);
}

TEST_F(SharedStateTest, FailedSignInsCountOnEveryServer) {
  for (int i = 0; i < 5; ++i) EXPECT_EQ(WrongPassword(i % 2), 401) << i;
  EXPECT_EQ(WrongPassword(0), 429);
  EXPECT_EQ(WrongPassword(1), 429);
}

// Twenty wrong passwords at once, spread over both servers: exactly the
// limit is tried, the rest wait.
TEST_F(SharedStateTest, WrongPasswordsAtOnceOnTwoServersCannotOutrunTheLimit) {
  EXPECT_EQ(WrongPasswordsAtOnce({port_, limited_port_}),
            std::make_pair(5, 15));
}

TEST_F(SharedStateTest, APublicVoteIsCountedOnceWhicheverServerTakesIt) {
  const int64_t id = PublishedTicket();
  const std::string path = "/api/answers/" + std::to_string(id) + "/vote";
  auto res = client_->Post(path.c_str(), "", "application/json");
  EXPECT_EQ(res->status, 200) << res->body;
  res = second_->Post(path.c_str(), "", "application/json");
  EXPECT_EQ(res->status, 429);
  EXPECT_EQ(Body(res)["error"], "you have already voted for #" +
                                    std::to_string(id) + " today; thank you");
}

}  // namespace
}  // namespace focus
