// GET /api/events?project=&stage=: every engine event (deploy.log, deploy.status,
// instance.status) as Server-Sent Events, resumed after the Last-Event-ID header.
#include "api/api_error.h"
#include "api/lookup.h"
#include "api/query_params.h"
#include "api/route_groups.h"
#include "events/streams.h"

namespace berth::api {

void addEventRoute(http::Router& router, const SharedDeps& deps) {
  router.get("/api/events", guard([deps](const http::Request& request) {
               const Scope scope = scopeQuery(request);
               requireScope(deps->journal.config(), scope.project, scope.stage);
               const auto last_id = lastEventId(request);
               events::Filter filter{
                   .project = scope.project, .stage = scope.stage, .deploy_id = std::nullopt};
               return http::Response::events(events::busStream(deps->bus, filter, last_id));
             }));
}

}  // namespace berth::api
