// validate, import and export: the configuration file <-> database commands.
#pragma once

#include <iosfwd>
#include <string>

#include "cli/options.h"

namespace berth {

int runValidate(const std::string& file, std::ostream& out, std::ostream& err);
int runImport(const GlobalOptions& options, const std::string& file, bool dry_run,
              std::ostream& out, std::ostream& err);
int runExport(const GlobalOptions& options, const std::string& output_file, std::ostream& out,
              std::ostream& err);

}  // namespace berth
