// GET /api/deploys/{id}/log: the deploy's log as JSON lines, or, with
// Accept: text/event-stream, as a stream of history then live lines then an end event
// (events/streams.h). Both resume after a seq: Last-Event-ID for a reconnecting EventSource,
// ?after= otherwise.
#include "api/api_error.h"
#include "api/json_views.h"
#include "api/lookup.h"
#include "api/query_params.h"
#include "api/route_groups.h"
#include "events/streams.h"

namespace berth::api {
namespace {

std::vector<DeployLogEntry> linesAfter(const deploy::Journal& journal, std::int64_t id,
                                       std::int64_t after_seq) {
  auto lines = journal.logOf(id);
  std::erase_if(lines, [&](const DeployLogEntry& line) { return line.seq <= after_seq; });
  return lines;
}

events::DeployLogHistory historyOf(const deploy::Journal& journal, std::int64_t id) {
  return events::DeployLogHistory{
      .lines = [&journal, id](std::int64_t after) { return linesAfter(journal, id, after); },
      .state = [&journal, id]() -> std::optional<DeployState> {
        auto record = journal.get(id);
        if (!record) return std::nullopt;
        return record->state;
      },
      .reason = [&journal, id]() -> std::string {
        auto record = journal.get(id);
        return record ? record->reason : "";
      }};
}

}  // namespace

void addLogRoute(http::Router& router, const SharedDeps& deps) {
  router.get("/api/deploys/{id}/log", guard([deps](const http::Request& request) {
               const auto id = deployIdParam(request);
               requireDeploy(deps->journal, id);
               const auto after = logResumePoint(request);
               if (acceptsEventStream(request))
                 return http::Response::events(
                     events::deployLogStream(deps->bus, id, after, historyOf(deps->journal, id)));
               return http::Response::jsonText(200, logBody(linesAfter(deps->journal, id, after)));
             }));
}

}  // namespace berth::api
