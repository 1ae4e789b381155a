#include <string>
#include <vector>

#include "config_internal.h"

namespace focus::config_internal {

const std::vector<std::vector<std::string>>& DefaultRotationTable() {
  static const auto* table = new std::vector<std::vector<std::string>>{
      {"East Surrey", "Northwest Surrey"},
      {"Surrey Downs", "Guildford & Waverley"},
      {"Farnham & Northeast Hants", "East Surrey"},
      {"Northwest Surrey", "Surrey Downs"},
  };
  return *table;
}

}  // namespace focus::config_internal
