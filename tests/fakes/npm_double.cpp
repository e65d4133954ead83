#include "fakes/npm_double.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <stdexcept>

#include "support/sandbox_tools.h"

namespace berth::testing {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

const char* reasonPhrase(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 500:
      return "Internal Server Error";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    default:
      return "Status";
  }
}

// NPM's error body.
std::string errorBody(int status, const std::string& message) {
  return json{{"error", {{"code", status}, {"message", message}}}}.dump();
}

// The fields NPM's create/update schemas allow (backend/schema/paths/nginx/proxy-hosts).
const std::set<std::string> kHostFields = {
    "domain_names",   "forward_scheme",  "forward_host",    "forward_port",
    "certificate_id", "ssl_forced",      "hsts_enabled",    "hsts_subdomains",
    "http2_support",  "block_exploits",  "caching_enabled", "allow_websocket_upgrade",
    "access_list_id", "advanced_config", "enabled",         "meta",
    "locations"};
const std::set<std::string> kBooleanFields = {
    "ssl_forced",     "hsts_enabled",    "hsts_subdomains",         "http2_support",
    "block_exploits", "caching_enabled", "allow_websocket_upgrade", "enabled"};

}  // namespace

NpmDouble::NpmDouble(NpmDoubleOptions options) : options_(std::move(options)) {
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int one = 1;
  ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::listen(listen_fd_, 16) != 0)
    throw std::runtime_error("npm double: cannot listen on loopback");
  socklen_t len = sizeof addr;
  ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
  port_ = ntohs(addr.sin_port);
  thread_ = std::thread([this] { serve(); });
}

NpmDouble::~NpmDouble() {
  stopping_ = true;
  if (thread_.joinable()) thread_.join();
  ::close(listen_fd_);
  if (!options_.nginx_conf_dir.empty()) {
    bool removed = false;
    for (const auto& [id, row] : hosts_) {
      std::error_code ec;
      removed |= fs::remove(nginxFile(id), ec);
      fs::remove(nginxFile(id) + ".err", ec);
    }
    if (removed && !options_.nginx_reload_argv.empty())
      runCommand(options_.nginx_reload_argv, {}, std::chrono::seconds(30));
  }
}

std::string NpmDouble::url() const {
  return "http://127.0.0.1:" + std::to_string(port_);
}

std::string NpmDouble::nginxFile(int id) const {
  if (options_.nginx_conf_dir.empty()) return "";
  return (fs::path(options_.nginx_conf_dir) / ("npm-proxy-host-" + std::to_string(id) + ".conf"))
      .string();
}

// --- HTTP ------------------------------------------------------------------------------------

void NpmDouble::serve() {
  while (!stopping_) {
    pollfd p{listen_fd_, POLLIN, 0};
    if (::poll(&p, 1, 100) <= 0) continue;
    const int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    handleConnection(fd);
    ::close(fd);
  }
}

void NpmDouble::handleConnection(int fd) {
  std::string data;
  char buf[8192];
  size_t header_end = std::string::npos;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  auto readMore = [&]() {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 100) <= 0) return std::chrono::steady_clock::now() < deadline;
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n <= 0) return false;
    data.append(buf, static_cast<size_t>(n));
    return true;
  };
  while ((header_end = data.find("\r\n\r\n")) == std::string::npos)
    if (!readMore()) return;

  Request r;
  {
    const std::string head = data.substr(0, header_end);
    const auto line_end = head.find("\r\n");
    const std::string line = head.substr(0, line_end);
    const auto sp1 = line.find(' ');
    const auto sp2 = line.find(' ', sp1 + 1);
    r.method = line.substr(0, sp1);
    r.target = line.substr(sp1 + 1, sp2 - sp1 - 1);
    const auto q = r.target.find('?');
    r.path = r.target.substr(0, q);
    r.query = q == std::string::npos ? "" : r.target.substr(q + 1);
    size_t pos = line_end == std::string::npos ? head.size() : line_end + 2;
    while (pos < head.size()) {
      auto end = head.find("\r\n", pos);
      if (end == std::string::npos) end = head.size();
      const std::string field = head.substr(pos, end - pos);
      const auto colon = field.find(':');
      if (colon != std::string::npos) {
        std::string name = field.substr(0, colon);
        std::transform(name.begin(), name.end(), name.begin(), ::tolower);
        std::string value = field.substr(colon + 1);
        value.erase(0, value.find_first_not_of(' '));
        r.headers[name] = value;
      }
      pos = end + 2;
    }
  }
  size_t length = 0;
  if (auto it = r.headers.find("content-length"); it != r.headers.end())
    length = std::stoul(it->second);
  while (data.size() < header_end + 4 + length)
    if (!readMore()) return;
  r.body = data.substr(header_end + 4, length);

  const Reply reply = dispatch(r);
  std::string out = "HTTP/1.1 " + std::to_string(reply.status) + " " + reasonPhrase(reply.status) +
                    "\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: " +
                    std::to_string(reply.body.size()) + "\r\nConnection: close\r\n\r\n" +
                    reply.body;
  size_t sent = 0;
  while (sent < out.size()) {
    const ssize_t n = ::write(fd, out.data() + sent, out.size() - sent);
    if (n <= 0) break;
    sent += static_cast<size_t>(n);
  }
}

