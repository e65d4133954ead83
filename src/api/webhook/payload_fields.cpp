#include "api/webhook/payload_fields.h"

#include <algorithm>

#include "core/reference_grammar.h"

namespace berth::api::payload {
namespace {

std::string typeOf(const Json& value) {
  return value.type_name();  // "object", "array", "string", "number", "boolean", "null"
}

}  // namespace

Result<const Json*> find(const Json& root, std::string_view path) {
  const Json* at = &root;
  std::string walked;
  while (!path.empty()) {
    if (!at->is_object()) {
      return Failure{(walked.empty() ? std::string("body") : walked) +
                     ": expected an object, got " + typeOf(*at)};
    }
    const size_t dot = path.find('.');
    const std::string key(path.substr(0, dot));
    walked += (walked.empty() ? "" : ".") + key;
    path = dot == std::string_view::npos ? std::string_view() : path.substr(dot + 1);
    const auto it = at->find(key);
    if (it == at->end() || it->is_null()) return static_cast<const Json*>(nullptr);
    at = &*it;
  }
  return at;
}

Result<std::optional<std::string>> optionalString(const Json& root, std::string_view path) {
  auto found = find(root, path);
  if (!found.ok()) return Failure{found.error()};
  if (*found == nullptr) return std::optional<std::string>();
  if (!(*found)->is_string()) {
    return Failure{std::string(path) + ": expected a string, got " + typeOf(**found)};
  }
  return std::optional<std::string>((*found)->get<std::string>());
}

Result<std::string> requiredString(const Json& root, std::string_view path) {
  auto value = optionalString(root, path);
  if (!value.ok()) return Failure{value.error()};
  if (!value->has_value()) return Failure{std::string(path) + ": missing"};
  return **value;
}

std::optional<Failure> addTag(WebhookEvent& event, const std::string& tag, std::string_view path) {
  if (tag.empty()) return std::nullopt;
  if (auto problem = tagProblem(tag)) {
    return Failure{std::string(path) + ": " + quote(tag) + " is not a valid tag (" + *problem +
                   ")"};
  }
  if (std::find(event.tags.begin(), event.tags.end(), tag) == event.tags.end()) {
    event.tags.push_back(tag);
  }
  return std::nullopt;
}

std::optional<Failure> setDigest(WebhookEvent& event, const std::string& digest,
                                 std::string_view path) {
  if (digest.empty()) return std::nullopt;
  if (!isValidDigest(digest)) {
    return Failure{std::string(path) + ": " + quote(digest) +
                   " is not a digest (expected sha256:<64 hex digits>)"};
  }
  event.digest = digest;
  return std::nullopt;
}

std::string quote(std::string_view text) {
  constexpr size_t kMax = 80;
  if (text.size() <= kMax) return "'" + std::string(text) + "'";
  return "'" + std::string(text.substr(0, kMax)) + "...'";
}

}  // namespace berth::api::payload
