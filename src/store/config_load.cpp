// Store::loadConfig and the id look-ups: the stored configuration back into the model.
#include <exception>
#include <string>

#include "core/model_names.h"
#include "store/settings_json.h"
#include "store/sqlite.h"
#include "store/store.h"

namespace berth {
namespace {

using sqlite::Statement;

template <class Section>
void loadSection(sqlite3* db, const char* key, Section& out) {
  Statement stmt(db, "SELECT value FROM settings WHERE key = ?1");
  stmt.bind(key);
  if (!stmt.step()) return;  // never imported: keep the defaults
  try {
    settings_json::decode(stmt.text(0), out);
  } catch (const std::exception& e) {
    sqlite::failWith(db, std::string("settings '") + key + "': " + e.what());
  }
}

std::vector<RegistryCredential> loadRegistries(sqlite3* db) {
  std::vector<RegistryCredential> registries;
  Statement stmt(db,
                 "SELECT host, username, password_env, insecure FROM registries "
                 "ORDER BY position, id");
  while (stmt.step())
    registries.push_back({.host = stmt.text(0),
                          .username = stmt.text(1),
                          .password_env = stmt.text(2),
                          .insecure = stmt.boolean(3)});
  return registries;
}

// Reads the lists and maps hanging off projects and stages. Each statement is prepared once
// and re-run per owner.
class ChildReader {
 public:
  explicit ChildReader(sqlite3* db)
      : project_env_(db, "SELECT key, value FROM project_env WHERE project_id = ?1"),
        project_volumes_(db,
                         "SELECT spec FROM project_volumes WHERE project_id = ?1 "
                         "ORDER BY position"),
        stage_env_(db, "SELECT key, value FROM stage_env WHERE stage_id = ?1"),
        stage_volumes_(db, "SELECT spec FROM stage_volumes WHERE stage_id = ?1 ORDER BY position"),
        stage_domains_(db,
                       "SELECT domain FROM stage_domains WHERE stage_id = ?1 ORDER BY position") {}

  std::map<std::string, std::string> projectEnv(std::int64_t id) { return map(project_env_, id); }
  std::vector<std::string> projectVolumes(std::int64_t id) { return list(project_volumes_, id); }
  std::map<std::string, std::string> stageEnv(std::int64_t id) { return map(stage_env_, id); }
  std::vector<std::string> stageVolumes(std::int64_t id) { return list(stage_volumes_, id); }
  std::vector<std::string> stageDomains(std::int64_t id) { return list(stage_domains_, id); }

 private:
  static std::map<std::string, std::string> map(Statement& stmt, std::int64_t owner) {
    stmt.reset();
    stmt.bind(owner);
    std::map<std::string, std::string> result;
    while (stmt.step())
      result.emplace(stmt.text(0), stmt.text(1));
    return result;
  }
  static std::vector<std::string> list(Statement& stmt, std::int64_t owner) {
    stmt.reset();
    stmt.bind(owner);
    std::vector<std::string> result;
    while (stmt.step())
      result.push_back(stmt.text(0));
    return result;
  }

  Statement project_env_, project_volumes_, stage_env_, stage_volumes_, stage_domains_;
};

std::vector<Stage> loadStages(sqlite3* db, ChildReader& children, std::int64_t project_id) {
  Statement stmt(db,
                 "SELECT id, name, tag_order, tag_match, tag_prerelease, tag_watch, auto_deploy, "
                 "promote_from, strategy, replicas, drain_ms FROM stages WHERE project_id = ?1 "
                 "ORDER BY position, id");
  stmt.bind(project_id);
  std::vector<Stage> stages;
  while (stmt.step()) {
    const std::int64_t id = stmt.int64(0);
    Stage s;
    s.name = stmt.text(1);
    if (!stmt.isNull(2)) {
      const std::string order = stmt.text(2);
      s.tags = TagPolicy{
          .match = stmt.text(3),
          .order = sqlite::parseColumn(db, parseTagOrder(order), "stages.tag_order", order),
          .prerelease = stmt.boolean(4),
          .watch = stmt.text(5)};
    }
    s.auto_deploy = stmt.boolean(6);
    s.promote_from = stmt.text(7);
    const std::string strategy = stmt.text(8);
    s.strategy = sqlite::parseColumn(db, parseStrategy(strategy), "stages.strategy", strategy);
    s.replicas = stmt.int32(9);
    s.drain = Duration(stmt.int64(10));
    s.domains = children.stageDomains(id);
    s.env = children.stageEnv(id);
    s.volumes = children.stageVolumes(id);
    stages.push_back(std::move(s));
  }
  return stages;
}

std::vector<Project> loadProjects(sqlite3* db) {
  ChildReader children(db);
  Statement stmt(db,
                 "SELECT id, name, image, port, health_path, health_interval_ms, "
                 "health_timeout_ms, webhook_secret_env, poll_interval_ms FROM projects "
                 "ORDER BY position, id");
  std::vector<Project> projects;
  while (stmt.step()) {
    const std::int64_t id = stmt.int64(0);
    Project p;
    p.name = stmt.text(1);
    p.image = stmt.text(2);
    p.port = stmt.int32(3);
    p.health = HealthCheck{.path = stmt.text(4),
                           .interval = Duration(stmt.int64(5)),
                           .timeout = Duration(stmt.int64(6))};
    p.webhook_secret_env = stmt.text(7);
    p.poll_interval = Duration(stmt.int64(8));
    p.env = children.projectEnv(id);
    p.volumes = children.projectVolumes(id);
    p.stages = loadStages(db, children, id);
    projects.push_back(std::move(p));
  }
  return projects;
}

}  // namespace

Config Store::loadConfig() const {
  sqlite::ReadTransaction snapshot(db_);
  Config config;
  loadSection(db_, "server", config.server);
  loadSection(db_, "docker", config.docker);
  loadSection(db_, "proxy", config.proxy);
  loadSection(db_, "auth", config.auth);
  config.registries = loadRegistries(db_);
  config.projects = loadProjects(db_);
  return config;
}

std::optional<std::int64_t> Store::projectId(std::string_view project) const {
  Statement stmt(db_, "SELECT id FROM projects WHERE name = ?1");
  stmt.bind(project);
  if (!stmt.step()) return std::nullopt;
  return stmt.int64(0);
}

std::optional<std::int64_t> Store::stageId(std::string_view project, std::string_view stage) const {
  Statement stmt(db_,
                 "SELECT s.id FROM stages s JOIN projects p ON p.id = s.project_id "
                 "WHERE p.name = ?1 AND s.name = ?2");
  stmt.bind(project, stage);
  if (!stmt.step()) return std::nullopt;
  return stmt.int64(0);
}

}  // namespace berth