NpmDouble::Reply NpmDouble::dispatch(const Request& r) {
  std::lock_guard lock(mutex_);
  Reply reply;
  if (r.path == "/api/tokens") {
    reply = tokens(r);
  } else if (r.path.starts_with("/api/nginx/proxy-hosts")) {
    reply = proxyHosts(r);
  } else {
    reply = {404, errorBody(404, "Not Found")};
  }
  requests_.push_back(r.method + " " + r.path + " -> " + std::to_string(reply.status));
  const auto body = json::parse(r.body, nullptr, false);
  bodies_.emplace_back(r.method + " " + r.path, body.is_discarded() ? json() : body);
  return reply;
}

// --- tokens ----------------------------------------------------------------------------------

std::string NpmDouble::issueToken() {
  const auto expires = options_.now() + options_.token_lifetime;
  // Shaped like a JWT (three dot-separated parts), so "malformed" has a meaning.
  const std::string token =
      "eyJucG1kb3VibGUiOjF9.eyJzZXJpYWwiOi" + std::to_string(++token_serial_) + "fQ.c2lnbmF0dXJl";
  tokens_[token] = expires;
  return token;
}

std::string NpmDouble::nowIso() const {
  const auto t = std::chrono::system_clock::to_time_t(options_.now());
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S.000Z", &tm);
  return buf;
}

std::optional<NpmDouble::Reply> NpmDouble::checkToken(const Request& r, bool proxy_hosts_scope) {
  const int missing = options_.legacy_403 ? 403 : 404;
  const auto it = r.headers.find("authorization");
  if (it == r.headers.end() || !it->second.starts_with("Bearer "))
    return Reply{missing,
                 errorBody(missing, options_.legacy_403 ? "Permission Denied" : "Not Found")};
  const std::string token = it->second.substr(7);
  const auto found = tokens_.find(token);
  if (found == tokens_.end()) return Reply{500, errorBody(500, "Internal Error")};  // jwt malformed
  if (options_.now() >= found->second) return Reply{400, errorBody(400, "Token has expired")};
  if (proxy_hosts_scope && deny_permission_)
    return Reply{missing,
                 errorBody(missing, options_.legacy_403 ? "Permission Denied" : "Not Found")};
  return std::nullopt;
}

