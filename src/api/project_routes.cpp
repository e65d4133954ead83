// GET /api/projects, /api/projects/{p}, /api/projects/{p}/stages/{s} and its instances: the
// configuration joined with what each stage runs (from the store, not from Docker, so a page
// load never waits for the daemon).
#include "api/api_error.h"
#include "api/json_views.h"
#include "api/lookup.h"
#include "api/route_groups.h"

namespace berth::api {
namespace {

constexpr int kRecentDeploys = 20;

StageView stageView(const deploy::Journal& journal, const Project& project, const Stage& stage) {
  auto last = journal.list(DeployQuery{.project = project.name,
                                       .stage = stage.name,
                                       .state = std::nullopt,
                                       .before_id = std::nullopt,
                                       .limit = 1});
  return StageView{.stage = stage,
                   .serving = journal.serving(project.name, stage.name),
                   .instances = journal.instances(project.name, stage.name),
                   .last_deploy = last.empty() ? std::nullopt : std::optional(last.front())};
}

ProjectView projectView(const deploy::Journal& journal, const Project& project) {
  ProjectView view{.project = project, .stages = {}};
  for (const auto& stage : project.stages)
    view.stages.push_back(stageView(journal, project, stage));
  return view;
}

}  // namespace

void addProjectRoutes(http::Router& router, const SharedDeps& deps) {
  router.get("/api/projects", guard([deps](const http::Request&) {
               std::vector<ProjectView> views;
               for (const auto& project : deps->journal.config().projects)
                 views.push_back(projectView(deps->journal, project));
               return http::Response::jsonText(200, projectsBody(views));
             }));

  router.get("/api/projects/{p}", guard([deps](const http::Request& request) {
               const Config config = deps->journal.config();
               const Project& project = requireProject(config, request.param("p"));
               return http::Response::jsonText(200,
                                               projectBody(projectView(deps->journal, project)));
             }));

  router.get("/api/projects/{p}/stages/{s}", guard([deps](const http::Request& request) {
               const Config config = deps->journal.config();
               const Project& project = requireProject(config, request.param("p"));
               const Stage& stage = requireStage(project, request.param("s"));
               auto recent = deps->journal.list(DeployQuery{.project = project.name,
                                                            .stage = stage.name,
                                                            .state = std::nullopt,
                                                            .before_id = std::nullopt,
                                                            .limit = kRecentDeploys});
               return http::Response::jsonText(
                   200, stageBody(stageView(deps->journal, project, stage), recent));
             }));

  router.get("/api/projects/{p}/stages/{s}/instances", guard([deps](const http::Request& request) {
               const Config config = deps->journal.config();
               const Project& project = requireProject(config, request.param("p"));
               const Stage& stage = requireStage(project, request.param("s"));
               return http::Response::jsonText(
                   200, instancesBody(deps->journal.instances(project.name, stage.name)));
             }));
}

}  // namespace berth::api
