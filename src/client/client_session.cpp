#include "client/client_session.h"

#include <ostream>

#include "cli/exit_codes.h"
#include "client/server_url.h"

namespace berth::client {

ClientSession::ClientSession(const ClientOptions& options, const EnvLookup& env)
    : api_(http_, ServerSettings{.url = resolveServerUrl(options.server, env),
                                 .token = findToken(options.token_file, env)}) {}

int runClientCommand(std::ostream& err, const std::function<int()>& command) {
  try {
    return command();
  } catch (const ClientError& e) {
    err << e.what() << "\n";
    return e.exitCode();
  } catch (const std::exception& e) {
    err << "error: " << e.what() << "\n";
    return kExitFailure;
  }
}

}  // namespace berth::client
