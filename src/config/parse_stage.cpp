// One entry of a project's `stages:` list.
#include "config/names.h"
#include "config/parse_sections.h"
#include "core/model_names.h"

namespace berth {
namespace {

// Function-local statics: a parse may run while another file's globals are being
// initialised (e.g. a test's constant), before this file's globals would exist.
const std::vector<std::string>& stageKeys() {
  static const std::vector<std::string> names{"name",     "tags",   "auto_deploy", "promote_from",
                                              "strategy", "drain",  "replicas",    "domains",
                                              "env",      "volumes"};
  return names;
}
const std::vector<std::string>& strategyNames() {
  static const std::vector<std::string> names{toString(Strategy::recreate),
                                              toString(Strategy::blue_green)};
  return names;
}
// More replicas than this on one Docker host is almost certainly a typo (an extra zero).
constexpr int kMaxReplicas = 100;
// A longer drain holds a deploy (and the stage's queue) for no good reason; 0s stops the old
// instances right after the switch.
constexpr Duration kMaxDrain = std::chrono::minutes(10);

}  // namespace

StageRead readStage(const YAML::Node& item, const std::string& path, Diagnostics& diag,
                    Where list_at) {
  StageRead read;
  read.path = path;
  const size_t errors_before = diag.count();
  const MapReader r(item, path, diag, stageKeys(), list_at);
  if (!r.isMap()) return read;
  Stage& stage = read.stage;

  if (r.require("name") && r.string("name", stage.name)) {
    if (std::string problem = nameProblem(stage.name); !problem.empty()) r.error("name", problem);
  }
  read.name_at = r.whereValue("name");
  stage.tags = readTagPolicy(r);
  if (r.boolean("auto_deploy", stage.auto_deploy) && stage.auto_deploy && !r.has("tags"))
    r.error("auto_deploy", "auto_deploy needs tags: to know which tags to follow");
  // Whether promote_from names a stage of this project is checked by the project reader.
  r.string("promote_from", stage.promote_from);
  read.promote_at = r.whereValue("promote_from");
  r.enumeration("strategy", stage.strategy, parseStrategy, strategyNames());
  // Like prerelease for a non-semver order: a key that would be silently ignored is an error.
  if (r.duration("drain", stage.drain, Duration::zero(), kMaxDrain) &&
      stage.strategy != Strategy::blue_green)
    r.error("drain",
            "only applies to strategy blue-green (strategy is " + toString(stage.strategy) + ")");
  r.integer("replicas", stage.replicas, 1, kMaxReplicas);
  if (r.stringList("domains", stage.domains, domainProblem)) {
    const YAML::Node list = *r.get("domains");
    for (size_t i = 0; i < list.size(); ++i)
      read.domain_at.push_back(whereOf(list[i]));
  }
  r.envMap("env", stage.env);
  r.stringList("volumes", stage.volumes, volumeProblem);

  read.ok = diag.count() == errors_before;
  return read;
}

}  // namespace berth
