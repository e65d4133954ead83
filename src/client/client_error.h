// Why a client command could not do its job, with the exit code (cli/exit_codes.h) that tells a
// script which kind of trouble it was. The message is for the operator; it never holds a token.
#pragma once

#include <stdexcept>
#include <string>

namespace berth::client {

class ClientError : public std::runtime_error {
 public:
  ClientError(int exit_code, const std::string& message)
      : std::runtime_error(message), exit_code_(exit_code) {}
  int exitCode() const { return exit_code_; }

 private:
  int exit_code_;
};

}  // namespace berth::client
