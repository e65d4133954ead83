// The deploy engine end to end, for bench/deploy_bench.sh (not a Google Benchmark binary, so
// bench/run.sh skips it). Runs the real Engine (driver nginx, reach host, blue-green, one
// replica) against the sandbox dockerd, registry and nginx, and measures:
//   1. deploy latency: Engine::enqueue -> the new version answers through nginx (a fresh
//      connection every 5 ms), LATENCY_RUNS times (v2, v1, v2, ...), each next to the floor
//      measured just before it with the same clock: `docker run -d -p 127.0.0.1:PORT:8080` of
//      the same image plus its first 200 from GET /healthz on the published port (polled
//      every 5 ms);
//   2. failed requests while LOAD_DEPLOYS blue-green deploys (v1/v2 alternating) run back to
//      back under a client that opens a new connection per request (raw socket, `Connection:
//      close`). Before this phase the tool writes the stage's domain to --ready-file (the script
//      then starts a keep-alive wrk with that Host) and waits 1 s; after it, it creates
//      <ready-file>.done and waits (up to 30 s) until the script has removed the ready file,
//      so the script's client stops before the clean-up removes the route.
//   berth_deploy_latency_tool --docker-host unix:///... --nginx 127.0.0.1:PORT --conf-dir DIR
//       --test-cmd CMD --reload-cmd CMD --image REGISTRY/REPO [--port 8080]
//       [--latency-runs 5] [--load-deploys 20] [--interval-ms 100] [--drain-ms 2000]
//       [--ready-file PATH]
// Prints `key=value` lines (the script turns them into a table). Everything it creates (a
// project named bench<pid>, its containers, network, nginx file and database) is removed at
// the end. Needs DOCKER_HOST/DOCKER_CONFIG in the environment for the `docker` CLI (floor).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "deploy/engine.h"
#include "docker/docker_client.h"
#include "docker/endpoint.h"
#include "net/curl_http_client.h"
#include "proxy/command_line.h"
#include "proxy/command_runner.h"
#include "proxy/make_proxy.h"
#include "proxy/nginx_config.h"
#include "store/store.h"

namespace {

using namespace std::chrono_literals;
using Steady = std::chrono::steady_clock;
namespace fs = std::filesystem;

struct Answer {
  int status = 0;  // 0: transport error
  std::string body;
};

// GET `path` from host:port on a new connection (`Connection: close`), 5 s socket timeouts.
Answer get(const std::string& address, const std::string& host_header, const std::string& path) {
  Answer answer;
  const auto colon = address.rfind(':');
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_port = htons(static_cast<std::uint16_t>(std::stoi(address.substr(colon + 1))));
  if (::inet_pton(AF_INET, address.substr(0, colon).c_str(), &sa.sin_addr) != 1) return answer;
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return answer;
  timeval tv{5, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  std::string response;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa) == 0) {
    const std::string request =
        "GET " + path + " HTTP/1.1\r\nHost: " + host_header + "\r\nConnection: close\r\n\r\n";
    if (::send(fd, request.data(), request.size(), MSG_NOSIGNAL) ==
        static_cast<ssize_t>(request.size())) {
      char buf[4096];
      for (ssize_t n; (n = ::recv(fd, buf, sizeof buf, 0)) > 0;)
        response.append(buf, static_cast<std::size_t>(n));
    }
  }
  ::close(fd);
  const auto head_end = response.find("\r\n\r\n");
  if (response.rfind("HTTP/1.", 0) != 0 || head_end == std::string::npos) return answer;
  answer.status = std::atoi(response.c_str() + 9);
  answer.body = response.substr(head_end + 4);
  return answer;
}

int freePort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof sa;
  ::bind(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&sa), &len);
  ::close(fd);
  return ntohs(sa.sin_port);
}

double ms(Steady::duration d) {
  return std::chrono::duration<double, std::milli>(d).count();
}

double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const auto n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

std::string join(const std::vector<double>& v) {
  std::ostringstream out;
  for (std::size_t i = 0; i < v.size(); ++i)
    out << (i ? "," : "") << static_cast<long>(v[i] + 0.5);
  return out.str();
}

}  // namespace

