#include "config/import_plan.h"

#include <algorithm>

#include "config/field_changes.h"
#include "config/suggest.h"
#include "core/model_names.h"

namespace berth {
namespace {

std::string describeTags(const std::optional<TagPolicy>& tags) {
  if (!tags) return "none";
  if (!tags->watch.empty()) return "{watch: " + tags->watch + "}";
  std::string out = "{";
  if (!tags->match.empty()) out += "match: '" + tags->match + "', ";
  out += "order: " + toString(tags->order);
  if (tags->prerelease) out += ", prerelease: true";
  return out + "}";
}

FieldChanges serverChanges(const ServerSettings& a, const ServerSettings& b) {
  FieldChanges c;
  c.add("listen", a.listen, b.listen);
  c.add("data_dir", a.data_dir, b.data_dir);
  c.add("public_url", a.public_url, b.public_url);
  return c;
}

FieldChanges dockerChanges(const DockerSettings& a, const DockerSettings& b) {
  FieldChanges c;
  c.add("host", a.host, b.host);
  c.add("network", a.network, b.network);
  return c;
}

FieldChanges proxyChanges(const ProxySettings& a, const ProxySettings& b) {
  FieldChanges c;
  c.add("driver", toString(a.driver), toString(b.driver));
  c.add("url", a.url, b.url);
  c.add("identity", a.identity, b.identity);
  c.add("secret_env", a.secret_env, b.secret_env);
  c.add("conf_dir", a.conf_dir, b.conf_dir);
  c.add("listen", a.listen, b.listen);
  c.add("test_cmd", a.test_cmd, b.test_cmd);
  c.add("reload_cmd", a.reload_cmd, b.reload_cmd);
  c.add("reach", toString(a.reach), toString(b.reach));
  return c;
}

FieldChanges authChanges(const AuthSettings& a, const AuthSettings& b) {
  FieldChanges c;
  c.add("mode", toString(a.mode), toString(b.mode));
  c.add("session_lifetime", a.session_lifetime, b.session_lifetime);
  c.add("protect_metrics", a.protect_metrics, b.protect_metrics);
  c.add("local_login", a.local_login, b.local_login);
  c.add("oidc.discovery_url", a.oidc.discovery_url, b.oidc.discovery_url);
  c.add("oidc.client_id", a.oidc.client_id, b.oidc.client_id);
  c.add("oidc.client_secret_env", a.oidc.client_secret_env, b.oidc.client_secret_env);
  c.add("oidc.admin_group", a.oidc.admin_group, b.oidc.admin_group);
  c.add("oidc.admin_claim", a.oidc.admin_claim, b.oidc.admin_claim);
  c.add("oidc.scopes", a.oidc.scopes, b.oidc.scopes);
  return c;
}

FieldChanges registryChanges(const RegistryCredential& a, const RegistryCredential& b) {
  FieldChanges c;
  c.add("username", a.username, b.username);
  c.add("password_env", a.password_env, b.password_env);
  c.add("insecure", a.insecure, b.insecure);
  return c;
}

FieldChanges stageChanges(const Stage& a, const Stage& b) {
  FieldChanges c;
  c.addRendered("tags", describeTags(a.tags), describeTags(b.tags));
  c.add("auto_deploy", a.auto_deploy, b.auto_deploy);
  c.add("promote_from", a.promote_from, b.promote_from);
  c.add("strategy", toString(a.strategy), toString(b.strategy));
  c.add("drain", a.drain, b.drain);
  c.add("replicas", a.replicas, b.replicas);
  c.add("domains", a.domains, b.domains);
  c.addEnv("env", a.env, b.env);
  c.add("volumes", a.volumes, b.volumes);
  return c;
}

template <class T, class NameOf>
std::vector<std::string> namesOf(const std::vector<T>& items, NameOf name_of) {
  std::vector<std::string> names;
  for (const auto& item : items)
    names.push_back(name_of(item));
  return names;
}

std::string stageNames(const Project& p) {
  return joinList(namesOf(p.stages, [](const Stage& s) { return s.name; }));
}

FieldChanges projectChanges(const Project& a, const Project& b) {
  FieldChanges c;
  c.add("image", a.image, b.image);
  c.add("port", a.port, b.port);
  c.add("health.path", a.health.path, b.health.path);
  c.add("health.interval", a.health.interval, b.health.interval);
  c.add("health.timeout", a.health.timeout, b.health.timeout);
  c.addEnv("env", a.env, b.env);
  c.add("volumes", a.volumes, b.volumes);
  c.add("webhook_secret_env", a.webhook_secret_env, b.webhook_secret_env);
  c.add("poll.interval", a.poll_interval, b.poll_interval);
  const auto stage_name = [](const Stage& s) { return s.name; };
  c.addOrder("stage order", namesOf(a.stages, stage_name), namesOf(b.stages, stage_name));
  return c;
}

void addChanged(ImportPlan& plan, const std::string& what, const FieldChanges& changes) {
  if (!changes.empty()) plan.changed.push_back(what + ": " + changes.str());
}

void planStages(ImportPlan& plan, const Project& current, const Project& next) {
  for (const auto& s : next.stages) {
    const std::string what = "stage " + next.name + "/" + s.name;
    if (const Stage* old = current.findStage(s.name))
      addChanged(plan, what, stageChanges(*old, s));
    else
      plan.added.push_back(what);
  }
  for (const auto& s : current.stages)
    if (!next.findStage(s.name)) plan.removed.push_back("stage " + current.name + "/" + s.name);
}

}  // namespace

ImportPlan planImport(const Config& current, const Config& next) {
  ImportPlan plan;
  addChanged(plan, "server", serverChanges(current.server, next.server));
  addChanged(plan, "docker", dockerChanges(current.docker, next.docker));
  addChanged(plan, "proxy", proxyChanges(current.proxy, next.proxy));
  addChanged(plan, "auth", authChanges(current.auth, next.auth));

  const auto host = [](const RegistryCredential& r) { return r.host; };
  for (const auto& r : next.registries) {
    const auto old = std::find_if(current.registries.begin(), current.registries.end(),
                                  [&](const auto& c) { return c.host == r.host; });
    if (old == current.registries.end())
      plan.added.push_back("registry " + r.host);
    else
      addChanged(plan, "registry " + r.host, registryChanges(*old, r));
  }
  for (const auto& r : current.registries)
    if (std::none_of(next.registries.begin(), next.registries.end(),
                     [&](const auto& n) { return n.host == r.host; }))
      plan.removed.push_back("registry " + r.host);
  FieldChanges registry_order;
  registry_order.addOrder("order", namesOf(current.registries, host),
                          namesOf(next.registries, host));
  addChanged(plan, "registries", registry_order);

  for (const auto& p : next.projects) {
    if (const Project* old = current.findProject(p.name)) {
      addChanged(plan, "project " + p.name, projectChanges(*old, p));
      planStages(plan, *old, p);
    } else {
      plan.added.push_back("project " + p.name + " (stages " + stageNames(p) + ")");
    }
  }
  for (const auto& p : current.projects)
    if (!next.findProject(p.name))
      plan.removed.push_back("project " + p.name + " (stages " + stageNames(p) + ")");
  const auto project_name = [](const Project& p) { return p.name; };
  FieldChanges project_order;
  project_order.addOrder("order", namesOf(current.projects, project_name),
                         namesOf(next.projects, project_name));
  addChanged(plan, "projects", project_order);
  return plan;
}

std::string ImportPlan::describe() const {
  if (empty()) return "no changes\n";
  std::string out;
  for (const auto& line : added)
    out += "+ " + line + "\n";
  for (const auto& line : changed)
    out += "~ " + line + "\n";
  for (const auto& line : removed)
    out += "- " + line + "\n";
  return out;
}

}  // namespace berth
