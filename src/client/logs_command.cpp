// logs DEPLOY [--follow]: the deploy's log lines on stdout, as text or as one JSON object per
// line; following, until the deploy ends, whose outcome is then the exit code.
#include <ostream>

#include "cli/exit_codes.h"
#include "client/client_commands.h"
#include "client/client_session.h"
#include "client/deploy_text.h"
#include "client/deploy_wait.h"

namespace berth::client {
namespace {

LogLine logLineFrom(const Json& j) {
  return LogLine{.seq = j.value("seq", std::int64_t{0}),
                 .ts = j.value("ts", ""),
                 .level = j.value("level", ""),
                 .message = j.value("message", "")};
}

}  // namespace

int runLogs(std::int64_t deploy_id, bool follow, const ClientOptions& options, std::ostream& out,
            std::ostream& err) {
  return runClientCommand(err, [&]() -> int {
    const auto print = [&](const LogLine& line) {
      out << (options.json ? jsonText(logLineJson(line)) : formatLogLine(line)) << "\n"
          << std::flush;
    };
    const auto deadline = waitDeadline(options);
    const ClientSession session(options);
    if (!follow) {
      const std::string path = "/api/deploys/" + std::to_string(deploy_id) + "/log";
      const Json body = session.api().get(path);
      for (const auto& line :
           memberOf(body, "lines", Json::value_t::array, session.api().serverUrl() + path))
        print(logLineFrom(line));
      return kExitOk;
    }
    const WaitResult result = waitForDeploy(session.api(), deploy_id, deadline, print, err);
    const int code = exitCodeOf(result);
    err << (code == kExitWaitTimeout ? describeGivingUp(result.deploy)
                                     : describeOutcome(result.deploy))
        << "\n";
    return code;
  });
}

}  // namespace berth::client