int main(int argc, char** argv) {
  using namespace berth;
  std::map<std::string, std::string> opt{
      {"--port", "8080"},       {"--latency-runs", "5"}, {"--load-deploys", "20"},
      {"--interval-ms", "100"}, {"--drain-ms", "2000"},  {"--ready-file", ""},
      {"--docker-host", ""},    {"--nginx", ""},         {"--conf-dir", ""},
      {"--test-cmd", ""},       {"--reload-cmd", ""},    {"--image", ""}};
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!opt.count(argv[i])) {
      std::cerr << "unknown option " << argv[i] << "\n";
      return 2;
    }
    opt[argv[i]] = argv[i + 1];
  }
  for (const char* required :
       {"--docker-host", "--nginx", "--conf-dir", "--test-cmd", "--reload-cmd", "--image"}) {
    if (opt[required].empty()) {
      std::cerr << required << " is required\n";
      return 2;
    }
  }
  const int port = std::stoi(opt["--port"]);
  const int latency_runs = std::clamp(std::stoi(opt["--latency-runs"]), 1, 50);
  const int load_deploys = std::clamp(std::stoi(opt["--load-deploys"]), 0, 100);
  const std::string project_name = "bench" + std::to_string(::getpid());
  const std::string domain = project_name + ".berth.test";
  const std::string network = project_name + "-net";
  const std::string nginx = opt["--nginx"];

  proxy::ProcessRunner commands;
  auto docker_cli = [&](std::vector<std::string> args) {
    args.insert(args.begin(), "docker");
    return commands.run(args, 120s);
  };
  std::string why;
  const auto reload_argv = proxy::splitCommandLine(opt["--reload-cmd"], &why);
  if (!reload_argv) {
    std::cerr << "--reload-cmd: " << why << "\n";
    return 2;
  }

  const fs::path dir = fs::temp_directory_path() / (project_name + "-db");
  fs::create_directories(dir);
  int rc = 0;
  std::vector<std::string> floor_containers;
  {
    Config config;
    config.docker.network = network;
    config.proxy.driver = ProxyDriver::nginx;
    config.proxy.reach = ProxyReach::host;
    config.proxy.conf_dir = opt["--conf-dir"];
    config.proxy.listen = nginx;
    config.proxy.test_cmd = opt["--test-cmd"];
    config.proxy.reload_cmd = opt["--reload-cmd"];
    Project project;
    project.name = project_name;
    project.image = opt["--image"];
    project.port = port;
    project.health = {.path = "/healthz",
                      .interval = std::chrono::milliseconds(std::stoi(opt["--interval-ms"])),
                      .timeout = 30s};
    Stage production;
    production.name = "production";
    production.strategy = Strategy::blue_green;
    production.replicas = 1;
    production.domains = {domain};
    project.stages = {production};
    config.projects = {project};

    if (!docker_cli({"network", "create", network}).ok()) {
      std::cerr << "docker network create failed\n";
      return 1;
    }
    auto store = Store::open(dir / "berth.db");
    store->replaceConfig(config);
    net::CurlHttpClient http;
    auto endpoint = docker::parseDockerEndpoint(opt["--docker-host"]);
    if (!endpoint.ok()) {
      std::cerr << endpoint.error() << "\n";
      return 2;
    }
    docker::DockerClient docker(http, *endpoint);
    auto proxy = proxy::makeProxy(
        config.proxy, proxy::ProxyDeps{http, commands, systemClock(), proxy::processEnv()});
    deploy::NullEventSink events;
    std::ostringstream log_sink;
    Logger logger(log_sink, LogLevel::error, LogFormat::json);
    deploy::Journal journal(*store, events, logger);
    deploy::EngineOptions options;
    options.drain = std::chrono::milliseconds(std::stoi(opt["--drain-ms"]));
    deploy::Engine engine(deploy::Services{docker, *proxy, http, systemClock(), journal}, options);
    engine.reconcile();

    auto deployTo = [&](const std::string& tag) {
      const auto id = engine.enqueue(project_name, "production", tag, DeployTrigger::manual);
      engine.waitIdle(180s);
      const auto record = *journal.get(id);
      if (record.state != DeployState::succeeded) {
        std::cerr << "deploy " << tag << " ended " << record.reason << "\n";
        for (const auto& line : journal.logOf(id))
          std::cerr << "  " << line.message << "\n";
        return false;
      }
      return true;
    };

    try {
      if (!deployTo("v1")) throw std::runtime_error("first deploy failed");
      std::cerr << "v1 serves: " << get(nginx, domain, "/").body << "\n";

      // --- 1. latency next to the floor ---------------------------------------------------
      std::vector<double> floor_ms, run_ms, deploy_ms;  // run_ms: until `docker run -d` returned
      for (int i = 0; i < latency_runs; ++i) {
        const std::string tag = i % 2 == 0 ? "v2" : "v1";
        const int p = freePort();
        const std::string name = project_name + "-floor-" + std::to_string(i);
        floor_containers.push_back(name);
        const auto f0 = Steady::now();
        const auto run = docker_cli({"run", "-d", "--name", name, "--network", network, "-p",
                                     "127.0.0.1:" + std::to_string(p) + ":" + std::to_string(port),
                                     opt["--image"] + ":" + tag});
        if (!run.ok()) throw std::runtime_error("docker run failed: " + run.output);
        run_ms.push_back(ms(Steady::now() - f0));
        bool up = false;
        while (Steady::now() - f0 < 30s && !up) {
          up = get("127.0.0.1:" + std::to_string(p), "localhost", "/healthz").status == 200;
          if (!up) std::this_thread::sleep_for(5ms);
        }
        if (!up) throw std::runtime_error("floor container never answered");
        floor_ms.push_back(ms(Steady::now() - f0));
        docker_cli({"rm", "-f", name});
        floor_containers.pop_back();

        const auto d0 = Steady::now();
        const auto id = engine.enqueue(project_name, "production", tag, DeployTrigger::manual);
        bool serving = false;
        while (Steady::now() - d0 < 60s && !serving) {
          serving = get(nginx, domain, "/").body == tag;
          if (!serving) std::this_thread::sleep_for(5ms);
        }
        if (!serving) throw std::runtime_error("new version never served");
        deploy_ms.push_back(ms(Steady::now() - d0));
        engine.waitIdle(180s);
        if (journal.get(id)->state != DeployState::succeeded)
          throw std::runtime_error("latency deploy failed: " + journal.get(id)->reason);
        std::cerr << "run " << i + 1 << ": floor " << floor_ms.back() << " ms, deploy "
                  << deploy_ms.back() << " ms\n";
      }
      const std::string last = latency_runs % 2 == 1 ? "v2" : "v1";
      std::cout << "latency_runs=" << latency_runs << "\n"
                << "floor_ms=" << join(floor_ms) << "\n"
                << "deploy_ms=" << join(deploy_ms) << "\n"
                << "floor_median_ms=" << static_cast<long>(median(floor_ms) + 0.5) << "\n"
                << "docker_run_median_ms=" << static_cast<long>(median(run_ms) + 0.5) << "\n"
                << "deploy_median_ms=" << static_cast<long>(median(deploy_ms) + 0.5) << "\n";
      std::cout << "ratio=" << median(deploy_ms) / median(floor_ms) << std::endl;

      // --- 2. failed requests over back-to-back deploys -----------------------------------
      if (load_deploys > 0) {
        if (!opt["--ready-file"].empty()) std::ofstream(opt["--ready-file"]) << domain << "\n";
        std::this_thread::sleep_for(1s);
        std::atomic<bool> stop{false};
        std::atomic<long> requests{0}, failed{0};
        std::string first_failure;
        std::thread load([&] {
          for (long i = 0; i < 200000 && !stop; ++i) {  // bounded
            const auto a = get(nginx, domain, "/");
            ++requests;
            if (a.status != 200 || (a.body != "v1" && a.body != "v2")) {
              if (failed++ == 0)
                first_failure = std::to_string(a.status) + " " + a.body.substr(0, 80);
            }
          }
        });
        std::string tag = last;
        int succeeded = 0;
        const auto l0 = Steady::now();
        for (int i = 0; i < load_deploys; ++i) {
          tag = tag == "v1" ? "v2" : "v1";
          succeeded += deployTo(tag) ? 1 : 0;
        }
        const auto took = Steady::now() - l0;
        std::this_thread::sleep_for(500ms);
        stop = true;
        load.join();
        std::cout << "load_deploys=" << load_deploys << "\n"
                  << "load_succeeded=" << succeeded << "\n"
                  << "load_seconds=" << static_cast<long>(ms(took) / 1000 + 0.5) << "\n"
                  << "load_requests=" << requests << "\n"
                  << "load_failed=" << failed << "\n";
        if (failed) std::cout << "load_first_failure=" << first_failure << "\n";
        const auto final_answer = get(nginx, domain, "/").body;
        std::cout << "final_answer=" << final_answer << std::endl;
        if (!opt["--ready-file"].empty()) {
          // Let the script stop its client before the clean-up takes the route away; it
          // acknowledges by removing the ready file (up to 30 s).
          std::ofstream(opt["--ready-file"] + ".done") << "done\n";
          for (int i = 0; i < 300 && fs::exists(opt["--ready-file"]); ++i)
            std::this_thread::sleep_for(100ms);
        }
        if (succeeded != load_deploys || failed || final_answer != tag) rc = 1;
      }
    } catch (const std::exception& e) {
      std::cerr << "error: " << e.what() << "\n";
      rc = 1;
    }
    engine.shutdown(60s);
  }

  // --- clean up everything this run created ------------------------------------------------
  auto ids = docker_cli({"ps", "-aq", "--filter", "label=berth.project=" + project_name});
  std::vector<std::string> rm{"rm", "-f"};
  std::istringstream in(ids.output);
  for (std::string id; in >> id;)
    rm.push_back(id);
  rm.insert(rm.end(), floor_containers.begin(), floor_containers.end());
  if (rm.size() > 2) docker_cli(rm);
  if (fs::remove(fs::path(opt["--conf-dir"]) / proxy::nginxFileName(project_name, "production")))
    commands.run(*reload_argv, 30s);
  docker_cli({"network", "rm", network});
  std::error_code ignored;
  fs::remove_all(dir, ignored);
  return rc;
}
