#include "cli/client_cli.h"

#include <CLI/CLI.hpp>
#include <algorithm>

namespace berth {
namespace {

// CLI::PositiveNumber would accept 1.5 and describe its range with a 300-digit number.
const CLI::Validator kDeployId(
    [](std::string& text) -> std::string {
      const bool digits =
          !text.empty() && text.size() <= 18 &&
          std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
      if (digits && std::stoll(text) >= 1) return "";
      return "a deploy id is a whole number from 1, got '" + text + "'";
    },
    "DEPLOY_ID");

void addConnectionOptions(CLI::App* command, client::ClientOptions& options) {
  command->add_option("--server", options.server,
                      "berth's URL (default: $BERTH_SERVER, else http://127.0.0.1:8080)");
  command->add_option("--token-file", options.token_file,
                      "Read the API token from FILE (mode 600) instead of $BERTH_TOKEN or "
                      "~/.config/berth/token");
}

void addOutputOption(CLI::App* command, std::string& output) {
  command->add_option("--output", output, "text (default) or json: machine-readable, on stdout")
      ->check(CLI::IsMember({"text", "json"}));
}

void addWaitTimeout(CLI::App* command, client::ClientOptions& options, const char* what) {
  command->add_option(
      "--wait-timeout", options.wait_timeout,
      std::string("Give up ") + what + " after this long, exit 8 (default 15m; 0s: never)");
}

CLI::App* addStageAction(CLI::App& app, const char* name, const char* description,
                         client::StageAction& action, client::ClientOptions& options,
                         std::string& output) {
  auto* command = app.add_subcommand(name, description);
  command->add_option("project", action.project, "The project")->required();
  command->add_option("stage", action.stage, "The stage")->required();
  command->add_flag("--wait", options.wait,
                    "Follow the deploy (its log on stderr) and exit 0 only if it succeeded");
  addWaitTimeout(command, options, "--wait");
  addOutputOption(command, output);
  addConnectionOptions(command, options);
  return command;
}

}  // namespace

ClientCli::ClientCli(CLI::App& app, CLI::App& export_cmd) {
  deploy_ = addStageAction(app, "deploy", "Deploy a tag of the project's image to a stage now",
                           action_, options_, output_);
  deploy_->add_option("tag", action_.tag, "The image tag")->required();

  promote_ = addStageAction(app, "promote",
                            "Deploy the image (the same digest) that the stage's promote_from "
                            "stage runs healthy",
                            action_, options_, output_);
  promote_->add_option("tag", action_.tag,
                       "Only if the source stage runs this tag (default: whatever it runs)");

  rollback_ = addStageAction(app, "rollback", "Go back to an earlier succeeded deploy's image",
                             action_, options_, output_);
  rollback_
      ->add_option("deploy", action_.deploy_id,
                   "That deploy's id (default: the newest one with another image)")
      ->check(kDeployId);

  status_ = app.add_subcommand("status",
                               "Show projects and stages: image, instances' health, last deploy");
  status_->add_option("project", status_project_, "Only this project");
  addOutputOption(status_, output_);
  addConnectionOptions(status_, options_);

  logs_ = app.add_subcommand("logs", "Print a deploy's log");
  logs_->add_option("deploy", log_deploy_id_, "The deploy's id")->required()->check(kDeployId);
  logs_->add_flag("-f,--follow", follow_,
                  "Print new lines as they come until the deploy ends; exit 0 only if it "
                  "succeeded");
  addWaitTimeout(logs_, options_, "--follow");
  addOutputOption(logs_, output_);
  addConnectionOptions(logs_, options_);

  healthcheck_ =
      app.add_subcommand("healthcheck",
                         "Exit 0 if the server's GET /healthz answers 200 within 3 s, else 1 "
                         "(for Docker's HEALTHCHECK; needs no token)");
  healthcheck_->add_option("--server", options_.server,
                           "berth's URL (default: $BERTH_SERVER, else http://127.0.0.1:8080)");

  addConnectionOptions(&export_cmd, options_);
}

int ClientCli::runRemoteExport(const std::string& output_file, std::ostream& out,
                               std::ostream& err) const {
  return client::runRemoteExport(options_, output_file, out, err);
}

std::optional<int> ClientCli::run(std::ostream& out, std::ostream& err) {
  options_.json = output_ == "json";
  for (auto* command : {deploy_, promote_, rollback_}) {
    if (*command) {
      action_.action = command->get_name();
      return client::runStageAction(action_, options_, out, err);
    }
  }
  if (*status_) return client::runStatus(status_project_, options_, out, err);
  if (*logs_) return client::runLogs(log_deploy_id_, follow_, options_, out, err);
  if (*healthcheck_) return client::runHealthcheck(options_.server, out, err);
  return std::nullopt;
}

}  // namespace berth
