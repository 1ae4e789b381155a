#include "focus/rotation.h"

#include <algorithm>
#include <numeric>

#include "focus/error.h"

namespace focus {
namespace {

// Number of area forums that are virtual in each round.
size_t VirtualPerRound(const Config& config) {
  return config.rotation.table.empty() ? 2 : config.rotation.table[0].size();
}

}  // namespace

int GlobalRoundIndex(const Config& config, int year, int round) {
  if (year < config.rotation.start_year) {
    ThrowInvalid("cannot plan " + std::to_string(year) +
                 ": the rotation starts in " +
                 std::to_string(config.rotation.start_year) +
                 " (rotation.start_year in " + config.source + ")");
  }
  return (year - config.rotation.start_year) * 4 + (round - 1);
}

std::vector<Format> RoundFormats(const Config& config, int g) {
  const size_t n = config.areas.size();
  std::vector<Format> formats(n + 1, Format::kInPerson);
  formats[n] = Format::kVirtual;  // The evening forum is always virtual.
  if (config.rotation.mode == RotationMode::kTable) {
    const auto& row =
        config.rotation
            .table[static_cast<size_t>(g) % config.rotation.table.size()];
    for (size_t i = 0; i < n; ++i) {
      if (std::find(row.begin(), row.end(), config.areas[i].name) !=
          row.end()) {
        formats[i] = Format::kVirtual;
      }
    }
  } else {
    // Round-robin: k consecutive areas (cyclically) per round. Cumulative
    // virtual counts therefore never differ by more than one.
    const size_t k = VirtualPerRound(config);
    for (size_t j = 0; j < k; ++j) {
      formats[(k * static_cast<size_t>(g) + j) % n] = Format::kVirtual;
    }
  }
  return formats;
}

void ValidateRotation(const Config& config) {
  const std::string where = config.source + ": rotation";
  const size_t n = config.areas.size();
  if (config.rotation.table.empty()) {
    ThrowInvalid(where + ".table: at least one round is required");
  }
  const size_t k = VirtualPerRound(config);
  for (size_t r = 0; r < config.rotation.table.size(); ++r) {
    const auto& row = config.rotation.table[r];
    if (row.size() != k) {
      ThrowInvalid(where + ".table[" + std::to_string(r) + "]: has " +
                   std::to_string(row.size()) +
                   " virtual areas but round 1 has " + std::to_string(k) +
                   "; every round must have the same shape");
    }
    for (const std::string& name : row) {
      const Area* area = config.FindArea(name);
      if (area == nullptr || area->evening) {
        ThrowInvalid(where + ".table[" + std::to_string(r) + "]: '" + name +
                     "' is not a configured area");
      }
    }
  }
  if (config.rotation.mode != RotationMode::kBalanced) return;
  if (k == 0 || k >= n) {
    ThrowInvalid(where + ": balanced mode needs between 1 and " +
                 std::to_string(n - 1) + " virtual area forums per round");
  }
  // The pattern repeats every n / gcd(n, k) rounds; walk two periods plus two
  // rounds so runs that wrap around the period are seen.
  const int period = static_cast<int>(n / std::gcd(n, k));
  for (size_t i = 0; i < n; ++i) {
    int run = 0;
    Format previous = Format::kVirtual;
    for (int g = 0; g < 2 * period + 2; ++g) {
      Format f = RoundFormats(config, g)[i];
      run = (g > 0 && f == previous) ? run + 1 : 1;
      previous = f;
      if (run >= 3) {
        ThrowInvalid(where + ": balanced mode with " + std::to_string(n) +
                     " areas and " + std::to_string(k) +
                     " virtual per round would keep " + config.areas[i].name +
                     " " + FormatName(f) +
                     " three rounds running; change the number of virtual "
                     "forums per round");
      }
    }
  }
}

}  // namespace focus
