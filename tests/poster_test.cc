// Tests for the large-print posters: the words of each poster against the
// plan, the PDF's determinism and metadata, and the errors.
#include "focus/poster.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "focus/error.h"

namespace focus {
namespace {

Config DefaultConfig() {
  return ParseConfig(EmbeddedDefaultConfig(), "focus.yaml");
}

std::vector<std::string> Texts(const std::vector<PosterLine>& lines) {
  std::vector<std::string> out;
  for (const PosterLine& l : lines) out.push_back(l.text);
  return out;
}

const Area& Forum(const Config& c, const std::string& slug) {
  const Area* a = c.FindArea(slug);
  EXPECT_NE(a, nullptr) << slug;
  return *a;
}

TEST(PosterTextTest, HasTheNextTwoRoundsOfTheForum) {
  const Config c = DefaultConfig();
  const Plan plan = PlanYear(c, 2027);
  const std::vector<PosterLine> lines =
      PosterText(c, plan, Quarter{2027, 2}, Forum(c, "surrey-downs"));
  EXPECT_EQ(
      Texts(lines),
      (std::vector<std::string>{
          "FoCUS Community Forums", "Surrey Downs forum",
          "Come and tell the Trust what matters to you. Everyone is welcome: "
          "service users, carers, family and friends. You do not need to "
          "book.",
          "Tuesday 6 July 2027",
          "Time: 10:30 to 13:30. Come from 10:30 for a chat; the meeting "
          "starts at 11:00.",
          "Where: The Leatherhead Institute, 67 High Street, Leatherhead "
          "KT22 8AH.",
          "Access: Wi-Fi, step-free access, hearing loop and informal room "
          "layout.",
          "Town centre; Leatherhead station is a ten-minute walk.",
          "Wednesday 6 October 2027",
          "Time: 13:30 to 15:45. Come from 13:30 for a chat; the meeting "
          "starts at 14:00.",
          "Online. Join by link:", "https://forums.example.org/surrey-downs",
          "Or join by phone: ring 020 0000 0000 and give the meeting code "
          "123 456",
          "Travel", c.travel_note, "Questions?",
          "Ring the FoCUS coordinator on 01234 567890 (Monday to Friday, 9am "
          "to 5pm)."}));
  EXPECT_EQ(lines[1].style, PosterLine::Style::kTitle);
  EXPECT_EQ(lines[3].style, PosterLine::Style::kHeading);
  EXPECT_EQ(lines[11].style, PosterLine::Style::kLink);
}

struct RoundsCase {
  int round;
  std::vector<std::string> ids;  // The plan's events the poster shows.
};

class PosterRoundsTest : public testing::TestWithParam<RoundsCase> {};

// The rounds the quarter's newsletter advertises, across the year end.
TEST_P(PosterRoundsTest, ShowsTheDatesOfTheNextTwoRounds) {
  const Config c = DefaultConfig();
  const Plan plan = PlanYear(c, 2027);
  const std::vector<std::string> texts = Texts(PosterText(
      c, plan, Quarter{2027, GetParam().round}, Forum(c, "east-surrey")));
  for (const std::string& id : GetParam().ids) {
    const Event* e = FindEvent(plan, id);
    ASSERT_NE(e, nullptr) << id;
    const std::string date =
        WeekdayName(e->date) + " " + std::to_string(e->date.day()) + " " +
        MonthName(e->date.month()) + " " + std::to_string(e->date.year());
    EXPECT_NE(std::find(texts.begin(), texts.end(), date), texts.end())
        << id << ": " << date;
  }
}

INSTANTIATE_TEST_SUITE_P(
    Quarters, PosterRoundsTest,
    testing::Values(
        RoundsCase{1, {"2027-r2-east-surrey", "2027-r3-east-surrey"}},
        RoundsCase{2, {"2027-r3-east-surrey", "2027-r4-east-surrey"}},
        RoundsCase{3, {"2027-r4-east-surrey", "2028-r1-east-surrey"}},
        RoundsCase{4, {"2028-r1-east-surrey", "2028-r2-east-surrey"}}));

TEST(PosterTextTest, ACancelledForumSaysSo) {
  const Config c = DefaultConfig();
  Change cancel;
  cancel.action = Change::Action::kCancel;
  cancel.forum_id = "2027-r3-east-surrey";
  cancel.reason = "Venue flooded.";
  const Plan plan = PlanYear(c, 2027, {cancel});
  const std::vector<std::string> texts =
      Texts(PosterText(c, plan, Quarter{2027, 2}, Forum(c, "east-surrey")));
  EXPECT_NE(std::find(texts.begin(), texts.end(),
                      "This forum is cancelled. Venue flooded."),
            texts.end());
}

TEST(PosterTextTest, NeedsSomeoneToRing) {
  Config c = DefaultConfig();
  c.contact.clear();
  try {
    PosterText(c, PlanYear(c, 2027), Quarter{2027, 2}, Forum(c, "east-surrey"));
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kInvalidInput);
    EXPECT_EQ(std::string(e.what()),
              "focus.yaml: organisation.contact is not set: a poster must say "
              "whom to ring (see docs/configuration.md#organisation)");
  }
}

// The page count of the PDF's page tree ("/Count N").
int Pages(const std::string& pdf) {
  const size_t at = pdf.find("/Count ");
  if (at == std::string::npos) return 0;
  return std::stoi(pdf.substr(at + 7));
}

TEST(RenderPostersTest, OnePdfPerForumTheSameEveryTime) {
  const Config c = DefaultConfig();
  const Plan plan = PlanYear(c, 2027);
  const std::time_t created = 1798761600;  // 2027-01-01T00:00:00Z.
  const auto first = RenderPosters(c, plan, Quarter{2027, 2}, created);
  const auto second = RenderPosters(c, plan, Quarter{2027, 2}, created);
  std::vector<std::string> names;
  for (const auto& [name, pdf] : first) names.push_back(name);
  EXPECT_EQ(names,
            (std::vector<std::string>{
                "poster-east-surrey.pdf", "poster-farnham-northeast-hants.pdf",
                "poster-guildford-waverley.pdf", "poster-northwest-surrey.pdf",
                "poster-surrey-downs.pdf", "poster-surrey-wide-evening.pdf"}));
  EXPECT_EQ(first, second);
  const std::string& pdf = first.at("poster-east-surrey.pdf");
  EXPECT_EQ(pdf.substr(0, 5), "%PDF-");
  EXPECT_NE(pdf.find("/CreationDate (20270101000000Z)"), std::string::npos);
  EXPECT_NE(pdf.find("/Title (FoCUS Community Forums: East Surrey forum)"),
            std::string::npos);
  EXPECT_NE(pdf.find("/MediaBox [ 0 0 595.28 841.89 ]"), std::string::npos);
  EXPECT_EQ(Pages(pdf), 1);
}

TEST(RenderPostersTest, TooMuchForOnePageGoesOnASecond) {
  Config c = DefaultConfig();
  c.travel_note.clear();
  for (int i = 0; i < 120; ++i) c.travel_note += " word";
  std::string notes;
  for (int i = 0; i < 150; ++i) notes += "Parking and buses in detail. ";
  for (Area& a : c.areas) {
    for (Venue& v : a.venues) v.notes = notes;
  }
  const auto posters = RenderPosters(c, PlanYear(c, 2027), Quarter{2027, 2}, 0);
  EXPECT_GT(Pages(posters.at("poster-surrey-downs.pdf")), 1);
}

}  // namespace
}  // namespace focus
