// One GET through a proxy's listen address with a chosen Host header, on a new connection
// (so it is served by the proxy's current configuration, not a worker left over from before
// a reload). Shared by the drivers' probe() and nginx's reload check.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "net/http.h"
#include "proxy/proxy.h"

namespace berth::proxy {

// The request as a value: GET http://<address><path> with `Host: <host>` (no Host override
// when `host` is empty).
net::HttpRequest probeRequest(const std::string& address, std::string_view path,
                              const std::string& host, std::chrono::milliseconds timeout);

// Sends probeRequest(...). Throws ProxyError(unreachable) naming `driver` and `stage` when no
// HTTP answer arrives.
ProbeResult sendProbe(net::HttpClient& http, const std::string& driver, const std::string& stage,
                      const std::string& address, std::string_view path, const std::string& host,
                      std::chrono::milliseconds timeout);

}  // namespace berth::proxy
