// Written against the backend seam (sql_backend.h): portable SQL.
#include "focus/forums_repository.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "sql_backend.h"

namespace focus {

using store_internal::SqlQuery;

int64_t ForumsRepository::Insert(const ForumRow& row,
                                 const std::string& recorded_at,
                                 const std::string& recorded_by) {
  // An id of its own only when given (see TicketsRepository::Insert).
  std::unique_ptr<SqlQuery> q = db_.Prepare(
      std::string("INSERT INTO forums (plan_id, area, held_on, format, title, "
                  "service_users, carers, trust_staff, governors, others, "
                  "recorded_at, recorded_by") +
      (row.id ? ", id" : "") +
      ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12" +
      (row.id ? ", $13)" : ")"));
  q->Bind(1, row.plan_id.empty() ? std::nullopt
                                 : std::optional<std::string>(row.plan_id))
      .Bind(2, row.area)
      .Bind(3, row.held_on)
      .Bind(4, row.format)
      .Bind(5, row.title)
      .Bind(6, row.service_users)
      .Bind(7, row.carers)
      .Bind(8, row.trust_staff)
      .Bind(9, row.governors)
      .Bind(10, row.others)
      .Bind(11, recorded_at)
      .Bind(12, recorded_by);
  if (row.id) q->Bind(13, row.id);
  q->Step();
  // A given id took no number from the sequence (PostgreSQL's lastval()
  // would fail or name another row).
  const int64_t id = row.id ? row.id : q->InsertedId();
  if (row.id) store_internal::ContinueNumbering(db_, "forums");
  for (size_t i = 0; i < row.apologies.size(); ++i) {
    std::unique_ptr<SqlQuery> a = db_.Prepare(
        "INSERT INTO forum_apologies (forum_id, position, who) VALUES ($1, "
        "$2, $3)");
    a->Bind(1, id).Bind(2, static_cast<int64_t>(i)).Bind(3, row.apologies[i]);
    a->Step();
  }
  return id;
}

std::optional<int64_t> ForumsRepository::IdOfPlan(const std::string& plan_id) {
  std::unique_ptr<SqlQuery> q =
      db_.Prepare("SELECT id FROM forums WHERE plan_id = $1");
  q->Bind(1, plan_id);
  if (!q->Step()) return std::nullopt;
  return q->Int(0);
}

bool ForumsRepository::Exists(int64_t id) {
  std::unique_ptr<SqlQuery> q =
      db_.Prepare("SELECT 1 FROM forums WHERE id = $1");
  q->Bind(1, id);
  return q->Step();
}

std::vector<ForumRow> ForumsRepository::Select(
    std::optional<int64_t> only,
    const std::optional<std::string>& recorded_before) {
  std::vector<ForumRow> forums;
  std::unordered_map<int64_t, size_t> index;
  const std::string where = only              ? " WHERE id = $1"
                            : recorded_before ? " WHERE recorded_at < $1"
                                              : "";
  std::unique_ptr<SqlQuery> q = db_.Prepare(
      "SELECT id, plan_id, area, held_on, format, title, service_users, "
      "carers, trust_staff, governors, others, recorded_at, recorded_by "
      "FROM forums" +
      where + " ORDER BY held_on, id");
  if (only) {
    q->Bind(1, *only);
  } else if (recorded_before) {
    q->Bind(1, *recorded_before);
  }
  while (q->Step()) {
    ForumRow f;
    f.id = q->Int(0);
    f.plan_id = q->Text(1);  // NULL reads as "".
    f.area = q->Text(2);
    f.held_on = q->Text(3);
    f.format = q->Text(4);
    f.title = q->Text(5);
    f.service_users = q->Int(6);
    f.carers = q->Int(7);
    f.trust_staff = q->Int(8);
    f.governors = q->Int(9);
    f.others = q->Int(10);
    f.recorded_at = q->Text(11);
    f.recorded_by = q->Text(12);
    index[f.id] = forums.size();
    forums.push_back(std::move(f));
  }
  std::unique_ptr<SqlQuery> a =
      db_.Prepare("SELECT forum_id, who FROM forum_apologies" +
                  std::string(only ? " WHERE forum_id = $1" : "") +
                  " ORDER BY forum_id, position");
  if (only) a->Bind(1, *only);
  while (a->Step()) {
    auto it = index.find(a->Int(0));
    if (it != index.end()) forums[it->second].apologies.push_back(a->Text(1));
  }
  return forums;
}

}  // namespace focus
