// The JSON `data` of engine events.
#include <nlohmann/json.hpp>

#include "events/event_bus.h"

namespace berth::events {
namespace {

// ordered_json keeps the documented field order, which people read in curl output.
using Json = nlohmann::ordered_json;

Json toJson(const deploy::DeployLogEvent& e) {
  return {{"deploy_id", e.deploy_id}, {"project", e.project}, {"stage", e.stage}, {"seq", e.seq},
          {"level", e.level},         {"message", e.message}};
}

Json toJson(const deploy::DeployStatusEvent& e) {
  return {{"deploy_id", e.deploy_id},
          {"project", e.project},
          {"stage", e.stage},
          {"state", toString(e.state)},
          {"reason", e.reason}};
}

Json toJson(const deploy::InstanceStatusEvent& e) {
  return {{"deploy_id", e.deploy_id}, {"project", e.project}, {"stage", e.stage},
          {"container", e.container}, {"color", e.color},     {"status", e.status}};
}

Json toJson(const deploy::DeployProgressEvent& e) {
  return {{"deploy_id", e.deploy_id},
          {"project", e.project},
          {"stage", e.stage},
          {"step", e.step},
          {"layers_done", e.layers_done},
          {"layers_total", e.layers_total},
          {"bytes_done", e.bytes_done},
          {"bytes_total", e.bytes_total},
          {"done", e.done}};
}

}  // namespace

std::string eventData(const deploy::Event& event) {
  const Json json = std::visit([](const auto& e) { return toJson(e); }, event);
  // Container output and registry errors end up in messages: invalid UTF-8 is replaced
  // (U+FFFD) instead of throwing from a deploy worker.
  return json.dump(-1, ' ', false, Json::error_handler_t::replace);
}

}  // namespace berth::events
