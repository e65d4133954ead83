// Store::replaceConfig: writes an imported configuration in one transaction.
//
// Projects and stages are matched by name so their row ids, and with them the deploy history
// that references the stage id, survive a re-import. Everything without history (settings,
// registries, env, volumes, domains) is simply rewritten.
#include <map>
#include <set>
#include <string>

#include "core/model_names.h"
#include "store/settings_json.h"
#include "store/sqlite.h"
#include "store/store.h"

namespace berth {
namespace {

using sqlite::Statement;

// name -> id of the rows that exist before the import.
std::map<std::string, std::int64_t> existingIds(Statement& stmt) {
  std::map<std::string, std::int64_t> ids;
  while (stmt.step())
    ids.emplace(stmt.text(1), stmt.int64(0));
  return ids;
}

class ConfigWriter {
 public:
  explicit ConfigWriter(sqlite3* db) : db_(db) {}

  void write(const Config& config) {
    writeSettings(config);
    writeRegistries(config.registries);
    // Rewritten wholesale below; clearing them first also lets a domain move from one stage to
    // another without tripping its UNIQUE constraint half-way.
    for (const char* table :
         {"project_env", "project_volumes", "stage_env", "stage_volumes", "stage_domains"})
      Statement(db_, std::string("DELETE FROM ") + table).run();
    writeProjects(config.projects);
  }

  // What was being written when something failed, for the error message.
  const std::string& context() const { return context_; }

 private:
  void writeSettings(const Config& config) {
    context_ = "settings";
    Statement stmt(db_, "INSERT OR REPLACE INTO settings (key, value) VALUES (?1, ?2)");
    auto put = [&](const char* key, const std::string& json) {
      stmt.reset();
      stmt.bind(key, json);
      stmt.run();
    };
    put("server", settings_json::encode(config.server));
    put("docker", settings_json::encode(config.docker));
    put("proxy", settings_json::encode(config.proxy));
    put("auth", settings_json::encode(config.auth));
  }

  void writeRegistries(const std::vector<RegistryCredential>& registries) {
    context_ = "registries";
    Statement(db_, "DELETE FROM registries").run();
    Statement stmt(db_,
                   "INSERT INTO registries (position, host, username, password_env, insecure) "
                   "VALUES (?1, ?2, ?3, ?4, ?5)");
    int position = 0;
    for (const auto& r : registries) {
      context_ = "registry " + r.host;
      stmt.reset();
      stmt.bind(position++, r.host, r.username, r.password_env, r.insecure);
      stmt.run();
    }
  }

  void writeProjects(const std::vector<Project>& projects) {
    Statement select(db_, "SELECT id, name FROM projects");
    auto existing = existingIds(select);
    std::set<std::string> names;
    for (const auto& p : projects)
      names.insert(p.name);
    for (const auto& [name, id] : existing)
      if (!names.count(name)) deleteRow("projects", "project " + name, id);

    std::set<std::string> seen;
    int position = 0;
    for (const auto& p : projects) {
      context_ = "project " + p.name;
      if (!seen.insert(p.name).second) sqlite::failWith(db_, "project appears twice");
      auto it = existing.find(p.name);
      const std::int64_t id = it != existing.end() ? updateProject(it->second, p, position)
                                                   : insertProject(p, position);
      ++position;
      writeEnv("project_env", "project_id", id, p.env);
      writeList("project_volumes", "project_id", "spec", id, p.volumes);
      writeStages(id, p);
    }
  }

  void writeStages(std::int64_t project_id, const Project& project) {
    Statement select(db_, "SELECT id, name FROM stages WHERE project_id = ?1");
    select.bind(project_id);
    auto existing = existingIds(select);
    std::set<std::string> names;
    for (const auto& s : project.stages)
      names.insert(s.name);
    for (const auto& [name, id] : existing)
      if (!names.count(name)) deleteRow("stages", "stage " + project.name + "/" + name, id);

    std::set<std::string> seen;
    int position = 0;
    for (const auto& s : project.stages) {
      context_ = "stage " + project.name + "/" + s.name;
      if (!seen.insert(s.name).second) sqlite::failWith(db_, "stage appears twice");
      auto it = existing.find(s.name);
      const std::int64_t id = it != existing.end() ? updateStage(it->second, s, position)
                                                   : insertStage(project_id, s, position);
      ++position;
      writeEnv("stage_env", "stage_id", id, s.env);
      writeList("stage_volumes", "stage_id", "spec", id, s.volumes);
      writeList("stage_domains", "stage_id", "domain", id, s.domains);
    }
  }

