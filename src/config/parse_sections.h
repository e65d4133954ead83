// One reader per section of berth.yaml (see ARCHITECTURE.md §4). Each fills its part of the
// model from the YAML under `root`, keeps model defaults for what is omitted, and reports every
// problem through the reader's Diagnostics. Private to config/.
#pragma once

#include <optional>
#include <string>

#include "config/yaml_reader.h"
#include "core/model.h"

namespace berth {

void readServer(const MapReader& root, ServerSettings& out);
void readDocker(const MapReader& root, DockerSettings& out);
void readRegistries(const MapReader& root, std::vector<RegistryCredential>& out);
void readProxy(const MapReader& root, ProxySettings& out);
void readAuth(const MapReader& root, AuthSettings& out);
void readProjects(const MapReader& root, std::vector<Project>& out);

// A stage's `tags:`; nullopt when absent or wrong (reported). `ok` is cleared on errors.
std::optional<TagPolicy> readTagPolicy(const MapReader& stage);

// One stage or project list item (`item` must be a map), with the positions that checks across
// items need (duplicate names, promote_from, domains used twice). `list_at` (the list's position)
// locates an empty item, which yaml-cpp places at the next token.
struct StageRead {
  Stage stage;
  bool ok = false;   // read without errors
  std::string path;  // e.g. projects[0].stages[1]
  Where name_at;
  Where promote_at;
  std::vector<Where> domain_at;  // one per stage.domains entry
};
StageRead readStage(const YAML::Node& item, const std::string& path, Diagnostics& diag,
                    Where list_at);

struct ProjectRead {
  Project project;
  bool ok = false;
  std::string path;
  Where name_at;
  std::vector<StageRead> stages;
};
ProjectRead readProject(const YAML::Node& item, const std::string& path, Diagnostics& diag,
                        Where list_at);

}  // namespace berth
