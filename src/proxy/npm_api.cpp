#include "proxy/npm_api.h"

#include <algorithm>
#include <cctype>
#include <ctime>
#include <nlohmann/json.hpp>

namespace berth::proxy::npm {
namespace {

using nlohmann::json;

std::string trimSlash(const std::string& url) {
  std::string u = url;
  while (!u.empty() && u.back() == '/')
    u.pop_back();
  return u;
}

net::HttpRequest request(std::string method, const std::string& base_url, const std::string& path,
                         const std::string& token) {
  net::HttpRequest r;
  r.method = std::move(method);
  r.url = trimSlash(base_url) + path;
  r.headers.add("Accept", "application/json");
  if (!token.empty()) r.headers.add("Authorization", "Bearer " + token);
  r.timeout = std::chrono::seconds(30);
  r.connect_timeout = std::chrono::seconds(10);
  return r;
}

net::HttpRequest withJson(net::HttpRequest r, const json& body) {
  r.headers.add("Content-Type", "application/json");
  r.body = body.dump();
  return r;
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

std::optional<ProxyHost> hostFrom(const json& j, std::string* why) {
  if (!j.is_object()) {
    if (why) *why = "a proxy host is not a JSON object";
    return std::nullopt;
  }
  try {
    ProxyHost h;
    h.id = j.at("id").get<int>();
    h.domain_names = j.at("domain_names").get<std::vector<std::string>>();
    h.forward.scheme = j.value("forward_scheme", std::string("http"));
    h.forward.host = j.at("forward_host").get<std::string>();
    h.forward.port = j.at("forward_port").get<int>();
    // NPM stores booleans as tinyint; older versions send 1/0.
    if (j.contains("enabled")) {
      const auto& e = j.at("enabled");
      h.enabled = e.is_boolean() ? e.get<bool>() : e.is_number() ? e.get<int>() != 0 : true;
    }
    if (j.contains("meta") && j.at("meta").is_object()) {
      const auto& meta = j.at("meta");
      if (meta.contains("nginx_online") && meta.at("nginx_online").is_boolean())
        h.nginx_online = meta.at("nginx_online").get<bool>();
      if (meta.contains("nginx_err") && meta.at("nginx_err").is_string())
        h.nginx_err = meta.at("nginx_err").get<std::string>();
    }
    return h;
  } catch (const json::exception& e) {
    if (why) *why = std::string("proxy host: ") + e.what();
    return std::nullopt;
  }
}

}  // namespace

net::HttpRequest loginRequest(const std::string& base_url, const std::string& identity,
                              const std::string& secret) {
  return withJson(request("POST", base_url, "/api/tokens", ""),
                  json{{"identity", identity}, {"secret", secret}});
}

net::HttpRequest refreshRequest(const std::string& base_url, const std::string& token) {
  return request("GET", base_url, "/api/tokens", token);
}

net::HttpRequest listHostsRequest(const std::string& base_url, const std::string& token) {
  return request("GET", base_url, "/api/nginx/proxy-hosts", token);
}

net::HttpRequest getHostRequest(const std::string& base_url, const std::string& token, int id) {
  return request("GET", base_url, "/api/nginx/proxy-hosts/" + std::to_string(id), token);
}

net::HttpRequest createHostRequest(const std::string& base_url, const std::string& token,
                                   const std::vector<std::string>& domains,
                                   const Forward& forward) {
  return withJson(request("POST", base_url, "/api/nginx/proxy-hosts", token),
                  json{{"domain_names", domains},
                       {"forward_scheme", forward.scheme},
                       {"forward_host", forward.host},
                       {"forward_port", forward.port}});
}

net::HttpRequest updateForwardRequest(const std::string& base_url, const std::string& token, int id,
                                      const Forward& forward) {
  return withJson(request("PUT", base_url, "/api/nginx/proxy-hosts/" + std::to_string(id), token),
                  json{{"forward_scheme", forward.scheme},
                       {"forward_host", forward.host},
                       {"forward_port", forward.port}});
}

net::HttpRequest setEnabledRequest(const std::string& base_url, const std::string& token, int id,
                                   bool enabled) {
  return request(
      "POST", base_url,
      "/api/nginx/proxy-hosts/" + std::to_string(id) + (enabled ? "/enable" : "/disable"), token);
}

std::optional<std::chrono::system_clock::time_point> parseExpiry(std::string_view text) {
  if (!text.empty() && std::all_of(text.begin(), text.end(), ::isdigit))
    return std::chrono::system_clock::time_point(
        std::chrono::seconds(std::stoll(std::string(text))));
  std::tm tm{};
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  char t = 0;
  if (std::sscanf(std::string(text).c_str(), "%4d-%2d-%2d%c%2d:%2d:%2d", &year, &month, &day, &t,
                  &hour, &minute, &second) != 7 ||
      (t != 'T' && t != ' '))
    return std::nullopt;
  tm.tm_year = year - 1900;
  tm.tm_mon = month - 1;
  tm.tm_mday = day;
  tm.tm_hour = hour;
  tm.tm_min = minute;
  tm.tm_sec = second;
  const time_t seconds = timegm(&tm);
  if (seconds == static_cast<time_t>(-1)) return std::nullopt;
  return std::chrono::system_clock::from_time_t(seconds);
}

std::optional<Token> parseToken(std::string_view body, std::string* why) {
  const auto j = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object() || !j.contains("token") || !j.at("token").is_string()) {
    if (why) *why = "the answer has no \"token\"";
    return std::nullopt;
  }
  Token t;
  t.token = j.at("token").get<std::string>();
  std::optional<std::chrono::system_clock::time_point> expires;
  if (j.contains("expires")) {
    const auto& e = j.at("expires");
    if (e.is_string()) expires = parseExpiry(e.get<std::string>());
    if (e.is_number_integer())
      expires = std::chrono::system_clock::time_point(std::chrono::seconds(e.get<long long>()));
  }
  if (!expires) {
    if (why) *why = "the answer has no readable \"expires\"";
    return std::nullopt;
  }
  t.expires = *expires;
  return t;
}

std::optional<ProxyHost> parseHost(std::string_view body, std::string* why) {
  const auto j = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) {
    if (why) *why = "the answer is not JSON";
    return std::nullopt;
  }
  return hostFrom(j, why);
}

