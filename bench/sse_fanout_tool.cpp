// SSE fan-out of berth's real HTTP server and /api/events route, for bench/sse_fanout_bench.sh
// (not a Google Benchmark binary, so bench/run.sh skips it).
//
//   berth_sse_fanout_tool --server berth|berth-shared-frames|floor|floor-per-event
//                         [--subscribers 1000] [--events 100] [--message-bytes 80]
//                         [--timeout-s 30] [--log /dev/null]
//
// Two processes, so that each side has its own descriptor limit (N server sockets + N client
// sockets would not fit one process's RLIMIT_NOFILE):
//   - this process is the server. `berth`: http::Server with every API route (api::addRoutes;
//     the event route is the real GET /api/events over a real EventBus, Journal and Store; the
//     engine behind it is real but never asked to deploy, its Docker endpoint is unused), with
//     the authentication gate as berth serve has it (api::addAuthentication; the client sends
//     an API token made for a user created here), berth serve's default ServerOptions and an
//     info-level log written to --log (default
//     /dev/null; at info a stream's access line is written when it ends).
//     `floor`: no berth code at all, the kernel's floor: a plain single-threaded loop that
//     accepts the N connections, answers each request with an SSE header, stamps the K events
//     back to back and then writes them to every socket in turn, all K frames in one blocking
//     send() per socket (the fewest system calls that deliver the burst; berth too writes
//     whatever has queued up in one write). `floor-per-event`: the naive loop instead, event
//     by event: stamp event k, write it to every socket, then the next event.
//     `berth-shared-frames`: a what-if with berth's server and bus, where each event's SSE
//     frame is formatted once and shared by every subscriber (see SharedFrameStream); berth
//     itself formats it once per subscriber. Its route is only GET /api/events (no
//     configuration read per subscription).
//   - the client (this binary again, re-executed with --client): one epoll thread opens the N
//     connections to GET /api/events (at most 512 connects in flight), waits for each 200
//     header, then reads and parses every stream.
// Once every client stream has its header, the server waits until it holds N streams (berth:
// Server::streams() and EventBus::subscriberCount()), records its RSS, and publishes a burst
// of K deploy.log events back to back (berth: EventBus::publish; floor: the loop), each with
// its publish time (steady_clock, which is CLOCK_MONOTONIC and so shared by both processes)
// in the message: "bench-k=<k> bench-t=<ns> xxxx..." padded to --message-bytes. The client
// stamps every recv() with steady_clock and records, for every (subscriber, event), receive
// time minus publish time. Both modes send the same bytes per event (the client reports the
// average) and are read by the same client with the same latency math.
//
// Prints `key=value` lines (the script turns them into a table): the server's lines, then the
// client's (client_*). Everything is on 127.0.0.1 and bounded: the client gives up --timeout-s
// after the burst, and the server kills the client (by its PID) if it outlives its deadline.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "api/api.h"
#include "api/authentication.h"
#include "auth/auth_service.h"
#include "deploy/engine.h"
#include "deploy/journal.h"
#include "docker/docker_client.h"
#include "docker/endpoint.h"
#include "events/event_bus.h"
#include "http/router.h"
#include "http/server.h"
#include "net/curl_http_client.h"
#include "proxy/command_runner.h"
#include "proxy/make_proxy.h"
#include "store/store.h"

extern char** environ;

namespace {

using namespace std::chrono_literals;
using Steady = std::chrono::steady_clock;
namespace fs = std::filesystem;

constexpr int kToClientFd = 3;    // in the client: what the server says ("published")
constexpr int kFromClientFd = 4;  // in the client: what it tells the server ("connected ...")

std::int64_t nowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(Steady::now().time_since_epoch())
      .count();
}

void raiseOpenFileLimit(rlim_t wanted) {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return;
  // Up to the hard limit needs no privilege; beyond it (root only) is tried, failure is fine.
  rlimit want = limit;
  want.rlim_cur = std::max<rlim_t>(limit.rlim_cur, std::min(wanted, limit.rlim_max));
  if (wanted > limit.rlim_max) {
    rlimit more{wanted, wanted};
    if (setrlimit(RLIMIT_NOFILE, &more) == 0) return;
  }
  setrlimit(RLIMIT_NOFILE, &want);
}

