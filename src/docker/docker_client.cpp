#include "docker/docker_client.h"

#include <algorithm>
#include <exception>
#include <functional>

#include "docker/api_version.h"
#include "docker/docker_error.h"
#include "docker/log_demux.h"
#include "docker/responses.h"
#include "docker/stream_watchdog.h"

namespace berth::docker {
namespace {

// An error body is read whole, but bounded: it is only for the message.
constexpr size_t kMaxErrorBody = 64 * 1024;

struct StreamOutcome {
  int status = 0;
  std::string error_body{};  // the body of a non-200 answer
  bool stopped = false;      // on_chunk returned false
};

// Streams `request`, handing the body of a 200 answer to `on_chunk` and keeping the body of any
// other answer for the error message. An exception thrown by `on_chunk` stops the transfer and
// is rethrown here, after the HTTP client has returned: it must not unwind through libcurl.
// Transport failures propagate as net::HttpError.
StreamOutcome streamBody(net::HttpClient& http, const net::HttpRequest& request,
                         const std::function<bool(std::string_view)>& on_chunk,
                         const net::CancelFlag* cancel,
                         const std::function<void()>& on_activity = {}) {
  StreamOutcome outcome;
  std::exception_ptr failure;
  const auto on_headers = [&](const net::HttpResponse& r) {
    outcome.status = r.status;
    if (on_activity) on_activity();
    return true;
  };
  const auto on_data = [&](std::string_view chunk) {
    if (on_activity) on_activity();
    if (outcome.status != 200) {
      const size_t room = kMaxErrorBody - std::min(kMaxErrorBody, outcome.error_body.size());
      outcome.error_body.append(chunk.substr(0, room));
      return true;
    }
    try {
      if (!on_chunk(chunk)) {
        outcome.stopped = true;
        return false;
      }
      return true;
    } catch (...) {
      failure = std::current_exception();
      return false;
    }
  };
  const net::HttpResponse r = http.stream(request, on_headers, on_data, cancel);
  if (failure) std::rethrow_exception(failure);
  outcome.status = r.status;
  return outcome;
}

net::HttpResponse asResponse(const StreamOutcome& outcome) {
  net::HttpResponse r;
  r.status = outcome.status;
  r.body = outcome.error_body;
  return r;
}

std::string containerLabel(const ContainerSpec& spec) {
  return spec.name.empty() ? "from " + spec.image : spec.name;
}

}  // namespace

std::string PullResult::summary() const {
  std::string text = progress.summary();
  if (!downloaded) text += ", up to date";
  return text;
}

DockerClient::DockerClient(net::HttpClient& http, DockerEndpoint endpoint,
                           DockerClientOptions options)
    : http_(http),
      endpoint_(std::move(endpoint)),
      timeouts_(options.timeouts),
      api_version_(std::move(options.api_version)) {}

net::HttpResponse DockerClient::send(const net::HttpRequest& request, const std::string& operation,
                                     const std::string& object) {
  try {
    return http_.send(request);
  } catch (const net::HttpError& e) {
    throw errorFromTransport(e, operation, object);
  }
}

ApiTarget DockerClient::target() {
  return ApiTarget{.endpoint = endpoint_, .api_version = apiVersion(), .timeouts = timeouts_};
}

void DockerClient::ping() {
  const ApiTarget api{.endpoint = endpoint_, .api_version = "", .timeouts = timeouts_};
  const auto r = send(pingRequest(api), "ping", endpoint_.describe());
  if (r.status != 200) throw errorFromResponse(r, "ping", endpoint_.describe());
}

DaemonVersion DockerClient::version() {
  const ApiTarget api{.endpoint = endpoint_, .api_version = "", .timeouts = timeouts_};
  const auto r = send(versionRequest(api), "version", endpoint_.describe());
  if (r.status != 200) throw errorFromResponse(r, "version", endpoint_.describe());
  return parseVersion(r.body);
}

std::string DockerClient::apiVersion() {
  std::lock_guard lock(mutex_);
  if (api_version_.empty()) {
    auto negotiated = negotiateApiVersion(version());
    if (!negotiated.ok())
      throw DockerError(DockerError::Kind::protocol, "negotiate API version", endpoint_.describe(),
                        negotiated.error());
    api_version_ = std::move(negotiated).value();
  }
  return api_version_;
}

PullResult DockerClient::pullImage(const ImageRef& image, const std::optional<RegistryAuth>& auth,
                                   const PullCallback& on_progress, const net::CancelFlag* cancel) {
  const std::string name = image.str();
  const auto request = pullImageRequest(target(), image, auth);
  PullStreamDecoder decoder(name, on_progress);
  StreamOutcome outcome;
  {
    StreamWatchdog watchdog(timeouts_.pull_idle, cancel);
    try {
      outcome = streamBody(
          http_, request,
          [&](std::string_view chunk) {
            decoder.feed(chunk);
            return true;
          },
          watchdog.flag(), [&] { watchdog.touch(); });
    } catch (const net::HttpError& e) {
      if (e.kind() == net::HttpError::Kind::cancelled && watchdog.idleExpired()) {
        const auto seconds =
            std::chrono::duration_cast<std::chrono::seconds>(timeouts_.pull_idle).count();
        throw DockerError(DockerError::Kind::timeout, "pull", name,
                          "no progress from the daemon for " + std::to_string(seconds) + " s (" +
                              decoder.progress().summary() + " so far)");
      }
      throw errorFromTransport(e, "pull", name);
    }
  }
  if (outcome.status != 200) throw errorFromResponse(asResponse(outcome), "pull", name);
  decoder.finish();
  if (!decoder.progress().finished()) {
    throw DockerError(DockerError::Kind::protocol, "pull", name,
                      "the progress stream ended before the pull finished (" +
                          decoder.progress().summary() + ")");
  }
  PullResult result;
  result.image = name;
  result.digest = decoder.progress().digest();
  result.downloaded = decoder.progress().downloadedNewer();
  result.progress = decoder.progress();
  return result;
}

ImageInfo DockerClient::inspectImage(const std::string& image) {
  const auto r = send(inspectImageRequest(target(), image), "inspect image", image);
  if (r.status != 200) throw errorFromResponse(r, "inspect image", image);
  return parseImageInspect(r.body, image);
}

CreatedContainer DockerClient::createContainer(const ContainerSpec& spec) {
  const std::string label = containerLabel(spec);
  const auto r = send(createContainerRequest(target(), spec), "create container", label);
  if (r.status != 201) throw errorFromResponse(r, "create container", label);
  return parseContainerCreate(r.body, label);
}

void DockerClient::startContainer(const std::string& container) {
  const auto r = send(startContainerRequest(target(), container), "start container", container);
  // 304: already running, which is what the caller wanted.
  if (r.status != 204 && r.status != 304) throw errorFromResponse(r, "start container", container);
}

ContainerInfo DockerClient::inspectContainer(const std::string& container) {
  const auto r = send(inspectContainerRequest(target(), container), "inspect container", container);
  if (r.status != 200) throw errorFromResponse(r, "inspect container", container);
  return parseContainerInspect(r.body, container);
}

bool DockerClient::stopContainer(const std::string& container, std::chrono::seconds timeout) {
  const auto r =
      send(stopContainerRequest(target(), container, timeout), "stop container", container);
  if (r.status == 204) return true;
  if (r.status == 304) return false;  // already stopped
  throw errorFromResponse(r, "stop container", container);
}

void DockerClient::removeContainer(const std::string& container, bool force) {
  const auto r =
      send(removeContainerRequest(target(), container, force), "remove container", container);
  if (r.status != 204) throw errorFromResponse(r, "remove container", container);
}

std::vector<ContainerSummary> DockerClient::listContainers(const Filters& filters) {
  const auto r = send(listContainersRequest(target(), filters), "list containers", "");
  if (r.status != 200) throw errorFromResponse(r, "list containers", "");
  return parseContainerList(r.body);
}

ContainerLogs DockerClient::containerLogs(const std::string& container, const LogOptions& options) {
  // The 20.10 daemon does not say whether the body is multiplexed; the container's TTY setting
  // does (and a missing container fails here, with a clear not_found).
  const bool tty = inspectContainer(container).tty;
  ContainerLogs logs;
  size_t received = 0;
  LogDemuxer demux(tty);
  StreamOutcome outcome;
  try {
    outcome = streamBody(
        http_, containerLogsRequest(target(), container, options),
        [&](std::string_view chunk) {
          received += chunk.size();
          if (received > options.max_bytes) {
            throw DockerError(DockerError::Kind::protocol, "logs", container,
                              "more than " + std::to_string(options.max_bytes) +
                                  " bytes; ask for fewer lines (tail)");
          }
          demux.feed(chunk, [&](LogStream stream, std::string_view text) {
            // A TTY stream arrives in arbitrary pieces: keep them together.
            if (tty && !logs.chunks.empty()) {
              logs.chunks.back().text.append(text);
            } else {
              logs.chunks.push_back(LogChunk{.stream = stream, .text = std::string(text)});
            }
          });
          return true;
        },
        nullptr);
  } catch (const net::HttpError& e) {
    throw errorFromTransport(e, "logs", container);
  } catch (const DockerError&) {
    throw;
  } catch (const std::runtime_error& e) {  // from LogDemuxer: not the framing we expected
    throw DockerError(DockerError::Kind::protocol, "logs", container, e.what());
  }
  if (outcome.status != 200) throw errorFromResponse(asResponse(outcome), "logs", container);
  try {
    demux.finish();
  } catch (const std::runtime_error& e) {
    throw DockerError(DockerError::Kind::protocol, "logs", container, e.what());
  }
  return logs;
}

EventStreamEnd DockerClient::streamEvents(const EventFilter& filter, const EventCallback& on_event,
                                          const net::CancelFlag* cancel) {
  EventStreamDecoder decoder(on_event);
  StreamOutcome outcome;
  try {
    outcome = streamBody(
        http_, eventsRequest(target(), filter),
        [&](std::string_view chunk) { return decoder.feed(chunk); }, cancel);
  } catch (const net::HttpError& e) {
    if (e.kind() == net::HttpError::Kind::cancelled) return EventStreamEnd::cancelled;
    throw errorFromTransport(e, "events", "");
  }
  if (outcome.status != 200) throw errorFromResponse(asResponse(outcome), "events", "");
  if (outcome.stopped) return EventStreamEnd::stopped_by_callback;
  if (cancel != nullptr && cancel->load()) return EventStreamEnd::cancelled;
  return EventStreamEnd::closed_by_daemon;
}

NetworkInfo DockerClient::inspectNetwork(const std::string& network) {
  const auto r = send(inspectNetworkRequest(target(), network), "inspect network", network);
  if (r.status != 200) throw errorFromResponse(r, "inspect network", network);
  return parseNetworkInspect(r.body, network);
}

std::string DockerClient::createNetwork(const NetworkSpec& spec) {
  const auto r = send(createNetworkRequest(target(), spec), "create network", spec.name);
  if (r.status != 201) throw errorFromResponse(r, "create network", spec.name);
  return parseNetworkCreate(r.body, spec.name);
}

void DockerClient::connectNetwork(const std::string& network, const std::string& container,
                                  const std::vector<std::string>& aliases) {
  const std::string object = container + " to " + network;
  const auto r =
      send(connectNetworkRequest(target(), network, container, aliases), "connect", object);
  if (r.status != 200) throw errorFromResponse(r, "connect", object);
}

void DockerClient::disconnectNetwork(const std::string& network, const std::string& container,
                                     bool force) {
  const std::string object = container + " from " + network;
  const auto r =
      send(disconnectNetworkRequest(target(), network, container, force), "disconnect", object);
  if (r.status != 200) throw errorFromResponse(r, "disconnect", object);
}

}  // namespace berth::docker
