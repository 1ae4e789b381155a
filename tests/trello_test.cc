#include "focus/trello.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <random>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "focus/board.h"
#include "focus/clock.h"
#include "focus/config.h"
#include "focus/error.h"
#include "focus/store.h"
#include "focus/store_testing.h"
#include "temp_dir.h"
#include "test_config.h"
#include "test_database.h"

namespace focus {
namespace {

using boost::gregorian::date;

std::string Fixture(const std::string& name) {
  std::ifstream in(
      std::string(FOCUS_SOURCE_DIR) + "/tests/testdata/trello/" + name,
      std::ios::binary);
  EXPECT_TRUE(in) << name;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The warnings' texts, in order.
std::vector<std::string> Texts(const std::vector<TrelloNote>& notes) {
  std::vector<std::string> texts;
  for (const TrelloNote& n : notes) texts.push_back(n.text);
  return texts;
}

Config TrelloConfig() {
  Config config = TestConfig();
  config.board.teams = {"Community Mental Health Team", "Crisis Line",
                        "Estates", "Patient Experience"};
  config.board.default_team = "Patient Experience";
  config.board.trello_lists = {{"Raised at forum", "raised"},
                               {"Sent to Trust", "sent-to-trust"},
                               {"Trust working on it", "in-progress"},
                               {"Asked the forum", "waiting-for-forum"},
                               {"Answered", "answered"},
                               {"Declined", "declined"},
                               {"Done", "closed"}};
  return config;
}

// A board on a fresh database: a file in a temporary folder, or in the
// suite's PostgreSQL variant a database of its own (tests/test_database.h).
struct TestBoard {
  TestBoard(const Config& config, Date today) : clock(today) {
    StoreOptions options;
    options.create_if_missing = true;
    store = std::make_unique<Store>(database.name(), options);
    board = std::make_unique<Board>(*store, config, clock);
  }
  ~TestBoard() {
    board.reset();
    store.reset();
  }

  std::vector<Ticket> All() const {
    TicketFilter all;
    all.include_merged = true;
    std::vector<Ticket> tickets = board->List(all);
    std::sort(tickets.begin(), tickets.end(),
              [](const Ticket& a, const Ticket& b) { return a.id < b.id; });
    return tickets;
  }
  const Ticket& ByTitle(const std::vector<Ticket>& tickets,
                        const std::string& title) const {
    for (const Ticket& t : tickets) {
      if (t.title == title) return t;
    }
    ADD_FAILURE() << "no ticket " << title;
    return tickets.front();
  }
  void SetToday(Date d) { clock.Set(LondonToUnix(d, TimeOfDay{12 * 60})); }

  TempDir tmp;  // First: removed after the store on it.
  std::string dir = tmp.path();
  TestDatabase database{dir};
  FixedClock clock;
  std::unique_ptr<Store> store;
  std::unique_ptr<Board> board;
};

class TrelloTest : public ::testing::Test {
 protected:
  void SetUp() override { FOCUS_SKIP_WITHOUT_DATABASE(); }

  TrelloImportResult Import(const std::string& fixture,
                            TrelloImportOptions options = {}) {
    return ImportTrello(*tb_.board, config_, Fixture(fixture), fixture, options,
                        "facilitator");
  }

  // The message of the Error(kInvalidInput) importing `fixture` throws.
  std::string ImportError(const std::string& fixture,
                          TrelloImportOptions options = {}) {
    try {
      Import(fixture, options);
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::kInvalidInput);
      return e.what();
    }
    ADD_FAILURE() << fixture << " imported without an error";
    return "";
  }

  Config config_ = TrelloConfig();
  TestBoard tb_{config_, date(2027, 3, 1)};
};

// --- Import of the fixture board ---------------------------------------------

TEST_F(TrelloTest, ImportsFixtureBoard) {
  TrelloImportResult r = Import("board.json");
  EXPECT_EQ(r.cards, 8);
  EXPECT_EQ(r.archived, 1);
  EXPECT_EQ(r.votes, 12);
  EXPECT_EQ(r.comments, 8);  // Not the one on a deleted card.
  EXPECT_EQ(Texts(r.warnings),
            (std::vector<std::string>{
                "lists[6] (\"Ideas\"): not mapped to a state; it has no "
                "cards, so it is ignored",
                "label \"Urgent\" (1 card) names no theme, area or team; "
                "kept with the card, not used"}));

  const std::vector<Ticket> all = tb_.All();
  ASSERT_EQ(all.size(), 8u);

  const Ticket& crisis = tb_.ByTitle(all, "Crisis line rings out at night");
  EXPECT_EQ(crisis.state, TicketState::kRaised);
  EXPECT_EQ(crisis.area, "northwest-surrey");
  EXPECT_EQ(crisis.themes, std::vector<std::string>{"crisis care"});
  EXPECT_EQ(crisis.team, "Crisis Line");
  EXPECT_EQ(crisis.raised_by, 1);
  EXPECT_EQ(crisis.votes, 4);  // The card's creator and three votes.
  EXPECT_EQ(crisis.raised_on, date(2026, 11, 3));  // From the card id.
  EXPECT_FALSE(crisis.sent_on);
  EXPECT_EQ(crisis.details, "Several people said calls after 2am ring out.");

  const Ticket& letters = tb_.ByTitle(all, "Appointment letters arrive late");
  EXPECT_EQ(letters.state, TicketState::kSentToTrust);
  EXPECT_EQ(letters.themes, std::vector<std::string>{"communication"});
  EXPECT_EQ(letters.area, "east-surrey");
  EXPECT_EQ(letters.team, "Patient Experience");  // The default team.
  EXPECT_EQ(letters.votes, 1);
  EXPECT_EQ(letters.sent_on, date(2026, 11, 20));  // The list move.

  const Ticket& parking = tb_.ByTitle(all, "Parking at Farnham Road");
  EXPECT_EQ(parking.state, TicketState::kAnswered);
  EXPECT_EQ(parking.area, "farnham-northeast-hants");
  EXPECT_EQ(parking.team, "Estates");
  EXPECT_EQ(parking.votes, 6);
  EXPECT_EQ(parking.details,
            "Too few disabled bays at Farnham Road.\n\nPeople with mobility "
            "problems miss appointments.");
  EXPECT_EQ(parking.answer,
            "Six more disabled bays open at Farnham Road in March.");
  EXPECT_EQ(parking.answered_by, "Sam Responder");
  EXPECT_EQ(parking.answered_on, date(2026, 12, 10));
  // Last activity (12 Dec) is after the answer: sent no later than answered.
  EXPECT_EQ(parking.sent_on, date(2026, 12, 10));

  const Ticket& carers = tb_.ByTitle(all, "Carers not told about discharge");
  EXPECT_EQ(carers.state, TicketState::kInProgress);
  EXPECT_EQ(carers.area, "guildford-waverley");  // A label naming the slug.
  EXPECT_EQ(carers.themes, (std::vector<std::string>{"carers", "discharge"}));
  EXPECT_EQ(carers.team, "Community Mental Health Team");
  EXPECT_EQ(carers.answer,
            "A carers' checklist is being added to discharge planning.");
  EXPECT_EQ(carers.answered_on, date(2027, 1, 8));

  const Ticket& loop = tb_.ByTitle(all, "Hearing loop at the venue");
  EXPECT_EQ(loop.state, TicketState::kDeclined);
  EXPECT_EQ(loop.decline_reason,
            "The venue is not Trust property; the forum has moved to a venue "
            "with a working loop.");
  EXPECT_EQ(loop.declined_on, date(2027, 1, 5));
  EXPECT_EQ(loop.answer, "");

  const Ticket& leaflets = tb_.ByTitle(all, "Leaflets in other languages");
  EXPECT_EQ(leaflets.state, TicketState::kAnswered);  // Archived in Trello.
  EXPECT_EQ(leaflets.themes, std::vector<std::string>{"other"});
  EXPECT_EQ(leaflets.raised_on, date(2026, 8, 4));
  EXPECT_EQ(leaflets.answer, "Leaflets are now in 12 languages.");

  const Ticket& waiting = tb_.ByTitle(all, "Waiting list letters");
  EXPECT_EQ(waiting.area, "surrey-downs");
  EXPECT_EQ(waiting.themes, std::vector<std::string>{"waiting times"});
  EXPECT_EQ(waiting.votes, 2);
  EXPECT_EQ(waiting.details,
            "No letter while on the waiting list \u2013 people feel "
            "forgotten.");

  const Ticket& evening = tb_.ByTitle(all, "Which evening suits carers?");
  EXPECT_EQ(evening.state, TicketState::kWaitingForForum);
  EXPECT_EQ(evening.area, "surrey-wide-evening");
}

TEST_F(TrelloTest, CommentsAndOriginGoToHistory) {
  Import("board.json");
  const std::vector<Ticket> all = tb_.All();
  const Ticket& parking = tb_.ByTitle(all, "Parking at Farnham Road");
  std::vector<std::pair<std::string, std::string>> comments;
  std::string created;
  for (const HistoryEntry& h : tb_.board->History(parking.id)) {
    if (h.field == "comment") comments.emplace_back(h.note, h.new_value);
    if (h.field == "created") created = h.note;
    EXPECT_EQ(h.actor, "facilitator");
  }
  EXPECT_EQ(comments,
            (std::vector<std::pair<std::string, std::string>>{
                {"2026-11-15T13:00:00Z by Jo Facilitator",
                 "Asked Estates for an update."},
                {"2026-12-10T16:20:00Z by Sam Responder",
                 "Trust answer: Six more disabled bays open at Farnham Road in "
                 "March."},
                {"2026-12-12T09:00:00Z by Jo Facilitator",
                 "Thanks, shared with the forum."}}));
  EXPECT_NE(created.find("Trello card 6aec5aa8c2d82584194257b5 in list "
                         "\"Answered\" of board \"FoCUS feedback\" "
                         "(board.json)"),
            std::string::npos)
      << created;

  const Ticket& leaflets = tb_.ByTitle(all, "Leaflets in other languages");
  bool archived = false;
  for (const HistoryEntry& h : tb_.board->History(leaflets.id)) {
    if (h.note.find("archived in Trello") != std::string::npos) archived = true;
  }
  EXPECT_TRUE(archived);
}

TEST_F(TrelloTest, StoresNoVoterOrMemberIds) {
  Import("board.json");
  const nlohmann::json doc = nlohmann::json::parse(Fixture("board.json"));
  std::vector<std::string> ids;
  for (const auto& card : doc["cards"]) {
    for (const auto& id : card["idMembersVoted"]) ids.push_back(id);
  }
  for (const auto& member : doc["members"]) ids.push_back(member["id"]);
  ASSERT_FALSE(ids.empty());
  for (const Ticket& t : tb_.All()) {
    for (const HistoryEntry& h : tb_.board->History(t.id)) {
      const std::string text = h.old_value + h.new_value + h.note + h.actor;
      for (const std::string& id : ids) {
        EXPECT_EQ(text.find(id), std::string::npos) << id << " in " << text;
      }
    }
  }
}

// --- Refused files: exact messages, and nothing written ---------------------

struct BadFile {
  const char* fixture;
  const char* message;
};

class TrelloBadFileTest : public TrelloTest,
                          public ::testing::WithParamInterface<BadFile> {};

TEST_P(TrelloBadFileTest, RefusedWithPathAndNothingWritten) {
  EXPECT_EQ(ImportError(GetParam().fixture), GetParam().message);
  EXPECT_EQ(tb_.All().size(), 0u);
}

INSTANTIATE_TEST_SUITE_P(
    Malformed, TrelloBadFileTest,
    ::testing::Values(
        BadFile{"truncated.json",
                "truncated.json: not valid JSON at byte 4702: invalid string: "
                "missing closing quote"},
        BadFile{"not_object.json",
                "not_object.json: expected a Trello board export (a JSON "
                "object), not array"},
        BadFile{"cards_not_array.json",
                "cards_not_array.json: cards: expected an array"},
        BadFile{"missing_name.json",
                "missing_name.json: cards[1].name: missing (expected a "
                "string)"},
        BadFile{"wrong_type.json",
                "wrong_type.json: cards[2].name: expected a string"},
        BadFile{"bad_list.json",
                "bad_list.json: cards[2].idList: no list with id "
                "'6abf72905775a82f3dc973f6'"},
        BadFile{"unmapped_list.json",
                "unmapped_list.json: lists[2].name: no state for list "
                "\"Ideas\" (1 card): add it to board.trello_lists"},
        BadFile{"no_area.json",
                "no_area.json: cards[2] (\"Parking at Farnham\"): no area: "
                "no label, nor its list \"Raised at forum\", title or "
                "description names one (areas: East Surrey, Northwest Surrey, "
                "Surrey Downs, Guildford & Waverley, Farnham & Northeast "
                "Hants, Surrey-wide evening forum)"},
        BadFile{"identifier.json",
                "identifier.json: cards[1].desc: line 1, column 22: looks "
                "like an NHS number (943 476 5919); tickets are about "
                "services, not people: remove it"},
        BadFile{"identifier_comment.json",
                "identifier_comment.json: actions[0].data.text (a comment on "
                "cards[0]): line 1, column 18: looks like a phone number "
                "(07700 900123); tickets are about services, not people: "
                "remove it"}));

// Found by trello_fuzz: a raw line break in a key on the path of a document
// nested too deep (found before parsing) split the message in two.
TEST_F(TrelloTest, TooDeepShowsItsPathOnOneLine) {
  const std::string text = "{\"cards\": [{\"a\nb\": " + std::string(70, '[') +
                           std::string(70, ']') + "}]}";
  std::string message;
  try {
    ImportTrello(*tb_.board, config_, text, "deep.json", {}, "facilitator");
  } catch (const Error& e) {
    message = e.what();
  }
  std::string path = "cards[0].a\\nb";
  for (int i = 0; i < 61; ++i) path += "[0]";
  EXPECT_EQ(message, "deep.json: " + path +
                         ": nested more than 64 deep; a Trello export is not");
}

// board.json changed by `edit`, for cases too small to need a file.
std::string EditedBoard(const std::function<void(nlohmann::json&)>& edit) {
  nlohmann::json doc = nlohmann::json::parse(Fixture("board.json"));
  edit(doc);
  return doc.dump(2);
}

TEST_F(TrelloTest, RefusesBadFieldsWithTheirPaths) {
  const std::vector<
      std::pair<std::function<void(nlohmann::json&)>, std::string>>
      cases = {
          {[](nlohmann::json& d) { d["cards"][1]["closed"] = "yes"; },
           "board.json: cards[1].closed: expected true or false"},
          {[](nlohmann::json& d) {
             d["cards"][0]["idLabels"][1] = "6abe2368000000000000dead";
           },
           "board.json: cards[0].idLabels[1]: no label with id "
           "'6abe2368000000000000dead'"},
          {[](nlohmann::json& d) { d["cards"][3]["due"] = "next week"; },
           "board.json: cards[3].due: expected a date like "
           "2027-02-01T12:00:00.000Z, not \"next week\""},
          {[](nlohmann::json& d) { d["cards"][5]["idMembersVoted"] = 3; },
           "board.json: cards[5].idMembersVoted: expected an array"},
          {[](nlohmann::json& d) { d["cards"][2]["name"] = "  "; },
           "board.json: cards[2].name: empty (a ticket needs a title)"},
          {[](nlohmann::json& d) { d["lists"][0].erase("id"); },
           "board.json: lists[0].id: missing (expected a string)"},
          {[](nlohmann::json& d) {
             // Both "Surrey Downs" and "East Surrey" on one card.
             d["cards"][6]["idLabels"].push_back(d["labels"][6]["id"]);
           },
           "board.json: cards[6] (\"Waiting list letters\"): labels name "
           "more than one area (Surrey Downs, East Surrey)"},
          {[](nlohmann::json& d) {
             for (auto& a : d["actions"]) {
               if (a["type"] == "commentCard") a["data"].erase("text");
             }
           },
           "board.json: actions[0].data.text: missing (expected a string)"},
      };
  for (const auto& [edit, message] : cases) {
    try {
      ImportTrello(*tb_.board, config_, EditedBoard(edit), "board.json", {},
                   "facilitator");
      ADD_FAILURE() << "no error; expected " << message;
    } catch (const Error& e) {
      EXPECT_EQ(e.what(), message);
    }
  }
  EXPECT_EQ(tb_.All().size(), 0u);
}

TEST_F(TrelloTest, UnknownStateInTheMappingIsAConfigurationError) {
  config_.board.trello_lists["Parked"] = "parked";
  EXPECT_EQ(ImportError("board.json"),
            "board.trello_lists: list \"Parked\" maps to unknown state "
            "\"parked\" (states: raised, sent-to-trust, in-progress, "
            "waiting-for-forum, escalated, answered, closed, declined, "
            "merged)");
}

TEST_F(TrelloTest, AnswerAndReasonComments) {
  const std::string text = EditedBoard([](nlohmann::json& d) {
    for (auto& a : d["actions"]) {
      if (a["type"] != "commentCard") continue;
      std::string t = a["data"]["text"];
      // No answer on "Parking at Farnham Road"; the declined card's reason
      // written as an answer.
      if (t.rfind("Trust answer: Six", 0) == 0) a["data"]["text"] = "Six.";
      if (t.rfind("Declined: ", 0) == 0) {
        a["data"]["text"] = "  trust ANSWER:  " + t.substr(10);
      }
    }
  });
  TrelloImportResult r =
      ImportTrello(*tb_.board, config_, text, "board.json", {}, "facilitator");
  ASSERT_EQ(r.warnings.size(), 3u);
  EXPECT_EQ(r.warnings[1].kind, "no-answer");
  EXPECT_EQ(r.warnings[1].text,
            "cards[2] (\"Parking at Farnham Road\"): in list \"Answered\" "
            "(answered) but no comment starts with \"Trust answer:\" or "
            "\"Answer:\"; imported as sent-to-trust, waiting for a published "
            "answer");
  const std::vector<Ticket> all = tb_.All();
  const Ticket& parking = tb_.ByTitle(all, "Parking at Farnham Road");
  EXPECT_EQ(parking.state, TicketState::kSentToTrust);
  EXPECT_EQ(parking.answer, "");
  const Ticket& loop = tb_.ByTitle(all, "Hearing loop at the venue");
  EXPECT_EQ(loop.decline_reason,
            "The venue is not Trust property; the forum has moved to a venue "
            "with a working loop.");
  EXPECT_EQ(loop.answer, "");
}

TEST_F(TrelloTest, IdentifiersImportWithOverride) {
  TrelloImportOptions allow;
  allow.allow_identifiers = true;
  EXPECT_EQ(Import("identifier.json", allow).cards, 3);
  EXPECT_EQ(Import("identifier_comment.json", allow).comments, 1);
  EXPECT_EQ(tb_.All().size(), 6u);
}

TEST_F(TrelloTest, OverridesAreRecordedInTheHistory) {
  TrelloImportOptions allow;
  allow.allow_identifiers = true;
  Import("identifier.json", allow);
  const std::vector<Ticket> all = tb_.All();
  const Ticket& signs = tb_.ByTitle(all, "Signs to the clinic");
  std::vector<std::string> overrides;
  for (const HistoryEntry& e : tb_.board->History(signs.id)) {
    if (e.field == "screening-override") overrides.push_back(e.new_value);
  }
  EXPECT_EQ(overrides, std::vector<std::string>{"details: NHS number"});
}

TEST_F(TrelloTest, RaisedOnIsTheLondonDateOfTheCardId) {
  // The id's first 8 hex digits are its creation time. Near midnight UTC
  // the London date depends on summer time, and moments in different UTC
  // hours of one UTC day can fall on different London dates.
  auto raised = [&](const std::string& first_id, const std::string& second_id) {
    TestBoard tb(config_, date(2027, 3, 1));
    const std::string text = EditedBoard([&](nlohmann::json& d) {
      // Without their createCard actions, which would say when instead.
      nlohmann::json kept = nlohmann::json::array();
      for (const nlohmann::json& a : d["actions"]) {
        if (a["type"] == "createCard" &&
            (a["data"]["card"]["id"] == d["cards"][0]["id"] ||
             a["data"]["card"]["id"] == d["cards"][6]["id"])) {
          continue;
        }
        kept.push_back(a);
      }
      d["actions"] = kept;
      d["cards"][0]["id"] = first_id;   // Crisis line rings out at night.
      d["cards"][6]["id"] = second_id;  // Waiting list letters.
    });
    ImportTrello(*tb.board, config_, text, "board.json", {}, "facilitator");
    const std::vector<Ticket> all = tb.All();
    return std::make_pair(
        tb.ByTitle(all, "Crisis line rings out at night").raised_on,
        tb.ByTitle(all, "Waiting list letters").raised_on);
  };
  // 2026-07-01T23:30:00Z (00:30 BST) and 2026-07-01T22:59:59Z (23:59:59
  // BST).
  EXPECT_EQ(raised("6a45a2f80000000000000001", "6a459bef0000000000000002"),
            std::make_pair(Date(2026, 7, 2), Date(2026, 7, 1)));
  // 2026-10-24T23:30:00Z (00:30 BST, the night summer time ends) and
  // 2026-12-01T23:59:59Z (GMT).
  EXPECT_EQ(raised("6add3f780000000000000001", "6b0f5f7f0000000000000002"),
            std::make_pair(Date(2026, 10, 25), Date(2026, 12, 1)));
}

TEST_F(TrelloTest, NotJsonAtAll) {
  try {
    ImportTrello(*tb_.board, config_, "", "empty.json", {}, "facilitator");
    FAIL();
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(),
                 "empty.json: not valid JSON at byte 1: unexpected end of "
                 "input; expected '[', '{', or a literal");
  }
}

// Found by the Trello fuzzer: nlohmann reports a number too large for a
// double as out_of_range, which escaped as an internal error (status 70).
TEST_F(TrelloTest, NumberTooLargeIsInvalidJson) {
  try {
    ImportTrello(*tb_.board, config_, "{\"cards\": [1e999]}", "big.json", {},
                 "facilitator");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kInvalidInput);
    EXPECT_STREQ(e.what(),
                 "big.json: not valid JSON: number overflow parsing '1e999'");
  }
  EXPECT_EQ(tb_.All().size(), 0u);
}

