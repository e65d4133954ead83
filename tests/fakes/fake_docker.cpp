#include "fakes/fake_docker.h"

#include <algorithm>

namespace berth::fakes {

using docker::DockerError;

void FakeDocker::addImage(const std::string& repository, const std::string& tag,
                          const std::string& digest, Behaviour behaviour) {
  std::lock_guard lock(mutex_);
  // Like a registry: a re-pushed tag names the new content, the old digest stays pullable.
  images_[repository].push_back(Image{tag, digest, behaviour});
}

std::string FakeDocker::addContainer(const docker::ContainerSpec& spec, bool running,
                                     Behaviour behaviour) {
  std::lock_guard lock(mutex_);
  Container c;
  c.spec = spec;
  c.id = "c" + std::to_string(next_id_++);
  c.running = running;
  c.host_port = next_port_++;
  c.behaviour = behaviour;
  containers_.push_back(c);
  return c.id;
}

std::vector<FakeDocker::Container> FakeDocker::containers() const {
  std::lock_guard lock(mutex_);
  return containers_;
}

std::vector<std::string> FakeDocker::calls() const {
  std::lock_guard lock(mutex_);
  return calls_;
}

int FakeDocker::count(const std::string& call) const {
  std::lock_guard lock(mutex_);
  return static_cast<int>(std::count(calls_.begin(), calls_.end(), call));
}

void FakeDocker::hook(const std::string& call, const std::string& object) {
  {
    std::lock_guard lock(mutex_);
    calls_.push_back(call);
  }
  if (before_call) before_call(call, object);
}

FakeDocker::Container* FakeDocker::find(const std::string& id_or_name) {
  for (auto& c : containers_)
    if (c.id == id_or_name || c.spec.name == id_or_name) return &c;
  return nullptr;
}

Behaviour FakeDocker::behaviourOf(const std::string& image) const {
  const auto at = image.find('@');
  if (at == std::string::npos) return Behaviour::healthy;
  auto it = images_.find(image.substr(0, at));
  if (it == images_.end()) return Behaviour::healthy;
  for (const auto& i : it->second)
    if (i.digest == image.substr(at + 1)) return i.behaviour;
  return Behaviour::healthy;
}

docker::PullResult FakeDocker::pullImage(const ImageRef& image,
                                         const std::optional<docker::RegistryAuth>&,
                                         const docker::PullCallback& on_progress,
                                         const net::CancelFlag* cancel) {
  hook("pull", image.str());
  std::optional<docker::PullResult> found;
  if (cancel && cancel->load())
    throw DockerError(DockerError::Kind::cancelled, "pull", image.str(), "cancelled");
  std::unique_lock lock(mutex_);
  auto it = images_.find(image.repositoryRef());
  if (it != images_.end()) {
    for (auto i = it->second.rbegin(); i != it->second.rend(); ++i) {
      const bool match = image.digest.empty() ? i->tag == image.tag : i->digest == image.digest;
      if (match) {
        found = docker::PullResult{};
        found->image = image.str();
        found->digest = i->digest;
        found->downloaded = true;
        break;
      }
    }
  }
  lock.unlock();
  if (!found)
    throw DockerError(DockerError::Kind::not_found, "pull", image.str(), "manifest unknown");
  // One layer, in the daemon's order of messages: what a progress bar sees of a real pull.
  if (on_progress) {
    docker::PullProgress progress;
    const docker::PullMessage messages[] = {
        {.id = "0123456789ab", .status = "Pulling fs layer"},
        {.id = "0123456789ab", .status = "Downloading", .current = 500, .total = 1000},
        {.id = "0123456789ab", .status = "Download complete"},
        {.id = "0123456789ab", .status = "Pull complete"},
        {.status = "Digest: " + found->digest},
        {.status = "Status: Downloaded newer image for " + image.str()}};
    for (const auto& message : messages) {
      progress.apply(message);
      on_progress(message, progress);
    }
  }
  return *found;
}

docker::ImageInfo FakeDocker::inspectImage(const std::string& image) {
  hook("inspect_image", image);
  std::lock_guard lock(mutex_);
  docker::ImageInfo info;
  info.id = image;
  if (behaviourOf(image) == Behaviour::docker_healthy) {
    info.healthcheck = docker::HealthcheckSpec{};
    info.healthcheck->test = {"CMD", "/check"};
  }
  return info;
}

docker::CreatedContainer FakeDocker::createContainer(const docker::ContainerSpec& spec) {
  hook("create", spec.name);
  std::lock_guard lock(mutex_);
  if (find(spec.name) != nullptr) {
    throw DockerError(DockerError::Kind::conflict, "create container", spec.name, "name in use");
  }
  Container c;
  c.spec = spec;
  c.id = "c" + std::to_string(next_id_++);
  c.behaviour = behaviourOf(spec.image);
  containers_.push_back(c);
  return {c.id, {}};
}

void FakeDocker::startContainer(const std::string& container) {
  hook("start", container);
  std::lock_guard lock(mutex_);
  Container* c = find(container);
  if (c == nullptr)
    throw DockerError(DockerError::Kind::not_found, "start", container, "no such container");
  if (c->behaviour == Behaviour::exits_at_once) {
    c->running = false;
    c->exit_code = 3;
  } else {
    c->running = true;
  }
  c->host_port = next_port_++;
}

docker::ContainerInfo FakeDocker::inspectContainer(const std::string& container) {
  hook("inspect", container);
  std::lock_guard lock(mutex_);
  Container* c = find(container);
  if (c == nullptr)
    throw DockerError(DockerError::Kind::not_found, "inspect", container, "no such container");
  docker::ContainerInfo info;
  info.id = c->id;
  info.name = c->spec.name;
  info.image = c->spec.image;
  info.labels = c->spec.labels;
  info.state.running = c->running;
  info.state.status = c->running ? "running" : (c->host_port ? "exited" : "created");
  info.state.exit_code = c->exit_code;
  if (c->behaviour == Behaviour::docker_healthy) info.state.health.status = "healthy";
  if (c->running && !c->spec.port_bindings.empty()) {
    info.ports.push_back(docker::PublishedPort{c->spec.port_bindings.front().container_port,
                                               "127.0.0.1", c->host_port});
  }
  return info;
}

bool FakeDocker::stopContainer(const std::string& container, std::chrono::seconds) {
  hook("stop", container);
  std::lock_guard lock(mutex_);
  Container* c = find(container);
  if (c == nullptr)
    throw DockerError(DockerError::Kind::not_found, "stop", container, "no such container");
  const bool was = c->running;
  c->running = false;
  return was;
}

void FakeDocker::removeContainer(const std::string& container, bool force) {
  hook("remove", container);
  std::lock_guard lock(mutex_);
  Container* c = find(container);
  if (c == nullptr)
    throw DockerError(DockerError::Kind::not_found, "remove", container, "no such container");
  if (c->running && !force)
    throw DockerError(DockerError::Kind::conflict, "remove", container, "running");
  const std::string id = c->id;
  std::erase_if(containers_, [&](const Container& x) { return x.id == id; });
}

std::vector<docker::ContainerSummary> FakeDocker::listContainers(const docker::Filters& filters) {
  hook("list", "");
  std::lock_guard lock(mutex_);
  std::vector<docker::ContainerSummary> out;
  for (const auto& c : containers_) {
    // Like Docker: every label filter must match ("key" or "key=value").
    bool match = true;
    if (auto it = filters.find("label"); it != filters.end()) {
      for (const auto& f : it->second) {
        const auto eq = f.find('=');
        const auto label = c.spec.labels.find(f.substr(0, eq));
        if (label == c.spec.labels.end() ||
            (eq != std::string::npos && label->second != f.substr(eq + 1)))
          match = false;
      }
    }
    if (!match) continue;
    docker::ContainerSummary s;
    s.id = c.id;
    s.names = {c.spec.name};
    s.image = c.spec.image;
    s.state = c.running ? "running" : "exited";
    s.labels = c.spec.labels;
    out.push_back(s);
  }
  return out;
}

docker::ContainerLogs FakeDocker::containerLogs(const std::string& container,
                                                const docker::LogOptions&) {
  hook("logs", container);
  std::lock_guard lock(mutex_);
  Container* c = find(container);
  if (c == nullptr)
    throw DockerError(DockerError::Kind::not_found, "logs", container, "no such container");
  docker::ContainerLogs logs;
  if (c->behaviour == Behaviour::exits_at_once) {
    logs.chunks.push_back({docker::LogStream::stdout_stream, "starting app\n"});
    logs.chunks.push_back({docker::LogStream::stderr_stream, "fatal: DATABASE_URL is not set\n"});
  }
  return logs;
}

docker::NetworkInfo FakeDocker::inspectNetwork(const std::string& network) {
  docker::NetworkInfo info;
  info.id = network;
  info.name = network;
  return info;
}

net::HttpResponse FakeDocker::Http::send(const net::HttpRequest& request, const net::CancelFlag*) {
  docker_.hook("http", request.url);
  // http://127.0.0.1:<port>/path
  const auto colon = request.url.find(':', 7);
  const int port = std::stoi(request.url.substr(colon + 1));
  std::lock_guard lock(docker_.mutex_);
  for (const auto& c : docker_.containers_) {
    if (c.host_port != port || !c.running) continue;
    net::HttpResponse response;
    response.status = c.behaviour == Behaviour::healthy ? 200 : 503;
    return response;
  }
  throw net::HttpError(net::HttpError::Kind::connect, "connection refused: " + request.url);
}

net::HttpResponse FakeDocker::Http::stream(const net::HttpRequest& request, const OnHeaders&,
                                           const OnData&, const net::CancelFlag* cancel) {
  return send(request, cancel);
}

}  // namespace berth::fakes
