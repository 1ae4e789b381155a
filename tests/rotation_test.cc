#include "focus/rotation.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include "focus/error.h"

namespace focus {
namespace {

const char* const kAreas[] = {"East Surrey", "Northwest Surrey", "Surrey Downs",
                              "Guildford & Waverley",
                              "Farnham & Northeast Hants"};

// The five Surrey areas and the source excerpt's table, built by hand so
// these tests do not depend on the configuration loader.
Config SurreyConfig(RotationMode mode) {
  Config c;
  c.source = "test.yaml";
  for (const char* name : kAreas) {
    Area a;
    a.name = name;
    a.slug = Slugify(name);
    c.areas.push_back(a);
  }
  c.evening_forum.name = "Surrey-wide evening forum";
  c.evening_forum.slug = "surrey-wide-evening";
  c.evening_forum.evening = true;
  c.rotation.mode = mode;
  c.rotation.start_year = 2026;
  c.rotation.table = {{"East Surrey", "Northwest Surrey"},
                      {"Surrey Downs", "Guildford & Waverley"},
                      {"Farnham & Northeast Hants", "East Surrey"},
                      {"Northwest Surrey", "Surrey Downs"}};
  return c;
}

// The areas that are virtual in a round, in configuration order.
std::vector<std::string> VirtualAreas(const Config& c, int g) {
  std::vector<Format> f = RoundFormats(c, g);
  std::vector<std::string> names;
  for (size_t i = 0; i < c.areas.size(); ++i) {
    if (f[i] == Format::kVirtual) names.push_back(c.areas[i].name);
  }
  return names;
}

TEST(RotationTest, TableModeReproducesTheSourceExcerptEveryYear) {
  const Config c = SurreyConfig(RotationMode::kTable);
  ValidateRotation(c);
  // Round by round as the excerpt lists them (virtual area forums).
  const std::vector<std::vector<std::string>> expected = {
      {"East Surrey", "Northwest Surrey"},
      {"Surrey Downs", "Guildford & Waverley"},
      {"East Surrey", "Farnham & Northeast Hants"},
      {"Northwest Surrey", "Surrey Downs"}};
  for (int year : {2026, 2027, 2028, 2035}) {
    for (int round = 1; round <= 4; ++round) {
      int g = GlobalRoundIndex(c, year, round);
      EXPECT_EQ(VirtualAreas(c, g), expected[round - 1])
          << year << " round " << round;
      // Evening forum always virtual; three area forums in person.
      std::vector<Format> f = RoundFormats(c, g);
      EXPECT_EQ(f.back(), Format::kVirtual);
      EXPECT_EQ(std::count(f.begin(), f.end(), Format::kInPerson), 3);
    }
  }
}

TEST(RotationTest, TableModeYearIsUnevenAsTheModelSays) {
  const Config c = SurreyConfig(RotationMode::kTable);
  std::map<std::string, int> virtual_rounds;
  for (int round = 1; round <= 4; ++round) {
    for (const std::string& a :
         VirtualAreas(c, GlobalRoundIndex(c, 2027, round))) {
      ++virtual_rounds[a];
    }
  }
  EXPECT_EQ(virtual_rounds["East Surrey"], 2);
  EXPECT_EQ(virtual_rounds["Northwest Surrey"], 2);
  EXPECT_EQ(virtual_rounds["Surrey Downs"], 2);
  EXPECT_EQ(virtual_rounds["Guildford & Waverley"], 1);
  EXPECT_EQ(virtual_rounds["Farnham & Northeast Hants"], 1);
}

TEST(RotationTest, BalancedModeStartsWithTheExcerptTable) {
  const Config table = SurreyConfig(RotationMode::kTable);
  const Config balanced = SurreyConfig(RotationMode::kBalanced);
  for (int round = 1; round <= 4; ++round) {
    int g = GlobalRoundIndex(balanced, 2026, round);
    EXPECT_EQ(VirtualAreas(balanced, g), VirtualAreas(table, g)) << round;
  }
  // Then it continues the cycle instead of restarting it.
  EXPECT_EQ(VirtualAreas(balanced, GlobalRoundIndex(balanced, 2027, 1)),
            (std::vector<std::string>{"Guildford & Waverley",
                                      "Farnham & Northeast Hants"}));
}

TEST(RotationTest, BalancedModeGuaranteesOverTenYears) {
  const Config c = SurreyConfig(RotationMode::kBalanced);
  ValidateRotation(c);
  const size_t n = c.areas.size();
  std::vector<int> virtual_count(n, 0);
  std::vector<std::vector<Format>> history(n);
  for (int year = 2026; year < 2036; ++year) {
    for (int round = 1; round <= 4; ++round) {
      std::vector<Format> f = RoundFormats(c, GlobalRoundIndex(c, year, round));
      // Same shape as the table: evening + 2 virtual, 3 in person.
      ASSERT_EQ(f.back(), Format::kVirtual);
      ASSERT_EQ(std::count(f.begin(), f.end() - 1, Format::kVirtual), 2);
      for (size_t i = 0; i < n; ++i) {
        if (f[i] == Format::kVirtual) ++virtual_count[i];
        history[i].push_back(f[i]);
        size_t h = history[i].size();
        if (h >= 3) {
          EXPECT_FALSE(history[i][h - 1] == history[i][h - 2] &&
                       history[i][h - 2] == history[i][h - 3])
              << c.areas[i].name << " same format three rounds running, "
              << year << " round " << round;
        }
      }
      auto [lo, hi] =
          std::minmax_element(virtual_count.begin(), virtual_count.end());
      EXPECT_LE(*hi - *lo, 1) << year << " round " << round;
    }
    // Every five years each area has had exactly eight virtual rounds.
    if ((year - 2026 + 1) % 5 == 0) {
      for (size_t i = 0; i < n; ++i) {
        EXPECT_EQ(virtual_count[i], 8 * (year - 2026 + 1) / 5)
            << c.areas[i].name << " by " << year;
      }
    }
  }
}

TEST(RotationTest, YearsBeforeTheStartYearAreRefused) {
  const Config c = SurreyConfig(RotationMode::kTable);
  try {
    GlobalRoundIndex(c, 2025, 1);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kInvalidInput);
    EXPECT_STREQ(e.what(),
                 "cannot plan 2025: the rotation starts in 2026 "
                 "(rotation.start_year in test.yaml)");
  }
}

struct BadRotation {
  const char* name;
  void (*mutate)(Config&);
  const char* error;
};

class BadRotationTest : public testing::TestWithParam<BadRotation> {};

TEST_P(BadRotationTest, IsRefusedWithAClearMessage) {
  Config c = SurreyConfig(RotationMode::kTable);
  GetParam().mutate(c);
  try {
    ValidateRotation(c);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kInvalidInput);
    EXPECT_STREQ(e.what(), GetParam().error);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Cases, BadRotationTest,
    testing::Values(
        BadRotation{"empty", [](Config& c) { c.rotation.table.clear(); },
                    "test.yaml: rotation.table: at least one round is "
                    "required"},
        BadRotation{
            "uneven",
            [](Config& c) { c.rotation.table[2].push_back("Surrey Downs"); },
            "test.yaml: rotation.table[2]: has 3 virtual areas but "
            "round 1 has 2; every round must have the same shape"},
        BadRotation{"unknown area",
                    [](Config& c) { c.rotation.table[1][0] = "Mole Valley"; },
                    "test.yaml: rotation.table[1]: 'Mole Valley' is not a "
                    "configured area"},
        BadRotation{"too sparse for balanced",
                    [](Config& c) {
                      c.rotation.mode = RotationMode::kBalanced;
                      for (auto& row : c.rotation.table) row.resize(1);
                    },
                    "test.yaml: rotation: balanced mode with 5 areas and 1 "
                    "virtual per round would keep East Surrey in-person "
                    "three rounds running; change the number of virtual "
                    "forums per round"}),
    [](const testing::TestParamInfo<BadRotation>& info) {
      std::string name = info.param.name;
      std::replace(name.begin(), name.end(), ' ', '_');
      return name;
    });

}  // namespace
}  // namespace focus
