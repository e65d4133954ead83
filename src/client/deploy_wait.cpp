#include "client/deploy_wait.h"

#include <ostream>

#include "cli/exit_codes.h"
#include "client/deploy_text.h"

namespace berth::client {

WaitResult waitForDeploy(const ApiClient& api, std::int64_t id,
                         std::optional<std::chrono::steady_clock::time_point> deadline,
                         const std::function<void(const LogLine&)>& on_line, std::ostream& err) {
  const auto end =
      followDeployLog(api, id, 0, FollowOptions{.deadline = deadline}, on_line,
                      [&err](const std::string& notice) { err << notice << "\n"
                                                              << std::flush; });
  const std::string path = "/api/deploys/" + std::to_string(id);
  WaitResult result{.finished = end.has_value(), .deploy = Json()};
  try {
    result.deploy =
        memberOf(api.get(path), "deploy", Json::value_t::object, api.serverUrl() + path);
  } catch (const ClientError&) {
    if (!end) throw;
    // The stream said how it ended; the record would only add detail.
    result.deploy = Json{{"id", id}, {"state", end->state}, {"reason", end->reason}};
  }
  return result;
}

int exitCodeOf(const WaitResult& result) {
  if (!result.finished) return kExitWaitTimeout;
  const bool succeeded =
      result.deploy.is_object() && result.deploy.value("state", "") == "succeeded";
  return succeeded ? kExitOk : kExitDeployFailed;
}

std::string describeGivingUp(const Json& deploy) {
  const std::string id =
      deploy.is_object() && deploy.contains("id") ? jsonText(deploy["id"]) : std::string("?");
  const std::string state = deploy.is_object() ? deploy.value("state", "") : "";
  return "gave up waiting (--wait-timeout): deploy " + id + " is still " + stateWords(state) +
         " on the server; follow it with: berth logs " + id + " --follow";
}

}  // namespace berth::client