// How the import reads a document: of a key given twice the last counts,
// null counts as absent, and a document that is not an object is named by
// its type.
TEST_F(TrelloTest, ReadsTheDocumentAsNlohmannJsonDoes) {
  std::string text = EditedBoard([](nlohmann::json& d) {
    d["cards"][0]["name"] = "FIRST-NAME";
    d["cards"][1]["closed"] = "SECOND-CLOSED";
  });
  auto replace = [&](const std::string& from, const std::string& to) {
    const size_t at = text.find(from);
    ASSERT_NE(at, std::string::npos) << from;
    text.replace(at, from.size(), to);
  };
  replace("\"name\": \"FIRST-NAME\"",
          "\"name\": \"Overwritten\", \"name\": \"Leaflets, second "
          "name\"");
  replace("\"closed\": \"SECOND-CLOSED\"",
          "\"closed\": \"not a boolean\", \"closed\": null");
  ImportTrello(*tb_.board, config_, text, "board.json", {}, "facilitator");
  const std::vector<Ticket> all = tb_.All();
  ASSERT_FALSE(all.empty());
  EXPECT_EQ(all[0].title, "Leaflets, second name");

  for (const auto& [doc, type] :
       std::vector<std::pair<std::string, std::string>>{{"[]", "array"},
                                                        {"3.5", "number"},
                                                        {"\"x\"", "string"},
                                                        {"null", "null"},
                                                        {"true", "boolean"}}) {
    try {
      ImportTrello(*tb_.board, config_, doc, "x.json", {}, "facilitator");
      ADD_FAILURE() << doc;
    } catch (const Error& e) {
      EXPECT_EQ(e.what(),
                "x.json: expected a Trello board export (a JSON "
                "object), not " +
                    type);
    }
  }
  try {
    ImportTrello(*tb_.board, config_, "{\"lists\": []} {", "x.json", {},
                 "facilitator");
    ADD_FAILURE();
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(),
                 "x.json: not valid JSON at byte 15: unexpected '{'; expected "
                 "end of input");
  }
}

