// A stand-in for Nginx Proxy Manager (NPM cannot run here as its image), for the npm driver's
// unit and integration tests. It serves NPM's REST API on loopback as NPM's schema documents
// it, with the answers NPM really gives (see src/proxy/npm_api.h and the engine issue):
//   - POST /api/tokens: identity/secret login, 400 "Invalid email or password";
//     GET /api/tokens: a fresh token for a valid one;
//   - an expired token: 400 "Token has expired"; no token or no permission: 404 (NPM >= 2.13)
//     or 403 (older, `legacy_403`); a malformed token: 500 "Internal Error";
//   - request bodies validated against the schema: unknown fields (additionalProperties:
//     false), wrong types and missing required fields are 400;
//   - a domain held by another host: 400 "<domain> is already in use";
//   - failNextCreate(): a create that answers 5xx, optionally after inserting the host.
// To be honest about what NPM does with nginx, it renders each enabled proxy host as a real
// nginx server block into `nginx_conf_dir` (npm-proxy-host-<id>.conf), runs the nginx test
// (a failing test takes the host offline: meta.nginx_online false, nginx_err, the file renamed
// to .err, as NPM does) and reloads, so requests through the sandbox nginx reach the forward
// address. Without nginx settings every host is simply reported online.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

namespace berth::testing {

struct NpmDoubleOptions {
  std::string identity = "admin@example.com";
  std::string secret = "changeme";
  std::chrono::seconds token_lifetime{std::chrono::hours(24)};
  bool legacy_403 = false;  // NPM < 2.13: missing token or permission answers 403, not 404
  // The double's notion of now (token expiry); tests share it with the driver's FakeClock.
  std::function<std::chrono::system_clock::time_point()> now = [] {
    return std::chrono::system_clock::now();
  };
  // Real nginx behind the double (all optional; empty conf dir: no nginx).
  std::string nginx_conf_dir{};
  std::string nginx_listen{};  // the server blocks' listen parameter, e.g. "127.0.0.1:58080"
  std::vector<std::string> nginx_test_argv{};
  std::vector<std::string> nginx_reload_argv{};
};

class NpmDouble {
 public:
  explicit NpmDouble(NpmDoubleOptions options);
  ~NpmDouble();  // stops serving and removes the nginx files it wrote (and reloads)
  NpmDouble(const NpmDouble&) = delete;
  NpmDouble& operator=(const NpmDouble&) = delete;

  std::string url() const;  // "http://127.0.0.1:<port>"

  // --- what an operator does in NPM's UI -----------------------------------------------
  // Creates a proxy host with any schema fields (SSL, advanced_config, ...), as the UI would.
  // Returns its id; throws std::runtime_error if the schema refuses the fields.
  int addHost(const nlohmann::json& fields);
  void setPassword(const std::string& secret);

  // --- faults ----------------------------------------------------------------------------
  // The next POST /api/nginx/proxy-hosts answers `status` (5xx), after inserting (and
  // configuring) the host when `leave_host_behind`.
  void failNextCreate(int status, bool leave_host_behind);
  // Every token issued so far is expired from now on.
  void expireAllTokens();
  // Proxy-host endpoints refuse every token as lacking permission (404, or 403 if legacy).
  void denyPermission(bool deny);
  // Every token issued so far becomes unknown: NPM cannot verify it and answers 500, as for a
  // malformed token.
  void revokeAllTokens();
  // Without a real nginx: configure() takes hosts offline with this nginx_err ("" = healthy).
  void breakNginx(std::string nginx_err);

  // --- inspection --------------------------------------------------------------------------
  nlohmann::json host(int id) const;  // the stored row; null if none
  std::vector<nlohmann::json> hosts() const;
  std::vector<std::string> requests() const;  // "PUT /api/nginx/proxy-hosts/1 -> 200"
  std::vector<nlohmann::json> bodies(const std::string& method_and_path) const;
  int logins() const;
  std::string nginxFile(int id) const;  // path of the host's nginx file ("" without nginx)

 private:
  struct Request {
    std::string method, target, path, query, body;
    std::map<std::string, std::string> headers;  // names lower-cased
  };
  struct Reply {
    int status = 200;
    std::string body;
  };
  void serve();
  void handleConnection(int fd);
  Reply dispatch(const Request& request);
  Reply tokens(const Request& request);
  Reply proxyHosts(const Request& request);
  // nullopt: token fine; else the refusal to send.
  std::optional<Reply> checkToken(const Request& request, bool proxy_hosts_scope);
  std::string issueToken();
  std::string validateHostBody(const nlohmann::json& body, bool create) const;
  std::string domainTaken(const nlohmann::json& domains, int except_id) const;
  nlohmann::json insertHost(const nlohmann::json& fields);
  void configure(nlohmann::json& row);  // renders, tests, reloads; updates row["meta"]
  void unconfigure(int id);
  std::string renderHost(const nlohmann::json& row) const;
  std::string nowIso() const;

  NpmDoubleOptions options_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::thread thread_;
  std::atomic<bool> stopping_{false};

  mutable std::mutex mutex_;
  std::map<int, nlohmann::json> hosts_;
  int next_id_ = 1;
  std::map<std::string, std::chrono::system_clock::time_point> tokens_;
  int token_serial_ = 0;
  int logins_ = 0;
  int fail_next_create_ = 0;
  bool leave_host_behind_ = false;
  bool deny_permission_ = false;
  std::string broken_nginx_err_;
  std::vector<std::string> requests_;
  std::vector<std::pair<std::string, nlohmann::json>> bodies_;
};

}  // namespace berth::testing
