// Options shared by every command, and how the data directory is chosen.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "core/model.h"

namespace berth {

struct GlobalOptions {
  std::string data_dir;     // --data-dir; empty: see resolveDataDir
  std::string config_file;  // --config
  std::string log_level = "info";
  std::string log_format = "json";
};

// --data-dir wins, then $BERTH_DATA_DIR, then the configuration file's server.data_dir (when a
// file is at hand), then ./data. The database is <data dir>/berth.db.
std::filesystem::path resolveDataDir(const GlobalOptions& options,
                                     const std::optional<std::string>& config_data_dir);
// The data directory `config` (read from `file`) declares. A relative server.data_dir is read
// relative to the file, so the same file means the same place whatever the working directory.
std::optional<std::string> dataDirDeclaredBy(const Config& config, const std::string& file);

std::filesystem::path databasePath(const std::filesystem::path& data_dir);

}  // namespace berth
