// A berth that dies mid-deploy, for the crash-recovery integration test (engine_test.cpp):
// opens the database at argv[1] (configuration already imported), deploys tag argv[3] to
// stage argv[2] of the only project, and waits to be killed with SIGKILL. Exits 2 after 120 s
// if nobody kills it, so a broken test never leaves it running.
#include <chrono>
#include <iostream>
#include <sstream>
#include <thread>

#include "deploy/engine.h"
#include "docker/docker_client.h"
#include "docker/endpoint.h"
#include "net/curl_http_client.h"
#include "proxy/command_runner.h"
#include "proxy/make_proxy.h"
#include "store/store.h"

int main(int argc, char** argv) {
  using namespace berth;
  if (argc != 5) {
    std::cerr << "usage: engine_crash_helper DB STAGE TAG DOCKER_HOST\n";
    return 64;
  }
  auto store = Store::open(argv[1]);
  const Config config = store->loadConfig();
  net::CurlHttpClient http;
  auto endpoint = docker::parseDockerEndpoint(argv[4]);
  if (!endpoint.ok()) return 65;
  docker::DockerClient docker(http, *endpoint);
  proxy::ProcessRunner commands;
  auto proxy = proxy::makeProxy(
      config.proxy, proxy::ProxyDeps{http, commands, systemClock(), proxy::processEnv()});
  deploy::NullEventSink events;
  std::ostringstream sink;
  Logger logger(sink, LogLevel::error, LogFormat::json);
  deploy::Journal journal(*store, events, logger);
  deploy::Engine engine(deploy::Services{docker, *proxy, http, systemClock(), journal});
  engine.enqueue(config.projects.at(0).name, argv[2], argv[3], DeployTrigger::manual);
  std::this_thread::sleep_for(std::chrono::seconds(120));
  return 2;
}
