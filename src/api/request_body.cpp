#include "api/request_body.h"

#include <initializer_list>
#include <nlohmann/json.hpp>
#include <string_view>

#include "api/api_error.h"
#include "core/reference_grammar.h"

namespace berth::api {
namespace {

using nlohmann::json;

// nlohmann's messages start with "[json.exception.parse_error.101] "; the rest says where
// ("parse error at line 1, column 9: ...") and is what the caller needs.
std::string withoutExceptionId(std::string_view what) {
  auto close = what.find("] ");
  return std::string(close == std::string_view::npos ? what : what.substr(close + 2));
}

// The body as a JSON object with only the `allowed` keys. An empty body is {} when
// `empty_allowed`.
json parseObject(const http::Request& request, std::initializer_list<std::string_view> allowed,
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

std::string validTag(const std::string& tag) {
  if (auto problem = tagProblem(tag)) throw badRequest("field 'tag': " + *problem);
  return tag;
}

}  // namespace

DeployBody parseDeployBody(const http::Request& request) {
  const json body = parseObject(request, {"tag", "digest"}, false);
  auto tag = optionalString(body, "tag");
  if (!tag) throw badRequest("field 'tag' is required");
  DeployBody out{.tag = validTag(*tag), .digest = optionalString(body, "digest").value_or("")};
  if (!out.digest.empty()) {
    if (auto problem = digestProblem(out.digest)) throw badRequest("field 'digest': " + *problem);
  }
  return out;
}

PromoteBody parsePromoteBody(const http::Request& request) {
  const json body = parseObject(request, {"tag"}, true);
  auto tag = optionalString(body, "tag");
  if (tag) validTag(*tag);
  return PromoteBody{.tag = tag};
}

RollbackBody parseRollbackBody(const http::Request& request) {
  const json body = parseObject(request, {"deploy_id"}, true);
  auto it = body.find("deploy_id");
  if (it == body.end() || it->is_null()) return {};
  // A JSON integer: 7.0 and "7" are refused as the wrong type.
  if (!it->is_number_integer())
    throw badRequest(std::string("field 'deploy_id' must be a positive integer, got ") +
                     it->type_name());
  // Beyond INT64_MAX wraps to a negative value (C++20 conversion), refused with the others.
  if (it->get<std::int64_t>() <= 0)
    throw badRequest("field 'deploy_id' must be a positive integer, got " + it->dump());
  return RollbackBody{.deploy_id = it->get<std::int64_t>()};
}

}  // namespace berth::api
