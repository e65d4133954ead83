#include "proxy/http_probe.h"

namespace berth::proxy {

net::HttpRequest probeRequest(const std::string& address, std::string_view path,
                              const std::string& host, std::chrono::milliseconds timeout) {
  net::HttpRequest r;
  r.method = "GET";
  r.url = "http://" + address + (path.starts_with('/') ? "" : "/") + std::string(path);
  if (!host.empty()) r.headers.add("Host", host);
  r.timeout = timeout;
  r.connect_timeout = timeout;
  r.max_body_bytes = 1024 * 1024;  // a health page, not a download
  return r;
}

ProbeResult sendProbe(net::HttpClient& http, const std::string& driver, const std::string& stage,
                      const std::string& address, std::string_view path, const std::string& host,
                      std::chrono::milliseconds timeout) {
  const auto request = probeRequest(address, path, host, timeout);
  ProbeResult result;
  result.url = request.url;
  result.via = host.empty() ? "direct" : driver + " at " + address + " (Host: " + host + ")";
  try {
    auto response = http.send(request);
    result.status = response.status;
    result.body = std::move(response.body);
  } catch (const net::HttpError& e) {
    throw ProxyError(ProxyError::Kind::unreachable, driver, stage,
                     "probe " + result.url + " via " + result.via + ": " + e.what());
  }
  return result;
}

}  // namespace berth::proxy
