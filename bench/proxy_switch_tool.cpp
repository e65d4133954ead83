// Switches one stage's route through the nginx driver, for bench/proxy_switch_bench.sh:
//   berth_proxy_switch_tool --conf-dir DIR --listen ADDR --test-cmd CMD --reload-cmd CMD
//                           --project P --stage S --domain D --upstream HOST:PORT [--upstream ...]
//   berth_proxy_switch_tool ... --remove
// Exits 0 once nginx serves the route (NginxProxy::apply returned), 1 with the ProxyError.
#include <chrono>
#include <iostream>
#include <string>

#include "net/curl_http_client.h"
#include "proxy/command_line.h"
#include "proxy/command_runner.h"
#include "proxy/nginx_proxy.h"

int main(int argc, char** argv) {
  using namespace berth::proxy;
  NginxOptions options;
  Route route;
  bool remove = false;
  for (int i = 1; i < argc; ++i) {
    const std::string key = argv[i];
    if (key == "--remove") {
      remove = true;
      continue;
    }
    if (i + 1 >= argc) {
      std::cerr << key << " needs a value\n";
      return 2;
    }
    const std::string value = argv[++i];
    std::string why;
    if (key == "--conf-dir")
      options.conf_dir = value;
    else if (key == "--listen")
      options.listen = value;
    else if (key == "--test-cmd")
      options.test_argv = splitCommandLine(value, &why).value_or(std::vector<std::string>{});
    else if (key == "--reload-cmd")
      options.reload_argv = splitCommandLine(value, &why).value_or(std::vector<std::string>{});
    else if (key == "--project")
      route.project = value;
    else if (key == "--stage")
      route.stage = value;
    else if (key == "--domain")
      route.domains.push_back(value);
    else if (key == "--upstream") {
      const auto colon = value.rfind(':');
      route.upstreams.push_back(
          Upstream{value.substr(0, colon), std::stoi(value.substr(colon + 1))});
    } else {
      std::cerr << "unknown option " << key << "\n";
      return 2;
    }
    if (!why.empty()) {
      std::cerr << key << ": " << why << "\n";
      return 2;
    }
  }
  berth::net::CurlHttpClient http;
  ProcessRunner commands;
  NginxProxy proxy(options, commands, http);
  const auto start = std::chrono::steady_clock::now();
  try {
    if (remove)
      proxy.remove(route.key());
    else
      proxy.apply(route);
  } catch (const ProxyError& e) {
    std::cerr << e.what() << "\n";
    return 1;
  }
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - start);
  std::cout << (remove ? "removed" : "applied") << " in " << ms.count() << " ms\n";
  return 0;
}
