// Which format a delivery is in, then that format's reader (payload_formats.h).
#include "api/webhook/payload_formats.h"

namespace berth::api {
namespace {

WebhookEvent ignoredEvent(std::string source, std::string why) {
  return WebhookEvent{.source = std::move(source), .ignored = std::move(why)};
}

// nlohmann's message without its "[json.exception.parse_error.101] " prefix, bounded: it
// quotes what it last read, which may be long.
std::string parseErrorText(const std::exception& e) {
  std::string_view text = e.what();
  if (const size_t end = text.find("] "); text.starts_with("[json.") && end != text.npos) {
    text.remove_prefix(end + 2);
  }
  return std::string(text.substr(0, 200));
}

}  // namespace

Result<WebhookEvent> parseWebhookEvent(std::string_view body, const WebhookHeaders& headers) {
  using payload::Json;
  const std::string& github = headers.github_event;
  if (github == "ping") return ignoredEvent("GitHub", "GitHub ping");
  if (!github.empty() && github != "registry_package" && github != "package") {
    return ignoredEvent("GitHub", "GitHub " + payload::quote(github) +
                                      " events are not handled (send registry_package or "
                                      "package events)");
  }

  Json json;
  try {
    json = Json::parse(body);
  } catch (const Json::exception& e) {
    return Failure{"body is not valid JSON: " + parseErrorText(e)};
  }
  if (!json.is_object()) {
    return Failure{"body: expected a JSON object, got " + std::string(json.type_name())};
  }

  if (!github.empty()) return payload::parseGitHubPackage(json, github);
  if (!headers.gitlab_event.empty() || json.contains("object_kind")) {
    return payload::parseGitLab(json);
  }
  // A relay may drop the GitHub headers; the body still says what it is.
  if (json.contains("registry_package"))
    return payload::parseGitHubPackage(json, "registry_package");
  if (json.contains("package") && json.contains("action")) {
    return payload::parseGitHubPackage(json, "package");
  }
  if (json.contains("push_data")) return payload::parseDockerHub(json);
  return payload::parseGeneric(json);
}

}  // namespace berth::api
