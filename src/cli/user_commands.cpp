#include "cli/user_commands.h"

#include <termios.h>
#include <unistd.h>

#include <filesystem>
#include <iostream>
#include <optional>

#include "auth/auth_service.h"
#include "cli/exit_codes.h"
#include "events/log_line_json.h"

namespace berth {
namespace {

// Echo off while a password is typed at a terminal; restored however the read ends.
class NoEcho {
 public:
  NoEcho() {
    if (::tcgetattr(STDIN_FILENO, &saved_) != 0) return;
    termios quiet = saved_;
    quiet.c_lflag &= static_cast<tcflag_t>(~ECHO);
    active_ = ::tcsetattr(STDIN_FILENO, TCSANOW, &quiet) == 0;
  }
  ~NoEcho() {
    if (active_) ::tcsetattr(STDIN_FILENO, TCSANOW, &saved_);
  }
  NoEcho(const NoEcho&) = delete;
  NoEcho& operator=(const NoEcho&) = delete;

 private:
  termios saved_{};
  bool active_ = false;
};

std::optional<std::string> readLine(std::istream& in) {
  std::string line;
  if (!std::getline(in, line)) return std::nullopt;
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

// The new password: prompted twice at a terminal, else the first line of `in`.
std::optional<std::string> readNewPassword(const std::string& username, std::istream& in,
                                           std::ostream& err) {
  const bool terminal = &in == &std::cin && ::isatty(STDIN_FILENO);
  if (!terminal) {
    auto line = readLine(in);
    if (!line) err << "no password on standard input (send it as the first line)\n";
    return line;
  }
  std::optional<std::string> first, second;
  {
    NoEcho quiet;
    err << "New password for " << username << ": " << std::flush;
    first = readLine(in);
    err << "\nAgain: " << std::flush;
    second = readLine(in);
    err << "\n";
  }
  if (!first || !second) return std::nullopt;
  if (*first != *second) {
    err << "the two passwords differ; nothing changed\n";
    return std::nullopt;
  }
  return first;
}

// The auth service on the data directory's database. `create`: make the database if missing
// (adding the first admin before the first `berth serve`).
std::unique_ptr<auth::AuthService> openAuth(const GlobalOptions& options, bool create,
                                            std::ostream& err, std::ostream& log_out) {
  const auto db_path = databasePath(resolveDataDir(options, std::nullopt));
  if (!create && !std::filesystem::exists(db_path)) {
    err << "no database at " << db_path.string()
        << ": name the data directory with --data-dir (or start berth once)\n";
    return nullptr;
  }
  return std::make_unique<auth::AuthService>(Store::open(db_path), systemClock(),
                                             auth::AuthOptions{},
                                             Logger(log_out, LogLevel::error, LogFormat::text));
}

}  // namespace

int runUserCommand(const GlobalOptions& options, const UserCommand& command, std::istream& in,
                   std::ostream& out, std::ostream& err) {
  try {
    auto auth = openAuth(options, command.action == "add", err, err);
    if (!auth) return kExitFailure;
    if (command.action == "list") {
      for (const auto& user : auth->users()) {
        out << user.username << (user.admin ? "\tadmin" : "\tuser")
            << (user.oidc_subject ? "\toidc" : "") << "\tcreated "
            << events::isoUtc(user.created_at) << "\n";
      }
      return kExitOk;
    }
    if (command.action == "remove") {
      const auto user = auth->user(command.username);
      if (!user) {
        err << "no user " << command.username << "\n";
        return kExitFailure;
      }
      auth->removeUser(user->id);
      err << "removed " << user->username << " (and their sessions and API tokens)\n";
      return kExitOk;
    }
    if (command.action == "passwd" && !auth->user(command.username)) {
      err << "no user " << command.username << "\n";
      return kExitFailure;
    }
    const auto password = readNewPassword(command.username, in, err);
    if (!password) return kExitFailure;
    if (command.action == "add") {
      const auto user = auth->addUser(command.username, *password, command.admin);
      err << "added " << user.username << (user.admin ? " (admin)" : "") << "\n";
    } else {
      auth->setPassword(auth->user(command.username)->id, *password);
      err << "changed the password of " << command.username << "; their sessions ended\n";
    }
    return kExitOk;
  } catch (const auth::AuthError& e) {
    err << e.what() << "; nothing changed\n";
    return kExitFailure;
  } catch (const std::exception& e) {
    err << "user " << command.action << " failed: " << e.what() << "\n";
    return kExitFailure;
  }
}

int runTokenCreate(const GlobalOptions& options, const std::string& username,
                   const std::string& name, std::ostream& out, std::ostream& err) {
  try {
    auto auth = openAuth(options, false, err, err);
    if (!auth) return kExitFailure;
    const auto user = auth->user(username);
    if (!user) {
      err << "no user " << username << "\n";
      return kExitFailure;
    }
    const auto token = auth->createToken(user->id, name);
    out << token.secret << "\n";
    err << "created API token " << name << " for " << user->username
        << " (shown only now; send it as Authorization: Bearer <token>)\n";
    return kExitOk;
  } catch (const std::exception& e) {
    err << "token create failed: " << e.what() << "\n";
    return kExitFailure;
  }
}

}  // namespace berth
