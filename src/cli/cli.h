// The `berth` command line: serve, validate, import, export, version, users and tokens, and the
// client commands that talk to a running server (client_cli.h).
#pragma once

#include <iosfwd>

namespace berth {

// Runs the command line and returns the process exit code (see exit_codes.h). Normal output
// goes to `out`, errors and diagnostics to `err`, so tests can run commands in-process.
int runCli(int argc, const char* const* argv, std::ostream& out, std::ostream& err);

}  // namespace berth
