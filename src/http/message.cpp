#include "http/message.h"

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>

namespace berth::http {
namespace {

bool equalsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

std::optional<std::string_view> findHeader(
    const std::vector<std::pair<std::string, std::string>>& headers, std::string_view name) {
  for (const auto& [key, value] : headers)
    if (equalsIgnoreCase(key, name)) return std::string_view(value);
  return std::nullopt;
}

}  // namespace

std::optional<std::string_view> Request::header(std::string_view name) const {
  return findHeader(headers, name);
}

std::optional<std::string_view> Request::queryParam(std::string_view name) const {
  auto it = query.find(std::string(name));
  if (it == query.end()) return std::nullopt;
  return std::string_view(it->second);
}

const std::string& Request::param(const std::string& name) const {
  static const std::string kEmpty;
  auto it = params.find(name);
  return it == params.end() ? kEmpty : it->second;
}

std::optional<std::string_view> Response::header(std::string_view name) const {
  return findHeader(headers, name);
}

Response Response::text(int status, std::string body, std::string content_type) {
  return Response{.status = status,
                  .headers = {{"Content-Type", std::move(content_type)}},
                  .body = std::move(body)};
}

Response Response::jsonText(int status, std::string json) {
  return text(status, std::move(json), "application/json");
}

Response Response::error(int status, std::string_view code, std::string_view message) {
  // Messages may quote user input: dump() escapes it, and replaces invalid UTF-8 rather than
  // throwing, so an error about bad bytes can still be reported.
  nlohmann::json body = {{"error", {{"code", code}, {"message", message}}}};
  return jsonText(status, body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

Response Response::events(std::shared_ptr<StreamSource> source) {
  Response response;
  response.stream = std::move(source);
  return response;
}

}  // namespace berth::http