  // Column lists shared by INSERT and UPDATE, so the two cannot drift apart.
  static constexpr const char* kProjectColumns =
      "position, image, port, health_path, health_interval_ms, health_timeout_ms, "
      "webhook_secret_env, poll_interval_ms";
  static void bindProject(Statement& stmt, const Project& p, int position) {
    stmt.bind(position, p.image, p.port, p.health.path,
              static_cast<std::int64_t>(p.health.interval.count()),
              static_cast<std::int64_t>(p.health.timeout.count()), p.webhook_secret_env,
              static_cast<std::int64_t>(p.poll_interval.count()));
  }

  std::int64_t updateProject(std::int64_t id, const Project& p, int position) {
    Statement stmt(db_, std::string("UPDATE projects SET (") + kProjectColumns +
                            ") = (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) WHERE id = ?9");
    bindProject(stmt, p, position);
    stmt.bindAt(9, id);
    stmt.run();
    return id;
  }

  std::int64_t insertProject(const Project& p, int position) {
    Statement stmt(db_, std::string("INSERT INTO projects (") + kProjectColumns +
                            ", name) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) RETURNING id");
    bindProject(stmt, p, position);
    stmt.bindAt(9, p.name);
    return insertedId(stmt);
  }

  static constexpr const char* kStageColumns =
      "position, tag_order, tag_match, tag_prerelease, tag_watch, auto_deploy, promote_from, "
      "strategy, replicas, drain_ms";
  static void bindStage(Statement& stmt, const Stage& s, int position) {
    // No policy: tag_order NULL, the other tag columns at their defaults.
    const TagPolicy policy = s.tags.value_or(TagPolicy{});
    std::optional<std::string> order;
    if (s.tags) order = toString(policy.order);
    stmt.bind(position, order, policy.match, policy.prerelease, policy.watch, s.auto_deploy,
              s.promote_from, toString(s.strategy), s.replicas,
              static_cast<std::int64_t>(s.drain.count()));
  }

  std::int64_t updateStage(std::int64_t id, const Stage& s, int position) {
    Statement stmt(db_, std::string("UPDATE stages SET (") + kStageColumns +
                            ") = (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) WHERE id = ?11");
    bindStage(stmt, s, position);
    stmt.bindAt(11, id);
    stmt.run();
    return id;
  }

  std::int64_t insertStage(std::int64_t project_id, const Stage& s, int position) {
    Statement stmt(db_, std::string("INSERT INTO stages (") + kStageColumns +
                            ", project_id, name) "
                            "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12) "
                            "RETURNING id");
    bindStage(stmt, s, position);
    stmt.bindAt(11, project_id);
    stmt.bindAt(12, s.name);
    return insertedId(stmt);
  }

  std::int64_t insertedId(Statement& stmt) {
    if (!stmt.step()) sqlite::failWith(db_, "INSERT returned no id");
    const std::int64_t id = stmt.int64(0);
    stmt.step();  // finish the statement so its changes are complete
    return id;
  }

  // Table and column names below are our own literals, never input.
  void deleteRow(const char* table, std::string what, std::int64_t id) {
    context_ = "removing " + std::move(what);
    Statement stmt(db_, std::string("DELETE FROM ") + table + " WHERE id = ?1");
    stmt.bind(id);
    stmt.run();
  }

  void writeEnv(const char* table, const char* owner_column, std::int64_t owner,
                const std::map<std::string, std::string>& env) {
    Statement stmt(db_, std::string("INSERT INTO ") + table + " (" + owner_column +
                            ", key, value) VALUES (?1, ?2, ?3)");
    for (const auto& [key, value] : env) {
      stmt.reset();
      stmt.bind(owner, key, value);
      stmt.run();
    }
  }

  void writeList(const char* table, const char* owner_column, const char* value_column,
                 std::int64_t owner, const std::vector<std::string>& values) {
    Statement stmt(db_, std::string("INSERT INTO ") + table + " (" + owner_column + ", position, " +
                            value_column + ") VALUES (?1, ?2, ?3)");
    int position = 0;
    for (const auto& value : values) {
      stmt.reset();
      stmt.bind(owner, position++, value);
      stmt.run();
    }
  }

  sqlite3* db_;
  std::string context_;
};

}  // namespace

void Store::replaceConfig(const Config& config) {
  sqlite::WriteTransaction tx(db_);
  ConfigWriter writer(db_);
  try {
    writer.write(config);
  } catch (const StoreError& e) {
    // The transaction rolls back as the exception leaves this scope.
    throw StoreError(std::string(e.what()) + " (importing " + writer.context() + ")");
  }
  tx.commit();
  ++config_writes_;
}

}  // namespace berth
