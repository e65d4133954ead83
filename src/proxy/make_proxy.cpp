#include "proxy/make_proxy.h"

#include "proxy/command_line.h"
#include "proxy/nginx_proxy.h"
#include "proxy/none_proxy.h"
#include "proxy/npm_proxy.h"

namespace berth::proxy {
namespace {

[[noreturn]] void refuse(const std::string& driver, const std::string& why) {
  throw ProxyError(ProxyError::Kind::unsupported, driver, "", why);
}

std::vector<std::string> argvOf(const std::string& key, const std::string& command,
                                std::vector<std::string> fallback) {
  if (command.empty()) return fallback;
  std::string why;
  auto argv = splitCommandLine(command, &why);
  if (!argv) refuse("nginx", "proxy." + key + " '" + command + "': " + why);
  return *argv;
}

}  // namespace

std::unique_ptr<Proxy> makeProxy(const ProxySettings& settings, const ProxyDeps& deps,
                                 const ProxyTuning& tuning) {
  switch (settings.driver) {
    case ProxyDriver::none:
      return std::make_unique<NoneProxy>(deps.http);
    case ProxyDriver::nginx: {
      if (settings.conf_dir.empty()) refuse("nginx", "proxy.conf_dir is required");
      NginxOptions o;
      o.conf_dir = settings.conf_dir;
      o.listen = settings.listen;
      o.test_argv = argvOf("test_cmd", settings.test_cmd, {"nginx", "-t"});
      o.reload_argv = argvOf("reload_cmd", settings.reload_cmd, {"nginx", "-s", "reload"});
      o.command_timeout = tuning.command_timeout;
      o.settle_timeout = tuning.settle_timeout;
      o.probe_address = tuning.probe_address;
      return std::make_unique<NginxProxy>(std::move(o), deps.commands, deps.http);
    }
    case ProxyDriver::npm: {
      if (settings.url.empty() || settings.identity.empty() || settings.secret_env.empty())
        refuse("npm", "proxy.url, proxy.identity and proxy.secret_env are required");
      NpmOptions o;
      o.credentials = NpmCredentials{settings.url, settings.identity, settings.secret_env};
      o.probe_address = tuning.probe_address;
      o.settle_timeout = tuning.settle_timeout;
      return std::make_unique<NpmProxy>(std::move(o), deps.env, deps.http, deps.clock);
    }
  }
  refuse("proxy", "unknown driver");
}

}  // namespace berth::proxy
