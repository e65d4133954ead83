// Plain values exchanged with the Docker daemon: what berth asks for (ContainerSpec, NetworkSpec,
// filters) and what it reads back (ContainerInfo, ImageInfo, events, logs). No JSON here: the
// mapping to and from the Engine API lives in requests.cpp and responses.cpp.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/model.h"

namespace berth::docker {

// Docker's filter syntax as a value: {"label": ["berth.project=web"], "status": ["running"]}.
// Values under one key are alternatives (OR); different keys must all match (AND).
using Filters = std::map<std::string, std::vector<std::string>>;

struct DaemonVersion {
  std::string version{};          // engine version, "20.10.24+dfsg1"
  std::string api_version{};      // newest API the daemon serves, "1.41"
  std::string min_api_version{};  // oldest API the daemon serves, "1.12"
  std::string os{};
  std::string arch{};
};

// Credentials the daemon forwards to a registry when pulling (X-Registry-Auth).
struct RegistryAuth {
  std::string username{};
  std::string password{};
  std::string server_address{};  // empty: the registry host of the image being pulled
};

// Docker's own health check (HEALTHCHECK), as set on an image or overridden on a container.
// Durations are sent in nanoseconds; zero means "the daemon's default" (30 s, 30 s, 0, 3 retries).
struct HealthcheckSpec {
  // ["CMD-SHELL", "wget -q -O- http://127.0.0.1:8080/healthz"], ["CMD", "/bin/check"], or
  // ["NONE"] to disable a check the image declares.
  std::vector<std::string> test{};
  Duration interval{0};
  Duration timeout{0};
  Duration start_period{0};
  int retries = 0;
  bool operator==(const HealthcheckSpec&) const = default;
};

// Publishes container_port on host_ip:host_port. An empty host_port lets the daemon choose a
// free port; read it back from ContainerInfo::ports after start.
struct PortBinding {
  std::string container_port{};  // "8080/tcp" ("8080" means tcp)
  std::string host_ip{};         // "127.0.0.1"; empty means every address (avoid)
  std::string host_port{};       // "" = random
  bool operator==(const PortBinding&) const = default;
};

struct Mount {
  enum class Type { volume, bind };
  Type type = Type::volume;
  std::string source{};  // volume name, or absolute host path for a bind (must exist)
  std::string target{};  // absolute path in the container
  bool read_only = false;
  bool operator==(const Mount&) const = default;
};

struct RestartPolicy {
  enum class Name { no, always, unless_stopped, on_failure };
  Name name = Name::no;
  int max_retries = 0;  // on_failure only
  bool operator==(const RestartPolicy&) const = default;
};

// Everything berth sets when it creates a container (docker create + HostConfig + networking).
struct ContainerSpec {
  std::string name{};   // empty: the daemon picks one (berth always names its containers)
  std::string image{};  // reference or image id; pinning a digest is the caller's choice
  std::vector<std::string> cmd{};            // empty: the image's CMD
  std::map<std::string, std::string> env{};  // sent as "KEY=value", in key order
  std::map<std::string, std::string> labels{};
  std::vector<std::string> exposed_ports{};  // "8080/tcp"; bound ports are exposed anyway
  std::vector<PortBinding> port_bindings{};
  std::vector<Mount> mounts{};
  RestartPolicy restart{};
  std::string network{};                       // user-defined network to join at create time
  std::vector<std::string> network_aliases{};  // DNS names on `network`
  std::optional<std::chrono::seconds> stop_timeout{};  // SIGTERM grace before SIGKILL
  std::optional<HealthcheckSpec> healthcheck{};        // overrides the image's HEALTHCHECK
  bool tty = false;  // berth never needs one; tests use it to check raw log streams
  bool operator==(const ContainerSpec&) const = default;
};

struct CreatedContainer {
  std::string id{};
  std::vector<std::string> warnings{};
};

struct ImageInfo {
  std::string id{};  // "sha256:..." (the config digest, not a registry digest)
  std::vector<std::string> repo_tags{};
  std::vector<std::string> repo_digests{};  // "127.0.0.1:5000/acme/web@sha256:..."
  std::string created{};                    // RFC 3339 as the daemon wrote it
  std::optional<std::chrono::system_clock::time_point> created_time{};  // parsed, if parseable
  std::optional<HealthcheckSpec> healthcheck{};
  std::vector<std::string> exposed_ports{};  // "8080/tcp", sorted
  std::map<std::string, std::string> labels{};