// Trello writes "actions" before "cards", and "cards" before "lists": the
// import reads the board whatever the order of its keys.
TEST_F(TrelloTest, ReadsTheBoardsKeysInAnyOrder) {
  Import("board.json");
  const std::vector<Ticket> want = tb_.All();
  const nlohmann::json doc = nlohmann::json::parse(Fixture("board.json"));
  nlohmann::ordered_json trellos_order;
  for (const char* key :
       {"id", "name", "actions", "cards", "checklists", "labels", "lists",
        "members", "desc", "closed", "url"}) {
    if (doc.contains(key)) trellos_order[key] = doc[key];
  }
  ASSERT_EQ(trellos_order.size(), doc.size());
  TestBoard other(config_, date(2027, 3, 1));
  ImportTrello(*other.board, config_, trellos_order.dump(), "board.json", {},
               "facilitator");
  const std::vector<Ticket> got = other.All();
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < want.size(); ++i) {
    EXPECT_EQ(got[i].title, want[i].title);
    EXPECT_EQ(got[i].state, want[i].state);
    EXPECT_EQ(got[i].raised_on, want[i].raised_on);
    EXPECT_EQ(got[i].votes, want[i].votes);
    EXPECT_EQ(got[i].answer, want[i].answer);
    EXPECT_EQ(got[i].sent_on, want[i].sent_on);
  }
}

// An array the import reads element by element cannot be given twice.
TEST_F(TrelloTest, RefusesAnArrayGivenTwice) {
  std::string text = Fixture("board.json");
  text.insert(text.rfind('}'), ", \"cards\": []");
  try {
    ImportTrello(*tb_.board, config_, text, "x.json", {}, "facilitator");
    ADD_FAILURE();
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(),
                 "x.json: cards: given twice; a Trello export has it once");
  }
  EXPECT_TRUE(tb_.All().empty());
}

// board.json with `n` more comments on its cards: over a megabyte, so
// that its parse is shared between two threads (see trello_json.h).
std::string LargeBoard(int n) {
  nlohmann::json doc = nlohmann::json::parse(Fixture("board.json"));
  const nlohmann::json cards = doc["cards"];
  const nlohmann::json comment = doc["actions"][0];
  for (int i = 0; i < n; ++i) {
    nlohmann::json a = comment;
    a["id"] = "c" + std::to_string(i);
    a["data"]["card"]["id"] = cards[i % cards.size()]["id"];
    a["data"]["text"] = "Comment " + std::to_string(i) + std::string(60, '.');
    doc["actions"].push_back(a);
  }
  return doc.dump(1);
}

// The same board with its "actions" key spelled with an escape: read the
// same, but by one thread.
std::string Unshared(std::string text) {
  const size_t at = text.find("\"actions\":");
  text.replace(at, 9, "\"act\\u0069ons\"");
  return text;
}

TEST_F(TrelloTest, ALargeBoardReadsAlikeOnOneThreadOrTwo) {
  const std::string text = LargeBoard(8000);
  ASSERT_GT(text.size(), size_t{1} << 20);
  TrelloImportOptions options;
  options.clock = &tb_.clock;
  EXPECT_EQ(
      RenderTrelloPlanJson(PlanTrelloImport(config_, text, "b.json", options)),
      RenderTrelloPlanJson(
          PlanTrelloImport(config_, Unshared(text), "b.json", options)));
  TestBoard lone(config_, date(2027, 3, 1));
  const TrelloImportResult two =
      ImportTrello(*tb_.board, config_, text, "b.json", {}, "facilitator");
  ImportTrello(*lone.board, config_, Unshared(text), "b.json", {},
               "facilitator");
  EXPECT_EQ(two.comments,
            PlanTrelloImport(config_, Fixture("board.json"), "b.json", options)
                    .comments +
                8000);
  EXPECT_EQ(testing::Dump(tb_.database.name()),
            testing::Dump(lone.database.name()));
}

// Two threads read a large board, but the error named is the first in the
// file, with its byte counted from the file's start, as one thread names it.
TEST_F(TrelloTest, ALargeBoardsErrorIsTheFirstInTheFile) {
  const std::string text = LargeBoard(8000);
  struct Case {
    std::string text;
    std::string message;
  };
  std::vector<Case> cases;
  // A late comment (the second thread's share) that is not valid JSON.
  std::string bad_json = text;
  const size_t late = bad_json.find("\"c7990\"");
  bad_json.insert(late, "}");
  cases.push_back({bad_json, "b.json: not valid JSON at byte " +
                                 std::to_string(late + 1) +
                                 ": unexpected '}'; expected '[', '{', or a "
                                 "literal"});
  // A late comment without its text (the second thread's), and then an
  // early one too (this thread's).
  nlohmann::json doc = nlohmann::json::parse(text);
  doc["actions"][7990]["data"].erase("text");
  cases.push_back({doc.dump(1),
                   "b.json: actions[7990].data.text: missing (expected a "
                   "string)"});
  doc["actions"][25]["data"].erase("text");
  cases.push_back({doc.dump(1),
                   "b.json: actions[25].data.text: missing (expected a "
                   "string)"});
  for (const Case& c : cases) {
    try {
      ImportTrello(*tb_.board, config_, c.text, "b.json", {}, "facilitator");
      ADD_FAILURE() << c.message;
    } catch (const Error& e) {
      EXPECT_EQ(e.what(), c.message);
    }
  }
  EXPECT_TRUE(tb_.All().empty());
}

TEST_F(TrelloTest, NoThemeWithoutOtherIsAnError) {
  config_.board.themes = {"access", "carers"};
  EXPECT_EQ(ImportError("board.json"),
            "board.json: cards[0] (\"Crisis line rings out at night\"): no "
            "label names a theme (themes: access, carers) (and 3 more "
            "problems)");
  EXPECT_EQ(tb_.All().size(), 0u);
}

TEST_F(TrelloTest, NoTeamWithoutDefaultIsAnError) {
  config_.board.default_team = "";
  EXPECT_EQ(ImportError("board.json"),
            "board.json: cards[1] (\"Appointment letters arrive late\"): no "
            "label names a team and board.default_team is not set (teams: "
            "Community Mental Health Team, Crisis Line, Estates, Patient "
            "Experience) (and 1 more problem)");
}

TEST_F(TrelloTest, BoardRefusalNamesFileAndCardAndWritesNothing) {
  // Today is before the cards were raised: the board refuses cards[0], so
  // no card is written.
  tb_.SetToday(date(2026, 11, 1));
  EXPECT_EQ(ImportError("board.json"),
            "board.json: cards[0]: raised on 2026-11-03 is in the future "
            "(today is 2026-11-01)");
  EXPECT_EQ(tb_.All().size(), 0u);
}

// The board writes each ticket while the next cards are mapped: a problem
// in the last card still leaves nothing written, and is told before the
// board's refusal of the first, as when every card was mapped first.
TEST_F(TrelloTest, AProblemInTheLastCardComesFirstAndWritesNothing) {
  const std::string text = EditedBoard([](nlohmann::json& doc) {
    nlohmann::json& last = doc["cards"].back();
    last["name"] = "Nowhere in particular";
    last["desc"] = "";
    last["idLabels"] = nlohmann::json::array();
    last["labels"] = nlohmann::json::array();
  });
  TrelloImportOptions options;
  options.clock = &tb_.clock;
  const TrelloImportPlan plan =
      PlanTrelloImport(config_, text, "b.json", options);
  ASSERT_EQ(plan.problems.size(), 1u);
  EXPECT_EQ(plan.problems[0].kind, "no-area");
  for (Date today : {date(2027, 3, 1), date(2026, 11, 1)}) {
    tb_.SetToday(today);
    try {
      ImportTrello(*tb_.board, config_, text, "b.json", {}, "facilitator");
      ADD_FAILURE() << "imported";
    } catch (const Error& e) {
      EXPECT_EQ(e.what(), "b.json: " + plan.problems[0].text);
    }
    EXPECT_TRUE(tb_.All().empty());
  }
}

// --- Export and the round trip ----------------------------------------------

// Tickets in several states, made through the board's own operations on
// different days.
void FillBoard(TestBoard& tb) {
  Board& b = *tb.board;
  auto add = [&](const std::string& title, const std::string& details,
                 const std::string& area, std::vector<std::string> themes,
                 const std::string& team, int raised_by) {
    NewTicket t;
    t.title = title;
    t.details = details;
    t.area = area;
    t.themes = std::move(themes);
    t.team = team;
    t.raised_by = raised_by;
    return b.AddTicket(t, "facilitator");
  };
  tb.SetToday(date(2027, 1, 11));
  const int64_t crisis =
      add("Crisis line rings out at night", "Calls after 2am ring out.",
          "northwest-surrey", {"crisis care", "access"}, "Crisis Line", 3);
  const int64_t parking = add(
      "Parking at Farnham Road", "Too few bays.\n\n\"Disabled\" bays, that is.",
      "Farnham & Northeast Hants", {"access"}, "Estates", 1);
  const int64_t cafe =
      add("Guildford & Waverley \u2013 caf\u00e9 hours", "",
          "guildford-waverley", {"other"}, "Patient Experience", 1);
  const int64_t loop = add("Hearing loop at the venue", "It did not work.",
                           "surrey-downs", {"access"}, "Estates", 2);
  const int64_t repeat = add("Crisis line busy", "Raised again.", "east-surrey",
                             {"crisis care"}, "Crisis Line", 1);
  const int64_t carers =
      add("Carers not told about discharge", "", "guildford-waverley",
          {"carers", "discharge"}, "Community Mental Health Team", 1);
  add("Evening times", "Which evening suits?", "surrey-wide-evening",
      {"communication"}, "Patient Experience", 1);
  tb.SetToday(date(2027, 1, 13));
  b.AddVotes(crisis, 2, std::nullopt, "raised again", "facilitator");
  b.Merge(repeat, crisis, "facilitator");
  for (int64_t id : {parking, loop, carers, cafe}) {
    b.Move(id, TicketState::kSentToTrust, "", "facilitator");
  }
  tb.SetToday(date(2027, 1, 20));
  b.Answer(parking, "Six more bays in March.", "Estates lead", false, false,
           "facilitator");
  b.Answer(carers, "A checklist is on the way.", "CMHT manager", true, false,
           "facilitator");
  b.Move(loop, TicketState::kDeclined, "Not Trust property; forum moved.",
         "facilitator");
  b.Move(cafe, TicketState::kEscalated, "", "facilitator");
  tb.SetToday(date(2027, 2, 1));
  b.Move(parking, TicketState::kClosed, "", "facilitator");
}

