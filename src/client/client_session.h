// What every client command starts from: the server and the API token resolved from the options
// and the environment, and an ApiClient over libcurl; and the one place where a ClientError
// becomes a message on stderr and an exit code.
#pragma once

#include <functional>
#include <iosfwd>

#include "client/api_client.h"
#include "client/client_options.h"
#include "client/token_source.h"
#include "net/curl_http_client.h"

namespace berth::client {

class ClientSession {
 public:
  // Throws ClientError for a bad --server or an unusable token file.
  explicit ClientSession(const ClientOptions& options, const EnvLookup& env = processEnvironment());
  const ApiClient& api() const { return api_; }

 private:
  net::CurlHttpClient http_;
  ApiClient api_;
};

// Runs `command`, turning a ClientError into its message on `err` and its exit code, and any
// other exception into kExitFailure.
int runClientCommand(std::ostream& err, const std::function<int()>& command);

}  // namespace berth::client