  // The registry digest for `repository` ("127.0.0.1:5000/acme/web"), if the image has one.
  std::optional<std::string> digestFor(const std::string& repository) const;
};

// A port the daemon published, as NetworkSettings.Ports reports it.
struct PublishedPort {
  std::string container_port{};  // "8080/tcp"
  std::string host_ip{};
  int host_port = 0;
  bool operator==(const PublishedPort&) const = default;
};

struct HealthState {
  std::string status{};  // "starting", "healthy", "unhealthy"; empty without a health check
  int failing_streak = 0;
  // The most recent check, for messages such as "unhealthy: HTTP 404".
  std::optional<int> last_exit_code{};
  std::string last_output{};
};

struct ContainerState {
  std::string status{};  // "created", "running", "restarting", "exited", "dead", ...
  bool running = false;
  bool restarting = false;
  bool oom_killed = false;
  int exit_code = 0;
  std::string error{};  // the daemon's reason when start failed
  std::string started_at{};
  std::string finished_at{};
  HealthState health{};
};

struct NetworkAttachment {
  std::string network_id{};
  std::string ip_address{};
  std::vector<std::string> aliases{};
};

struct ContainerInfo {
  std::string id{};
  std::string name{};      // without Docker's leading '/'
  std::string image{};     // what it was created from (Config.Image)
  std::string image_id{};  // "sha256:..."
  std::map<std::string, std::string> labels{};
  bool tty = false;
  int restart_count = 0;
  ContainerState state{};
  std::vector<PublishedPort> ports{};                   // in container-port order
  std::map<std::string, NetworkAttachment> networks{};  // by network name

  // The host port published for `container_port` ("8080/tcp" or "8080"), if any.
  std::optional<int> hostPort(const std::string& container_port) const;
};

// One row of GET /containers/json.
struct ContainerSummary {
  std::string id{};
  std::vector<std::string> names{};  // without leading '/'
  std::string image{};
  std::string image_id{};
  std::string state{};   // "running", "exited", ...
  std::string status{};  // "Up 18 seconds (healthy)"
  std::map<std::string, std::string> labels{};
  std::int64_t created = 0;  // unix seconds
};

struct LogOptions {
  std::optional<int> tail{};  // last N lines; nullopt = everything
  bool stdout_stream = true;
  bool stderr_stream = true;
  bool timestamps = false;     // prefix each line with an RFC 3339 time
  std::int64_t since = 0;      // unix seconds; 0 = from the start
  size_t max_bytes = 8 << 20;  // refuse more than this (protocol error), not exhaust memory
};

enum class LogStream { stdin_stream = 0, stdout_stream = 1, stderr_stream = 2, system = 3 };

// A frame of output as the daemon framed it (one write by the container, usually one line).
struct LogChunk {
  LogStream stream = LogStream::stdout_stream;
  std::string text{};
  bool operator==(const LogChunk&) const = default;
};

struct ContainerLogs {
  // In the order the daemon sent them. With a TTY the daemon cannot tell the streams apart:
  // everything arrives as stdout.
  std::vector<LogChunk> chunks{};
  std::string stdoutText() const;
  std::string stderrText() const;
  std::string all() const;  // both, interleaved as sent
};

// One message of GET /events.
struct DockerEvent {
  std::string type{};    // "container", "network", "image", "volume", ...
  std::string action{};  // "start", "die", "health_status: healthy", "connect", ...
  std::string actor_id{};
  std::map<std::string, std::string> attributes{};  // labels, "name", "image", "exitCode", ...
  std::string scope{};
  std::int64_t time_nano = 0;  // unix time in nanoseconds

  // Attribute value or "" (e.g. attribute("name"), attribute("exitCode")).
  std::string attribute(const std::string& key) const;
};

struct EventFilter {
  Filters filters{};       // {"type": ["container"], "label": ["berth.project=web"]}
  std::int64_t since = 0;  // unix seconds; replays past events from then (0 = only new)
  std::int64_t until = 0;  // unix seconds; the daemon ends the stream then (0 = never)
};

struct NetworkSpec {
  std::string name{};
  std::string driver = "bridge";
  std::map<std::string, std::string> labels{};
  bool internal = false;  // no route out of the network
  bool attachable = false;
};

struct NetworkInfo {
  std::string id{};
  std::string name{};
  std::string driver{};
  std::string scope{};
  bool internal = false;
  std::map<std::string, std::string> labels{};
  std::map<std::string, std::string> containers{};  // container id -> name
};

}  // namespace berth::docker
