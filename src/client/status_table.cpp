#include "client/status_table.h"

#include <algorithm>
#include <map>
#include <vector>

#include "client/deploy_text.h"

namespace berth::client {
namespace {

std::string text(const Json& object, const char* key) {
  if (!object.is_object() || !object.contains(key) || !object[key].is_string()) return "";
  return object[key].get<std::string>();
}

const Json& member(const Json& object, const char* key) {
  static const Json null;
  return object.is_object() && object.contains(key) ? object[key] : null;
}

// "2026-01-01T12:00:09.870Z" -> "2026-01-01 12:00:09Z": seconds are enough in a table.
std::string shortTime(const std::string& iso) {
  std::string out = iso;
  const auto dot = out.find('.');
  if (dot != std::string::npos) out = out.substr(0, dot) + "Z";
  std::replace(out.begin(), out.end(), 'T', ' ');
  return out;
}

std::string lastDeployCell(const Json& deploy) {
  if (!deploy.is_object()) return "-";
  const auto& id = member(deploy, "id");
  const std::string when = text(deploy, "finished_at").empty() ? text(deploy, "created_at")
                                                               : text(deploy, "finished_at");
  return "#" + (id.is_number_integer() ? std::to_string(id.get<std::int64_t>()) : "?") + " " +
         text(member(deploy, "image"), "tag") + " " + text(deploy, "state") +
         (when.empty() ? "" : " " + shortTime(when));
}

using Row = std::vector<std::string>;

std::string render(const std::vector<Row>& rows) {
  std::vector<size_t> widths;
  for (const auto& row : rows)
    for (size_t i = 0; i < row.size(); ++i) {
      if (widths.size() <= i) widths.push_back(0);
      widths[i] = std::max(widths[i], row[i].size());
    }
  std::string out;
  for (const auto& row : rows) {
    std::string line;
    for (size_t i = 0; i < row.size(); ++i) {
      line += row[i];
      if (i + 1 < row.size()) line += std::string(widths[i] - row[i].size() + 2, ' ');
    }
    out += line + "\n";
  }
  return out;
}

}  // namespace

std::string instanceSummary(const Json& instances) {
  if (!instances.is_array() || instances.empty()) return "none";
  std::map<std::string, int> by_state;
  for (const auto& instance : instances) {
    const std::string state = text(instance, "state");
    ++by_state[state.empty() ? "unknown" : state];
  }
  // Healthy first: it is the number an operator looks for.
  std::string out;
  if (auto healthy = by_state.find("healthy"); healthy != by_state.end()) {
    out = std::to_string(healthy->second) + " healthy";
    by_state.erase(healthy);
  }
  for (const auto& [state, count] : by_state)
    out += (out.empty() ? "" : ", ") + std::to_string(count) + " " + state;
  return out;
}

std::string statusTable(const Json& projects) {
  if (!projects.is_array() || projects.empty()) return "no projects\n";
  std::vector<Row> rows{{"STAGE", "TAG", "DIGEST", "INSTANCES", "LAST DEPLOY"}};
  std::vector<std::string> problems;
  for (const auto& project : projects) {
    for (const auto& stage : member(project, "stages")) {
      const std::string name = text(project, "name") + "/" + text(stage, "name");
      const Json& current = member(stage, "current");
      const Json& last = member(stage, "last_deploy");
      const std::string tag = text(current, "tag");
      const std::string digest = shortDigest(member(current, "digest"));
      rows.push_back({name, tag.empty() ? "-" : tag, digest.empty() ? "-" : digest,
                      instanceSummary(member(stage, "instances")), lastDeployCell(last)});
      const std::string state = text(last, "state");
      const std::string reason = text(last, "reason");
      if (!reason.empty() && state != "succeeded")
        problems.push_back(name + ": " + describeOutcome(last));
    }
  }
  std::string out = render(rows);
  for (const auto& problem : problems)
    out += problem + "\n";
  return out;
}

}  // namespace berth::client
