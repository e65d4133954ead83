#include "client/server_url.h"

#include "cli/exit_codes.h"
#include "client/client_error.h"

namespace berth::client {

std::string resolveServerUrl(const std::string& flag, const EnvLookup& env) {
  std::string url = flag;
  std::string from = "--server";
  if (url.empty()) {
    url = env("BERTH_SERVER").value_or(kDefaultServer);
    from = "BERTH_SERVER";
  }
  if (url.find("://") == std::string::npos) url = "http://" + url;
  while (url.ends_with('/'))
    url.pop_back();
  const bool http = url.starts_with("http://") && url.size() > 7;
  const bool https = url.starts_with("https://") && url.size() > 8;
  if (!http && !https)
    throw ClientError(
        kExitUsage,
        from + ": expected the server's URL, such as http://127.0.0.1:8080, got '" + url + "'");
  return url;
}

}  // namespace berth::client