// Every ticket, merged repeats too, under the same number.
void ExpectSameTickets(const std::vector<Ticket>& want,
                       const std::vector<Ticket>& got) {
  ASSERT_EQ(want.size(), got.size());
  for (size_t i = 0; i < want.size(); ++i) {
    const Ticket& a = want[i];
    const Ticket& b = got[i];
    SCOPED_TRACE(a.title);
    EXPECT_EQ(a.id, b.id);
    EXPECT_EQ(a.merged_into, b.merged_into);
    EXPECT_EQ(a.paused_since, b.paused_since);
    EXPECT_EQ(a.paused_working_days, b.paused_working_days);
    EXPECT_EQ(a.forum_id, b.forum_id);
    EXPECT_EQ(a.forum_ids, b.forum_ids);
    EXPECT_EQ(a.title, b.title);
    EXPECT_EQ(a.details, b.details);
    EXPECT_EQ(a.area, b.area);
    EXPECT_EQ(a.themes, b.themes);
    EXPECT_EQ(a.team, b.team);
    EXPECT_EQ(a.state, b.state);
    EXPECT_EQ(a.votes, b.votes);
    EXPECT_EQ(a.raised_on, b.raised_on);
    EXPECT_EQ(a.answer, b.answer);
    EXPECT_EQ(a.answered_by, b.answered_by);
    EXPECT_EQ(a.answered_on, b.answered_on);
    EXPECT_EQ(a.decline_reason, b.decline_reason);
    EXPECT_EQ(a.declined_on, b.declined_on);
    EXPECT_EQ(a.sent_on, b.sent_on);
  }
}

// Every ticket's history (entry ids, times, who, what) and vote rows are as
// recorded on `want_board`.
void ExpectSameHistory(const Board& want_board, const Board& got_board,
                       const std::vector<Ticket>& tickets) {
  for (const Ticket& t : tickets) {
    SCOPED_TRACE("#" + std::to_string(t.id));
    const std::vector<HistoryEntry> want = want_board.History(t.id);
    const std::vector<HistoryEntry> got = got_board.History(t.id);
    ASSERT_EQ(want.size(), got.size());
    for (size_t i = 0; i < want.size(); ++i) {
      EXPECT_EQ(want[i].id, got[i].id);
      EXPECT_EQ(want[i].ticket_id, got[i].ticket_id);
      EXPECT_EQ(want[i].at, got[i].at);
      EXPECT_EQ(want[i].actor, got[i].actor);
      EXPECT_EQ(want[i].field, got[i].field);
      EXPECT_EQ(want[i].old_value, got[i].old_value);
      EXPECT_EQ(want[i].new_value, got[i].new_value);
      EXPECT_EQ(want[i].note, got[i].note);
    }
    const std::vector<VoteRecord> want_votes = want_board.Votes(t.id);
    const std::vector<VoteRecord> got_votes = got_board.Votes(t.id);
    ASSERT_EQ(want_votes.size(), got_votes.size());
    for (size_t i = 0; i < want_votes.size(); ++i) {
      EXPECT_EQ(want_votes[i].forum_id, got_votes[i].forum_id);
      EXPECT_EQ(want_votes[i].count, got_votes[i].count);
      EXPECT_EQ(want_votes[i].note, got_votes[i].note);
      EXPECT_EQ(want_votes[i].at, got_votes[i].at);
      EXPECT_EQ(want_votes[i].actor, got_votes[i].actor);
    }
  }
}

TEST_F(TrelloTest, RoundTripReproducesEveryLiveTicket) {
  FillBoard(tb_);
  const std::string exported = ExportTrello(*tb_.board, config_);
  EXPECT_EQ(exported, ExportTrello(*tb_.board, config_));  // Deterministic.

  TestBoard fresh(config_, date(2027, 3, 1));
  TrelloImportResult r = ImportTrello(*fresh.board, config_, exported,
                                      "export.json", {}, "facilitator");
  EXPECT_EQ(r.cards, 7);
  EXPECT_EQ(Texts(r.warnings), std::vector<std::string>{});
  ExpectSameTickets(tb_.All(), fresh.All());
  ExpectSameHistory(*tb_.board, *fresh.board, tb_.All());
  // And again: the re-imported board exports to the same bytes.
  EXPECT_EQ(ExportTrello(*fresh.board, config_), exported);
  TestBoard third(config_, date(2027, 3, 1));
  ImportTrello(*third.board, config_, ExportTrello(*fresh.board, config_),
               "again.json", {}, "facilitator");
  ExpectSameTickets(fresh.All(), third.All());
  ExpectSameHistory(*tb_.board, *third.board, tb_.All());
}

void ExpectSameForums(const Board& want_board, const Board& got_board) {
  const std::vector<ForumRecord> want = want_board.Forums();
  const std::vector<ForumRecord> got = got_board.Forums();
  ASSERT_EQ(want.size(), got.size());
  for (size_t i = 0; i < want.size(); ++i) {
    const ForumRecord& a = want[i];
    const ForumRecord& b = got[i];
    SCOPED_TRACE(a.title);
    EXPECT_EQ(a.id, b.id);
    EXPECT_EQ(a.plan_id, b.plan_id);
    EXPECT_EQ(a.area, b.area);
    EXPECT_EQ(a.held_on, b.held_on);
    EXPECT_EQ(a.format, b.format);
    EXPECT_EQ(a.title, b.title);
    EXPECT_EQ(a.attendance.service_users, b.attendance.service_users);
    EXPECT_EQ(a.attendance.carers, b.attendance.carers);
    EXPECT_EQ(a.attendance.trust_staff, b.attendance.trust_staff);
    EXPECT_EQ(a.attendance.governors, b.attendance.governors);
    EXPECT_EQ(a.attendance.others, b.attendance.others);
    EXPECT_EQ(a.apologies, b.apologies);
  }
}

// The focus data of card `i` of an export, changed by `edit`.
void EditFocusData(nlohmann::json& doc, size_t i,
                   const std::function<void(nlohmann::json&)>& edit) {
  nlohmann::json& entry = doc["cards"][i]["pluginData"][0];
  nlohmann::json data =
      nlohmann::json::parse(entry["value"].get<std::string>());
  edit(data);
  entry["value"] = data.dump();
}

TEST_F(TrelloTest, RefusesFocusDataThatDoesNotAddUp) {
  FillBoard(tb_);
  const nlohmann::json exported =
      nlohmann::json::parse(ExportTrello(*tb_.board, config_));
  ASSERT_EQ(exported["cards"][4]["name"], "Crisis line busy");
  // Sets `key` of card `card`'s focus data to `value`.
  auto focus_field = [](size_t card, const char* key, nlohmann::json value) {
    return [=](nlohmann::json& d) {
      EditFocusData(d, card, [&](nlohmann::json& f) { f[key] = value; });
    };
  };
  // The file's forums: one of East Surrey with `fields` besides.
  auto one_forum = [](const std::string& fields) {
    return [fields](nlohmann::json& d) {
      d["pluginData"] = {
          {{"idPlugin", "focus"},
           {"value", R"({"forums": [{"id": 1, "area": "east-surrey", )" +
                         fields + "}]}"}}};
    };
  };
  const std::vector<
      std::pair<std::function<void(nlohmann::json&)>, std::string>>
      cases = {
          {focus_field(1, "ticket", 1),
           "export.json: cards[1].pluginData[0].value: ticket: #1 is also "
           "cards[0]"},
          {focus_field(4, "votes", 0),
           "export.json: cards[4].pluginData[0].value: votes: expected a "
           "whole number from 1 to 1073741824"},
          {focus_field(0, "paused_since", 7),
           "export.json: cards[0].pluginData[0].value: paused_since: "
           "expected a date, YYYY-MM-DD"},
          {[](nlohmann::json& d) { d["cards"].erase(0); },
           "export.json: cards[3] (\"Crisis line busy\"): merged into #1, "
           "which no card in the file is"},
          {focus_field(4, "merged_into", 5),
           "export.json: cards[4]: merged into a ticket merged back into it"},
          {focus_field(0, "forum", 9),
           "export.json: cards[0] (\"Crisis line rings out at night\"): "
           "names forum #9, which the file's focus data does not record"},
          {[](nlohmann::json& d) {
             d["pluginData"] = {
                 {{"idPlugin", "focus"},
                  {"value", R"({"forums": [{"id": 1, "held_on": "soon"}]})"}}};
           },
           "export.json: pluginData[0].value: forums[0]: held_on: expected a "
           "date, YYYY-MM-DD"},
          {one_forum(R"("held_on": "2027-12-01")"),
           "export.json: forum 1: a forum is recorded after it is held: "
           "2027-12-01 is in the future (today is 2027-03-01)"},
          {focus_field(0, "verdicts",
                       {{1, 1, "agreed", "", "2027-01-05",
                         "2027-01-06T12:00:00Z", "facilitator"}}),
           "export.json: cards[0].pluginData[0].value: verdicts[0]: expected "
           "[id, forum number, \"confirmed\", \"not-yet\" or \"disputed\", "
           "note, answered on YYYY-MM-DD, time, actor]"},
          {focus_field(0, "verdicts",
                       {{1, 9, "confirmed", "", "2027-01-05",
                         "2027-01-06T12:00:00Z", "facilitator"}}),
           "export.json: cards[0] (\"Crisis line rings out at night\"): "
           "names forum #9, which the file's focus data does not record"},
          {focus_field(0, "reopened_on", "2027-02-30"),
           "export.json: cards[0].pluginData[0].value: reopened_on: expected "
           "a date, YYYY-MM-DD"},
          {focus_field(
               0, "vote_rows",
               {{nullptr, 1, "2027-01-06T12:00:00Z", "facilitator", "", 0}}),
           "export.json: cards[0].pluginData[0].value: vote_rows[0]: expected "
           "[forum number or null, count, time, actor, note, id]"},
          {one_forum(
               R"("held_on": "2027-01-04", "recorded_at": "2027-01-03T12:00:00Z")"),
           "export.json: forum 1: recorded at 2027-01-03T12:00:00Z, before it "
           "was held on 2027-01-04"},
          {one_forum(
               R"("held_on": "2027-01-04", "recorded_at": "2027-03-02T12:00:00Z")"),
           "export.json: forum 1: recorded at 2027-03-02T12:00:00Z, in the "
           "future (it is 2027-03-01T12:00:00Z)"},
          {one_forum(R"("held_on": "2027-01-04", "recorded_at": "soon")"),
           "export.json: forum 1: recorded_at: expected a time, "
           "YYYY-MM-DDTHH:MM:SSZ, not \"soon\""},
      };
  for (const auto& [edit, message] : cases) {
    nlohmann::json doc = exported;
    edit(doc);
    TestBoard fresh(config_, date(2027, 3, 1));
    try {
      ImportTrello(*fresh.board, config_, doc.dump(), "export.json", {},
                   "facilitator");
      ADD_FAILURE() << "no error; expected " << message;
    } catch (const Error& e) {
      EXPECT_EQ(e.what(), message);
    }
    EXPECT_EQ(fresh.All().size(), 0u);
  }
}

