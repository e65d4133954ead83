#include "cli/cli.h"

#include <CLI/CLI.hpp>
#include <iostream>
#include <ostream>

#include "cli/client_cli.h"
#include "cli/config_commands.h"
#include "cli/exit_codes.h"
#include "cli/serve_command.h"
#include "cli/user_commands.h"

#ifndef BERTH_VERSION
#define BERTH_VERSION "0.0.0-dev"
#endif

namespace berth {

int runCli(int argc, const char* const* argv, std::ostream& out, std::ostream& err) {
  CLI::App app{"berth: continuous deployment for Docker hosts", "berth"};
  app.footer(
      "Exit codes: 0 ok, 1 runtime error, 2 usage error, 3 invalid configuration "
      "(nothing changed);\nclient commands also: 4 server unreachable, 5 no valid token or not "
      "allowed (401/403),\n6 refused by the server, 7 the deploy did not succeed, 8 "
      "--wait-timeout passed. healthcheck: 0 or 1.\nData directory: --data-dir, else "
      "$BERTH_DATA_DIR, else the config file's server.data_dir, else ./data.\nClient commands "
      "(deploy, promote, rollback, status, logs, export --server) talk to\n--server, else "
      "$BERTH_SERVER, else http://127.0.0.1:8080, with the API token from\n--token-file, else "
      "$BERTH_TOKEN, else ~/.config/berth/token ($XDG_CONFIG_HOME/berth/token).\nSee "
      "docs/cli.md.");
  app.require_subcommand(1);
  // Global options are accepted after the command too: `berth import f.yaml --data-dir d`.
  app.fallthrough();
  app.set_version_flag("--version", "berth " BERTH_VERSION);

  GlobalOptions options;
  app.add_option("--data-dir", options.data_dir, "Directory holding berth.db")
      ->envname("BERTH_DATA_DIR");
  app.add_option("--log-level", options.log_level, "debug, info, warn or error")
      ->check(CLI::IsMember({"debug", "info", "warn", "error"}));
  app.add_option("--log-format", options.log_format, "json (default) or text")
      ->check(CLI::IsMember({"json", "text"}));

  auto* serve = app.add_subcommand("serve", "Run the controller until SIGTERM or SIGINT");
  // No ExistingFile check: a missing file is reported like any unusable configuration (exit 3).
  serve->add_option("--config", options.config_file,
                    "Import this berth.yaml at every start-up: it replaces the stored "
                    "configuration, as `berth import` does");
  ServeOptions serve_options;
  serve->add_option("--listen", serve_options.listen,
                    "Address for the API and dashboard, host:port (default: server.listen)");
  serve->add_option("--shutdown-timeout", serve_options.shutdown_timeout,
                    "On SIGTERM/SIGINT, how long in-flight deploys may take to finish before "
                    "they are cancelled and undone (default 60s)");
  serve->add_flag("--no-poll", serve_options.no_poll,
                  "Do not poll registries (webhooks and the API still deploy)");
  serve->add_option("--web-dir", serve_options.web_dir,
                    "Serve the dashboard from this directory (e.g. web/build, read at every "
                    "request) instead of the copy built into berth");

  std::string file;
  auto* validate = app.add_subcommand("validate", "Check a berth.yaml; print every error");
  validate->add_option("file", file, "Configuration file")->required();

  bool dry_run = false;
  auto* import = app.add_subcommand(
      "import", "Replace the stored configuration with a berth.yaml (all or nothing)");
  import->add_option("file", file, "Configuration file")->required();
  import->add_flag("--dry-run", dry_run, "Print what would change; change nothing");

  std::string output;
  auto* export_cmd = app.add_subcommand(
      "export",
      "Write the stored configuration as berth.yaml: from the database (--data-dir), or with "
      "--server from that running server's API (admins only; --data-dir is then not used)");
  export_cmd->add_option("-o,--output", output, "File to write (default: standard output)");

  auto* version = app.add_subcommand("version", "Print the version");

  ClientCli client(app, *export_cmd);

  UserCommand user_command;
  auto* user = app.add_subcommand("user", "Manage accounts (passwords are read from stdin)");
  user->require_subcommand(1);
  auto* user_add = user->add_subcommand("add", "Add a user");
  user_add->add_option("username", user_command.username, "Name to log in with")->required();
  user_add->add_flag("--admin", user_command.admin, "May manage users, settings and tokens");
  auto* user_passwd = user->add_subcommand("passwd", "Set a user's password; ends their sessions");
  user_passwd->add_option("username", user_command.username, "The user")->required();
  auto* user_list = user->add_subcommand("list", "List users");
  auto* user_remove =
      user->add_subcommand("remove", "Remove a user with their sessions and API tokens");
  user_remove->add_option("username", user_command.username, "The user")->required();

  std::string token_user, token_name;
  auto* token = app.add_subcommand("token", "Manage API tokens");
  token->require_subcommand(1);
  auto* token_create = token->add_subcommand(
      "create", "Create an API token for USER and print it (shown only this once)");
  token_create->add_option("user", token_user, "Owner of the token")->required();
  token_create->add_option("name", token_name, "A name to recognise it by, e.g. ci")->required();

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForVersion&) {
    out << "berth " << BERTH_VERSION << "\n";
    return kExitOk;
  } catch (const CLI::CallForHelp&) {
    out << app.help();
    return kExitOk;
  } catch (const CLI::CallForAllHelp&) {
    out << app.help("", CLI::AppFormatMode::All);
    return kExitOk;
  } catch (const CLI::ParseError& e) {
    // Subcommand help (`berth import --help`) also arrives here, as CallForHelp from a subapp.
    if (e.get_exit_code() == 0) {
      out << (app.get_subcommands().empty() ? app.help() : app.get_subcommands().front()->help());
      return kExitOk;
    }
    const auto parsed = app.get_subcommands();
    const std::string help_for = parsed.empty() ? "berth" : "berth " + parsed.front()->get_name();
    err << "berth: " << e.what() << "\nRun '" << help_for << " --help' for usage.\n";
    return kExitUsage;
  }

  if (*version) {
    out << "berth " << BERTH_VERSION << "\n";
    return kExitOk;
  }
  if (*validate) return runValidate(file, out, err);
  if (*import) return runImport(options, file, dry_run, out, err);
  if (*export_cmd)
    return client.exportIsRemote() ? client.runRemoteExport(output, out, err)
                                   : runExport(options, output, out, err);
  if (auto code = client.run(out, err)) return *code;
  for (auto* action : {user_add, user_passwd, user_list, user_remove}) {
    if (*action) {
      user_command.action = action->get_name();
      return runUserCommand(options, user_command, std::cin, out, err);
    }
  }
  if (*token_create) return runTokenCreate(options, token_user, token_name, out, err);
  if (*serve) {
    // The controller's log is the product's log: JSON lines on stdout unless asked otherwise.
    const Logger log(out, *parseLogLevel(options.log_level), *parseLogFormat(options.log_format));
    return runServe(options, serve_options, log, BERTH_VERSION);
  }
  return kExitUsage;
}

}  // namespace berth
