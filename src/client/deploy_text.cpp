#include "client/deploy_text.h"

namespace berth::client {
namespace {

std::string text(const Json& object, const char* key) {
  if (!object.is_object() || !object.contains(key) || !object[key].is_string()) return "";
  return object[key].get<std::string>();
}

std::string deployNumber(const Json& deploy) {
  const auto& id = deploy.is_object() && deploy.contains("id") ? deploy["id"] : Json();
  return "deploy " + (id.is_number_integer() ? std::to_string(id.get<std::int64_t>()) : "?");
}

std::string stageName(const Json& deploy) {
  return text(deploy, "project") + "/" + text(deploy, "stage");
}

}  // namespace

std::string shortDigest(const Json& digest) {
  if (!digest.is_string()) return "";
  const std::string d = digest.get<std::string>();
  const auto colon = d.find(':');
  if (colon == std::string::npos) return d.substr(0, 12);
  return d.substr(0, colon + 1 + 12);
}

std::string imageName(const Json& deploy) {
  const Json image = deploy.is_object() && deploy.contains("image") ? deploy["image"] : Json();
  const std::string tag = text(image, "tag");
  return text(image, "repository") + (tag.empty() ? "" : ":" + tag);
}

std::string stateWords(const std::string& state) {
  std::string words = state;
  for (char& c : words)
    if (c == '_') c = ' ';
  return words;
}

std::string describeAccepted(const Json& deploy) {
  const std::string trigger = text(deploy, "trigger");
  return deployNumber(deploy) + " " + stateWords(text(deploy, "state")) + ": " + stageName(deploy) +
         " <- " + imageName(deploy) + (trigger.empty() ? "" : " (" + trigger + ")");
}

std::string describeOutcome(const Json& deploy) {
  const std::string state = text(deploy, "state");
  if (state == "succeeded") {
    const Json image = deploy.contains("image") ? deploy["image"] : Json();
    const std::string digest =
        shortDigest(image.is_object() ? image.value("digest", Json()) : Json());
    return deployNumber(deploy) + " succeeded: " + stageName(deploy) + " runs " +
           imageName(deploy) + (digest.empty() ? "" : " (" + digest + ")");
  }
  const std::string reason = text(deploy, "reason");
  return deployNumber(deploy) + " " + stateWords(state) + (reason.empty() ? "" : ": " + reason);
}

std::string formatLogLine(const LogLine& line) {
  // "2026-01-01T12:00:00.130Z": the time of day is what helps while watching a deploy.
  std::string time = line.ts;
  const auto t = time.find('T');
  if (t != std::string::npos) time = time.substr(t + 1);
  if (time.ends_with('Z')) time.pop_back();
  std::string level = line.level;
  if (level.size() < 5) level.resize(5, ' ');
  return time + " " + level + " " + line.message;
}

Json logLineJson(const LogLine& line) {
  return Json{{"seq", line.seq}, {"ts", line.ts}, {"level", line.level}, {"message", line.message}};
}

std::string jsonText(const Json& value) {
  return value.dump(-1, ' ', false, Json::error_handler_t::replace);
}

}  // namespace berth::client
