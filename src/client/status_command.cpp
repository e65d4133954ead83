// status [PROJECT]: GET /api/projects (or /api/projects/{p}) as a table, or as JSON.
#include <ostream>

#include "cli/exit_codes.h"
#include "client/client_commands.h"
#include "client/client_session.h"
#include "client/deploy_text.h"
#include "client/status_table.h"

namespace berth::client {

int runStatus(const std::string& project, const ClientOptions& options, std::ostream& out,
              std::ostream& err) {
  return runClientCommand(err, [&]() -> int {
    const ClientSession session(options);
    const std::string path =
        project.empty() ? "/api/projects" : "/api/projects/" + pathSegment(project);
    const std::string where = session.api().serverUrl() + path;
    Json projects = Json::array();
    if (project.empty()) {
      projects = memberOf(session.api().get(path), "projects", Json::value_t::array, where);
    } else {
      projects.push_back(
          memberOf(session.api().get(path), "project", Json::value_t::object, where));
    }
    // One shape for scripts, with or without PROJECT: {"projects":[...]}.
    if (options.json) {
      out << jsonText(Json{{"projects", projects}}) << "\n";
    } else {
      out << statusTable(projects);
    }
    return kExitOk;
  });
}

}  // namespace berth::client
