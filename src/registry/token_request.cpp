#include "registry/token_request.h"

#include <nlohmann/json.hpp>

#include "registry/registry_error.h"
#include "registry/url.h"

namespace berth::registry {

std::string pullScope(std::string_view repository) {
  return "repository:" + std::string(repository) + ":pull";
}

net::HttpRequest buildTokenRequest(const AuthChallenge& bearer, std::string_view scope,
                                   const std::optional<Credentials>& credentials,
                                   const std::string& context) {
  const std::string realm = bearer.param("realm");
  auto url = parseHttpUrl(realm);
  if (!url)
    throw RegistryError(RegistryError::Kind::bad_response,
                        context + ": Bearer challenge has no usable realm URL ('" + realm + "')");
  std::string query = url->query;
  auto add = [&query](std::string_view name, std::string_view value) {
    if (value.empty()) return;
    if (!query.empty()) query += '&';
    query += std::string(name) + "=" + percentEncode(value);
  };
  add("service", bearer.param("service"));
  add("scope", scope);
  // The account parameter helps some token services (Docker Hub) pick the right user.
  if (credentials && !credentials->username.empty()) add("account", credentials->username);
  url->query = query;

  net::HttpRequest request;
  request.method = "GET";
  request.url = url->str();
  request.timeout = std::chrono::seconds(30);
  if (credentials) request.headers.add("Authorization", basicAuthorization(*credentials));
  return request;
}

TokenGrant parseTokenResponse(std::string_view body, const std::string& context) {
  using Kind = RegistryError::Kind;
  const auto json = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (!json.is_object())
    throw RegistryError(Kind::bad_response, context + ": token response is not a JSON object");
  TokenGrant grant;
  for (const char* field : {"token", "access_token"}) {
    if (json.contains(field) && json[field].is_string() &&
        !json[field].get<std::string>().empty()) {
      grant.token = json[field].get<std::string>();
      break;
    }
  }
  if (grant.token.empty())
    throw RegistryError(Kind::bad_response,
                        context + ": token response has no field 'token' or 'access_token'");
  if (json.contains("expires_in")) {
    const auto& e = json["expires_in"];
    if (!e.is_number() || e.get<double>() <= 0)
      throw RegistryError(
          Kind::bad_response,
          context + ": token response field 'expires_in' must be a positive number");
    // Capped at a day: a token must not outlive configuration changes for ever.
    const double seconds = std::min(e.get<double>(), 86400.0);
    grant.lifetime = std::chrono::duration_cast<Duration>(std::chrono::duration<double>(seconds));
  }
  return grant;
}

}  // namespace berth::registry
