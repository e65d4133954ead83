#include "api/json_views.h"

#include <chrono>
#include <nlohmann/json.hpp>

#include "core/model_names.h"
#include "events/log_line_json.h"

namespace berth::api {
namespace {

// Keys in the order written here: easier to read in curl output than alphabetical.
using Json = nlohmann::ordered_json;

using events::isoUtc;

template <class TimePoint>
Json isoOrNull(const std::optional<TimePoint>& t) {
  return t ? Json(isoUtc(std::chrono::time_point_cast<std::chrono::milliseconds>(*t)))
           : Json(nullptr);
}

template <class T>
Json valueOrNull(const std::optional<T>& v) {
  return v ? Json(*v) : Json(nullptr);
}

// Log lines and reasons may quote container output, which need not be UTF-8: replace bad
// bytes rather than fail the response.
std::string dump(const Json& body) {
  return body.dump(-1, ' ', false, Json::error_handler_t::replace);
}

Json deployJson(const DeployRecord& d) {
  return Json{{"id", d.id},
              {"project", d.project},
              {"stage", d.stage},
              {"image",
               {{"repository", d.image_repository},
                {"tag", d.image_tag},
                {"digest", d.image_digest.empty() ? Json(nullptr) : Json(d.image_digest)}}},
              {"trigger", toString(d.trigger)},
              {"state", toString(d.state)},
              {"reason", d.reason},
              {"created_at", isoUtc(d.created_at)},
              {"started_at", isoOrNull(d.started_at)},
              {"finished_at", isoOrNull(d.finished_at)},
              {"previous_deploy_id", valueOrNull(d.previous_deploy_id)}};
}

Json deployOrNull(const std::optional<DeployRecord>& d) {
  return d ? deployJson(*d) : Json(nullptr);
}

Json deployArray(const std::vector<DeployRecord>& deploys) {
  Json out = Json::array();
  for (const auto& d : deploys)
    out.push_back(deployJson(d));
  return out;
}

Json instanceJson(const InstanceRecord& i) {
  return Json{{"name", i.name},
              {"container_id", i.container_id},
              {"color", i.color},
              {"state", i.state},
              {"health", i.health},
              {"deploy_id", valueOrNull(i.deploy_id)},
              {"updated_at", isoUtc(i.updated_at)}};
}

Json instanceArray(const std::vector<InstanceRecord>& instances) {
  Json out = Json::array();
  for (const auto& i : instances)
    out.push_back(instanceJson(i));
  return out;
}

// The image a stage serves: the tag and the digest that actually ran.
Json currentImage(const std::optional<DeployRecord>& serving) {
  if (!serving) return nullptr;
  return Json{{"repository", serving->image_repository},
              {"tag", serving->image_tag},
              {"digest", serving->image_digest},
              {"deploy_id", serving->id},
              {"since", isoOrNull(serving->finished_at)}};
}

Json stageJson(const StageView& view) {
  const Stage& s = view.stage;
  return Json{{"name", s.name},
              {"strategy", toString(s.strategy)},
              {"replicas", s.replicas},
              {"auto_deploy", s.auto_deploy},
              {"promote_from", s.promote_from.empty() ? Json(nullptr) : Json(s.promote_from)},
              {"domains", s.domains},
              {"current", currentImage(view.serving)},
              {"instances", instanceArray(view.instances)},
              {"last_deploy", deployOrNull(view.last_deploy)}};
}

Json projectJson(const ProjectView& view) {
  Json stages = Json::array();
  for (const auto& stage : view.stages)
    stages.push_back(stageJson(stage));
  return Json{{"name", view.project.name},
              {"image", view.project.image},
              {"port", view.project.port},
              {"stages", std::move(stages)}};
}

Json pollStatusJson(const poller::ProjectPollStatus& p) {
  Json stages = Json::array();
  for (const auto& s : p.stages)
    stages.push_back(
        Json{{"stage", s.stage}, {"result", s.result}, {"deploy_id", valueOrNull(s.deploy_id)}});
  return Json{{"project", p.project},
              {"last_check", isoOrNull(p.last_check)},
              {"next_check", isoOrNull(p.next_check)},
              {"last_result", p.last_result},
              {"consecutive_errors", p.consecutive_errors},
              {"requests", p.requests},
              {"errors", p.errors},
              {"stages", std::move(stages)}};
}

}  // namespace

std::string projectsBody(const std::vector<ProjectView>& projects) {
  Json list = Json::array();
  for (const auto& p : projects)
    list.push_back(projectJson(p));
  return dump(Json{{"projects", std::move(list)}});
}

std::string projectBody(const ProjectView& project) {
  return dump(Json{{"project", projectJson(project)}});
}

std::string stageBody(const StageView& stage, const std::vector<DeployRecord>& recent) {
  Json body = stageJson(stage);
  body["recent_deploys"] = deployArray(recent);
  return dump(Json{{"stage", std::move(body)}});
}

std::string instancesBody(const std::vector<InstanceRecord>& instances) {
  return dump(Json{{"instances", instanceArray(instances)}});
}

std::string deployBody(const DeployRecord& deploy) {
  return dump(Json{{"deploy", deployJson(deploy)}});
}

std::string deployListBody(const std::vector<DeployRecord>& deploys,
                           std::optional<std::int64_t> next_before) {
  return dump(Json{{"deploys", deployArray(deploys)}, {"next_before", valueOrNull(next_before)}});
}

std::string logBody(const std::vector<DeployLogEntry>& lines) {
  Json out = Json::array();
  for (const auto& l : lines)
    out.push_back(
        Json{{"seq", l.seq}, {"ts", isoUtc(l.ts)}, {"level", l.level}, {"message", l.message}});
  return dump(Json{{"lines", std::move(out)}});
}

std::string pollerBody(bool enabled, const std::vector<poller::ProjectPollStatus>& projects) {
  Json list = Json::array();
  for (const auto& p : projects)
    list.push_back(pollStatusJson(p));
  return dump(Json{{"enabled", enabled}, {"projects", std::move(list)}});
}

std::string pollStatusBody(const poller::ProjectPollStatus& project) {
  return dump(Json{{"project", pollStatusJson(project)}});
}

}  // namespace berth::api