std::optional<std::vector<ProxyHost>> parseHostList(std::string_view body, std::string* why) {
  const auto j = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (!j.is_array()) {
    if (why) *why = "the answer is not a JSON array";
    return std::nullopt;
  }
  std::vector<ProxyHost> hosts;
  for (const auto& item : j) {
    auto h = hostFrom(item, why);
    if (!h) return std::nullopt;
    hosts.push_back(std::move(*h));
  }
  return hosts;
}

std::string errorMessage(const net::HttpResponse& response) {
  const auto j = json::parse(response.body, nullptr, /*allow_exceptions=*/false);
  if (j.is_object() && j.contains("error") && j.at("error").is_object() &&
      j.at("error").contains("message") && j.at("error").at("message").is_string())
    return j.at("error").at("message").get<std::string>();
  std::string text = response.body.substr(0, 200);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())))
    text.pop_back();
  return text.empty() ? "HTTP " + std::to_string(response.status) : text;
}

bool mayBeTokenProblem(int status, std::string_view message, bool idempotent) {
  switch (status) {
    case 401:
    case 403:
    case 404:
      return true;
    case 400: {
      const std::string m = lower(std::string(message));
      return m.find("token") != std::string::npos || m.find("expired") != std::string::npos;
    }
    case 500:
      return idempotent;
    default:
      return false;
  }
}

std::vector<ProxyHost> hostsForDomains(const std::vector<ProxyHost>& hosts,
                                       const std::vector<std::string>& domains) {
  std::vector<ProxyHost> found;
  for (const auto& h : hosts) {
    const bool match = std::any_of(h.domain_names.begin(), h.domain_names.end(), [&](auto& d) {
      return std::find(domains.begin(), domains.end(), lower(d)) != domains.end();
    });
    if (match) found.push_back(h);
  }
  return found;
}

}  // namespace berth::proxy::npm