TEST_F(TrelloTest, RoundTripKeepsRepeatsForumsAndPauses) {
  Board& b = *tb_.board;
  tb_.SetToday(date(2027, 1, 11));
  ForumRecord forum;
  forum.area = "east-surrey";
  forum.plan_id = "2027-r1-east-surrey";
  forum.held_on = date(2027, 1, 8);
  forum.attendance.service_users = 4;
  const int64_t at = b.RecordForum(forum, "facilitator");
  auto add = [&](const std::string& title, std::optional<int64_t> forum_id) {
    NewTicket t;
    t.title = title;
    t.area = "east-surrey";
    t.themes = {"access"};
    t.team = "Estates";
    t.forum_id = forum_id;
    return b.AddTicket(t, "facilitator");
  };
  const int64_t repeat = add("Lift broken again", std::nullopt);  // #1
  const int64_t lift = add("Lift broken", at);                    // #2
  const int64_t middle = add("Lift out of order", std::nullopt);  // #3
  const int64_t open = add("Ramp too steep", std::nullopt);
  const int64_t closed = add("Door too heavy", std::nullopt);
  b.AddVotes(repeat, 2, at, "", "facilitator");
  // A chain: #1 into #3, then #3 into #2, a survivor with a lower number.
  b.Merge(repeat, middle, "facilitator");
  b.Merge(middle, lift, "facilitator");
  for (int64_t id : {open, closed}) {
    b.Move(id, TicketState::kSentToTrust, "", "facilitator");
    b.Move(id, TicketState::kWaitingForForum, "", "facilitator");
  }
  tb_.SetToday(date(2027, 1, 18));
  b.Move(closed, TicketState::kSentToTrust, "", "facilitator");

  TestBoard fresh(config_, date(2027, 3, 1));
  TrelloImportResult r =
      ImportTrello(*fresh.board, config_, ExportTrello(b, config_),
                   "export.json", {}, "facilitator");
  EXPECT_EQ(r.cards, 5);
  const std::vector<Ticket> got = fresh.All();
  ExpectSameTickets(tb_.All(), got);
  ExpectSameForums(b, *fresh.board);
  ExpectSameHistory(b, *fresh.board, got);
  ASSERT_EQ(got.size(), 5u);
  EXPECT_EQ(got[0].merged_into, middle);
  EXPECT_EQ(got[2].merged_into, lift);
  EXPECT_EQ(got[1].votes, 5);  // 1 + (1 + 2 votes at the forum) + 1.
  EXPECT_EQ(got[1].forum_ids, std::vector<int64_t>{at});
  EXPECT_EQ(got[3].paused_since, date(2027, 1, 11));
  EXPECT_GT(got[4].paused_working_days, 0);
}

TEST_F(TrelloTest, RoundTripWithoutListMapping) {
  // States without a mapped list are exported under their labels, which an
  // import understands without a mapping.
  config_.board.trello_lists.clear();
  FillBoard(tb_);
  TestBoard fresh(config_, date(2027, 3, 1));
  ImportTrello(*fresh.board, config_, ExportTrello(*tb_.board, config_),
               "export.json", {}, "facilitator");
  ExpectSameTickets(tb_.All(), fresh.All());
}

TEST_F(TrelloTest, RoundTripWithTheDefaultListMapping) {
  // The shipped mapping names a list "You said, we did" for closed, which is
  // also the label of answered: the mapping wins both ways.
  config_.board.trello_lists =
      ParseConfig(EmbeddedDefaultConfig(), "test").board.trello_lists;
  FillBoard(tb_);
  TestBoard fresh(config_, date(2027, 3, 1));
  ImportTrello(*fresh.board, config_, ExportTrello(*tb_.board, config_),
               "export.json", {}, "facilitator");
  ExpectSameTickets(tb_.All(), fresh.All());
}

TEST_F(TrelloTest, RoundTripOfTheFixtureBoard) {
  Import("board.json");
  TestBoard fresh(config_, date(2027, 3, 1));
  const std::string exported = ExportTrello(*tb_.board, config_);
  ImportTrello(*fresh.board, config_, exported, "export.json", {},
               "facilitator");
  ExpectSameTickets(tb_.All(), fresh.All());
  ExpectSameHistory(*tb_.board, *fresh.board, tb_.All());
  EXPECT_EQ(ExportTrello(*fresh.board, config_), exported);
}

// A focus export keeps its ticket and forum numbers (its history names
// them): into a board that has one of them it is refused, nothing written;
// a Trello board's cards take the numbers after the board's.
TEST_F(TrelloTest, NumbersOnABoardWithTickets) {
  FillBoard(tb_);
  const std::string exported = ExportTrello(*tb_.board, config_);
  TestBoard other(config_, date(2027, 3, 1));
  NewTicket t;
  t.title = "Already here";
  t.area = "east-surrey";
  t.themes = {"access"};
  t.team = "Estates";
  other.board->AddTicket(t, "facilitator");
  try {
    ImportTrello(*other.board, config_, exported, "export.json", {},
                 "facilitator");
    ADD_FAILURE() << "imported over ticket #1";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kConflict);
    EXPECT_EQ(std::string(e.what()),
              "export.json: cards[0]: ticket #1 is already on this board; a "
              "focus export keeps its ticket numbers (its history names "
              "them), so import it into a board without them");
  }
  EXPECT_EQ(other.All().size(), 1u);

  Import("board.json");  // After FillBoard's 7 tickets.
  const std::vector<Ticket> all = tb_.All();
  ASSERT_GT(all.size(), 8u);
  EXPECT_EQ(all[7].id, 8);
  EXPECT_EQ(all.back().id, static_cast<int64_t>(all.size()));
}

TEST_F(TrelloTest, ForumNumbersAreKept) {
  ForumRecord forum;
  forum.area = "east-surrey";
  forum.held_on = date(2027, 1, 8);
  TestBoard other(config_, date(2027, 3, 1));
  other.board->RecordForum(forum, "facilitator");
  tb_.board->RecordForum(forum, "facilitator");
  try {
    ImportTrello(*other.board, config_, ExportTrello(*tb_.board, config_),
                 "export.json", {}, "facilitator");
    ADD_FAILURE() << "imported over forum #1";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()),
              "export.json: forum 1: forum #1 is already on this board; a "
              "focus export keeps its forum numbers, so import it into a "
              "board without them");
  }
  EXPECT_EQ(other.board->Forums().size(), 1u);
}

TEST_F(TrelloTest, ExportShape) {
  FillBoard(tb_);
  const nlohmann::json doc =
      nlohmann::json::parse(ExportTrello(*tb_.board, config_));
  std::vector<std::string> lists;
  for (const auto& l : doc["lists"]) lists.push_back(l["name"]);
  EXPECT_EQ(lists,
            (std::vector<std::string>{
                "Raised at forum", "Sent to Trust", "Trust working on it",
                "Asked the forum", "Escalated to the Development Group",
                "Answered", "Done", "Declined", "Merged into another ticket"}));
  std::map<std::string, nlohmann::json> labels;
  for (const auto& l : doc["labels"]) {
    EXPECT_EQ(l["id"].get<std::string>().size(), 24u);
    labels[l["name"]] = l;
  }
  EXPECT_EQ(labels.count("access"), 1u);
  EXPECT_EQ(labels.count("Guildford & Waverley"), 1u);
  EXPECT_EQ(labels.count("Estates"), 1u);

  ASSERT_EQ(doc["cards"].size(), 7u);
  const auto& crisis = doc["cards"][0];
  EXPECT_EQ(crisis["name"], "Crisis line rings out at night");
  EXPECT_EQ(crisis["closed"], false);
  // 3 raised it, 2 voted later, 1 merged in: 6 votes, the card's creator
  // being the first.
  ASSERT_EQ(crisis["idMembersVoted"].size(), 5u);
  std::set<std::string> voters(crisis["idMembersVoted"].begin(),
                               crisis["idMembersVoted"].end());
  EXPECT_EQ(voters.size(), 5u);
  EXPECT_EQ(doc["members"].size(), 0u);
  EXPECT_EQ(crisis["idMembers"].size(), 0u);

  const auto& merged = doc["cards"][4];
  EXPECT_EQ(merged["name"], "Crisis line busy");
  EXPECT_EQ(merged["closed"], true);
  EXPECT_EQ(merged["idMembersVoted"].size(), 0u);
  EXPECT_EQ(merged["desc"],
            "Raised again.\n\n---\n**Merged into #1** \"Crisis line rings out "
            "at night\": its votes are counted there.");

  const auto& parking = doc["cards"][1];
  EXPECT_EQ(parking["desc"],
            "Too few bays.\n\n\"Disabled\" bays, that is.\n\n---\n**Trust "
            "answer** (2027-01-20, Estates lead): Six more bays in March.");
  bool answer_comment = false;
  for (const auto& a : doc["actions"]) {
    if (a["type"] == "commentCard" &&
        a["data"]["card"]["id"] == parking["id"]) {
      EXPECT_EQ(a["data"]["text"], "Trust answer: Six more bays in March.");
      EXPECT_EQ(a["date"], "2027-01-20T12:00:00.000Z");
      EXPECT_EQ(a["memberCreator"]["fullName"], "Estates lead");
      answer_comment = true;
    }
  }
  EXPECT_TRUE(answer_comment);
}

// --- CSV
// -----------------------------------------------------------------------