// VmRSS / VmHWM of a process in KiB ("self" or a PID).
long procStatusKb(const std::string& pid, const std::string& field) {
  std::ifstream in("/proc/" + pid + "/status");
  for (std::string line; std::getline(in, line);)
    if (line.rfind(field + ":", 0) == 0) return std::atol(line.c_str() + field.size() + 1);
  return -1;
}

// The message of event k: its number and publish time, padded to `bytes`.
std::string message(int k, std::int64_t t_ns, std::size_t bytes) {
  std::string m = "bench-k=" + std::to_string(k) + " bench-t=" + std::to_string(t_ns) + " ";
  if (m.size() < bytes) m.append(bytes - m.size(), 'x');
  return m;
}

// ---------------------------------------------------------------------------------------------
// Client
// ---------------------------------------------------------------------------------------------

struct Conn {
  int fd = -1;
  enum class State { connecting, awaiting_header, streaming, done } state = State::connecting;
  std::string buffer;  // unparsed bytes
  int received = 0;    // events received
  bool eof = false;    // the server closed the stream
};

double pct(const std::vector<std::int64_t>& sorted, double p) {
  if (sorted.empty()) return 0;
  const auto i = static_cast<std::size_t>(p * static_cast<double>(sorted.size() - 1) + 0.5);
  return static_cast<double>(sorted[std::min(i, sorted.size() - 1)]) / 1e6;  // ms
}

