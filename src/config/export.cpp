// exportConfig: the canonical berth.yaml for a Config.
//
// Canonical means: keys in the order of ARCHITECTURE.md §4; a field equal to the model's default
// is omitted (so an export reads like a hand-written file), and a section left with no fields is
// omitted too; identity fields (project name, image and port, stage name, registry host) and the
// `projects:` key are always written. Small maps use flow style, projects and stages block style.
#include <yaml-cpp/yaml.h>

#include <functional>

#include "config/config.h"
#include "config/scalar_style.h"
#include "core/duration.h"
#include "core/model_names.h"

namespace berth {
namespace {

// One key of a map being written, with a callback that emits its value.
struct Field {
  std::string key;
  std::function<void(YAML::Emitter&)> value;
};
using Fields = std::vector<Field>;

void emitString(YAML::Emitter& out, const std::string& text) {
  if (hasControlCharacter(text) || readsAsNonString(text))
    out << YAML::DoubleQuoted << text;
  else
    out << text;
}

// Regexes are full of characters YAML treats specially; single quotes keep backslashes literal,
// so what the file shows is exactly the regex.
void emitRegex(YAML::Emitter& out, const std::string& regex) {
  if (hasControlCharacter(regex))
    out << YAML::DoubleQuoted << regex;
  else
    out << YAML::SingleQuoted << regex;
}

void addString(Fields& fields, const std::string& key, const std::string& value,
               const std::string& default_value) {
  if (value != default_value)
    fields.push_back({key, [value](YAML::Emitter& out) { emitString(out, value); }});
}

void addBool(Fields& fields, const std::string& key, bool value, bool default_value) {
  if (value != default_value)
    fields.push_back({key, [value](YAML::Emitter& out) { out << (value ? "true" : "false"); }});
}

void addInt(Fields& fields, const std::string& key, int value, std::optional<int> default_value) {
  if (value != default_value)
    fields.push_back({key, [value](YAML::Emitter& out) { out << value; }});
}

void addDuration(Fields& fields, const std::string& key, Duration value, Duration default_value) {
  if (value != default_value)
    fields.push_back({key, [value](YAML::Emitter& out) { out << formatDuration(value); }});
}

template <class E>
void addEnum(Fields& fields, const std::string& key, E value, E default_value) {
  if (value != default_value)
    fields.push_back({key, [value](YAML::Emitter& out) { out << toString(value); }});
}

void addList(Fields& fields, const std::string& key, const std::vector<std::string>& items) {
  if (items.empty()) return;
  fields.push_back({key, [items](YAML::Emitter& out) {
                      out << YAML::Flow << YAML::BeginSeq;
                      for (const auto& item : items)
                        emitString(out, item);
                      out << YAML::EndSeq;
                    }});
}

void addEnv(Fields& fields, const std::string& key, const std::map<std::string, std::string>& env) {
  if (env.empty()) return;
  fields.push_back({key, [env](YAML::Emitter& out) {
                      out << YAML::Block << YAML::BeginMap;
                      for (const auto& [name, value] : env) {
                        out << YAML::Key << name << YAML::Value;
                        emitString(out, value);
                      }
                      out << YAML::EndMap;
                    }});
}

void emitMap(YAML::Emitter& out, const Fields& fields, bool flow) {
  out << (flow ? YAML::Flow : YAML::Block) << YAML::BeginMap;
  for (const auto& field : fields) {
    out << YAML::Key << field.key << YAML::Value;
    field.value(out);
  }
  out << YAML::EndMap;
}

// A nested map as a field, omitted when it has no fields.
void addMap(Fields& fields, const std::string& key, Fields nested, bool flow) {
  if (nested.empty()) return;
  fields.push_back({key, [nested = std::move(nested), flow](YAML::Emitter& out) {
                      emitMap(out, nested, flow);
                    }});
}

Fields serverFields(const ServerSettings& s) {
  const ServerSettings d;
  Fields f;
  addString(f, "listen", s.listen, d.listen);
  addString(f, "data_dir", s.data_dir, d.data_dir);
  addString(f, "public_url", s.public_url, d.public_url);
  return f;
}

Fields dockerFields(const DockerSettings& s) {
  const DockerSettings d;
  Fields f;
  addString(f, "host", s.host, d.host);
  addString(f, "network", s.network, d.network);
  return f;
}

Fields registryFields(const RegistryCredential& r) {
  Fields f;
  f.push_back({"host", [host = r.host](YAML::Emitter& out) { emitString(out, host); }});
  addString(f, "username", r.username, "");
  addString(f, "password_env", r.password_env, "");
  addBool(f, "insecure", r.insecure, false);
  return f;
}

Fields proxyFields(const ProxySettings& p) {
  const ProxySettings d;
  Fields f;
  addEnum(f, "driver", p.driver, d.driver);
  addString(f, "url", p.url, d.url);
  addString(f, "identity", p.identity, d.identity);
  addString(f, "secret_env", p.secret_env, d.secret_env);
  addString(f, "conf_dir", p.conf_dir, d.conf_dir);
  addString(f, "listen", p.listen, d.listen);
  addString(f, "test_cmd", p.test_cmd, d.test_cmd);
  addString(f, "reload_cmd", p.reload_cmd, d.reload_cmd);
  addEnum(f, "reach", p.reach, d.reach);
  return f;
}

Fields authFields(const AuthSettings& a) {
  const AuthSettings d;
  Fields f;
  addEnum(f, "mode", a.mode, d.mode);
  addDuration(f, "session_lifetime", a.session_lifetime, d.session_lifetime);
  addBool(f, "protect_metrics", a.protect_metrics, d.protect_metrics);
  addBool(f, "local_login", a.local_login, d.local_login);
  Fields oidc;
  addString(oidc, "discovery_url", a.oidc.discovery_url, d.oidc.discovery_url);
  addString(oidc, "client_id", a.oidc.client_id, d.oidc.client_id);
  addString(oidc, "client_secret_env", a.oidc.client_secret_env, d.oidc.client_secret_env);
  addString(oidc, "admin_group", a.oidc.admin_group, d.oidc.admin_group);
  addString(oidc, "admin_claim", a.oidc.admin_claim, d.oidc.admin_claim);
  if (a.oidc.scopes != d.oidc.scopes) addList(oidc, "scopes", a.oidc.scopes);
  addMap(f, "oidc", std::move(oidc), true);
  return f;
}

// Match mode always writes `order`, so a policy whose fields are all default is still written
// as a map (`tags: {order: semver}`) and is not mistaken for "no tags".
Fields tagFields(const TagPolicy& t) {
  const TagPolicy d;
  Fields f;
  if (!t.watch.empty()) {
    addString(f, "watch", t.watch, "");
    return f;
  }
  if (!t.match.empty())
    f.push_back({"match", [match = t.match](YAML::Emitter& out) { emitRegex(out, match); }});
  f.push_back({"order", [order = t.order](YAML::Emitter& out) { out << toString(order); }});
  addBool(f, "prerelease", t.prerelease, d.prerelease);
  return f;
}

Fields stageFields(const Stage& s) {
  const Stage d;
  Fields f;
  f.push_back({"name", [name = s.name](YAML::Emitter& out) { emitString(out, name); }});
  if (s.tags) addMap(f, "tags", tagFields(*s.tags), true);
  addBool(f, "auto_deploy", s.auto_deploy, d.auto_deploy);
  addString(f, "promote_from", s.promote_from, d.promote_from);
  addEnum(f, "strategy", s.strategy, d.strategy);
  addDuration(f, "drain", s.drain, d.drain);
  addInt(f, "replicas", s.replicas, d.replicas);
  addList(f, "domains", s.domains);
  addEnv(f, "env", s.env);
  addList(f, "volumes", s.volumes);
  return f;
}

Fields healthFields(const HealthCheck& h) {
  const HealthCheck d;
  Fields f;
  addString(f, "path", h.path, d.path);
  addDuration(f, "interval", h.interval, d.interval);
  addDuration(f, "timeout", h.timeout, d.timeout);
  return f;
}

Fields projectFields(const Project& p) {
  const Project d;
  Fields f;
  f.push_back({"name", [name = p.name](YAML::Emitter& out) { emitString(out, name); }});
  f.push_back({"image", [image = p.image](YAML::Emitter& out) { emitString(out, image); }});
  addInt(f, "port", p.port, std::nullopt);
  addMap(f, "health", healthFields(p.health), true);
  addEnv(f, "env", p.env);
  addList(f, "volumes", p.volumes);
  addString(f, "webhook_secret_env", p.webhook_secret_env, d.webhook_secret_env);
  Fields poll;
  addDuration(poll, "interval", p.poll_interval, d.poll_interval);
  addMap(f, "poll", std::move(poll), true);
  f.push_back({"stages", [stages = p.stages](YAML::Emitter& out) {
                 out << YAML::Block << YAML::BeginSeq;
                 for (const auto& s : stages)
                   emitMap(out, stageFields(s), false);
                 out << YAML::EndSeq;
               }});
  return f;
}

}  // namespace

std::string exportConfig(const Config& config) {
  Fields top;
  addMap(top, "server", serverFields(config.server), true);
  addMap(top, "docker", dockerFields(config.docker), true);
  if (!config.registries.empty()) {
    top.push_back({"registries", [&](YAML::Emitter& out) {
                     out << YAML::Block << YAML::BeginSeq;
                     for (const auto& r : config.registries)
                       emitMap(out, registryFields(r), true);
                     out << YAML::EndSeq;
                   }});
  }
  addMap(top, "proxy", proxyFields(config.proxy), false);
  addMap(top, "auth", authFields(config.auth), false);
  top.push_back({"projects", [&](YAML::Emitter& out) {
                   if (config.projects.empty()) {
                     out << YAML::Flow << YAML::BeginSeq << YAML::EndSeq;
                     return;
                   }
                   out << YAML::Block << YAML::BeginSeq;
                   for (const auto& p : config.projects)
                     emitMap(out, projectFields(p), false);
                   out << YAML::EndSeq;
                 }});

  YAML::Emitter out;
  out.SetIndent(2);
  emitMap(out, top, false);
  return std::string(out.c_str()) + "\n";
}

}  // namespace berth
