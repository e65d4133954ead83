// export --server URL: GET /api/config/export, the running server's configuration as
// berth.yaml, written like the local export (stdout, or -o FILE replaced atomically).
#include <ostream>

#include "cli/exit_codes.h"
#include "client/client_commands.h"
#include "client/client_session.h"
#include "fs/atomic_file.h"

namespace berth::client {

int runRemoteExport(const ClientOptions& options, const std::string& output_file, std::ostream& out,
                    std::ostream& err) {
  return runClientCommand(err, [&]() -> int {
    const ClientSession session(options);
    const std::string yaml = session.api().getText("/api/config/export");
    if (output_file.empty() || output_file == "-") {
      out << yaml;
    } else {
      writeFileAtomically(output_file, yaml);
      err << "exported the configuration of " << session.api().serverUrl() << " to " << output_file
          << "\n";
    }
    return kExitOk;
  });
}

}  // namespace berth::client