int runClient(int port, int subscribers, int events, int timeout_s, const std::string& token) {
  raiseOpenFileLimit(static_cast<rlim_t>(subscribers) + 256);
  signal(SIGPIPE, SIG_IGN);
  const int ep = epoll_create1(EPOLL_CLOEXEC);
  epoll_event control{};
  control.events = EPOLLIN;
  control.data.u64 = UINT64_MAX;
  epoll_ctl(ep, EPOLL_CTL_ADD, kToClientFd, &control);

  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_port = htons(static_cast<std::uint16_t>(port));
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const std::string request =
      "GET /api/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n" +
      (token.empty() || token == "-" ? std::string() : "Authorization: Bearer " + token + "\r\n") +
      "\r\n";

  std::vector<Conn> conns(static_cast<std::size_t>(subscribers));
  // latency[s * events + k] in ns; -1: not received
  std::vector<std::int64_t> latency(conns.size() * static_cast<std::size_t>(events), -1);
  int next_to_open = 0, in_flight = 0, connected = 0, failed = 0, bad_header = 0;
  long duplicates = 0, unparsed = 0, closed_early = 0;
  std::size_t stream_bytes = 0;
  std::string first_failure;
  const auto t_connect = Steady::now();
  bool reported_connected = false, published = false;
  double connect_s = 0;
  auto deadline = Steady::now() + 120s;  // connect phase and waiting for the burst
  long deliveries = 0;
  const long expected_per_conn = events;
  int complete = 0;
  std::int64_t last_delivery_ns = 0;

  auto fail = [&](Conn& c, const std::string& why) {
    if (first_failure.empty()) first_failure = why;
    if (c.state == Conn::State::connecting || c.state == Conn::State::awaiting_header) {
      ++failed;
      --in_flight;
    }
    if (c.fd >= 0) ::close(c.fd);
    c.fd = -1;
    c.state = Conn::State::done;
  };
  auto openMore = [&] {
    while (next_to_open < subscribers && in_flight < 512) {
      Conn& c = conns[static_cast<std::size_t>(next_to_open)];
      c.fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
      ++in_flight;
      if (c.fd < 0) {
        fail(c, std::string("socket: ") + std::strerror(errno));
      } else {
        const int r = ::connect(c.fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa);
        if (r != 0 && errno != EINPROGRESS) {
          fail(c, std::string("connect: ") + std::strerror(errno));
        } else {
          epoll_event ev{};
          ev.events = EPOLLOUT | EPOLLIN;
          ev.data.u64 = static_cast<std::uint64_t>(next_to_open);
          epoll_ctl(ep, EPOLL_CTL_ADD, c.fd, &ev);
        }
      }
      ++next_to_open;
    }
  };
  // Parses complete frames at the front of c.buffer; `t` is when these bytes were received.
  auto parseFrames = [&](Conn& c, std::size_t index, std::int64_t t) {
    std::size_t start = 0;
    for (;;) {
      const auto end = c.buffer.find("\n\n", start);
      if (end == std::string::npos) break;
      const std::string_view frame(c.buffer.data() + start, end - start);
      start = end + 2;
      if (frame.starts_with(":")) continue;  // heartbeat comment
      const auto k_at = frame.find("bench-k=");
      const auto t_at = frame.find("bench-t=");
      if (k_at == std::string_view::npos || t_at == std::string_view::npos) {
        ++unparsed;
        continue;
      }
      const int k = std::atoi(frame.data() + k_at + 8);
      const std::int64_t sent = std::atoll(frame.data() + t_at + 8);
      if (k < 0 || k >= events) {
        ++unparsed;
        continue;
      }
      auto& slot = latency[index * static_cast<std::size_t>(events) + static_cast<std::size_t>(k)];
      if (slot >= 0) {
        ++duplicates;
        continue;
      }
      slot = t - sent;
      ++deliveries;
      last_delivery_ns = t;
      if (++c.received == expected_per_conn) ++complete;
    }
    c.buffer.erase(0, start);
  };

  openMore();
  std::vector<epoll_event> ready(1024);
  std::vector<char> buf(64 * 1024);
  std::string control_text;
  while (Steady::now() < deadline) {
    if (published && complete + failed + closed_early >= subscribers) break;
    const int n = epoll_wait(ep, ready.data(), static_cast<int>(ready.size()), 100);
    for (int i = 0; i < n; ++i) {
      const auto id = ready[static_cast<std::size_t>(i)].data.u64;
      if (id == UINT64_MAX) {
        const auto got = ::read(kToClientFd, buf.data(), buf.size());
        if (got <= 0) {  // the server went away
          deadline = Steady::now();
          break;
        }
        control_text.append(buf.data(), static_cast<std::size_t>(got));
        if (!published && control_text.find("published\n") != std::string::npos) {
          published = true;
          deadline = Steady::now() + std::chrono::seconds(timeout_s);
        }
        continue;
      }
      Conn& c = conns[id];
      if (c.state == Conn::State::done) continue;
      if (c.state == Conn::State::connecting) {
        int err = 0;
        socklen_t len = sizeof err;
        getsockopt(c.fd, SOL_SOCKET, SO_ERROR, &err, &len);
        if (err != 0) {
          fail(c, std::string("connect: ") + std::strerror(err));
          continue;
        }
        if (::send(c.fd, request.data(), request.size(), MSG_NOSIGNAL) !=
            static_cast<ssize_t>(request.size())) {
          fail(c, "send request failed");
          continue;
        }
        c.state = Conn::State::awaiting_header;
        epoll_event ev{};
        ev.events = EPOLLIN;
        ev.data.u64 = id;
        epoll_ctl(ep, EPOLL_CTL_MOD, c.fd, &ev);
        continue;
      }
      const auto got = ::recv(c.fd, buf.data(), buf.size(), 0);
      const std::int64_t t = nowNs();
      if (got <= 0) {
        if (got < 0 && (errno == EAGAIN || errno == EINTR)) continue;
        if (c.state == Conn::State::awaiting_header) {
          fail(c, "closed before the header");
        } else {
          c.eof = true;
          ++closed_early;
          ::close(c.fd);
          c.fd = -1;
          c.state = Conn::State::done;
        }
        continue;
      }
      c.buffer.append(buf.data(), static_cast<std::size_t>(got));
      if (c.state == Conn::State::awaiting_header) {
        const auto head_end = c.buffer.find("\r\n\r\n");
        if (head_end == std::string::npos) continue;
        const std::string head = c.buffer.substr(0, head_end);
        if (head.rfind("HTTP/1.1 200", 0) != 0 ||
            head.find("text/event-stream") == std::string::npos) {
          ++bad_header;
          fail(c, "answer: " + head.substr(0, head.find('\r')));
          continue;
        }
        c.buffer.erase(0, head_end + 4);
        c.state = Conn::State::streaming;
        --in_flight;
        ++connected;
        openMore();
      } else {
        stream_bytes += static_cast<std::size_t>(got);
      }
      parseFrames(c, id, t);
    }
    if (!reported_connected && connected + failed == subscribers) {
      reported_connected = true;
      connect_s = std::chrono::duration<double>(Steady::now() - t_connect).count();
      const std::string line = "connected " + std::to_string(connected) + "\n";
      if (::write(kFromClientFd, line.data(), line.size()) < 0) break;
    }
  }
  // Whatever is still open at the end was held the whole time.
  int held = 0;
  for (auto& c : conns) {
    if (c.fd >= 0) {
      ++held;
      ::close(c.fd);
    }
  }
  std::vector<std::int64_t> sorted;
  sorted.reserve(static_cast<std::size_t>(deliveries));
  std::int64_t first_event_max = 0;
  for (std::size_t s = 0; s < conns.size(); ++s) {
    for (int k = 0; k < events; ++k) {
      const auto v = latency[s * static_cast<std::size_t>(events) + static_cast<std::size_t>(k)];
      if (v < 0) continue;
      sorted.push_back(v);
      if (k == 0) first_event_max = std::max(first_event_max, v);
    }
  }
  std::sort(sorted.begin(), sorted.end());
  std::cout << "client_subscribers=" << subscribers << "\n"
            << "client_connected=" << connected << "\n"
            << "client_connect_failed=" << failed << "\n"
            << "client_bad_header=" << bad_header << "\n"
            << "client_connect_s=" << connect_s << "\n"
            << "client_held_to_end=" << held << "\n"
            << "client_closed_by_server=" << closed_early << "\n"
            << "client_complete=" << complete << "\n"
            << "client_deliveries=" << deliveries << "\n"
            << "client_deliveries_expected=" << static_cast<long>(subscribers) * events << "\n"
            << "client_duplicates=" << duplicates << "\n"
            << "client_unparsed=" << unparsed << "\n"
            << "client_bytes_per_delivery="
            << (deliveries ? static_cast<double>(stream_bytes) / static_cast<double>(deliveries)
                           : 0)
            << "\n"
            << "client_p50_ms=" << pct(sorted, 0.50) << "\n"
            << "client_p99_ms=" << pct(sorted, 0.99) << "\n"
            << "client_p999_ms=" << pct(sorted, 0.999) << "\n"
            << "client_max_ms=" << (sorted.empty() ? 0 : static_cast<double>(sorted.back()) / 1e6)
            << "\n"
            << "client_first_event_max_ms=" << static_cast<double>(first_event_max) / 1e6 << "\n"
            << "client_last_delivery_ns=" << last_delivery_ns << "\n";
  if (!first_failure.empty()) std::cout << "client_first_failure=" << first_failure << "\n";
  std::cout.flush();
  return connected == subscribers && complete == subscribers ? 0 : 1;
}

