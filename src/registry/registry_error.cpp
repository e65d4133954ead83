#include "registry/registry_error.h"

#include <nlohmann/json.hpp>

namespace berth::registry {

std::string_view toString(RegistryError::Kind kind) {
  switch (kind) {
    case RegistryError::Kind::auth:
      return "auth";
    case RegistryError::Kind::not_found:
      return "not_found";
    case RegistryError::Kind::rate_limited:
      return "rate_limited";
    case RegistryError::Kind::unavailable:
      return "unavailable";
    case RegistryError::Kind::bad_response:
      return "bad_response";
    case RegistryError::Kind::refused:
      return "refused";
    case RegistryError::Kind::cancelled:
      return "cancelled";
  }
  return "unknown";
}

std::string registryErrorDetail(std::string_view body) {
  // A registry's error text ends up in logs and the dashboard: keep it short.
  constexpr size_t kMaxDetail = 300;
  const auto json = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (!json.is_object() || !json.contains("errors") || !json["errors"].is_array()) return "";
  std::string out;
  for (const auto& e : json["errors"]) {
    if (!e.is_object()) continue;
    std::string one;
    if (e.contains("code") && e["code"].is_string()) one = e["code"].get<std::string>();
    if (e.contains("message") && e["message"].is_string()) {
      if (!one.empty()) one += ": ";
      one += e["message"].get<std::string>();
    }
    if (one.empty()) continue;
    if (!out.empty()) out += "; ";
    out += one;
  }
  if (out.size() > kMaxDetail) out = out.substr(0, kMaxDetail) + "...";
  return out;
}

RegistryError errorForStatus(int status, std::string_view body, const std::string& context) {
  const std::string detail = registryErrorDetail(body);
  const std::string suffix = detail.empty() ? "" : " (" + detail + ")";
  const std::string what = context + ": HTTP " + std::to_string(status);
  using Kind = RegistryError::Kind;
  if (status == 401 || status == 403)
    return RegistryError(Kind::auth,
                         what + (status == 401 ? " unauthorized" : " access denied") + suffix);
  if (status == 404) return RegistryError(Kind::not_found, what + " not found" + suffix);
  if (status == 429) return RegistryError(Kind::rate_limited, what + " too many requests" + suffix);
  if (status >= 500) return RegistryError(Kind::unavailable, what + " server error" + suffix);
  return RegistryError(Kind::bad_response, what + " unexpected status" + suffix);
}

}  // namespace berth::registry
