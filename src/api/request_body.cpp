#include "api/request_body.h"

#include <nlohmann/json.hpp>

#include "api/api_error.h"
#include "api/json_body.h"
#include "core/reference_grammar.h"

namespace berth::api {
namespace {

using nlohmann::json;

std::string validTag(const std::string& tag) {
  if (auto problem = tagProblem(tag)) throw badRequest("field 'tag': " + *problem);
  return tag;
}

}  // namespace

DeployBody parseDeployBody(const http::Request& request) {
  const json body = parseJsonObject(request, {"tag", "digest"}, false);
  auto tag = optionalString(body, "tag");
  if (!tag) throw badRequest("field 'tag' is required");
  DeployBody out{.tag = validTag(*tag), .digest = optionalString(body, "digest").value_or("")};
  if (!out.digest.empty()) {
    if (auto problem = digestProblem(out.digest)) throw badRequest("field 'digest': " + *problem);
  }
  return out;
}

PromoteBody parsePromoteBody(const http::Request& request) {
  const json body = parseJsonObject(request, {"tag"}, true);
  auto tag = optionalString(body, "tag");
  if (tag) validTag(*tag);
  return PromoteBody{.tag = tag};
}

RollbackBody parseRollbackBody(const http::Request& request) {
  const json body = parseJsonObject(request, {"deploy_id"}, true);
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