TEST_F(TrelloTest, CsvExactBytes) {
  Board& b = *tb_.board;
  tb_.SetToday(date(2027, 1, 11));
  NewTicket t;
  t.title = "Guildford & Waverley \u2013 caf\u00e9 hours";
  t.details = "Says \"closed\", often\nwhen open";
  t.area = "guildford-waverley";
  t.themes = {"access", "communication"};
  t.team = "Estates";
  t.raised_by = 2;
  const int64_t cafe = b.AddTicket(t, "facilitator");
  t.title = "=HYPERLINK(\"http://x\")";
  t.details = "-5 beds short";
  t.area = "East Surrey";
  t.themes = {"crisis care"};
  t.team = "Crisis Line";
  t.raised_by = 1;
  const int64_t beds = b.AddTicket(t, "facilitator");
  t.title = "@risk: leaflets";
  t.details = "\tindented";
  t.themes = {"access"};
  t.team = "Patient Experience";
  const int64_t leaflets = b.AddTicket(t, "facilitator");
  tb_.SetToday(date(2027, 1, 12));
  b.Move(beds, TicketState::kSentToTrust, "", "facilitator");
  tb_.SetToday(date(2027, 1, 13));
  b.Answer(beds, "+ 4 beds, from March", "Crisis Line lead", false, false,
           "facilitator");
  b.Merge(leaflets, cafe, "facilitator");

  EXPECT_EQ(
      ExportCsv(b, config_),
      "\xEF\xBB\xBF"
      "id,title,details,area,themes,team,state,raised_on,votes,sent_on,"
      "answer,answered_by,answered_on,decline_reason,merged_into\r\n"
      "1,Guildford & Waverley \xE2\x80\x93 caf\xC3\xA9 hours,"
      "\"Says \"\"closed\"\", often\nwhen open\",Guildford & Waverley,"
      "access; communication,Estates,raised,2027-01-11,3,,,,,,\r\n"
      "2,\"'=HYPERLINK(\"\"http://x\"\")\",'-5 beds short,East Surrey,"
      "crisis care,Crisis Line,answered,2027-01-11,1,2027-01-12,"
      "\"'+ 4 beds, from March\",Crisis Line lead,2027-01-13,,\r\n"
      "3,'@risk: leaflets,'\tindented,East Surrey,access,Patient Experience,"
      "merged,2027-01-11,1,,,,,,1\r\n");
}

TEST_F(TrelloTest, CsvOfAnEmptyBoardIsTheHeader) {
  EXPECT_EQ(ExportCsv(*tb_.board, config_),
            "\xEF\xBB\xBF"
            "id,title,details,area,themes,team,state,raised_on,votes,sent_on,"
            "answer,answered_by,answered_on,decline_reason,merged_into\r\n");
}

// --- A board kept the way people keep one
// -------------------------------------

// A Trello export unlike ours: its own list names, areas only in titles,
// descriptions and a list's name (one spelled as an alias), ids that are not
// timestamps with createCard actions, comments, an archived card, due dates,
// checklists and one "Trust answer:" comment.
nlohmann::json PeoplesBoard() {
  using nlohmann::json;
  json lists = json::array();
  for (const char* name : {"New points", "Surrey Downs points",
                           "With the Trust", "Answered", "Done and dusted"}) {
    lists.push_back({{"id", std::string("list-") + name}, {"name", name}});
  }
  auto card = [](const std::string& id, const std::string& name,
                 const std::string& desc, const std::string& list) {
    return json{{"id", id},
                {"name", name},
                {"desc", desc},
                {"idList", std::string("list-") + list},
                {"closed", false},
                {"idLabels", json::array()},
                {"due", nullptr},
                {"dueComplete", false},
                {"idMembersVoted", json::array()}};
  };
  json cards = json::array();
  cards.push_back(card("c1", "Carers not told about discharge (East Surrey)",
                       "", "New points"));
  cards.back()["due"] = "2027-02-01T12:00:00.000Z";
  cards.push_back(card("c2", "Parking at the clinic",
                       "At Farnham & North East Hampshire's clinic.",
                       "Answered"));
  cards.back()["idMembersVoted"] = {"m1", "m2"};
  cards.back()["due"] = "2027-01-15T17:00:00.000Z";
  cards.back()["dueComplete"] = true;
  cards.push_back(card("c3", "Hearing loop broken", "", "Surrey Downs points"));
  cards.back()["idLabels"] = {"urgent"};
  cards.push_back(card("c4", "Letters arrive late (Northwest Surrey)", "",
                       "Done and dusted"));
  cards.back()["closed"] = true;
  json checklists = json::array(
      {{{"id", "k1"},
        {"idCard", "c1"},
        {"name", "Follow up"},
        {"checkItems",
         {{{"id", "i1"}, {"name", "Ask the ward"}, {"state", "complete"}},
          {{"id", "i2"}, {"name", "Report back"}, {"state", "incomplete"}}}}}});
  json actions = json::array();
  auto action = [&](const std::string& type, const std::string& card_id,
                    const std::string& when, const std::string& who,
                    const std::string& text) {
    json a = {{"id", "a" + std::to_string(actions.size())},
              {"type", type},
              {"date", when},
              {"memberCreator", {{"id", "m-" + who}, {"fullName", who}}},
              {"data", {{"card", {{"id", card_id}}}}}};
    if (!text.empty()) a["data"]["text"] = text;
    actions.push_back(a);
  };
  action("createCard", "c1", "2026-11-03T10:00:00.000Z", "Jo Facilitator", "");
  action("createCard", "c2", "2026-11-04T10:00:00.000Z", "Jo Facilitator", "");
  action("createCard", "c3", "2026-11-05T10:00:00.000Z", "Jo Facilitator", "");
  action("createCard", "c4", "2026-11-06T10:00:00.000Z", "Jo Facilitator", "");
  action("commentCard", "c1", "2026-11-10T09:00:00.000Z", "Jo Facilitator",
         "Raised again at the evening forum.");
  action("commentCard", "c2", "2026-12-10T16:20:00.000Z", "Sam Responder",
         "Trust answer: Six more bays open in March.");
  return {{"id", "board"},
          {"name", "Forum feedback"},
          {"labels", {{{"id", "urgent"}, {"name", "Urgent"}}}},
          {"lists", lists},
          {"cards", cards},
          {"checklists", checklists},
          {"actions", actions}};
}

// The trello_lists of a plan's YAML snippet, as pasting it would give.
std::map<std::string, std::string> PastedLists(const std::string& yaml) {
  std::map<std::string, std::string> lists;
  std::istringstream in(yaml);
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("    \"", 0) != 0) continue;
    const size_t close = line.find("\": ");
    std::string state = line.substr(close + 3);
    state = state.substr(0, state.find(' '));
    lists[line.substr(5, close - 5)] = state;
  }
  return lists;
}

class PeoplesBoardTest : public TrelloTest {
 protected:
  PeoplesBoardTest() {
    config_.board.trello_lists.clear();
    for (Area& area : config_.areas) {
      if (area.slug == "farnham-northeast-hants") {
        area.aliases = {"Farnham & North East Hampshire"};
      }
    }
  }
  TrelloImportPlan Plan() { return PlanOf(PeoplesBoard()); }
  TrelloImportPlan PlanOf(const nlohmann::json& doc) {
    TrelloImportOptions options;
    options.clock = &tb_.clock;
    return PlanTrelloImport(config_, doc.dump(), "people.json", options);
  }
  std::string ImportTrelloError() {
    try {
      ImportTrello(*tb_.board, config_, PeoplesBoard().dump(), "people.json",
                   {}, "facilitator");
    } catch (const Error& e) {
      EXPECT_EQ(tb_.All().size(), 0u);
      return e.what();
    }
    ADD_FAILURE() << "imported";
    return "";
  }
};

TEST_F(PeoplesBoardTest, DryRunListsEveryProblemAtOnce) {
  const TrelloImportPlan plan = Plan();
  std::vector<std::string> kinds;
  for (const TrelloNote& p : plan.problems) kinds.push_back(p.kind);
  EXPECT_EQ(kinds, std::vector<std::string>(4, "unmapped-list"));
  EXPECT_EQ(plan.problems[1].text,
            "lists[1].name: no state for list \"Surrey Downs points\" (1 "
            "card): add it to board.trello_lists");
  EXPECT_EQ(plan.area_from,
            (std::map<std::string, int>{
                {"title", 2}, {"description", 1}, {"list", 1}}));
  ASSERT_EQ(plan.labels.size(), 1u);
  EXPECT_EQ(plan.labels[0].kind, "ignored");
  EXPECT_EQ(plan.tickets, 0);
  EXPECT_EQ(PastedLists(plan.yaml), (std::map<std::string, std::string>{
                                        {"New points", "raised"},
                                        {"Surrey Downs points", "raised"},
                                        {"Answered", "answered"},
                                        {"Done and dusted", "closed"}}));
  // And the real import refuses the board, naming the first problem.
  EXPECT_EQ(ImportTrelloError(),
            "people.json: lists[0].name: no state for list \"New points\" (1 "
            "card): add it to board.trello_lists (and 3 more problems)");
}

TEST_F(PeoplesBoardTest, EveryTextThatIdentifiesSomeoneIsAProblemFirst) {
  nlohmann::json doc = PeoplesBoard();
  doc["cards"][2]["desc"] = "Ring her on 07700 900123";
  doc["actions"][4]["data"]["text"] = "Write to jo@example.org";
  const TrelloImportPlan plan = PlanOf(doc);
  std::vector<std::string> kinds;
  for (const TrelloNote& p : plan.problems) kinds.push_back(p.kind);
  EXPECT_EQ(kinds, (std::vector<std::string>{"text", "text", "unmapped-list",
                                             "unmapped-list", "unmapped-list",
                                             "unmapped-list"}));
  // Card by card: its title, description, then its comments.
  EXPECT_EQ(plan.problems[0].text.rfind(
                "actions[4].data.text (a comment on cards[0]): ", 0),
            0u)
      << plan.problems[0].text;
  EXPECT_EQ(plan.problems[1].text.rfind("cards[2].desc: ", 0), 0u)
      << plan.problems[1].text;
}

TEST_F(PeoplesBoardTest, ACommentOnASkippedRepeatIsScreenedToo) {
  config_.board.trello_lists = PastedLists(Plan().yaml);
  // cards[0]'s list holds repeats merged elsewhere: the card is skipped.
  config_.board.trello_lists["New points"] = "merged";
  nlohmann::json doc = PeoplesBoard();
  doc["cards"][2]["desc"] = "Ring her on 07700 900123";
  doc["actions"][4]["data"]["text"] = "Write to jo@example.org";
  const TrelloImportPlan plan = PlanOf(doc);
  std::vector<std::string> texts;
  for (const TrelloNote& p : plan.problems) {
    texts.push_back(p.text.substr(0, p.text.find(": ")));
  }
  EXPECT_EQ(texts, (std::vector<std::string>{
                       "actions[4].data.text (a comment on cards[0])",
                       "cards[2].desc"}));
}

TEST_F(PeoplesBoardTest, ImportsWithThePastedMapping) {
  config_.board.trello_lists = PastedLists(Plan().yaml);
  const TrelloImportPlan plan = Plan();
  EXPECT_TRUE(plan.problems.empty());
  TrelloImportResult r =
      ImportTrello(*tb_.board, config_, PeoplesBoard().dump(), "people.json",
                   {}, "facilitator");
  EXPECT_EQ(r.cards, 4);
  EXPECT_EQ(r.archived, 1);
  EXPECT_EQ(r.checklists, 1);
  EXPECT_EQ(r.due_dates, 2);
  std::vector<std::string> kinds;
  for (const TrelloNote& w : r.warnings) kinds.push_back(w.kind);
  // "With the Trust" has no cards.
  EXPECT_EQ(kinds, (std::vector<std::string>{"empty-list", "no-answer",
                                             "unknown-label"}));

  const std::vector<Ticket> all = tb_.All();
  const Ticket& carers =
      tb_.ByTitle(all, "Carers not told about discharge (East Surrey)");
  EXPECT_EQ(carers.area, "east-surrey");
  EXPECT_EQ(carers.raised_on, Date(2026, 11, 3));
  const Ticket& parking = tb_.ByTitle(all, "Parking at the clinic");
  EXPECT_EQ(parking.area, "farnham-northeast-hants");
  EXPECT_EQ(parking.state, TicketState::kAnswered);
  EXPECT_EQ(parking.answer, "Six more bays open in March.");
  EXPECT_EQ(parking.answered_by, "Sam Responder");  // Private; see privacy.
  EXPECT_EQ(parking.votes, 3);
  EXPECT_EQ(tb_.ByTitle(all, "Hearing loop broken").area, "surrey-downs");
  const Ticket& letters =
      tb_.ByTitle(all, "Letters arrive late (Northwest Surrey)");
  EXPECT_EQ(letters.state, TicketState::kSentToTrust);  // No answer comment.

  std::vector<std::string> comments;
  for (const HistoryEntry& e : tb_.board->History(carers.id)) {
    if (e.field == "comment") comments.push_back(e.note + ": " + e.new_value);
  }
  EXPECT_EQ(comments, std::vector<std::string>{
                          "2026-11-10T09:00:00Z by Jo Facilitator: Raised "
                          "again at the evening forum."});
}

