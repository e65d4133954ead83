// Reading a request's JSON body strictly, shared by the handlers that take one: errors are
// ApiError 400 saying where the JSON is broken, which field has the wrong type, or which field
// is unknown (a typo such as "digets" or "pasword" must not be ignored silently).
// Includes nlohmann/json: only handler .cpp files include this.
#pragma once

#include <initializer_list>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "http/message.h"

namespace berth::api {

// The body as a JSON object with only the `allowed` keys. An empty body is {} when
// `empty_allowed`.
nlohmann::json parseJsonObject(const http::Request& request,
                               std::initializer_list<std::string_view> allowed, bool empty_allowed);

// body[field] when present and not null; 400 when it has another type.
std::optional<std::string> optionalString(const nlohmann::json& body, const std::string& field);
std::optional<bool> optionalBool(const nlohmann::json& body, const std::string& field);
// As optionalString, but 400 naming the field when it is missing.
std::string requiredString(const nlohmann::json& body, const std::string& field);

}  // namespace berth::api
