// Store methods for the instances table (migration_001_initial.cpp).
#include "store/sqlite.h"
#include "store/store.h"

namespace berth {

using sqlite::Statement;

void Store::upsertInstance(const InstanceRecord& record) {
  const auto stage = stageId(record.project, record.stage);
  if (!stage) {
    sqlite::failWith(
        db_, "no stage " + record.project + "/" + record.stage + " for instance " + record.name);
  }
  Statement stmt(db_,
                 "INSERT INTO instances (stage_id, deploy_id, container_id, name, color, state,"
                 " health, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) "
                 "ON CONFLICT (container_id) DO UPDATE SET stage_id = excluded.stage_id,"
                 " deploy_id = excluded.deploy_id, name = excluded.name, color = excluded.color,"
                 " state = excluded.state, health = excluded.health,"
                 " updated_at = excluded.updated_at");
  stmt.bind(*stage, record.deploy_id, record.container_id, record.name, record.color, record.state,
            record.health, toUnixMillis(clock_()));
  stmt.run();
}

void Store::removeInstance(std::string_view container_id) {
  Statement stmt(db_, "DELETE FROM instances WHERE container_id = ?1");
  stmt.bind(container_id);
  stmt.run();
}

std::vector<InstanceRecord> Store::listInstances(std::string_view project,
                                                 std::string_view stage) const {
  Statement stmt(db_,
                 "SELECT i.id, i.deploy_id, i.container_id, i.name, i.color, i.state, i.health,"
                 " i.updated_at FROM instances i JOIN stages s ON s.id = i.stage_id"
                 " JOIN projects p ON p.id = s.project_id"
                 " WHERE p.name = ?1 AND s.name = ?2 ORDER BY i.name, i.id");
  stmt.bind(project, stage);
  std::vector<InstanceRecord> out;
  while (stmt.step()) {
    out.push_back(InstanceRecord{.id = stmt.int64(0),
                                 .project = std::string(project),
                                 .stage = std::string(stage),
                                 .deploy_id = stmt.optionalInt64(1),
                                 .container_id = stmt.text(2),
                                 .name = stmt.text(3),
                                 .color = stmt.text(4),
                                 .state = stmt.text(5),
                                 .health = stmt.text(6),
                                 .updated_at = fromUnixMillis(stmt.int64(7))});
  }
  return out;
}

}  // namespace berth
