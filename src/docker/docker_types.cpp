#include "docker/docker_types.h"

namespace berth::docker {

std::optional<std::string> ImageInfo::digestFor(const std::string& repository) const {
  const std::string prefix = repository + "@";
  for (const auto& d : repo_digests)
    if (d.starts_with(prefix)) return d.substr(prefix.size());
  return std::nullopt;
}

std::optional<int> ContainerInfo::hostPort(const std::string& container_port) const {
  const std::string key =
      container_port.find('/') == std::string::npos ? container_port + "/tcp" : container_port;
  for (const auto& p : ports)
    if (p.container_port == key) return p.host_port;
  return std::nullopt;
}

namespace {
std::string join(const std::vector<LogChunk>& chunks, bool want_stdout, bool want_stderr) {
  std::string out;
  for (const auto& c : chunks) {
    const bool is_err = c.stream == LogStream::stderr_stream || c.stream == LogStream::system;
    if ((is_err && want_stderr) || (!is_err && want_stdout)) out += c.text;
  }
  return out;
}
}  // namespace

std::string ContainerLogs::stdoutText() const {
  return join(chunks, true, false);
}
std::string ContainerLogs::stderrText() const {
  return join(chunks, false, true);
}
std::string ContainerLogs::all() const {
  return join(chunks, true, true);
}

std::string DockerEvent::attribute(const std::string& key) const {
  const auto it = attributes.find(key);
  return it == attributes.end() ? "" : it->second;
}

}  // namespace berth::docker
