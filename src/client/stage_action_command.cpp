// deploy, promote and rollback: one POST each (docs/api.md §3.6), then, with --wait, the
// deploy's log on stderr while it runs and its outcome as the exit code.
#include <ostream>

#include "cli/exit_codes.h"
#include "client/client_commands.h"
#include "client/client_session.h"
#include "client/deploy_text.h"
#include "client/deploy_wait.h"

namespace berth::client {
namespace {

std::string actionPath(const StageAction& action) {
  const std::string stage =
      "/api/projects/" + pathSegment(action.project) + "/stages/" + pathSegment(action.stage);
  return stage + (action.action == "deploy" ? "/deploys" : "/" + action.action);
}

Json actionBody(const StageAction& action) {
  Json body = Json::object();
  if (!action.tag.empty()) body["tag"] = action.tag;
  if (action.action == "rollback" && action.deploy_id > 0) body["deploy_id"] = action.deploy_id;
  return body;
}

std::int64_t deployId(const Json& deploy) {
  if (!deploy.is_object() || !deploy.contains("id") || !deploy["id"].is_number_integer())
    throw ClientError(kExitFailure, "the server's answer names no deploy id");
  return deploy["id"].get<std::int64_t>();
}

}  // namespace

int runStageAction(const StageAction& action, const ClientOptions& options, std::ostream& out,
                   std::ostream& err) {
  return runClientCommand(err, [&]() -> int {
    const auto deadline = waitDeadline(options);  // a bad --wait-timeout is caught before the POST
    const ClientSession session(options);
    const std::string path = actionPath(action);
    const Json deploy = memberOf(session.api().post(path, actionBody(action)), "deploy",
                                 Json::value_t::object, session.api().serverUrl() + path);
    const std::int64_t id = deployId(deploy);
    if (!options.wait) {
      if (options.json) {
        out << jsonText(Json{{"deploy", deploy}}) << "\n";
      } else {
        out << describeAccepted(deploy) << "\n";
      }
      return kExitOk;
    }

    // Progress goes to stderr in both output modes: stdout stays the result alone.
    err << describeAccepted(deploy) << "\n" << std::flush;
    const WaitResult result = waitForDeploy(
        session.api(), id, deadline,
        [&err](const LogLine& line) { err << "  " << formatLogLine(line) << "\n"
                                          << std::flush; },
        err);
    const int code = exitCodeOf(result);
    if (options.json) out << jsonText(Json{{"deploy", result.deploy}}) << "\n";
    if (code == kExitOk) {
      if (!options.json) out << describeOutcome(result.deploy) << "\n";
    } else if (code == kExitWaitTimeout) {
      err << describeGivingUp(result.deploy) << "\n";
    } else {
      err << describeOutcome(result.deploy) << "\n";
    }
    return code;
  });
}

}  // namespace berth::client
