#include "cli/options.h"

#include <cstdlib>

namespace berth {

std::filesystem::path resolveDataDir(const GlobalOptions& options,
                                     const std::optional<std::string>& config_data_dir) {
  if (!options.data_dir.empty()) return options.data_dir;
  if (const char* env = std::getenv("BERTH_DATA_DIR"); env != nullptr && *env != '\0') return env;
  if (config_data_dir && !config_data_dir->empty()) return *config_data_dir;
  return "./data";
}

std::optional<std::string> dataDirDeclaredBy(const Config& config, const std::string& file) {
  std::filesystem::path dir = config.server.data_dir;
  if (dir.empty()) return std::nullopt;
  if (dir.is_relative()) dir = std::filesystem::path(file).parent_path() / dir;
  return dir.lexically_normal().string();
}

std::filesystem::path databasePath(const std::filesystem::path& data_dir) {
  return data_dir / "berth.db";
}

}  // namespace berth
