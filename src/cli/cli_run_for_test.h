// Runs the `berth` command line in-process, as a test sees it: exit code and both streams.
#pragma once

#include <sstream>
#include <string>
#include <vector>

#include "cli/cli.h"

namespace berth::testing {

struct CliRun {
  int code;
  std::string out;
  std::string err;
};

// `args` without the program name: runCliForTest({"validate", "berth.yaml"}).
inline CliRun runCliForTest(std::vector<std::string> args) {
  args.insert(args.begin(), "berth");
  std::vector<const char*> argv;
  for (const auto& a : args)
    argv.push_back(a.c_str());
  std::ostringstream out, err;
  const int code = runCli(static_cast<int>(argv.size()), argv.data(), out, err);
  return {code, out.str(), err.str()};
}

}  // namespace berth::testing
