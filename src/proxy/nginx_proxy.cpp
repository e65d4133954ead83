#include "proxy/nginx_proxy.h"

#include <filesystem>
#include <system_error>
#include <thread>

#include "fs/atomic_file.h"
#include "proxy/command_line.h"
#include "proxy/http_probe.h"
#include "proxy/nginx_config.h"

namespace berth::proxy {
namespace {

namespace fs = std::filesystem;
using Kind = ProxyError::Kind;

// The command's output as one readable detail: nginx's "[emerg] ..." lines, trimmed.
std::string describe(const std::vector<std::string>& argv, const CommandOutcome& outcome) {
  std::string out = joinCommandLine(argv);
  if (!outcome.error.empty()) return out + ": " + outcome.error;
  if (outcome.timed_out)
    out += ": timed out";
  else
    out += ": exit code " + std::to_string(outcome.exit_code);
  std::string text = outcome.output;
  while (!text.empty() && (text.back() == '\n' || text.back() == ' '))
    text.pop_back();
  if (!text.empty()) out += ": " + text;
  return out;
}

}  // namespace

NginxProxy::NginxProxy(NginxOptions options, CommandRunner& commands, net::HttpClient& http)
    : options_(std::move(options)), commands_(commands), http_(http) {
  probe_address_ =
      options_.probe_address.empty() ? loopbackAddressFor(options_.listen) : options_.probe_address;
}

void NginxProxy::testAndReload(const std::string& stage, const std::string& path,
                               const std::optional<std::string>& previous) {
  const auto undo = [&] {
    try {
      restoreFile(path, previous);
    } catch (const std::system_error&) {
      // Reported through the error being thrown; the operator sees both in the deploy log.
    }
  };
  const auto test = commands_.run(options_.test_argv, options_.command_timeout);
  if (!test.ok()) {
    undo();
    const Kind kind =
        test.exit_code > 0 && !test.timed_out ? Kind::config_rejected : Kind::command_failed;
    throw ProxyError(kind, "nginx", stage, describe(options_.test_argv, test));
  }
  const auto reload = commands_.run(options_.reload_argv, options_.command_timeout);
  if (!reload.ok()) {
    undo();
    throw ProxyError(Kind::command_failed, "nginx", stage,
                     describe(options_.reload_argv, reload) + " (previous file restored)");
  }
}

// nginx's master starts the new workers, sleeps 100 ms, and only then tells the old ones to
// stop accepting: for that while a new connection may still land on an old worker and get the
// old configuration. So one answer with the new generation is not enough; it must be the only
// answer on fresh connections for longer than that window.
bool NginxProxy::waitForGeneration(const std::string& host, const std::string& generation,
                                   bool present) {
  const auto window = options_.settle_window;
  const int consecutive = window.count() == 0 ? 1 : 5;
  const auto deadline = std::chrono::steady_clock::now() + options_.settle_timeout;
  const auto per_try = std::chrono::milliseconds(1000);
  int streak = 0;
  std::chrono::steady_clock::time_point first_seen{};
  for (;;) {
    bool current = false;
    try {
      const auto r = http_.send(probeRequest(probe_address_, kRouteMarkerPath, host, per_try));
      current = (r.status == 200 && r.body.starts_with(generation)) == present;
    } catch (const net::HttpError&) {
      // nginx between workers, or not listening yet: ask again
    }
    const auto now = std::chrono::steady_clock::now();
    if (!current) {
      streak = 0;
    } else if (streak++ == 0) {
      first_seen = now;
    }
    if (streak >= consecutive && now - first_seen >= window) return true;
    if (now >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(current ? 50 : 20));
  }
}

void NginxProxy::apply(const Route& route) {
  const std::string stage = stageName(route.project, route.stage);
  if (auto problem = routeProblem(route); !problem.empty())
    throw ProxyError(Kind::invalid_route, "nginx", stage, problem);
  if (route.domains.empty()) {
    remove(route.key());
    return;
  }
  NginxRenderOptions render_options;
  render_options.listen = options_.listen;
  const auto rendered = renderNginxConfig(route, render_options);
  const std::string path = (fs::path(options_.conf_dir) / rendered.file_name).string();
  const std::string host = probeHostFor(route.domains.front());

  std::lock_guard lock(mutex_);
  std::optional<std::string> previous;
  try {
    previous = readFileIfExists(path);
  } catch (const std::system_error& e) {
    throw ProxyError(Kind::io, "nginx", stage, e.what());
  }
  // Already written and live (a re-apply at start-up): nothing to reload.
  if (previous == rendered.text &&
      (options_.settle_timeout.count() == 0 || waitForGeneration(host, rendered.generation)))
    return;
  try {
    writeFileAtomically(path, rendered.text);
  } catch (const std::system_error& e) {
    throw ProxyError(Kind::io, "nginx", stage, e.what());
  }
  testAndReload(stage, path, previous);
  if (options_.settle_timeout.count() == 0 || waitForGeneration(host, rendered.generation)) return;
  // Accepted but not serving (nginx not running, or listening elsewhere): keep the files
  // agreeing with what serves, so a later reload does not switch behind the engine's back.
  std::string detail = "nginx accepted the configuration, but " + probe_address_ +
                       " (Host: " + host + ") did not answer generation " + rendered.generation +
                       " within " + std::to_string(options_.settle_timeout.count()) + " ms";
  try {
    restoreFile(path, previous);
    commands_.run(options_.reload_argv, options_.command_timeout);
    detail += "; previous file restored";
  } catch (const std::system_error& e) {
    detail += std::string("; restoring the previous file failed: ") + e.what();
  }
  throw ProxyError(Kind::not_effective, "nginx", stage, detail);
}

std::optional<Route> NginxProxy::current(const RouteKey& key) {
  const auto path = fs::path(options_.conf_dir) / nginxFileName(key.project, key.stage);
  try {
    const auto text = readFileIfExists(path);
    if (!text) return std::nullopt;
    return parseRenderedRoute(*text);
  } catch (const std::system_error& e) {
    throw ProxyError(Kind::io, "nginx", stageName(key.project, key.stage), e.what());
  }
}

void NginxProxy::remove(const RouteKey& key) {
  std::lock_guard lock(mutex_);
  removeLocked(key);
}

void NginxProxy::removeLocked(const RouteKey& key) {
  const std::string stage = stageName(key.project, key.stage);
  const std::string path =
      (fs::path(options_.conf_dir) / nginxFileName(key.project, key.stage)).string();
  std::optional<std::string> previous;
  try {
    previous = readFileIfExists(path);
    if (!previous) return;
    restoreFile(path, std::nullopt);
  } catch (const std::system_error& e) {
    throw ProxyError(Kind::io, "nginx", stage, e.what());
  }
  testAndReload(stage, path, previous);
  // Wait until old workers (still serving the removed file) stop accepting, as for apply;
  // a removal that does not show is not worth failing for: the file is gone either way.
  const auto parsed = parseRenderedRoute(*previous);
  if (options_.settle_timeout.count() > 0 && parsed && !parsed->domains.empty())
    waitForGeneration(probeHostFor(parsed->domains.front()), renderedGeneration(*previous),
                      /*present=*/false);
}

ProbeResult NginxProxy::probe(const Route& route, std::string_view path,
                              std::chrono::milliseconds timeout) {
  const std::string stage = stageName(route.project, route.stage);
  if (route.domains.empty()) {
    if (route.upstreams.empty())
      throw ProxyError(Kind::invalid_route, "nginx", stage, "no upstream instance");
    return sendProbe(http_, "nginx", stage, toString(route.upstreams.front()), path, "", timeout);
  }
  return sendProbe(http_, "nginx", stage, probe_address_, path, probeHostFor(route.domains.front()),
                   timeout);
}

}  // namespace berth::proxy