NpmDouble::Reply NpmDouble::tokens(const Request& r) {
  if (r.method == "POST") {
    const auto body = json::parse(r.body, nullptr, false);
    if (!body.is_object()) return {400, errorBody(400, "data must be object")};
    for (const auto& [key, value] : body.items())
      if (key != "identity" && key != "secret" && key != "scope")
        return {400, errorBody(400, "data must NOT have additional properties")};
    if (!body.contains("identity") || !body["identity"].is_string() || !body.contains("secret") ||
        !body["secret"].is_string())
      return {400, errorBody(400, "data must have required property 'identity'")};
    ++logins_;
    if (body["identity"] != options_.identity || body["secret"] != options_.secret)
      return {400, errorBody(400, "Invalid email or password")};
    const std::string token = issueToken();
    const auto expires = std::chrono::system_clock::to_time_t(tokens_[token]);
    std::tm tm{};
    gmtime_r(&expires, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S.000Z", &tm);
    return {200, json{{"token", token}, {"expires", buf}}.dump()};
  }
  if (r.method == "GET") {
    if (auto refused = checkToken(r, false)) return *refused;
    const std::string token = issueToken();
    const auto expires = std::chrono::system_clock::to_time_t(tokens_[token]);
    std::tm tm{};
    gmtime_r(&expires, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S.000Z", &tm);
    return {200, json{{"token", token}, {"expires", buf}}.dump()};
  }
  return {404, errorBody(404, "Not Found")};
}

// --- proxy hosts -------------------------------------------------------------------------------

std::string NpmDouble::validateHostBody(const json& body, bool create) const {
  if (!body.is_object()) return "data must be object";
  if (!create && body.empty()) return "data must NOT have fewer than 1 properties";
  for (const auto& [key, value] : body.items()) {
    if (!kHostFields.count(key)) return "data must NOT have additional properties";
    if (kBooleanFields.count(key) && !value.is_boolean()) return "data/" + key + " must be boolean";
  }
  if (create)
    for (const char* required : {"domain_names", "forward_scheme", "forward_host", "forward_port"})
      if (!body.contains(required))
        return std::string("data must have required property '") + required + "'";
  if (body.contains("domain_names")) {
    const auto& d = body["domain_names"];
    if (!d.is_array()) return "data/domain_names must be array";
    if (d.empty()) return "data/domain_names must NOT have fewer than 1 items";
    if (d.size() > 100) return "data/domain_names must NOT have more than 100 items";
    std::set<std::string> seen;
    static const std::regex kPattern("^[^&| @!#%^();:/\\\\}{=+?<>,~`'\"]+$");
    for (const auto& name : d) {
      if (!name.is_string()) return "data/domain_names must be string";
      if (!std::regex_match(name.get<std::string>(), kPattern))
        return "data/domain_names must match pattern";
      if (!seen.insert(name.get<std::string>()).second)
        return "data/domain_names must NOT have duplicate items";
    }
  }
  if (body.contains("forward_scheme") &&
      (!body["forward_scheme"].is_string() ||
       (body["forward_scheme"] != "http" && body["forward_scheme"] != "https")))
    return "data/forward_scheme must be equal to one of the allowed values";
  if (body.contains("forward_host")) {
    const auto& h = body["forward_host"];
    if (!h.is_string() || h.get<std::string>().empty() || h.get<std::string>().size() > 255)
      return "data/forward_host must be string of 1 to 255 characters";
  }
  if (body.contains("forward_port")) {
    const auto& p = body["forward_port"];
    if (!p.is_number_integer() || p.get<int>() < 1 || p.get<int>() > 65535)
      return "data/forward_port must be integer in 1..65535";
  }
  for (const char* id : {"access_list_id"})
    if (body.contains(id) && (!body[id].is_number_integer() || body[id].get<int>() < 0))
      return std::string("data/") + id + " must be integer >= 0";
  if (body.contains("certificate_id") &&
      !(body["certificate_id"].is_number_integer() || body["certificate_id"] == "new"))
    return "data/certificate_id must be integer or \"new\"";
  if (body.contains("advanced_config") && !body["advanced_config"].is_string())
    return "data/advanced_config must be string";
  if (body.contains("meta") && !body["meta"].is_object()) return "data/meta must be object";
  if (body.contains("locations") && !body["locations"].is_array())
    return "data/locations must be array";
  return "";
}

std::string NpmDouble::domainTaken(const json& domains, int except_id) const {
  if (!domains.is_array()) return "";
  for (const auto& name : domains)
    for (const auto& [id, row] : hosts_)
      if (id != except_id)
        for (const auto& existing : row["domain_names"])
          if (existing == name) return name.get<std::string>() + " is already in use";
  return "";
}

json NpmDouble::insertHost(const json& fields) {
  const int id = next_id_++;
  json row = {{"id", id},
              {"created_on", nowIso()},
              {"modified_on", nowIso()},
              {"owner_user_id", 1},
              {"domain_names", json::array()},
              {"forward_scheme", "http"},
              {"forward_host", ""},
              {"forward_port", 80},
              {"access_list_id", 0},
              {"certificate_id", 0},
              {"ssl_forced", false},
              {"caching_enabled", false},
              {"block_exploits", false},
              {"advanced_config", ""},
              {"meta", json::object()},
              {"allow_websocket_upgrade", false},
              {"http2_support", false},
              {"enabled", true},
              {"locations", json::array()},
              {"hsts_enabled", false},
              {"hsts_subdomains", false}};
  for (const auto& [key, value] : fields.items())
    row[key] = value;
  // NPM lower-cases and trims domain names on save.
  for (auto& d : row["domain_names"]) {
    std::string s = d.get<std::string>();
    std::transform(s.begin(), s.end(), s.begin(), ::tolower);
    d = s;
  }
  hosts_[id] = row;
  if (row["enabled"].get<bool>()) configure(hosts_[id]);
  return hosts_[id];
}

std::string NpmDouble::renderHost(const json& row) const {
  std::string names;
  for (const auto& d : row["domain_names"])
    names += (names.empty() ? "" : " ") + d.get<std::string>();
  std::string t;
  t += "# Nginx Proxy Manager double: proxy host " + std::to_string(row["id"].get<int>()) + "\n";
  t += "server {\n";
  t += "  listen " + options_.nginx_listen + ";\n";
  t += "  server_name " + names + ";\n";
  t += "  " + row["advanced_config"].get<std::string>() + "\n";
  t += "  location / {\n";
  t += "    proxy_set_header Host $host;\n";
  t += "    proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n";
  t += "    proxy_pass " + row["forward_scheme"].get<std::string>() + "://" +
       row["forward_host"].get<std::string>() + ":" +
       std::to_string(row["forward_port"].get<int>()) + ";\n";
  t += "  }\n";
  t += "}\n";
  return t;
}

// What NPM's internalNginx.configure does: write the host's file, test, and on failure mark
// the host offline with nginx's message and rename the file to .err; then reload.
void NpmDouble::configure(json& row) {
  row["modified_on"] = nowIso();
  if (options_.nginx_conf_dir.empty()) {
    row["meta"]["nginx_online"] = broken_nginx_err_.empty();
    row["meta"]["nginx_err"] = broken_nginx_err_.empty() ? json(nullptr) : json(broken_nginx_err_);
    return;
  }
  const int id = row["id"].get<int>();
  std::error_code ec;
  fs::remove(nginxFile(id) + ".err", ec);
  std::ofstream(nginxFile(id)) << renderHost(row);
  const auto test = runCommand(options_.nginx_test_argv, {}, std::chrono::seconds(30));
  if (test.exit_code == 0) {
    row["meta"]["nginx_online"] = true;
    row["meta"]["nginx_err"] = nullptr;
  } else {
    row["meta"]["nginx_online"] = false;
    row["meta"]["nginx_err"] = test.err + test.out;
    fs::rename(nginxFile(id), nginxFile(id) + ".err", ec);
  }
  runCommand(options_.nginx_reload_argv, {}, std::chrono::seconds(30));
}

void NpmDouble::unconfigure(int id) {
  if (options_.nginx_conf_dir.empty()) return;
  std::error_code ec;
  fs::remove(nginxFile(id), ec);
  fs::remove(nginxFile(id) + ".err", ec);
  runCommand(options_.nginx_reload_argv, {}, std::chrono::seconds(30));
}

NpmDouble::Reply NpmDouble::proxyHosts(const Request& r) {
  if (auto refused = checkToken(r, true)) return *refused;
  const std::string base = "/api/nginx/proxy-hosts";
  std::string rest = r.path.substr(base.size());
  if (rest.empty() || rest == "/") {
    if (r.method == "GET") {
      json list = json::array();
      for (const auto& [id, row] : hosts_)
        list.push_back(row);
      return {200, list.dump()};
    }
    if (r.method == "POST") {
      const auto body = json::parse(r.body, nullptr, false);
      if (auto problem = validateHostBody(body, true); !problem.empty())
        return {400, errorBody(400, problem)};
      if (auto taken = domainTaken(body["domain_names"], 0); !taken.empty())
        return {400, errorBody(400, taken)};
      if (fail_next_create_ != 0) {
        const int status = fail_next_create_;
        fail_next_create_ = 0;
        if (leave_host_behind_) insertHost(body);
        return {status, errorBody(status, "Internal Error")};
      }
      return {201, insertHost(body).dump()};
    }
    return {404, errorBody(404, "Not Found")};
  }
  // /{id}[/enable|/disable]
  rest = rest.substr(1);
  const auto slash = rest.find('/');
  const std::string id_text = rest.substr(0, slash);
  const std::string action = slash == std::string::npos ? "" : rest.substr(slash + 1);
  int id = 0;
  try {
    id = std::stoi(id_text);
  } catch (const std::exception&) {
    return {400, errorBody(400, "data/id must be integer")};
  }
  const auto it = hosts_.find(id);
  if (it == hosts_.end()) return {404, errorBody(404, "Item Not Found - " + id_text)};
  json& row = it->second;
  if (action.empty() && r.method == "GET") return {200, row.dump()};
  if (action.empty() && r.method == "PUT") {
    const auto body = json::parse(r.body, nullptr, false);
    if (auto problem = validateHostBody(body, false); !problem.empty())
      return {400, errorBody(400, problem)};
    if (body.contains("domain_names"))
      if (auto taken = domainTaken(body["domain_names"], id); !taken.empty())
        return {400, errorBody(400, taken)};
    for (const auto& [key, value] : body.items())
      row[key] = value;
    if (row["enabled"].get<bool>()) configure(row);
    return {200, row.dump()};
  }
  if (action.empty() && r.method == "DELETE") {
    unconfigure(id);
    hosts_.erase(it);
    return {200, "true"};
  }
  if ((action == "enable" || action == "disable") && r.method == "POST") {
    const bool enable = action == "enable";
    if (row["enabled"].get<bool>() == enable)
      return {400,
              errorBody(400, std::string("Host is already ") + (enable ? "enabled" : "disabled"))};
    row["enabled"] = enable;
    if (enable)
      configure(row);
    else
      unconfigure(id);
    return {200, "true"};
  }
  return {404, errorBody(404, "Not Found")};
}

// --- test controls -----------------------------------------------------------------------------

int NpmDouble::addHost(const json& fields) {
  std::lock_guard lock(mutex_);
  if (auto problem = validateHostBody(fields, true); !problem.empty())
    throw std::runtime_error("npm double: " + problem);
  if (auto taken = domainTaken(fields["domain_names"], 0); !taken.empty())
    throw std::runtime_error("npm double: " + taken);
  return insertHost(fields)["id"].get<int>();
}

void NpmDouble::setPassword(const std::string& secret) {
  std::lock_guard lock(mutex_);
  options_.secret = secret;
}

void NpmDouble::failNextCreate(int status, bool leave_host_behind) {
  std::lock_guard lock(mutex_);
  fail_next_create_ = status;
  leave_host_behind_ = leave_host_behind;
}

void NpmDouble::expireAllTokens() {
  std::lock_guard lock(mutex_);
  for (auto& [token, expires] : tokens_)
    expires = options_.now();
}

void NpmDouble::denyPermission(bool deny) {
  std::lock_guard lock(mutex_);
  deny_permission_ = deny;
}

void NpmDouble::revokeAllTokens() {
  std::lock_guard lock(mutex_);
  tokens_.clear();
}

void NpmDouble::breakNginx(std::string nginx_err) {
  std::lock_guard lock(mutex_);
  broken_nginx_err_ = std::move(nginx_err);
}

json NpmDouble::host(int id) const {
  std::lock_guard lock(mutex_);
  const auto it = hosts_.find(id);
  return it == hosts_.end() ? json() : it->second;
}

std::vector<json> NpmDouble::hosts() const {
  std::lock_guard lock(mutex_);
  std::vector<json> out;
  for (const auto& [id, row] : hosts_)
    out.push_back(row);
  return out;
}

std::vector<std::string> NpmDouble::requests() const {
  std::lock_guard lock(mutex_);
  return requests_;
}

std::vector<json> NpmDouble::bodies(const std::string& method_and_path) const {
  std::lock_guard lock(mutex_);
  std::vector<json> out;
  for (const auto& [key, body] : bodies_)
    if (key == method_and_path) out.push_back(body);
  return out;
}

int NpmDouble::logins() const {
  std::lock_guard lock(mutex_);
  return logins_;
}

}  // namespace berth::testing
