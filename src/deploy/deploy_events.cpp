#include "deploy/deploy_events.h"

namespace berth::deploy {

std::string eventType(const Event& event) {
  struct Name {
    std::string operator()(const DeployLogEvent&) const { return "deploy.log"; }
    std::string operator()(const DeployStatusEvent&) const { return "deploy.status"; }
    std::string operator()(const InstanceStatusEvent&) const { return "instance.status"; }
    std::string operator()(const DeployProgressEvent&) const { return "deploy.progress"; }
  };
  return std::visit(Name{}, event);
}

}  // namespace berth::deploy