// ---------------------------------------------------------------------------------------------
// Server side (both modes)
// ---------------------------------------------------------------------------------------------

struct ClientProcess {
  pid_t pid = -1;
  int to_client = -1;    // write "published\n"
  int from_client = -1;  // read "connected N\n"
};

ClientProcess spawnClient(int port, int subscribers, int events, int timeout_s,
                          const std::string& token = "") {
  int to[2], from[2];
  if (::pipe2(to, O_CLOEXEC) != 0 || ::pipe2(from, O_CLOEXEC) != 0)
    throw std::runtime_error("pipe failed");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, to[0], kToClientFd);
  posix_spawn_file_actions_adddup2(&actions, from[1], kFromClientFd);
  const std::vector<std::string> args{
      "berth_sse_fanout_tool",     "--client", std::to_string(port),       "--subscribers",
      std::to_string(subscribers), "--events", std::to_string(events),     "--timeout-s",
      std::to_string(timeout_s),   "--token",  token.empty() ? "-" : token};
  std::vector<char*> argv;
  for (const auto& a : args)
    argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  std::cout.flush();
  ClientProcess child;
  if (posix_spawn(&child.pid, "/proc/self/exe", &actions, nullptr, argv.data(), environ) != 0)
    throw std::runtime_error("cannot start the client");
  posix_spawn_file_actions_destroy(&actions);
  ::close(to[0]);
  ::close(from[1]);
  child.to_client = to[1];
  child.from_client = from[0];
  return child;
}

