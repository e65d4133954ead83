// Nginx Proxy Manager's REST API, as values: the exact requests the npm driver sends and the
// parsing of NPM's answers, with no I/O (unit tests assert bodies and headers byte for byte).
//
// Followed from NPM's schema (backend/schema, v2.x):
//   POST /api/tokens {"identity","secret"}       -> {"token","expires"(ISO 8601)}, login
//   GET  /api/tokens  (Bearer)                   -> {"token","expires"}, a fresh token
//   GET  /api/nginx/proxy-hosts  (Bearer)        -> [proxy host]
//   GET  /api/nginx/proxy-hosts/{id}             -> proxy host
//   POST /api/nginx/proxy-hosts                  -> 201 proxy host; required domain_names,
//        forward_scheme, forward_host, forward_port
//   PUT  /api/nginx/proxy-hosts/{id}             -> proxy host; any subset of the fields
//   POST /api/nginx/proxy-hosts/{id}/enable|disable -> true
// Request bodies have "additionalProperties": false: NPM answers 400 to any field its schema
// lacks, so berth sends only the fields it owns (domain_names on create, forward_* always)
// and never echoes back what it read (which holds read-only fields like id and meta).
// Errors come as {"error": {"code": N, "message": "..."}}.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "net/http.h"

namespace berth::proxy::npm {

struct Token {
  std::string token{};
  std::chrono::system_clock::time_point expires{};
};

// Where a proxy host forwards to.
struct Forward {
  std::string scheme = "http";
  std::string host{};
  int port = 0;
  bool operator==(const Forward&) const = default;
};

// The fields of a proxy host berth reads; everything else is the operator's and is never sent.
struct ProxyHost {
  int id = 0;
  std::vector<std::string> domain_names{};
  Forward forward{};
  bool enabled = true;
  std::optional<bool> nginx_online{};  // meta.nginx_online; absent before NPM configured it
  std::string nginx_err{};             // meta.nginx_err, when offline
};

net::HttpRequest loginRequest(const std::string& base_url, const std::string& identity,
                              const std::string& secret);
net::HttpRequest refreshRequest(const std::string& base_url, const std::string& token);
net::HttpRequest listHostsRequest(const std::string& base_url, const std::string& token);
net::HttpRequest getHostRequest(const std::string& base_url, const std::string& token, int id);
net::HttpRequest createHostRequest(const std::string& base_url, const std::string& token,
                                   const std::vector<std::string>& domains, const Forward& forward);
// Only forward_scheme, forward_host and forward_port: SSL, access list, advanced config,
// locations and every other field stay as the operator set them.
net::HttpRequest updateForwardRequest(const std::string& base_url, const std::string& token, int id,
                                      const Forward& forward);
net::HttpRequest setEnabledRequest(const std::string& base_url, const std::string& token, int id,
                                   bool enabled);

// Parsers return nullopt and set *why when the body is not what the schema promises.
std::optional<Token> parseToken(std::string_view body, std::string* why);
std::optional<ProxyHost> parseHost(std::string_view body, std::string* why);
std::optional<std::vector<ProxyHost>> parseHostList(std::string_view body, std::string* why);

// "2024-01-11T18:13:18.525Z" (what NPM sends) or a number of unix seconds (what an older
// schema documents).
std::optional<std::chrono::system_clock::time_point> parseExpiry(std::string_view text);

// NPM's error message from {"error":{"message"}}, else the body's start, else "HTTP <status>".
std::string errorMessage(const net::HttpResponse& response);

// Whether an answer may mean "your token is the problem" (re-login and ask once more):
// 401; 403 (missing token or permission, NPM < 2.13) and 404 (the same, NPM >= 2.13); 400
// whose message speaks of the token (expired); 500 (a malformed token) but only for a request
// that is safe to repeat, because a failed create may still have created the host.
bool mayBeTokenProblem(int status, std::string_view message, bool idempotent);

// Proxy hosts holding any of `domains` (case-insensitive), in list order.
std::vector<ProxyHost> hostsForDomains(const std::vector<ProxyHost>& hosts,
                                       const std::vector<std::string>& domains);

}  // namespace berth::proxy::npm
