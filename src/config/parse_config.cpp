// parseConfig and loadConfigFile: the document level of berth.yaml.
#include <cerrno>
#include <cstring>
#include <fstream>

#include "config/config.h"
#include "config/parse_sections.h"
#include "config/yaml_text.h"

namespace berth {
namespace {

// Function-local statics: a parse may run while another file's globals are being
// initialised (e.g. a test's constant), before this file's globals would exist.
const std::vector<std::string>& topLevelKeys() {
  static const std::vector<std::string> names{"server", "docker", "registries",
                                              "proxy",  "auth",   "projects"};
  return names;
}

// Loads the single document of `text`; reports syntax errors and extra documents.
std::optional<YAML::Node> loadDocument(std::string_view text, Diagnostics& diag) {
  auto loaded = loadYamlDocuments(text, diag);
  if (!loaded) return std::nullopt;
  const std::vector<YAML::Node>& documents = *loaded;
  if (documents.empty() || (documents.size() == 1 && documents[0].IsNull())) {
    diag.error({1, 1}, "", "the file is empty; a configuration needs at least 'projects:'");
    return std::nullopt;
  }
  if (documents.size() > 1) {
    // Importing only the first document would silently drop the rest.
    diag.error(whereOf(documents[1]), "",
               "expected one YAML document, found " + std::to_string(documents.size()));
    return std::nullopt;
  }
  return documents[0];
}

}  // namespace

ParseResult parseConfig(std::string_view yaml_text, const std::string& file_name) {
  Diagnostics diag(file_name);
  Config config;
  if (const auto document = loadDocument(yaml_text, diag)) {
    const MapReader root(*document, "", diag, topLevelKeys(), {1, 1});
    if (root.isMap()) {
      readServer(root, config.server);
      readDocker(root, config.docker);
      readRegistries(root, config.registries);
      readProxy(root, config.proxy);
      readAuth(root, config.auth);
      // The provider sends browsers back to <public_url>/api/auth/oidc/callback.
      if (config.auth.mode == AuthMode::oidc && config.server.public_url.empty())
        diag.error(root.whereKey("auth"), "auth.mode",
                   "mode oidc needs server.public_url, the address browsers reach berth at "
                   "(the provider redirects to <public_url>/api/auth/oidc/callback)");
      // Import replaces every project, so a file without the key (a truncated or partial file)
      // would delete them all; "projects: []" says so on purpose.
      if (root.has("projects"))
        readProjects(root, config.projects);
      else
        diag.error(root.whereKey("projects"), "projects",
                   "'projects' is required (write 'projects: []' for none)");
    }
  }
  ParseResult result;
  result.errors = diag.take();
  if (result.errors.empty()) result.config = std::move(config);
  return result;
}

ParseResult loadConfigFile(const std::filesystem::path& path) {
  // Read at most this much: the name of a device such as /dev/zero, or a pipe that never ends,
  // would otherwise fill memory. The largest real configurations are a few hundred kilobytes.
  constexpr std::streamsize kMaxBytes = 4 << 20;
  const auto unreadable = [&](const std::string& reason) {
    ParseResult result;
    result.errors.push_back({path.string(), 0, 0, "", "cannot read the file: " + reason});
    return result;
  };
  std::error_code ec;
  std::ifstream in(path, std::ios::binary);
  const int open_errno = errno;
  if (!in) return unreadable(std::strerror(open_errno));
  if (std::filesystem::is_directory(path, ec)) return unreadable("it is a directory");
  std::string text(static_cast<size_t>(kMaxBytes) + 1, '\0');
  in.read(text.data(), kMaxBytes + 1);
  if (in.bad()) return unreadable(std::strerror(errno));
  text.resize(static_cast<size_t>(in.gcount()));
  if (text.size() > static_cast<size_t>(kMaxBytes))
    return unreadable("it is larger than 4 MiB, which no berth.yaml needs");
  return parseConfig(text, path.string());
}

}  // namespace berth
