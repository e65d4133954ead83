#include "docker/responses.h"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "docker/docker_error.h"

namespace berth::docker {
namespace {

using nlohmann::json;

// Who is reading, for error messages.
struct Context {
  std::string operation;
  std::string object;
};

[[noreturn]] void malformed(const Context& ctx, const std::string& detail) {
  throw DockerError(DockerError::Kind::protocol, ctx.operation, ctx.object, detail);
}

json parseJson(const Context& ctx, std::string_view body) {
  json j = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) {
    const std::string start(body.substr(0, 60));
    malformed(ctx, "not JSON: '" + start + (body.size() > 60 ? "...'" : "'"));
  }
  return j;
}

// A JSON value and its path from the root ("State.Health.Status"), for typed reads with
// messages that say which field was wrong. null and absent read the same: the daemon writes
// null for empty lists and maps ("Env": null).
class Node {
 public:
  Node(const Context& ctx, const json* value, std::string path)
      : ctx_(&ctx), value_(value), path_(std::move(path)) {}

  bool present() const { return value_ != nullptr && !value_->is_null(); }
  const std::string& path() const { return path_; }
  const json& raw() const { return *value_; }

  Node operator[](std::string_view key) const {
    const std::string child = path_.empty() ? std::string(key) : path_ + "." + std::string(key);
    if (!present()) return Node(*ctx_, nullptr, child);
    if (!value_->is_object()) fail("expected object");
    const auto it = value_->find(key);
    return Node(*ctx_, it == value_->end() ? nullptr : &*it, child);
  }

  std::string str() const {
    require();
    if (!value_->is_string()) fail("expected string");
    return value_->get<std::string>();
  }
  std::string strOr(std::string fallback = "") const { return present() ? str() : fallback; }

  bool boolean() const {
    require();
    if (!value_->is_boolean()) fail("expected boolean");
    return value_->get<bool>();
  }
  bool boolOr(bool fallback) const { return present() ? boolean() : fallback; }

  std::int64_t integer() const {
    require();
    if (!value_->is_number_integer()) fail("expected integer");
    return value_->get<std::int64_t>();
  }
  std::int64_t intOr(std::int64_t fallback) const { return present() ? integer() : fallback; }

  std::vector<std::string> strings() const {
    std::vector<std::string> out;
    if (!present()) return out;
    if (!value_->is_array()) fail("expected array of strings");
    for (const auto& item : *value_) {
      if (!item.is_string()) fail("expected array of strings");
      out.push_back(item.get<std::string>());
    }
    return out;
  }

  std::map<std::string, std::string> stringMap() const {
    std::map<std::string, std::string> out;
    if (!present()) return out;
    if (!value_->is_object()) fail("expected object of strings");
    for (const auto& [key, item] : value_->items()) {
      if (!item.is_string()) (*this)[key].fail("expected string");
      out.emplace(key, item.get<std::string>());
    }
    return out;
  }

  // Keys of an object (empty when absent).
  std::vector<std::string> keys() const {
    std::vector<std::string> out;
    if (!present()) return out;
    if (!value_->is_object()) fail("expected object");
    for (const auto& item : value_->items())
      out.push_back(item.key());
    return out;
  }

  // Elements of an array (empty when absent), each with its path "Log[2]".
  std::vector<Node> elements() const {
    std::vector<Node> out;
    if (!present()) return out;
    if (!value_->is_array()) fail("expected array");
    for (size_t i = 0; i < value_->size(); ++i)
      out.emplace_back(*ctx_, &(*value_)[i], path_ + "[" + std::to_string(i) + "]");
    return out;
  }

  [[noreturn]] void fail(const std::string& what) const {
    malformed(*ctx_, (path_.empty() ? std::string("body") : "field " + path_) + ": " + what);
  }

 private:
  void require() const {
    if (value_ == nullptr) fail("missing");
    if (value_->is_null()) fail("is null");
  }

  const Context* ctx_;
  const json* value_;
  std::string path_;
};

Node root(const Context& ctx, const json& j, bool want_object = true) {
  Node node(ctx, &j, "");
  if (want_object && !j.is_object()) node.fail("expected a JSON object");
  return node;
}

Duration fromNanoseconds(std::int64_t ns) {
  return std::chrono::duration_cast<Duration>(std::chrono::nanoseconds(ns));
}

std::optional<HealthcheckSpec> parseHealthcheck(const Node& node) {
  if (!node.present()) return std::nullopt;
  HealthcheckSpec h;
  h.test = node["Test"].strings();
  h.interval = fromNanoseconds(node["Interval"].intOr(0));
  h.timeout = fromNanoseconds(node["Timeout"].intOr(0));
  h.start_period = fromNanoseconds(node["StartPeriod"].intOr(0));
  h.retries = static_cast<int>(node["Retries"].intOr(0));
  return h;
}

std::string withoutSlash(std::string name) {
  if (!name.empty() && name.front() == '/') name.erase(0, 1);
  return name;
}

// NetworkSettings.Ports: {"8080/tcp": [{"HostIp": "127.0.0.1", "HostPort": "32768"}], "9000/tcp":
// null} (null: exposed but not published).
std::vector<PublishedPort> parsePorts(const Node& ports) {
  std::vector<PublishedPort> out;
  for (const auto& key : ports.keys()) {
    for (const Node& binding : ports[key].elements()) {
      PublishedPort p;
      p.container_port = key;
      p.host_ip = binding["HostIp"].strOr();
      const Node port_node = binding["HostPort"];
      const std::string text = port_node.str();
      const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), p.host_port);
      if (ec != std::errc() || end != text.data() + text.size())
        port_node.fail("expected a port number, got '" + text + "'");
      out.push_back(std::move(p));
    }
  }
  std::stable_sort(out.begin(), out.end(), [](const PublishedPort& a, const PublishedPort& b) {
    return a.container_port < b.container_port;
  });
  return out;
}

