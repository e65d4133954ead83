#include "api/json_body.h"

#include "api/api_error.h"

namespace berth::api {
namespace {

using nlohmann::json;

// nlohmann's messages start with "[json.exception.parse_error.101] "; the rest says where
// ("parse error at line 1, column 9: ...") and is what the caller needs.
std::string withoutExceptionId(std::string_view what) {
  auto close = what.find("] ");
  return std::string(close == std::string_view::npos ? what : what.substr(close + 2));
}

}  // namespace

json parseJsonObject(const http::Request& request, std::initializer_list<std::string_view> allowed,
                     bool empty_allowed) {
  const bool blank = request.body.find_first_not_of(" \t\r\n") == std::string::npos;
  if (blank) {
    if (empty_allowed) return json::object();
    throw badRequest("request body is empty; expected a JSON object");
  }
  json body;
  try {
    body = json::parse(request.body);
  } catch (const json::parse_error& e) {
    throw badRequest("request body is not valid JSON: " + withoutExceptionId(e.what()));
  }
  if (!body.is_object())
    throw badRequest(std::string("request body must be a JSON object, got ") + body.type_name());
  for (const auto& [key, value] : body.items()) {
    bool known = false;
    for (auto name : allowed)
      known = known || key == name;
    if (!known) {
      std::string expected;
      for (auto name : allowed)
        expected += (expected.empty() ? "" : ", ") + std::string(name);
      throw badRequest("unknown field '" + key + "' in request body; expected " + expected);
    }
  }
  return body;
}

std::optional<std::string> optionalString(const json& body, const std::string& field) {
  auto it = body.find(field);
  if (it == body.end() || it->is_null()) return std::nullopt;
  if (!it->is_string())
    throw badRequest("field '" + field + "' must be a string, got " + it->type_name());
  return it->get<std::string>();
}

std::optional<bool> optionalBool(const json& body, const std::string& field) {
  auto it = body.find(field);
  if (it == body.end() || it->is_null()) return std::nullopt;
  if (!it->is_boolean())
    throw badRequest("field '" + field + "' must be true or false, got " + it->type_name());
  return it->get<bool>();
}

std::string requiredString(const json& body, const std::string& field) {
  auto value = optionalString(body, field);
  if (!value) throw badRequest("field '" + field + "' is required");
  return *value;
}

}  // namespace berth::api
