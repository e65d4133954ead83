// The API's route groups, one file each; api.cpp registers them all. Each handler captures the
// shared dependencies and is wrapped in guard() (api_error.h).
#pragma once

#include <memory>

#include "api/api.h"

namespace berth::api {

using SharedDeps = std::shared_ptr<const ApiDeps>;

void addProjectRoutes(http::Router& router, const SharedDeps& deps);  // project_routes.cpp
void addStageActions(http::Router& router, const SharedDeps& deps);   // stage_actions.cpp
void addDeployRoutes(http::Router& router, const SharedDeps& deps);   // deploy_routes.cpp
void addLogRoute(http::Router& router, const SharedDeps& deps);       // log_route.cpp
void addEventRoute(http::Router& router, const SharedDeps& deps);     // event_route.cpp
void addPollerRoutes(http::Router& router, const SharedDeps& deps);   // poller_routes.cpp
void addMetricsRoute(http::Router& router, const SharedDeps& deps);   // metrics_route.cpp
void addTagRoutes(http::Router& router, const SharedDeps& deps);      // tag_routes.cpp

}  // namespace berth::api