HealthState parseHealth(const Node& health) {
  HealthState h;
  if (!health.present()) return h;
  h.status = health["Status"].strOr();
  h.failing_streak = static_cast<int>(health["FailingStreak"].intOr(0));
  const auto log = health["Log"].elements();
  if (!log.empty()) {
    const Node& last = log.back();
    if (last["ExitCode"].present()) h.last_exit_code = static_cast<int>(last["ExitCode"].integer());
    h.last_output = last["Output"].strOr();
  }
  return h;
}

}  // namespace

std::optional<std::chrono::system_clock::time_point> parseDockerTime(std::string_view text) {
  // YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM)
  if (text.size() < 20 || text[4] != '-' || text[7] != '-' ||
      (text[10] != 'T' && text[10] != 't') || text[13] != ':' || text[16] != ':')
    return std::nullopt;
  const auto number = [&](size_t pos, size_t len, int& out) {
    const auto [end, ec] = std::from_chars(text.data() + pos, text.data() + pos + len, out);
    return ec == std::errc() && end == text.data() + pos + len;
  };
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (!number(0, 4, year) || !number(5, 2, month) || !number(8, 2, day) || !number(11, 2, hour) ||
      !number(14, 2, minute) || !number(17, 2, second))
    return std::nullopt;
  size_t pos = 19;
  std::int64_t nanos = 0;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    int digits = 0;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      if (digits < 9) nanos = nanos * 10 + (text[pos] - '0');
      ++digits;
      ++pos;
    }
    if (digits == 0) return std::nullopt;
    for (int d = digits; d < 9; ++d)
      nanos *= 10;
  }
  std::chrono::minutes offset{0};
  if (pos < text.size() && (text[pos] == 'Z' || text[pos] == 'z')) {
    ++pos;
  } else if (pos + 6 == text.size() && (text[pos] == '+' || text[pos] == '-') &&
             text[pos + 3] == ':') {
    int oh = 0, om = 0;
    if (!number(pos + 1, 2, oh) || !number(pos + 4, 2, om)) return std::nullopt;
    offset = std::chrono::hours(oh) + std::chrono::minutes(om);
    if (text[pos] == '-') offset = -offset;
    pos += 6;
  } else {
    return std::nullopt;
  }
  if (pos != text.size()) return std::nullopt;
  const std::chrono::year_month_day ymd{std::chrono::year{year},
                                        std::chrono::month{static_cast<unsigned>(month)},
                                        std::chrono::day{static_cast<unsigned>(day)}};
  if (!ymd.ok() || hour > 23 || minute > 59 || second > 60) return std::nullopt;
  const auto time = std::chrono::sys_days{ymd} + std::chrono::hours(hour) +
                    std::chrono::minutes(minute) + std::chrono::seconds(second) - offset;
  return std::chrono::time_point_cast<std::chrono::system_clock::duration>(
      time + std::chrono::nanoseconds(nanos));
}

DaemonVersion parseVersion(std::string_view body) {
  const Context ctx{"version", ""};
  const json j = parseJson(ctx, body);
  const Node r = root(ctx, j);
  DaemonVersion v;
  v.version = r["Version"].strOr();
  v.api_version = r["ApiVersion"].str();
  v.min_api_version = r["MinAPIVersion"].strOr();
  v.os = r["Os"].strOr();
  v.arch = r["Arch"].strOr();
  return v;
}

ImageInfo parseImageInspect(std::string_view body, const std::string& image) {
  const Context ctx{"inspect image", image};
  const json j = parseJson(ctx, body);
  const Node r = root(ctx, j);
  ImageInfo info;
  info.id = r["Id"].str();
  info.repo_tags = r["RepoTags"].strings();
  info.repo_digests = r["RepoDigests"].strings();
  info.created = r["Created"].strOr();
  info.created_time = parseDockerTime(info.created);
  const Node config = r["Config"];
  info.healthcheck = parseHealthcheck(config["Healthcheck"]);
  info.exposed_ports = config["ExposedPorts"].keys();
  std::sort(info.exposed_ports.begin(), info.exposed_ports.end());
  info.labels = config["Labels"].stringMap();
  return info;
}

CreatedContainer parseContainerCreate(std::string_view body, const std::string& name) {
  const Context ctx{"create container", name};
  const json j = parseJson(ctx, body);
  const Node r = root(ctx, j);
  return CreatedContainer{.id = r["Id"].str(), .warnings = r["Warnings"].strings()};
}