// Trello -> focus -> Trello keeps every card, comment, due date, checklist,
// vote, label and archived flag.
TEST_F(PeoplesBoardTest, ExportCarriesItAllBack) {
  config_.board.trello_lists = PastedLists(Plan().yaml);
  ImportTrello(*tb_.board, config_, PeoplesBoard().dump(), "people.json", {},
               "facilitator");
  const nlohmann::json out =
      nlohmann::json::parse(ExportTrello(*tb_.board, config_));
  const nlohmann::json in = PeoplesBoard();
  std::map<std::string, nlohmann::json> by_id;
  for (const auto& c : out["cards"]) by_id[c["id"]] = c;
  ASSERT_EQ(by_id.size(), in["cards"].size());
  for (const auto& c : in["cards"]) {
    SCOPED_TRACE(c["name"].get<std::string>());
    ASSERT_EQ(by_id.count(c["id"]), 1u);
    const nlohmann::json& o = by_id[c["id"]];
    EXPECT_EQ(o["name"], c["name"]);
    EXPECT_EQ(o["closed"], c["closed"]);
    EXPECT_EQ(o["due"], c["due"]);
    EXPECT_EQ(o["dueComplete"], c["dueComplete"]);
    EXPECT_EQ(o["idMembersVoted"].size(), c["idMembersVoted"].size());
  }
  std::set<std::string> labels;
  for (const auto& c : out["cards"]) {
    for (const auto& l : c["labels"]) labels.insert(l["name"]);
  }
  EXPECT_EQ(labels.count("Urgent"), 1u);
  ASSERT_EQ(out["checklists"].size(), 1u);
  EXPECT_EQ(out["checklists"][0]["idCard"], "c1");
  EXPECT_EQ(out["checklists"][0]["name"], "Follow up");
  ASSERT_EQ(out["checklists"][0]["checkItems"].size(), 2u);
  EXPECT_EQ(out["checklists"][0]["checkItems"][0]["state"], "complete");
  EXPECT_EQ(out["checklists"][0]["checkItems"][1]["name"], "Report back");
  std::multiset<std::string> comments;
  for (const auto& a : out["actions"]) {
    if (a["type"] == "commentCard") {
      comments.insert(a["data"]["card"]["id"].get<std::string>() + " " +
                      a["date"].get<std::string>() + " " +
                      a["memberCreator"]["fullName"].get<std::string>() + ": " +
                      a["data"]["text"].get<std::string>());
    }
  }
  EXPECT_EQ(comments, (std::multiset<std::string>{
                          "c1 2026-11-10T09:00:00.000Z Jo Facilitator: Raised "
                          "again at the evening forum.",
                          "c2 2026-12-10T16:20:00.000Z Sam Responder: Trust "
                          "answer: Six more bays open in March."}));
}

TEST_F(PeoplesBoardTest, RaisedDateFromCreateCardThenAPlausibleId) {
  config_.board.trello_lists = PastedLists(Plan().yaml);
  nlohmann::json doc = PeoplesBoard();
  nlohmann::json actions = nlohmann::json::array();
  for (const auto& a : doc["actions"]) {
    if (a["type"] != "createCard") actions.push_back(a);
  }
  doc["actions"] = actions;
  // 2026-11-03T00:00:00Z, 1972 and 2105: only the first is plausible.
  doc["cards"][0]["id"] = "6a07f0000000000000000001";
  doc["cards"][1]["id"] = "0400000000000000000000aa";
  doc["cards"][2]["id"] = "f000000000000000000000bb";
  TrelloImportOptions options;
  options.clock = &tb_.clock;
  const TrelloImportPlan plan =
      PlanTrelloImport(config_, doc.dump(), "ids.json", options);
  std::vector<std::string> texts = Texts(plan.problems);
  ASSERT_EQ(texts.size(), 3u);  // cards[1], cards[2] and "c4".
  EXPECT_EQ(texts[0],
            "cards[1] (\"Parking at the clinic\"): no date it was raised: no "
            "createCard action for it, and its id '0400000000000000000000aa' "
            "is not a Trello id made between 2011 and today");
  EXPECT_EQ(plan.problems[2].kind, "no-date");
  EXPECT_EQ(plan.tickets, 1);
}

TEST(TrelloSummary, CountsPerKindWithTheFirstExamples) {
  std::vector<TrelloNote> notes;
  for (int i = 0; i < 12; ++i) {
    notes.push_back({"no-answer", "card " + std::to_string(i)});
  }
  notes.push_back({"unknown-label", "label \"Urgent\""});
  EXPECT_EQ(RenderTrelloWarnings(notes, 2, "see the log"),
            "warning: no-answer: 12 cards or lists\n"
            "  card 0\n"
            "  card 1\n"
            "  ... and 10 more (see the log)\n"
            "warning: unknown-label: 1 card or list\n"
            "  label \"Urgent\"\n");
  EXPECT_EQ(
      RenderTrelloWarnings(notes, 11),
      "warning: no-answer: 12 cards or lists\n" +
          [] {
            std::string lines;
            for (int i = 0; i < 11; ++i) {
              lines += "  card " + std::to_string(i) + "\n";
            }
            return lines;
          }() +
          "  ... and 1 more\n"
          "warning: unknown-label: 1 card or list\n"
          "  label \"Urgent\"\n");
  EXPECT_EQ(RenderTrelloWarnings({}), "");
}

