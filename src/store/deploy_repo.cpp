// Deploys and their logs: the journal the engine writes before each side effect.
#include <sqlite3.h>

#include <string>

#include "store/sqlite.h"
#include "store/store.h"

namespace berth {
namespace {

using sqlite::Statement;

constexpr const char* kSelectDeploy =
    "SELECT d.id, p.name, s.name, d.image_repository, d.image_tag, d.image_digest, d.trigger, "
    "d.state, d.reason, d.created_at, d.started_at, d.finished_at, d.previous_deploy_id "
    "FROM deploys d JOIN stages s ON s.id = d.stage_id JOIN projects p ON p.id = s.project_id ";

std::optional<Timestamp> optionalTime(const Statement& stmt, int column) {
  if (auto ms = stmt.optionalInt64(column)) return fromUnixMillis(*ms);
  return std::nullopt;
}

DeployRecord readDeploy(sqlite3* db, const Statement& stmt) {
  const std::string trigger = stmt.text(6);
  const std::string state = stmt.text(7);
  return DeployRecord{
      .id = stmt.int64(0),
      .project = stmt.text(1),
      .stage = stmt.text(2),
      .image_repository = stmt.text(3),
      .image_tag = stmt.text(4),
      .image_digest = stmt.text(5),
      .trigger = sqlite::parseColumn(db, parseDeployTrigger(trigger), "deploys.trigger", trigger),
      .state = sqlite::parseColumn(db, parseDeployState(state), "deploys.state", state),
      .reason = stmt.text(8),
      .created_at = fromUnixMillis(stmt.int64(9)),
      .started_at = optionalTime(stmt, 10),
      .finished_at = optionalTime(stmt, 11),
      .previous_deploy_id = stmt.optionalInt64(12)};
}

[[noreturn]] void failNoDeploy(sqlite3* db, std::int64_t id) {
  sqlite::failWith(db, "deploy " + std::to_string(id) + " not found");
}

}  // namespace

std::int64_t Store::createDeploy(const NewDeploy& d) {
  sqlite::WriteTransaction tx(db_);
  const auto stage_id = stageId(d.project, d.stage);
  if (!stage_id) sqlite::failWith(db_, "no stage " + d.project + "/" + d.stage);
  Statement stmt(db_,
                 "INSERT INTO deploys (stage_id, image_repository, image_tag, image_digest, "
                 "trigger, state, created_at, previous_deploy_id) "
                 "VALUES (?1, ?2, ?3, ?4, ?5, 'queued', ?6, ?7) RETURNING id");
  stmt.bind(*stage_id, d.image_repository, d.image_tag, d.image_digest, toString(d.trigger),
            toUnixMillis(clock_()), d.previous_deploy_id);
  if (!stmt.step()) sqlite::failWith(db_, "INSERT INTO deploys returned no id");
  const std::int64_t id = stmt.int64(0);
  stmt.step();
  tx.commit();
  return id;
}

void Store::setDeployState(std::int64_t id, DeployState state, std::string_view reason) {
  sqlite::WriteTransaction tx(db_);
  const auto current = getDeploy(id);
  if (!current) failNoDeploy(db_, id);
  transition(current->state, state);  // throws IllegalTransition
  const std::int64_t now = toUnixMillis(clock_());
  // started_at is stamped by the first step after queued, and only then.
  const bool starts = state != DeployState::queued && !isFinal(state) && !current->started_at;
  Statement stmt(db_,
                 "UPDATE deploys SET state = ?2, reason = ?3, "
                 "started_at = CASE WHEN ?4 THEN ?6 ELSE started_at END, "
                 "finished_at = CASE WHEN ?5 THEN ?6 ELSE NULL END WHERE id = ?1");
  stmt.bind(id, toString(state), reason, starts, isFinal(state), now);
  stmt.run();
  tx.commit();
}

void Store::setDeployDigest(std::int64_t id, std::string_view digest) {
  Statement stmt(db_, "UPDATE deploys SET image_digest = ?2 WHERE id = ?1");
  stmt.bind(id, digest);
  stmt.run();
  if (sqlite3_changes(db_) == 0) failNoDeploy(db_, id);
}

std::int64_t Store::appendDeployLog(std::int64_t id, std::string_view level,
                                    std::string_view message) {
  // One statement computes the next seq and inserts it; SQLite runs it under the write lock,
  // so two writers cannot take the same number. No row back means no such deploy.
  Statement stmt(db_,
                 "INSERT INTO deploy_logs (deploy_id, seq, ts, level, message) "
                 "SELECT d.id, coalesce((SELECT max(seq) FROM deploy_logs WHERE deploy_id = d.id),"
                 " 0) + 1, ?2, ?3, ?4 FROM deploys d WHERE d.id = ?1 "
                 "RETURNING seq");
  stmt.bind(id, toUnixMillis(clock_()), level, message);
  if (!stmt.step()) failNoDeploy(db_, id);
  const std::int64_t seq = stmt.int64(0);
  stmt.step();
  return seq;
}

std::vector<DeployLogEntry> Store::deployLog(std::int64_t id, std::int64_t after_seq,
                                             std::optional<int> limit) const {
  Statement stmt(db_,
                 "SELECT seq, ts, level, message FROM deploy_logs "
                 "WHERE deploy_id = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3");
  stmt.bind(id, after_seq, limit.value_or(-1));  // LIMIT -1: no limit
  std::vector<DeployLogEntry> entries;
  while (stmt.step())
    entries.push_back({.deploy_id = id,
                       .seq = stmt.int64(0),
                       .ts = fromUnixMillis(stmt.int64(1)),
                       .level = stmt.text(2),
                       .message = stmt.text(3)});
  return entries;
}

std::optional<DeployRecord> Store::getDeploy(std::int64_t id) const {
  Statement stmt(db_, std::string(kSelectDeploy) + "WHERE d.id = ?1");
  stmt.bind(id);
  if (!stmt.step()) return std::nullopt;
  return readDeploy(db_, stmt);
}

std::vector<DeployRecord> Store::listDeploys(const DeployQuery& query) const {
  // Only the filters that are set appear in the SQL (fixed fragments, values always bound), so
  // the planner can walk deploys_by_stage or the primary key newest first and stop at LIMIT.
  std::string sql = std::string(kSelectDeploy) + "WHERE 1";
  int next = 0;
  auto filter = [&](const auto& value, const char* condition) {
    if (value) sql += std::string(" AND ") + condition + std::to_string(++next);
  };
  filter(query.project, "p.name = ?");
  filter(query.stage, "s.name = ?");
  std::optional<std::string> state;
  if (query.state) state = toString(*query.state);
  filter(state, "d.state = ?");
  filter(query.before_id, "d.id < ?");
  sql += " ORDER BY d.id DESC LIMIT ?" + std::to_string(++next);

  Statement stmt(db_, sql);
  int index = 0;
  auto bindIfSet = [&](const auto& value) {
    if (value) stmt.bindAt(++index, *value);
  };
  bindIfSet(query.project);
  bindIfSet(query.stage);
  bindIfSet(state);
  bindIfSet(query.before_id);
  stmt.bindAt(++index, query.limit);  // LIMIT -1: no limit

  std::vector<DeployRecord> deploys;
  while (stmt.step())
    deploys.push_back(readDeploy(db_, stmt));
  return deploys;
}

}  // namespace berth
