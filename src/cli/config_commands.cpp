#include "cli/config_commands.h"

#include <ostream>

#include "cli/exit_codes.h"
#include "config/config.h"
#include "config/import_plan.h"
#include "fs/atomic_file.h"
#include "store/store.h"

namespace berth {
namespace {

// Loads and validates `file`, printing every error. Returns the config only when it is valid.
std::optional<Config> loadValid(const std::string& file, std::ostream& err) {
  ParseResult parsed = loadConfigFile(file);
  for (const auto& e : parsed.errors)
    err << e.str() << "\n";
  if (!parsed.errors.empty()) {
    err << parsed.errors.size() << (parsed.errors.size() == 1 ? " error" : " errors") << " in "
        << file << "\n";
    return std::nullopt;
  }
  return std::move(parsed.config);
}

}  // namespace

int runValidate(const std::string& file, std::ostream& out, std::ostream& err) {
  const auto config = loadValid(file, err);
  if (!config) return kExitInvalidConfig;
  size_t stages = 0;
  for (const auto& p : config->projects)
    stages += p.stages.size();
  const auto count = [](size_t n, const char* noun) {
    return std::to_string(n) + " " + noun + (n == 1 ? "" : "s");
  };
  out << file << ": ok (" << count(config->projects.size(), "project") << ", "
      << count(stages, "stage") << ")\n";
  return kExitOk;
}

int runImport(const GlobalOptions& options, const std::string& file, bool dry_run,
              std::ostream& out, std::ostream& err) {
  const auto next = loadValid(file, err);
  if (!next) {
    err << "nothing was imported\n";
    return kExitInvalidConfig;
  }
  const auto db_path = databasePath(resolveDataDir(options, dataDirDeclaredBy(*next, file)));
  try {
    // A dry run against a database that does not exist yet must not create it.
    if (dry_run && !std::filesystem::exists(db_path)) {
      out << planImport(Config{}, *next).describe();
      out << "dry run: " << db_path.string() << " does not exist and was not created\n";
      return kExitOk;
    }
    if (!dry_run && !std::filesystem::exists(db_path))
      out << "creating a new database at " << db_path.string() << "\n";
    auto store = Store::open(db_path);
    const ImportPlan plan = planImport(store->loadConfig(), *next);
    out << plan.describe();
    if (dry_run) {
      out << "dry run: " << db_path.string() << " was not changed\n";
      return kExitOk;
    }
    // Equality decides, not the plan: a field the plan forgot to describe must still be stored.
    if (store->loadConfig() != *next) store->replaceConfig(*next);
    out << "imported " << file << " into " << db_path.string() << "\n";
    return kExitOk;
  } catch (const std::exception& e) {
    err << "import failed, nothing was changed: " << e.what() << "\n";
    return kExitFailure;
  }
}

int runExport(const GlobalOptions& options, const std::string& output_file, std::ostream& out,
              std::ostream& err) {
  const auto db_path = databasePath(resolveDataDir(options, std::nullopt));
  if (!std::filesystem::exists(db_path)) {
    err << "no database at " << db_path.string()
        << ": import a configuration first, or name the data directory with --data-dir\n";
    return kExitFailure;
  }
  try {
    const std::string yaml = exportConfig(Store::open(db_path)->loadConfig());
    if (output_file.empty() || output_file == "-") {
      out << yaml;
    } else {
      writeFileAtomically(output_file, yaml);
      err << "exported " << db_path.string() << " to " << output_file << "\n";
    }
    return kExitOk;
  } catch (const std::exception& e) {
    err << "export failed: " << e.what() << "\n";
    return kExitFailure;
  }
}

}  // namespace berth