ContainerInfo parseContainerInspect(std::string_view body, const std::string& container) {
  const Context ctx{"inspect container", container};
  const json j = parseJson(ctx, body);
  const Node r = root(ctx, j);
  ContainerInfo info;
  info.id = r["Id"].str();
  info.name = withoutSlash(r["Name"].strOr());
  info.image_id = r["Image"].strOr();
  info.restart_count = static_cast<int>(r["RestartCount"].intOr(0));

  const Node state = r["State"];
  if (!state.present()) state.fail("missing");
  info.state.status = state["Status"].str();
  info.state.running = state["Running"].boolean();
  info.state.restarting = state["Restarting"].boolOr(false);
  info.state.oom_killed = state["OOMKilled"].boolOr(false);
  info.state.exit_code = static_cast<int>(state["ExitCode"].integer());
  info.state.error = state["Error"].strOr();
  info.state.started_at = state["StartedAt"].strOr();
  info.state.finished_at = state["FinishedAt"].strOr();
  info.state.health = parseHealth(state["Health"]);

  const Node config = r["Config"];
  info.image = config["Image"].strOr();
  info.labels = config["Labels"].stringMap();
  info.tty = config["Tty"].boolOr(false);

  const Node network_settings = r["NetworkSettings"];
  info.ports = parsePorts(network_settings["Ports"]);
  const Node networks = network_settings["Networks"];
  for (const auto& name : networks.keys()) {
    const Node n = networks[name];
    info.networks.emplace(name, NetworkAttachment{.network_id = n["NetworkID"].strOr(),
                                                  .ip_address = n["IPAddress"].strOr(),
                                                  .aliases = n["Aliases"].strings()});
  }
  return info;
}

std::vector<ContainerSummary> parseContainerList(std::string_view body) {
  const Context ctx{"list containers", ""};
  const json j = parseJson(ctx, body);
  const Node r = root(ctx, j, /*want_object=*/false);
  if (!j.is_array()) r.fail("expected a JSON array");
  std::vector<ContainerSummary> out;
  for (const Node& c : r.elements()) {
    ContainerSummary s;
    s.id = c["Id"].str();
    for (auto& name : c["Names"].strings())
      s.names.push_back(withoutSlash(std::move(name)));
    s.image = c["Image"].strOr();
    s.image_id = c["ImageID"].strOr();
    s.state = c["State"].strOr();
    s.status = c["Status"].strOr();
    s.labels = c["Labels"].stringMap();
    s.created = c["Created"].intOr(0);
    out.push_back(std::move(s));
  }
  return out;
}

NetworkInfo parseNetworkInspect(std::string_view body, const std::string& network) {
  const Context ctx{"inspect network", network};
  const json j = parseJson(ctx, body);
  const Node r = root(ctx, j);
  NetworkInfo info;
  info.id = r["Id"].str();
  info.name = r["Name"].str();
  info.driver = r["Driver"].strOr();
  info.scope = r["Scope"].strOr();
  info.internal = r["Internal"].boolOr(false);
  info.labels = r["Labels"].stringMap();
  const Node containers = r["Containers"];
  for (const auto& id : containers.keys())
    info.containers.emplace(id, containers[id]["Name"].strOr());
  return info;
}

std::string parseNetworkCreate(std::string_view body, const std::string& network) {
  const Context ctx{"create network", network};
  const json j = parseJson(ctx, body);
  return root(ctx, j)["Id"].str();
}

PullMessage parsePullMessage(std::string_view line, const std::string& image) {
  const Context ctx{"pull", image};
  const json j = parseJson(ctx, line);
  const Node r = root(ctx, j);
  PullMessage m;
  m.id = r["id"].strOr();
  m.status = r["status"].strOr();
  const Node detail = r["progressDetail"];
  m.current = detail["current"].intOr(0);
  m.total = detail["total"].intOr(0);
  // errorDetail.message is the structured form; "error" the older one. Either ends the pull.
  m.error = r["errorDetail"]["message"].strOr();
  if (m.error.empty()) m.error = r["error"].strOr();
  if (m.error.empty() && (r["error"].present() || r["errorDetail"].present()))
    m.error = "pull failed (the daemon gave no reason)";
  return m;
}

DockerEvent parseEvent(std::string_view line) {
  const Context ctx{"events", ""};
  const json j = parseJson(ctx, line);
  const Node r = root(ctx, j);
  DockerEvent e;
  // Type/Action/Actor since API 1.22; "status"/"id" remain for older consumers.
  e.type = r["Type"].strOr("container");
  e.action = r["Action"].strOr(r["status"].strOr());
  if (e.action.empty()) r["Action"].fail("missing");
  const Node actor = r["Actor"];
  e.actor_id = actor["ID"].strOr(r["id"].strOr());
  e.attributes = actor["Attributes"].stringMap();
  e.scope = r["scope"].strOr();
  e.time_nano = r["timeNano"].intOr(r["time"].intOr(0) * 1'000'000'000);
  return e;
}

}  // namespace berth::docker