TEST(TrelloAliases, ConfigurationForms) {
  const std::string base = EmbeddedDefaultConfig();
  const Config config = ParseConfig(base, "test");
  EXPECT_TRUE(config.areas[0].aliases.empty());
  // Aliases on an area, and on themes and teams written as maps.
  std::string text = base;
  const std::string area = "  - name: Farnham & Northeast Hants\n";
  const size_t at = text.find(area);
  ASSERT_NE(at, std::string::npos);
  text.insert(at + area.size(),
              "    aliases: [\"Farnham & North East Hampshire\"]\n");
  const Config with = ParseConfig(text, "test");
  const Area* farnham = with.FindArea("farnham-northeast-hants");
  ASSERT_NE(farnham, nullptr);
  EXPECT_EQ(farnham->aliases,
            std::vector<std::string>{"Farnham & North East Hampshire"});
  // An alias finds its area wherever an area is typed (board, changes).
  EXPECT_EQ(with.FindArea("farnham & north east HAMPSHIRE "), farnham);
  EXPECT_EQ(with.AreaName("Farnham & North East Hampshire"),
            "Farnham & Northeast Hants");
  EXPECT_EQ(config.FindArea("Farnham & North East Hampshire"), nullptr);

  auto replaced = [&](const std::string& from, const std::string& to) {
    std::string t = text;
    const size_t p = t.find(from);
    EXPECT_NE(p, std::string::npos) << from;
    return t.replace(p, from.size(), to);
  };
  text = replaced("    - access\n",
                  "    - name: access\n      aliases: [Getting in]\n");
  text = replaced("    - PALS ", "    - {name: PALS, aliases: [Advice]} ");
  const Config maps = ParseConfig(text, "test");
  EXPECT_EQ(maps.board.themes[0], "access");
  EXPECT_EQ(maps.board.theme_aliases.at("access"),
            std::vector<std::string>{"Getting in"});
  EXPECT_EQ(maps.board.team_aliases.at("PALS"),
            std::vector<std::string>{"Advice"});

  // An alias must name one thing.
  auto error = [&](const std::string& yaml) {
    try {
      ParseConfig(yaml, "test");
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  // The line of `needle` in `t`, as the messages count them.
  auto line_of = [](const std::string& t, const std::string& needle) {
    const size_t p = t.find(needle);
    EXPECT_NE(p, std::string::npos) << needle;
    return std::to_string(1 + std::count(t.begin(), t.begin() + p, '\n'));
  };
  const std::string twice =
      replaced("aliases: [Getting in]", "aliases: [carers]");
  EXPECT_EQ(error(twice), "test:" + line_of(twice, "    - carers\n") +
                              ": board.themes[2]: 'carers' is listed twice");
  const std::string other_area =
      replaced("aliases: [\"Farnham & North East Hampshire\"]",
               "aliases: [east surrey]");
  EXPECT_EQ(error(other_area),
            "test:" + line_of(other_area, "aliases: [east surrey]") +
                ": areas[4].aliases[0]: 'east surrey' already names areas[0] "
                "(as 'East Surrey': names match ignoring case); an alias must "
                "name one "
                "forum");
}

// --- Seeded random boards, both ways
// ------------------------------------------

class TrelloRandomTest : public TrelloTest,
                         public ::testing::WithParamInterface<int> {};

// focus -> Trello -> focus gives the same database, row for row: tickets
// under the same numbers, merges, pauses, forums (who recorded them, when),
// verdicts, reopened tickets and every history entry and vote row.
TEST_P(TrelloRandomTest, FocusToTrelloToFocusIsIdentical) {
  std::mt19937 rng(GetParam());
  auto pick = [&](size_t n) { return static_cast<size_t>(rng() % n); };
  Board& b = *tb_.board;
  const std::vector<const Area*> areas = config_.Forums();
  const std::vector<std::string> actors = {"facilitator", "coordinator"};
  // `n` forums held daily from `first`, recorded on `recorded_on`; the
  // first of each call may be from the plan, of round 1, 2, 3.
  int round = 0;
  auto record_forums = [&](int n, Date first, Date recorded_on) {
    tb_.SetToday(recorded_on);
    ++round;
    std::vector<int64_t> ids;
    for (int i = 0; i < n; ++i) {
      ForumRecord f;
      f.area = areas[pick(areas.size())]->slug;
      f.held_on = first + boost::gregorian::days(i);
      if (i == 0 && pick(2) == 0) {
        f.plan_id = "2027-r" + std::to_string(round) + "-" + f.area;
      }
      f.format = pick(2) == 0 ? Format::kVirtual : Format::kInPerson;
      f.title = "Forum " + std::to_string(i);
      f.attendance.service_users = static_cast<int>(pick(9));
      f.attendance.carers = static_cast<int>(pick(5));
      f.attendance.trust_staff = static_cast<int>(pick(4));
      if (pick(2) == 0) f.apologies = {"Ward manager"};
      ids.push_back(b.RecordForum(f, actors[pick(actors.size())]));
    }
    return ids;
  };
  // Forums the tickets were raised and voted at.
  const std::vector<int64_t> forums =
      record_forums(3, date(2027, 1, 4), date(2027, 1, 11));
  auto some_forum = [&]() -> std::optional<int64_t> {
    if (pick(2) == 0) return std::nullopt;
    return forums[pick(forums.size())];
  };
  std::vector<int64_t> ids;
  const int count = 5 + static_cast<int>(pick(20));
  for (int i = 0; i < count; ++i) {
    NewTicket t;
    t.title = "Point " + std::to_string(i) + " about " +
              config_.board.themes[pick(config_.board.themes.size())];
    if (pick(2) == 0) t.details = "Details of point " + std::to_string(i);
    t.area = areas[pick(areas.size())]->slug;
    t.themes = {config_.board.themes[pick(config_.board.themes.size())]};
    t.team = config_.board.teams[pick(config_.board.teams.size())];
    t.raised_by = 1 + static_cast<int>(pick(4));
    t.forum_id = some_forum();
    ids.push_back(b.AddTicket(t, "facilitator"));
  }
  // Repeats merged into others, some into a ticket merged later itself.
  tb_.SetToday(date(2027, 1, 12));
  std::set<int64_t> merged;
  for (int64_t id : ids) {
    if (pick(4) != 0) continue;
    if (pick(2) == 0) b.AddVotes(id, 1 + pick(2), some_forum(), "", "f");
    const int64_t into = ids[pick(ids.size())];
    if (into == id || merged.count(into) != 0) continue;
    b.Merge(id, into, "facilitator");
    merged.insert(id);
  }
  tb_.SetToday(date(2027, 1, 14));
  std::vector<int64_t> waiting;
  std::vector<int64_t> answered;
  for (int64_t id : ids) {
    if (merged.count(id) != 0) continue;
    // Votes at several forums, some at the same one twice.
    for (size_t n = pick(4); n > 0; --n) {
      b.AddVotes(id, 1 + pick(3), some_forum(), "", "f");
    }
    if (pick(3) == 0) continue;
    b.Move(id, TicketState::kSentToTrust, "", "facilitator");
    switch (pick(6)) {
      case 0:
      case 1:
        b.Answer(id, "Answer to #" + std::to_string(id), "Team lead",
                 pick(2) == 0, false, "facilitator");
        answered.push_back(id);
        break;
      case 2:
        b.Move(id, TicketState::kDeclined, "Not ours", "facilitator");
        break;
      case 3:
        b.Move(id, TicketState::kEscalated, "", "facilitator");
        break;
      case 4:
        b.Move(id, TicketState::kWaitingForForum, "", "facilitator");
        waiting.push_back(id);
        break;
      default:
        break;
    }
  }
  // Some waits end (a closed pause), the others are still open.
  tb_.SetToday(date(2027, 1, 21));
  for (int64_t id : waiting) {
    if (pick(2) == 0) b.Move(id, TicketState::kSentToTrust, "", "f");
  }
  // Later forums give their verdicts on the answers; a disputed one
  // reopens its ticket, which some answer again for the next forum.
  const std::vector<int64_t> later =
      record_forums(2, date(2027, 1, 25), date(2027, 1, 28));
  const Verdict verdicts[] = {Verdict::kConfirmed, Verdict::kNotYet,
                              Verdict::kDisputed};
  std::vector<int64_t> reopened;
  for (int64_t id : answered) {
    const Verdict v = verdicts[pick(3)];
    const bool note = v == Verdict::kDisputed || pick(2) == 0;
    b.RecordVerdict(id, later[pick(later.size())], v,
                    note ? "Still broken" : "", actors[pick(actors.size())]);
    if (v == Verdict::kDisputed) reopened.push_back(id);
  }
  tb_.SetToday(date(2027, 2, 1));
  std::vector<int64_t> answered_again;
  for (int64_t id : reopened) {
    if (pick(2) == 0) continue;
    b.Answer(id, "Second answer to #" + std::to_string(id), "Team lead", false,
             false, "facilitator");
    answered_again.push_back(id);
  }
  const std::vector<int64_t> last =
      record_forums(1, date(2027, 2, 2), date(2027, 2, 3));
  for (int64_t id : answered_again) {
    b.RecordVerdict(id, last.front(), Verdict::kConfirmed, "", "coordinator");
  }

  TestBoard fresh(config_, date(2027, 3, 1));
  const std::string exported = ExportTrello(b, config_);
  ImportTrello(*fresh.board, config_, exported, "export.json", {},
               "facilitator");
  EXPECT_EQ(testing::Dump(fresh.database.name()),
            testing::Dump(tb_.database.name()));
  EXPECT_EQ(ExportTrello(*fresh.board, config_), exported);
}

// Trello -> focus -> Trello keeps every card, comment, due date, checklist,
// vote, label and archived flag.
TEST_P(TrelloRandomTest, TrelloToFocusToTrelloKeepsEverything) {
  std::mt19937 rng(GetParam());
  auto pick = [&](size_t n) { return static_cast<size_t>(rng() % n); };
  using nlohmann::json;
  json doc = {{"id", "b"},
              {"name", "Random"},
              {"lists", json::array()},
              {"labels", json::array()},
              {"cards", json::array()},
              {"checklists", json::array()},
              {"actions", json::array()}};
  for (const auto& [name, state] : config_.board.trello_lists) {
    if (state == "merged") continue;
    doc["lists"].push_back({{"id", "list-" + name}, {"name", name}});
  }
  std::vector<std::string> label_names;
  for (const Area* a : config_.Forums()) label_names.push_back(a->name);
  for (const std::string& t : config_.board.themes) label_names.push_back(t);
  label_names.push_back("Urgent");
  label_names.push_back("Ask again");
  for (size_t i = 0; i < label_names.size(); ++i) {
    doc["labels"].push_back(
        {{"id", "label" + std::to_string(i)}, {"name", label_names[i]}});
  }
  const int cards = 3 + static_cast<int>(pick(15));
  const size_t areas = config_.Forums().size();
  for (int i = 0; i < cards; ++i) {
    const std::string id = "card" + std::to_string(i);
    json card = {{"id", id},
                 {"name", "Card " + std::to_string(i)},
                 {"desc", ""},
                 {"idList", doc["lists"][pick(doc["lists"].size())]["id"]},
                 {"closed", pick(4) == 0},
                 {"idLabels", {"label" + std::to_string(pick(areas))}},
                 {"idMembersVoted", json::array()},
                 {"due", nullptr},
                 {"dueComplete", false}};
    for (size_t v = pick(4); v > 0; --v) {
      card["idMembersVoted"].push_back("m" + std::to_string(v));
    }
    for (size_t l = pick(3); l > 0; --l) {
      card["idLabels"].push_back(
          "label" + std::to_string(areas + pick(label_names.size() - areas)));
    }
    if (pick(2) == 0) {
      card["due"] =
          "2027-02-0" + std::to_string(1 + pick(9)) + "T12:00:00.000Z";
      card["dueComplete"] = pick(2) == 0;
    }
    for (size_t k = pick(3); k > 0; --k) {
      json items = json::array();
      for (size_t j = pick(4); j > 0; --j) {
        items.push_back(
            {{"id", id + "-item" + std::to_string(k) + std::to_string(j)},
             {"name", "Step " + std::to_string(j)},
             {"state", pick(2) == 0 ? "complete" : "incomplete"}});
      }
      doc["checklists"].push_back({{"id", id + "-list" + std::to_string(k)},
                                   {"idCard", id},
                                   {"name", "List " + std::to_string(k)},
                                   {"checkItems", items}});
    }
    doc["actions"].push_back(
        {{"id", id + "-create"},
         {"type", "createCard"},
         {"date", "2026-11-1" + std::to_string(pick(10)) + "T10:00:00.000Z"},
         {"data", {{"card", {{"id", id}}}}}});
    for (size_t c = pick(4); c > 0; --c) {
      const bool answer = pick(3) == 0;
      doc["actions"].push_back(
          {{"id", id + "-comment" + std::to_string(c)},
           {"type", "commentCard"},
           {"date", "2026-12-0" + std::to_string(c) + "T1" +
                        std::to_string(pick(10)) + ":00:00.000Z"},
           {"memberCreator", {{"fullName", "Member " + std::to_string(c)}}},
           {"data",
            {{"card", {{"id", id}}},
             {"text", (answer ? "Trust answer: " : "Note ") +
                          std::to_string(c) + " on " + id}}}});
    }
    doc["cards"].push_back(card);
  }
  ImportTrello(*tb_.board, config_, doc.dump(), "random.json", {},
               "facilitator");
  const json out = json::parse(ExportTrello(*tb_.board, config_));

  auto label_names_of = [](const json& board, const json& card) {
    std::set<std::string> names;
    if (card.contains("labels")) {
      for (const json& l : card["labels"]) names.insert(l["name"]);
    }
    for (const json& id : card["idLabels"]) {
      for (const json& l : board["labels"]) {
        if (l["id"] == id) names.insert(l["name"]);
      }
    }
    return names;
  };
  // Per card: its checklists and comments, as text.
  auto checklists_of = [](const json& board, const std::string& id) {
    std::vector<std::string> lists;
    for (const json& c : board["checklists"]) {
      if (c["idCard"] != id) continue;
      std::string text = c["name"];
      for (const json& i : c["checkItems"]) {
        text += "|" + i["name"].get<std::string>() + "=" +
                i["state"].get<std::string>();
      }
      lists.push_back(text);
    }
    return lists;
  };
  auto comments_of = [](const json& board, const std::string& id) {
    std::multiset<std::string> comments;
    for (const json& a : board["actions"]) {
      if (a["type"] == "commentCard" && a["data"]["card"]["id"] == id) {
        comments.insert(a["date"].get<std::string>() + " " +
                        a["memberCreator"]["fullName"].get<std::string>() +
                        ": " + a["data"]["text"].get<std::string>());
      }
    }
    return comments;
  };
  std::map<std::string, json> exported;
  for (const json& c : out["cards"]) exported[c["id"]] = c;
  ASSERT_EQ(exported.size(), doc["cards"].size());
  for (const json& c : doc["cards"]) {
    const std::string id = c["id"];
    SCOPED_TRACE(id);
    ASSERT_EQ(exported.count(id), 1u);
    const json& o = exported[id];
    EXPECT_EQ(o["name"], c["name"]);
    EXPECT_EQ(o["closed"], c["closed"]);
    EXPECT_EQ(o["due"], c["due"]);
    EXPECT_EQ(o["dueComplete"], c["dueComplete"]);
    EXPECT_EQ(o["idMembersVoted"].size(), c["idMembersVoted"].size());
    // Every label is kept; the export adds those of the team and theme
    // the import gave a card with none.
    const std::set<std::string> kept = label_names_of(out, o);
    const std::set<std::string> had = label_names_of(doc, c);
    EXPECT_TRUE(
        std::includes(kept.begin(), kept.end(), had.begin(), had.end()));
    EXPECT_EQ(checklists_of(out, id), checklists_of(doc, id));
    EXPECT_EQ(comments_of(out, id), comments_of(doc, id));
  }
}

INSTANTIATE_TEST_SUITE_P(Seeds, TrelloRandomTest, ::testing::Range(1, 13));

}  // namespace
}  // namespace focus
