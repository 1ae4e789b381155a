#include "focus/forums_repository.h"

#include <SQLiteCpp/SQLiteCpp.h>

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "focus/sql_connection.h"

namespace focus {

int64_t ForumsRepository::Insert(const ForumRow& row,
                                 const std::string& recorded_at,
                                 const std::string& recorded_by) {
  PreparedStatement q = db_.Prepare(
      "INSERT INTO forums (plan_id, area, held_on, format, title, "
      "service_users, carers, trust_staff, governors, others, recorded_at, "
      "recorded_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  if (row.plan_id.empty()) {
    q->bind(1);
  } else {
    q->bind(1, row.plan_id);
  }
  q->bind(2, row.area);
  q->bind(3, row.held_on);
  q->bind(4, row.format);
  q->bind(5, row.title);
  q->bind(6, row.service_users);
  q->bind(7, row.carers);
  q->bind(8, row.trust_staff);
  q->bind(9, row.governors);
  q->bind(10, row.others);
  q->bind(11, recorded_at);
  q->bind(12, recorded_by);
  q->exec();
  const int64_t id = db_.getLastInsertRowid();
  PreparedStatement a = db_.Prepare(
      "INSERT INTO forum_apologies (forum_id, position, who) VALUES (?, ?, "
      "?)");
  for (size_t i = 0; i < row.apologies.size(); ++i) {
    a->bind(1, id);
    a->bind(2, static_cast<int64_t>(i));
    a->bind(3, row.apologies[i]);
    a->exec();
    a->reset();
  }
  return id;
}

std::optional<int64_t> ForumsRepository::IdOfPlan(const std::string& plan_id) {
  PreparedStatement q = db_.Prepare("SELECT id FROM forums WHERE plan_id = ?");
  q->bind(1, plan_id);
  if (!q->executeStep()) return std::nullopt;
  return q->getColumn(0).getInt64();
}

bool ForumsRepository::Exists(int64_t id) {
  PreparedStatement q = db_.Prepare("SELECT 1 FROM forums WHERE id = ?");
  q->bind(1, id);
  return q->executeStep();
}

std::vector<ForumRow> ForumsRepository::Select(
    std::optional<int64_t> only,
    const std::optional<std::string>& recorded_before) {
  std::vector<ForumRow> forums;
  std::unordered_map<int64_t, size_t> index;
  const std::string where = only              ? " WHERE id = ?"
                            : recorded_before ? " WHERE recorded_at < ?"
                                              : "";
  PreparedStatement q = db_.Prepare(
      "SELECT id, plan_id, area, held_on, format, title, service_users, "
      "carers, trust_staff, governors, others FROM forums" +
      where + " ORDER BY held_on, id");
  if (only) {
    q->bind(1, *only);
  } else if (recorded_before) {
    q->bind(1, *recorded_before);
  }
  while (q->executeStep()) {
    ForumRow f;
    f.id = q->getColumn(0).getInt64();
    f.plan_id = q->getColumn(1).getString();  // NULL reads as "".
    f.area = q->getColumn(2).getString();
    f.held_on = q->getColumn(3).getString();
    f.format = q->getColumn(4).getString();
    f.title = q->getColumn(5).getString();
    f.service_users = q->getColumn(6).getInt64();
    f.carers = q->getColumn(7).getInt64();
    f.trust_staff = q->getColumn(8).getInt64();
    f.governors = q->getColumn(9).getInt64();
    f.others = q->getColumn(10).getInt64();
    index[f.id] = forums.size();
    forums.push_back(std::move(f));
  }
  PreparedStatement a =
      db_.Prepare("SELECT forum_id, who FROM forum_apologies" +
                  std::string(only ? " WHERE forum_id = ?" : "") +
                  " ORDER BY forum_id, position");
  if (only) a->bind(1, *only);
  while (a->executeStep()) {
    auto it = index.find(a->getColumn(0).getInt64());
    if (it != index.end()) {
      forums[it->second].apologies.push_back(a->getColumn(1).getString());
    }
  }
  return forums;
}

}  // namespace focus