// Waits for "connected N" from the client; -1 on timeout or if it died.
int awaitConnected(const ClientProcess& child, std::chrono::seconds timeout) {
  std::string text;
  const auto deadline = Steady::now() + timeout;
  while (Steady::now() < deadline) {
    pollfd p{child.from_client, POLLIN, 0};
    if (::poll(&p, 1, 100) <= 0) continue;
    char buf[256];
    const auto got = ::read(child.from_client, buf, sizeof buf);
    if (got <= 0) return -1;
    text.append(buf, static_cast<std::size_t>(got));
    if (text.find('\n') != std::string::npos) return std::atoi(text.c_str() + 10);
  }
  return -1;
}

// Waits for the client to exit, killing it (by its PID) after `timeout`.
int reap(ClientProcess& child, std::chrono::seconds timeout) {
  const auto deadline = Steady::now() + timeout;
  int status = 0;
  while (true) {
    const pid_t r = ::waitpid(child.pid, &status, WNOHANG);
    if (r == child.pid) break;
    if (Steady::now() > deadline) {
      std::cerr << "client did not finish in time; killing it (pid " << child.pid << ")\n";
      ::kill(child.pid, SIGKILL);
      ::waitpid(child.pid, &status, 0);
      break;
    }
    std::this_thread::sleep_for(20ms);
  }
  ::close(child.to_client);
  ::close(child.from_client);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

void tellPublished(const ClientProcess& child) {
  static constexpr char kPublished[] = "published\n";
  if (::write(child.to_client, kPublished, sizeof kPublished - 1) < 0)
    std::cerr << "cannot reach the client\n";
}

struct Params {
  int subscribers = 1000;
  int events = 100;
  std::size_t message_bytes = 80;
  int timeout_s = 30;
  std::string log_file = "/dev/null";  // berth's log (info: one access line per stream)
};

void printBurst(std::int64_t first_publish_ns, std::int64_t last_publish_ns) {
  std::cout << "burst_first_publish_ns=" << first_publish_ns << "\n"
            << "burst_publish_ms=" << static_cast<double>(last_publish_ns - first_publish_ns) / 1e6
            << "\n";
}

// For --server berth-shared-frames only (a what-if, not berth's behaviour): the same bus
// subscription as events::busStream, but every envelope's text/event-stream frame is taken
// from `frames`, formatted once per event before it is published, instead of being formatted
// again for every subscriber.
class SharedFrameStream final : public berth::http::StreamSource {
 public:
  SharedFrameStream(berth::events::EventBus& bus, const std::vector<std::string>& frames,
                    std::uint64_t first_id)
      : bus_(bus), frames_(frames), first_id_(first_id) {}
  void open(std::function<void()> wake) override {
    subscription_ = bus_.subscribe({}, std::nullopt, std::move(wake));
  }
  Chunk next() override {
    const bool cut_off = subscription_->overflowed() || subscription_->closed();
    Chunk chunk;
    // take() locks the bus mutex that publish() held after the frame was stored: no race.
    for (const auto& envelope : subscription_->take()) {
      const auto i = envelope->id - first_id_;
      chunk.data += i < frames_.size() ? frames_[i] : berth::events::formatSse(*envelope);
    }
    chunk.end = cut_off;
    return chunk;
  }
  void close() override { subscription_.reset(); }

 private:
  berth::events::EventBus& bus_;
  const std::vector<std::string>& frames_;
  const std::uint64_t first_id_;
  std::shared_ptr<berth::events::Subscription> subscription_;
};

int runBerth(const Params& p, bool shared_frames) {
  using namespace berth;
  const fs::path dir =
      fs::temp_directory_path() / ("berth-sse-bench-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  int rc = 0;
  {
    Config config;
    config.docker.host = "unix://" + (dir / "no-docker.sock").string();  // never called
    config.proxy.driver = ProxyDriver::none;
    Project project;
    project.name = "web";
    project.image = "127.0.0.1:5000/bench/web";
    project.port = 8080;
    Stage staging;
    staging.name = "staging";
    project.stages = {staging};
    config.projects = {project};
    auto store = Store::open(dir / "berth.db");
    store->replaceConfig(config);

    net::CurlHttpClient http;
    auto endpoint = docker::parseDockerEndpoint(config.docker.host);
    docker::DockerClient docker(http, *endpoint);
    proxy::ProcessRunner commands;
    auto proxy = proxy::makeProxy(
        config.proxy, proxy::ProxyDeps{http, commands, systemClock(), proxy::processEnv()});
    events::EventBus bus;
    std::ofstream log_file(p.log_file, std::ios::app);
    Logger log(log_file, LogLevel::info, LogFormat::json);
    deploy::Journal journal(*store, bus, log);
    deploy::Engine engine(deploy::Services{docker, *proxy, http, systemClock(), journal});
    http::Router router;
    std::unique_ptr<http::Server> server;
    std::vector<std::string> frames(static_cast<std::size_t>(p.events));
    const std::uint64_t first_id = bus.lastId() + 1;  // nothing else publishes
    if (shared_frames) {
      router.get("/api/events", [&](const http::Request&) {
        return http::Response::events(std::make_shared<SharedFrameStream>(bus, frames, first_id));
      });
    } else {
      api::addRoutes(
          router,
          api::ApiDeps{.engine = engine,
                       .journal = journal,
                       .bus = bus,
                       .poller = nullptr,
                       .webhook = {},
                       .open_connections = [&server] { return server ? server->connections() : 0; },
                       .version = "bench",
                       .clock = systemClock()});
    }
    // As berth serve: every /api route behind the authentication gate; the client sends an
    // API token (each subscription is checked against the store). The user's password is
    // never used, so its bcrypt cost is the lowest.
    auth::AuthService auth_service(Store::open(dir / "berth.db"), systemClock(),
                                   auth::AuthOptions{.bcrypt_cost = 4},
                                   log.with({{"component", "auth"}}));
    const auto user = auth_service.addUser(
        "bench", "bench-password-" + std::to_string(::getpid()) + "-not-used-Xy9!", true);
    const auto token = auth_service.createToken(user.id, "sse-bench");
    api::addAuthentication(router, api::AuthDeps{.auth = auth_service, .config = [&journal] {
                                                   return journal.config();
                                                 }});
    http::ServerOptions options;  // berth serve's defaults
    options.listen = "127.0.0.1:0";
    server = std::make_unique<http::Server>(router, options, log.with({{"component", "http"}}));
    std::this_thread::sleep_for(200ms);
    const long rss_before = procStatusKb("self", "VmRSS");

    auto child = spawnClient(server->port(), p.subscribers, p.events, p.timeout_s, token.secret);
    const int connected = awaitConnected(child, 90s);
    // Each stream subscribes right after its header is written: wait for all of them.
    for (int i = 0; i < 500 && connected > 0 &&
                    (server->streams() < static_cast<std::size_t>(connected) ||
                     bus.subscriberCount() < static_cast<std::size_t>(connected));
         ++i)
      std::this_thread::sleep_for(20ms);
    std::this_thread::sleep_for(300ms);
    const auto streams = server->streams();
    const auto subscribed = bus.subscriberCount();
    const long rss_streams = procStatusKb("self", "VmRSS");

    std::int64_t first = 0, last = 0;
    if (connected > 0) {
      for (int k = 0; k < p.events; ++k) {
        const auto t = nowNs();
        if (k == 0) first = t;
        const deploy::DeployLogEvent event{.deploy_id = 1,
                                           .project = "web",
                                           .stage = "staging",
                                           .seq = k + 1,
                                           .level = "info",
                                           .message = message(k, t, p.message_bytes)};
        if (shared_frames) {
          events::Envelope envelope{.id = first_id + static_cast<std::uint64_t>(k),
                                    .type = "deploy.log",
                                    .data = events::eventData(event)};
          frames[static_cast<std::size_t>(k)] = events::formatSse(envelope);
        }
        bus.publish(event);
        last = nowNs();
      }
    }
    tellPublished(child);
    const int client_rc = reap(child, std::chrono::seconds(p.timeout_s + 30));
    const long rss_after = procStatusKb("self", "VmRSS");
    const long hwm = procStatusKb("self", "VmHWM");
    std::cout << "server=" << (shared_frames ? "berth-shared-frames" : "berth") << "\n"
              << "subscribers=" << p.subscribers << "\n"
              << "events=" << p.events << "\n"
              << "server_streams=" << streams << "\n"
              << "bus_subscribers=" << subscribed << "\n"
              << "bus_overflows=" << bus.overflowCount() << "\n"
              << "rss_before_kb=" << rss_before << "\n"
              << "rss_streams_kb=" << rss_streams << "\n"
              << "rss_after_kb=" << rss_after << "\n"
              << "hwm_kb=" << hwm << "\n";
    printBurst(first, last);
    std::cout.flush();
    rc = client_rc;
    server->stop(2s);
    engine.shutdown(5s);
  }
  std::error_code ignored;
  fs::remove_all(dir, ignored);
  return rc;
}

// The kernel's floor: the same bytes per event to the same N sockets, one thread, no berth.
int runFloor(const Params& p, bool per_event) {
  raiseOpenFileLimit(static_cast<rlim_t>(p.subscribers) + 256);
  signal(SIGPIPE, SIG_IGN);
  const int listener = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  const int one = 1;
  ::setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof sa;
  if (::bind(listener, reinterpret_cast<sockaddr*>(&sa), sizeof sa) != 0 ||
      ::listen(listener, 4096) != 0 ||
      ::getsockname(listener, reinterpret_cast<sockaddr*>(&sa), &len) != 0) {
    std::cerr << "cannot listen: " << std::strerror(errno) << "\n";
    return 1;
  }
  const long rss_before = procStatusKb("self", "VmRSS");
  auto child = spawnClient(ntohs(sa.sin_port), p.subscribers, p.events, p.timeout_s);

  // Accept, read each request up to its blank line, answer with the SSE header.
  static constexpr std::string_view kHeader =
      "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\n"
      "Cache-Control: no-cache\r\nConnection: close\r\n\r\n";
  std::vector<int> fds;
  std::map<int, std::string> pending;  // fd -> request bytes so far
  const int ep = epoll_create1(EPOLL_CLOEXEC);
  epoll_event lev{};
  lev.events = EPOLLIN;
  lev.data.fd = listener;
  epoll_ctl(ep, EPOLL_CTL_ADD, listener, &lev);
  std::vector<epoll_event> ready(1024);
  int connected = -1;
  const auto accept_deadline = Steady::now() + 90s;
  while (connected < 0 && Steady::now() < accept_deadline) {
    pollfd cp{child.from_client, POLLIN, 0};
    if (::poll(&cp, 1, 0) > 0) {
      connected = awaitConnected(child, 1s);
      break;
    }
    const int n = epoll_wait(ep, ready.data(), static_cast<int>(ready.size()), 50);
    for (int i = 0; i < n; ++i) {
      const int fd = ready[static_cast<std::size_t>(i)].data.fd;
      if (fd == listener) {
        for (int c; (c = ::accept4(listener, nullptr, nullptr, SOCK_CLOEXEC)) >= 0;) {
          ::setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
          epoll_event ev{};
          ev.events = EPOLLIN;
          ev.data.fd = c;
          epoll_ctl(ep, EPOLL_CTL_ADD, c, &ev);
          pending[c];
          if (pending.size() % 64 == 0) break;  // let requests be answered too
        }
        continue;
      }
      char buf[4096];
      const auto got = ::recv(fd, buf, sizeof buf, 0);
      auto& text = pending[fd];
      if (got <= 0) {
        epoll_ctl(ep, EPOLL_CTL_DEL, fd, nullptr);
        ::close(fd);
        pending.erase(fd);
        continue;
      }
      text.append(buf, static_cast<std::size_t>(got));
      if (text.find("\r\n\r\n") == std::string::npos) continue;
      epoll_ctl(ep, EPOLL_CTL_DEL, fd, nullptr);
      pending.erase(fd);
      if (::send(fd, kHeader.data(), kHeader.size(), MSG_NOSIGNAL) !=
          static_cast<ssize_t>(kHeader.size())) {
        ::close(fd);
        continue;
      }
      fds.push_back(fd);
    }
    // The listener is level-triggered, but accept4 above stops every 64: keep polling.
  }
  if (connected < 0) connected = awaitConnected(child, 5s);
  std::this_thread::sleep_for(300ms);
  const long rss_streams = procStatusKb("self", "VmRSS");

  // Each event's frame: berth's framing and JSON layout, an id of berth's width.
  const std::uint64_t first_id =
      static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                     std::chrono::system_clock::now().time_since_epoch())
                                     .count()) *
      1000;
  auto frameOf = [&](int k, std::int64_t t) {
    return "id: " + std::to_string(first_id + static_cast<std::uint64_t>(k)) +
           "\nevent: deploy.log\ndata: {\"deploy_id\":1,\"project\":\"web\","
           "\"stage\":\"staging\",\"seq\":" +
           std::to_string(k + 1) + ",\"level\":\"info\",\"message\":\"" +
           message(k, t, p.message_bytes) + "\"}\n\n";
  };
  long short_writes = 0;
  auto sendAll = [&](int fd, const std::string& bytes) {
    std::size_t off = 0;
    while (off < bytes.size()) {
      const auto w = ::send(fd, bytes.data() + off, bytes.size() - off, MSG_NOSIGNAL);
      if (w <= 0) break;
      if (static_cast<std::size_t>(w) < bytes.size() - off) ++short_writes;
      off += static_cast<std::size_t>(w);
    }
  };
  std::int64_t first = 0, last = 0;
  if (connected > 0 && per_event) {
    // Event by event: event k is stamped, then written to every socket in turn.
    for (int k = 0; k < p.events; ++k) {
      const auto t = nowNs();
      if (k == 0) first = t;
      const std::string frame = frameOf(k, t);
      for (const int fd : fds)
        sendAll(fd, frame);
      last = nowNs();
    }
  } else if (connected > 0) {
    // The burst as berth sees it: K events stamped back to back, then the fewest system calls
    // that can deliver them: one send() per socket carrying all K frames.
    std::string burst;
    for (int k = 0; k < p.events; ++k) {
      const auto t = nowNs();
      if (k == 0) first = t;
      burst += frameOf(k, t);
    }
    last = nowNs();
    for (const int fd : fds)
      sendAll(fd, burst);
  }
  const auto written = nowNs();
  tellPublished(child);
  const int client_rc = reap(child, std::chrono::seconds(p.timeout_s + 30));
  const long rss_after = procStatusKb("self", "VmRSS");
  const long hwm = procStatusKb("self", "VmHWM");
  for (const int fd : fds)
    ::close(fd);
  ::close(listener);
  std::cout << "server=" << (per_event ? "floor-per-event" : "floor") << "\n"
            << "subscribers=" << p.subscribers << "\n"
            << "events=" << p.events << "\n"
            << "server_streams=" << fds.size() << "\n"
            << "short_writes=" << short_writes << "\n"
            << "rss_before_kb=" << rss_before << "\n"
            << "rss_streams_kb=" << rss_streams << "\n"
            << "rss_after_kb=" << rss_after << "\n"
            << "hwm_kb=" << hwm << "\n";
  printBurst(first, last);
  std::cout << "burst_written_ms=" << static_cast<double>(written - first) / 1e6 << "\n";
  std::cout.flush();
  return client_rc;
}

}  // namespace

