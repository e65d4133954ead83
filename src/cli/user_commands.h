// `berth user add|passwd|list|remove` and `berth token create`: account management on the
// database directly, for the first admin, for a forgotten password, and for CI bootstrapping
// (a token without a running server). Passwords are read from standard input: typed at a
// prompt without echo when it is a terminal, else its first line (`echo ... | berth user add`),
// never from the command line, where `ps` and shell history would show them.
#pragma once

#include <istream>
#include <ostream>
#include <string>

#include "cli/options.h"

namespace berth {

struct UserCommand {
  std::string action;  // add, passwd, list, remove
  std::string username;
  bool admin = false;  // add: make an admin
};

int runUserCommand(const GlobalOptions& options, const UserCommand& command, std::istream& in,
                   std::ostream& out, std::ostream& err);

// Prints the new token's secret (once) on `out`.
int runTokenCreate(const GlobalOptions& options, const std::string& username,
                   const std::string& name, std::ostream& out, std::ostream& err);

}  // namespace berth
