// One entry of the `projects:` list, and the checks across its stages.
#include <algorithm>
#include <map>
#include <string_view>

#include "config/names.h"
#include "config/parse_sections.h"
#include "config/promotion_cycles.h"
#include "config/suggest.h"
#include "core/duration.h"
#include "core/image_ref.h"

namespace berth {
namespace {

// Function-local statics: a parse may run while another file's globals are being
// initialised (e.g. a test's constant), before this file's globals would exist.
const std::vector<std::string>& projectKeys() {
  static const std::vector<std::string> names{
      "name", "image", "port", "health", "env", "volumes", "webhook_secret_env", "poll", "stages"};
  return names;
}

// The project names a repository; which tag runs is each stage's business (`tags:`), so a tag or
// digest here would be ambiguous.
void checkImage(const MapReader& r, const std::string& image) {
  const auto parsed = parseImageRef(image);
  if (!parsed.ok()) {
    r.error("image", parsed.error());
    return;
  }
  // The repository is what precedes the digest and the last component's ":tag".
  std::string repository = image.substr(0, image.find('@'));
  const size_t last_slash = repository.rfind('/');
  const size_t tag_colon =
      repository.find(':', last_slash == std::string::npos ? 0 : last_slash + 1);
  repository = repository.substr(0, tag_colon);
  if (repository != image)
    r.error("image", "expected a repository without tag or digest, such as '" + repository +
                         "' (stages choose tags with tags:), got '" + image + "'");
}

void readHealth(const MapReader& project, HealthCheck& out) {
  const auto r = project.child("health", {"path", "interval", "timeout"});
  if (!r) return;
  if (r->string("path", out.path) && !out.path.empty() && !out.path.starts_with('/'))
    r->error("path", "expected an absolute URL path such as /healthz, got '" + out.path + "'");
  using namespace std::chrono_literals;
  r->duration("interval", out.interval, 100ms);
  if (r->duration("timeout", out.timeout, 1s) && out.timeout < out.interval)
    r->error("timeout", "must be at least the interval (" + formatDuration(out.interval) + ")");
}

void readPoll(const MapReader& project, Duration& interval) {
  const auto r = project.child("poll", {"interval"});
  if (!r) return;
  // Registries rate-limit; polling more often than every second only burns the budget.
  r->duration("interval", interval, std::chrono::seconds(1));
}

// Duplicate stage names, and promote_from naming an unknown stage, the stage itself, or a cycle.
void checkStages(const std::vector<StageRead>& stages, Diagnostics& diag) {
  std::vector<std::string> names;
  for (const auto& s : stages)
    names.push_back(s.stage.name);
  // Name -> first index; a map, not a scan per stage, which is quadratic in the stage count.
  std::map<std::string_view, size_t> first_with;
  for (size_t i = 0; i < stages.size(); ++i) {
    const auto [first, inserted] = first_with.emplace(names[i], i);
    if (!names[i].empty() && !inserted)
      diag.error(stages[i].name_at, childPath(stages[i].path, "name"),
                 "duplicate stage name '" + names[i] + "' (first at line " +
                     std::to_string(stages[first->second].name_at.line) + ")");
  }
  std::vector<std::string> promote_from;
  for (const auto& s : stages) {
    const std::string& from = s.stage.promote_from;
    promote_from.push_back(from);
    if (from.empty() || from == s.stage.name) continue;  // self: reported as a cycle below
    if (first_with.contains(from)) continue;
    std::string message = "unknown stage '" + from + "'";
    std::vector<std::string> others;
    for (const auto& n : names)
      if (n != s.stage.name && !n.empty()) others.push_back(n);
    if (auto guess = closestMatch(from, others))
      message += "; did you mean '" + *guess + "'?";
    else if (!others.empty())
      message += "; stages of this project: " + joinList(others);
    diag.error(s.promote_at, childPath(s.path, "promote_from"), message);
  }
  for (const auto& cycle : findPromotionCycles(names, promote_from)) {
    const StageRead& first = stages[cycle.front()];
    std::string message;
    if (cycle.size() == 1) {
      message = "a stage cannot promote from itself";
    } else {
      message = "promotion cycle: " + names[cycle[0]];
      for (size_t k = 1; k <= cycle.size(); ++k)
        message += std::string(k == 1 ? "" : ", which") + " promotes from " +
                   names[cycle[k % cycle.size()]];
      message += "; the first stage of a chain must be deployed by tags or by hand";
    }
    diag.error(first.promote_at, childPath(first.path, "promote_from"), message);
  }
}

}  // namespace

ProjectRead readProject(const YAML::Node& item, const std::string& path, Diagnostics& diag,
                        Where list_at) {
  ProjectRead read;
  read.path = path;
  const size_t errors_before = diag.count();
  const MapReader r(item, path, diag, projectKeys(), list_at);
  if (!r.isMap()) return read;
  Project& project = read.project;

  if (r.require("name") && r.string("name", project.name)) {
    if (std::string problem = nameProblem(project.name); !problem.empty()) r.error("name", problem);
  }
  read.name_at = r.whereValue("name");
  if (r.require("image") && r.string("image", project.image)) checkImage(r, project.image);
  r.integer("port", project.port, 1, 65535);
  readHealth(r, project.health);
  r.envMap("env", project.env);
  r.stringList("volumes", project.volumes, volumeProblem);
  r.envReference("webhook_secret_env", project.webhook_secret_env);
  readPoll(r, project.poll_interval);

  if (r.require("stages")) {
    if (const auto list = r.list("stages")) {
      if (list->size() == 0) r.error("stages", "a project needs at least one stage");
      for (size_t i = 0; i < list->size(); ++i) {
        read.stages.push_back(
            readStage((*list)[i], itemPath(r.keyPath("stages"), i), diag, whereOf(*list)));
        project.stages.push_back(read.stages.back().stage);
      }
      checkStages(read.stages, diag);
    }
  }
  read.ok = diag.count() == errors_before;
  return read;
}

}  // namespace berth