int main(int argc, char** argv) {
  std::map<std::string, std::string> opt{{"--server", "berth"}, {"--subscribers", "1000"},
                                         {"--events", "100"},   {"--message-bytes", "80"},
                                         {"--timeout-s", "30"}, {"--client", ""},
                                         {"--token", ""},       {"--log", "/dev/null"}};
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!opt.count(argv[i])) {
      std::cerr << "unknown option " << argv[i] << "\n";
      return 2;
    }
    opt[argv[i]] = argv[i + 1];
  }
  Params p;
  p.subscribers = std::clamp(std::atoi(opt["--subscribers"].c_str()), 1, 19'000);
  p.events = std::clamp(std::atoi(opt["--events"].c_str()), 1, 1000);
  p.message_bytes =
      static_cast<std::size_t>(std::clamp(std::atoi(opt["--message-bytes"].c_str()), 40, 4000));
  p.timeout_s = std::clamp(std::atoi(opt["--timeout-s"].c_str()), 1, 120);
  p.log_file = opt["--log"];
  if (!opt["--client"].empty())
    return runClient(std::atoi(opt["--client"].c_str()), p.subscribers, p.events, p.timeout_s,
                     opt["--token"]);
  try {
    if (opt["--server"] == "floor") return runFloor(p, false);
    if (opt["--server"] == "floor-per-event") return runFloor(p, true);
    if (opt["--server"] == "berth") return runBerth(p, false);
    if (opt["--server"] == "berth-shared-frames") return runBerth(p, true);
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 1;
  }
  std::cerr << "--server: berth, berth-shared-frames, floor or floor-per-event\n";
  return 2;
}
