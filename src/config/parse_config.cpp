// parseConfig and loadConfigFile: the document level of berth.yaml.
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>

#include "config/config.h"
#include "config/parse_sections.h"

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
  std::vector<YAML::Node> documents;
  try {
    documents = YAML::LoadAll(std::string(text));
  } catch (const YAML::ParserException& e) {
    diag.error({e.mark.line + 1, e.mark.column + 1}, "", "YAML syntax error: " + e.msg);
    return std::nullopt;
  } catch (const YAML::Exception& e) {
    diag.error({}, "", std::string("cannot read YAML: ") + e.what());
    return std::nullopt;
  }
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
  std::error_code ec;
  std::ifstream in(path, std::ios::binary);
  const int open_errno = errno;
  if (!in || std::filesystem::is_directory(path, ec)) {
    const std::string reason = !in ? std::strerror(open_errno) : "it is a directory";
    ParseResult result;
    result.errors.push_back({path.string(), 0, 0, "", "cannot read the file: " + reason});
    return result;
  }
  const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  return parseConfig(text, path.string());
}

}  // namespace berth
