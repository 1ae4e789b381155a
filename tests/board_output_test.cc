#include "focus/board_output.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "test_config.h"

namespace focus {
namespace {

Ticket Letters() {
  Ticket t;
  t.id = 7;
  t.title = "Appointment letters arrive late";
  t.details = "Letters came after the date.";
  t.area = "east-surrey";
  t.themes = {"communication"};
  t.team = "CMHRS East Surrey";
  t.state = TicketState::kSentToTrust;
  t.raised_on = Date(2027, 1, 4);
  t.sent_on = Date(2027, 1, 6);
  t.raised_by = 3;
  t.votes = 6;
  t.forum_id = 1;
  t.forum_ids = {1, 2};
  return t;
}

HistoryEntry Entry(const std::string& field, const std::string& from,
                   const std::string& to) {
  HistoryEntry h;
  h.ticket_id = 7;
  h.at = "2027-01-06T10:00:00Z";
  h.actor = "jo";
  h.field = field;
  h.old_value = from;
  h.new_value = to;
  return h;
}

TEST(BoardOutputTest, TicketTextShowsStateDueDateAndHistory) {
  const Config config = TestConfig();
  const std::string text = RenderTicketText(
      config, Letters(), {Entry("state", "raised", "sent-to-trust")},
      Date(2027, 1, 20));
  EXPECT_NE(text.find("#7  Appointment letters arrive late\n"),
            std::string::npos);
  EXPECT_NE(text.find("  Area:      East Surrey\n"), std::string::npos);
  EXPECT_NE(text.find("  Votes:     6\n"), std::string::npos);
  // 20 working days from Mon 4 Jan 2027 is Mon 1 Feb 2027; on 20 Jan there
  // are 8 working days left.
  EXPECT_NE(text.find("  Response:  due Mon 1 Feb 2027 (8 working days "
                      "left)\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("    2027-01-06T10:00:00Z  jo  state: raised -> "
                      "sent-to-trust\n"),
            std::string::npos)
      << text;
}

TEST(BoardOutputTest, OverdueAndDueSoonAreMarked) {
  const Config config = TestConfig();
  const std::string soon =
      RenderTicketListText(config, {Letters()}, Date(2027, 1, 27));
  EXPECT_NE(soon.find("2027-02-01*"), std::string::npos) << soon;
  const std::string late =
      RenderTicketListText(config, {Letters()}, Date(2027, 2, 3));
  EXPECT_NE(late.find("2027-02-01!"), std::string::npos) << late;
  EXPECT_NE(late.find("1 ticket."), std::string::npos);
  EXPECT_EQ(RenderTicketListText(config, {}, Date(2027, 2, 3)),
            "No tickets match.\n");
}

TEST(BoardOutputTest, TicketJsonCarriesResponseTime) {
  const Config config = TestConfig();
  nlohmann::json j = nlohmann::json::parse(
      RenderTicketJson(config, Letters(), {}, Date(2027, 2, 3)));
  EXPECT_EQ(j["id"], 7);
  EXPECT_EQ(j["area"], "East Surrey");
  EXPECT_EQ(j["state"], "sent-to-trust");
  EXPECT_EQ(j["response_time"]["status"], "breached");
  EXPECT_EQ(j["response_time"]["answer_due"], "2027-02-01");
  EXPECT_EQ(j["history"].size(), 0u);
}

TEST(BoardOutputTest, ForumListFlagsLowInvolvement) {
  const Config config = TestConfig();
  ForumRecord f;
  f.id = 1;
  f.plan_id = "2027-r1-east-surrey";
  f.area = "east-surrey";
  f.held_on = Date(2027, 1, 4);
  f.format = Format::kVirtual;
  f.attendance.service_users = 1;
  f.attendance.trust_staff = 3;
  f.apologies = {"CMHRS team manager"};
  const std::string text = RenderForumListText(config, {f});
  EXPECT_NE(text.find("FLAG: fewer than two service users or carers"),
            std::string::npos);
  EXPECT_NE(text.find("apologies: CMHRS team manager"), std::string::npos);
  nlohmann::json j = nlohmann::json::parse(RenderForumListJson(config, {f}));
  EXPECT_EQ(j[0]["below_involvement_minimum"], true);
  f.attendance.carers = 1;
  EXPECT_EQ(RenderForumListText(config, {f}).find("FLAG"), std::string::npos);
}

}  // namespace
}  // namespace focus
