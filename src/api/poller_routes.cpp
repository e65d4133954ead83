// GET /api/poller (registry checks per project) and POST /api/projects/{p}/poll (check now).
#include "api/api_error.h"
#include "api/json_views.h"
#include "api/lookup.h"
#include "api/route_groups.h"

namespace berth::api {

void addPollerRoutes(http::Router& router, const SharedDeps& deps) {
  router.get("/api/poller", guard([deps](const http::Request&) {
               if (deps->poller == nullptr)
                 return http::Response::jsonText(200, pollerBody(false, {}));
               return http::Response::jsonText(200, pollerBody(true, deps->poller->status()));
             }));

  router.post("/api/projects/{p}/poll", guard([deps](const http::Request& request) {
                const Config config = deps->journal.config();
                const Project& project = requireProject(config, request.param("p"));
                if (deps->poller == nullptr)
                  throw conflict("registry polling is disabled; cannot poll " + project.name);
                try {
                  return http::Response::jsonText(
                      200, pollStatusBody(deps->poller->pollNow(project.name)));
                } catch (const std::invalid_argument&) {
                  // Removed by an import between the lookup above and the poll.
                  throw notFound("no project " + project.name);
                }
              }));
}

}  // namespace berth::api
