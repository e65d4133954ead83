// GET /api/deploys (history with filters and paging), GET /api/deploys/{id} and
// POST /api/deploys/{id}/cancel.
#include "api/api_error.h"
#include "api/json_views.h"
#include "api/lookup.h"
#include "api/query_params.h"
#include "api/route_groups.h"
#include "core/deploy_state.h"

namespace berth::api {

void addDeployRoutes(http::Router& router, const SharedDeps& deps) {
  router.get("/api/deploys", guard([deps](const http::Request& request) {
               DeployQuery query = deployListQuery(request);
               requireScope(deps->journal.config(), query.project, query.stage);
               // One more than asked tells whether another page exists without a count query.
               const int limit = query.limit;
               query.limit = limit + 1;
               auto deploys = deps->journal.list(query);
               std::optional<std::int64_t> next_before;
               if (deploys.size() > static_cast<std::size_t>(limit)) {
                 deploys.resize(static_cast<std::size_t>(limit));
                 next_before = deploys.back().id;
               }
               return http::Response::jsonText(200, deployListBody(deploys, next_before));
             }));

  router.get("/api/deploys/{id}", guard([deps](const http::Request& request) {
               return http::Response::jsonText(
                   200, deployBody(requireDeploy(deps->journal, deployIdParam(request))));
             }));

  router.post("/api/deploys/{id}/cancel", guard([deps](const http::Request& request) {
                const auto id = deployIdParam(request);
                requireDeploy(deps->journal, id);
                if (!deps->engine.cancel(id)) {
                  // Read after the refusal: the deploy may have finished in between.
                  throw conflict("deploy " + std::to_string(id) + " is " +
                                 toString(requireDeploy(deps->journal, id).state) +
                                 "; only a queued or running deploy can be cancelled");
                }
                // A queued deploy is cancelled at once; a running one is being undone.
                return http::Response::jsonText(202, deployBody(requireDeploy(deps->journal, id)));
              }));
}

}  // namespace berth::api
