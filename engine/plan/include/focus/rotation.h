// Which forums are virtual in which round.
//
// Rounds are counted globally from the first round of
// RotationOptions::start_year (index 0). In table mode round index g uses
// table[g % table.size()]; in balanced mode the area forums take turns in
// configuration order, k at a time: round g makes areas
// {k*g, ..., k*g + k - 1} (mod N) virtual. The default table of the source
// excerpt is exactly the first four rounds of that cycle for the configured
// order, so balanced mode continues it across years instead of restarting.
#ifndef FOCUS_ROTATION_H_
#define FOCUS_ROTATION_H_

#include <string>
#include <vector>

#include "focus/config.h"

namespace focus {

// Global index of round `round` (1-based) of plan year `year`.
// REQUIRES: year >= config.rotation.start_year.
int GlobalRoundIndex(const Config& config, int year, int round);

// The format of each forum of global round `g`, in Config::Forums() order.
std::vector<Format> RoundFormats(const Config& config, int g);

// Checks that the rotation can keep its promises: table rows name configured
// areas, each row has the same size, and (balanced mode) no area is in the
// same format three rounds running. Throws Error(kInvalidInput) otherwise.
void ValidateRotation(const Config& config);

}  // namespace focus

#endif  // FOCUS_ROTATION_H_
