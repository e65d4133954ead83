// healthcheck: the Docker image's HEALTHCHECK. The image has no shell and no curl, so berth
// checks itself: GET /healthz with short time limits, no token, and only the exit codes Docker
// understands (0 healthy, 1 unhealthy).
#include <ostream>

#include "client/client_commands.h"
#include "client/client_error.h"
#include "client/server_url.h"
#include "net/curl_http_client.h"

namespace berth::client {

int runHealthcheck(const std::string& server, std::ostream& out, std::ostream& err) {
  using namespace std::chrono_literals;
  std::string url;
  try {
    url = resolveServerUrl(server, processEnvironment()) + "/healthz";
    net::CurlHttpClient http;
    net::HttpRequest request;
    request.url = url;
    request.timeout = 3s;
    request.connect_timeout = 2s;
    const auto response = http.send(request);
    if (response.status == 200) {
      out << url << ": healthy\n";
      return 0;
    }
    err << url << ": unhealthy (HTTP " << response.status << ")\n";
  } catch (const std::exception& e) {
    err << (url.empty() ? "" : url + ": ") << "unhealthy: " << e.what() << "\n";
  }
  return 1;
}

}  // namespace berth::client
