#include "deploy/health_check.h"

#include <sstream>

#include "deploy/run_with_timeout.h"
#include "deploy/step_errors.h"

namespace berth::deploy {
namespace {

std::string lastLines(const std::string& text, int count) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    lines.push_back(line);
  const size_t from = lines.size() > static_cast<size_t>(count) ? lines.size() - count : 0;
  std::string out;
  for (size_t i = from; i < lines.size(); ++i)
    out += (out.empty() ? "" : "\n") + lines[i];
  return out;
}

[[noreturn]] void failExited(DeployContext& ctx, const Instance& instance,
                             const docker::ContainerInfo& info) {
  // With restart policy unless-stopped the daemon may already have restarted it: then it
  // still counts as having exited (a crash loop never becomes healthy).
  const std::string what =
      info.state.running && !info.state.restarting
          ? "exited and was restarted " + std::to_string(info.restart_count) + " time(s)"
          : "exited with code " + std::to_string(info.state.exit_code);
  ctx.services.journal.instance(ctx.ownerOf(instance), instance.id, instance.name, instance.color,
                                "exited");
  try {
    docker::LogOptions options;
    options.tail = ctx.options.log_tail_lines;
    const auto logs = ctx.services.docker.containerLogs(instance.id, options);
    const std::string tail = lastLines(logs.all(), ctx.options.log_tail_lines);
    ctx.services.journal.error(ctx.deploy,
                               "instance " + instance.name + " " + what +
                                   (tail.empty() ? ", no output" : "; its last output:"));
    std::istringstream in(tail);
    for (std::string line; std::getline(in, line);) {
      ctx.services.journal.error(ctx.deploy, "  " + line);
    }
  } catch (const docker::DockerError& e) {
    ctx.warn(std::string("could not read its output: ") + e.what());
  }
  throw StepFailed("instance " + instance.name + " " + what + " during the health check");
}

}  // namespace

HealthMethod chooseHealthMethod(const Project& project,
                                const std::optional<docker::HealthcheckSpec>& image_check) {
  if (!project.health.path.empty()) return HealthMethod::http;
  if (image_check && !image_check->test.empty() && image_check->test.front() != "NONE") {
    return HealthMethod::docker_healthcheck;
  }
  return HealthMethod::running;
}

std::string healthUrl(const Config& config, const Project& project,
                      const docker::ContainerInfo& info) {
  std::string host;
  int port = project.port;
  if (config.proxy.reach == ProxyReach::host) {
    host = "127.0.0.1";
    port = info.hostPort(std::to_string(project.port)).value_or(0);
  } else {
    auto it = info.networks.find(config.docker.network);
    host = it != info.networks.end() && !it->second.ip_address.empty() ? it->second.ip_address
                                                                       : info.name;
  }
  return "http://" + host + ":" + std::to_string(port) + project.health.path;
}

void waitHealthy(DeployContext& ctx, const Instance& instance) {
  auto& docker = ctx.services.docker;
  auto& clock = ctx.services.clock;
  std::optional<docker::HealthcheckSpec> image_check;
  if (ctx.project.health.path.empty())
    image_check = docker.inspectImage(ctx.pinned_image).healthcheck;
  const HealthMethod method = chooseHealthMethod(ctx.project, image_check);
  const Duration timeout = ctx.project.health.timeout;
  const Duration interval = std::max(Duration(10), ctx.project.health.interval);
  const auto started = clock.now();
  const auto deadline = started + timeout;

  std::string last_problem = "no answer yet";
  switch (method) {
    case HealthMethod::http:
      ctx.log("checking " + instance.name + ": GET " + ctx.project.health.path + " every " +
              seconds(interval) + ", for up to " + seconds(timeout));
      break;
    case HealthMethod::docker_healthcheck:
      ctx.log("checking " + instance.name + ": the image's HEALTHCHECK, for up to " +
              seconds(timeout));
      break;
    case HealthMethod::running:
      ctx.log("checking " + instance.name +
              ": no health path and no HEALTHCHECK, so it must "
              "keep running for " +
              seconds(ctx.options.running_check));
      break;
  }
  while (true) {
    ctx.checkCancel();
    const auto info = docker.inspectContainer(instance.id);
    if (!info.state.running || info.state.restarting || info.restart_count > 0) {
      failExited(ctx, instance, info);
    }
    const auto elapsed = std::chrono::duration_cast<Duration>(clock.now() - started);
    bool healthy = false;
    if (method == HealthMethod::http) {
      net::HttpRequest request;
      request.url = healthUrl(ctx.config, ctx.project, info);
      request.timeout = std::clamp(interval, Duration(500), Duration(5000));
      request.connect_timeout = request.timeout;
      try {
        const auto response = ctx.services.http.send(request, &ctx.cancel);
        healthy = response.status >= 200 && response.status < 300;
        if (!healthy) last_problem = "HTTP " + std::to_string(response.status);
      } catch (const net::HttpError& e) {
        ctx.checkCancel();
        last_problem = e.what();
      }
    } else if (method == HealthMethod::docker_healthcheck) {
      healthy = info.state.health.status == "healthy";
      last_problem =
          "Docker reports " + (info.state.health.status.empty() ? std::string("no health status")
                                                                : info.state.health.status);
    } else {
      healthy = elapsed >= ctx.options.running_check;
      last_problem = "running for " + seconds(elapsed);
    }
    if (healthy) {
      ctx.services.journal.instance(ctx.ownerOf(instance), instance.id, instance.name,
                                    instance.color, "healthy");
      ctx.log("instance " + instance.name + " healthy after " + seconds(elapsed));
      return;
    }
    if (clock.now() >= deadline) {
      ctx.services.journal.instance(ctx.ownerOf(instance), instance.id, instance.name,
                                    instance.color, "unhealthy");
      throw StepFailed("instance " + instance.name + " not healthy after " + seconds(timeout) +
                       " (" + last_problem + ")");
    }
    const Duration wait = method == HealthMethod::running
                              ? std::min(interval, ctx.options.running_check - elapsed)
                              : interval;
    if (!clock.sleepFor(std::max(Duration(1), wait), &ctx.cancel)) ctx.checkCancel();
  }
}

}  // namespace berth::deploy
