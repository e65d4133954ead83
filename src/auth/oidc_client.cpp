#include "auth/oidc_client.h"

#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <nlohmann/json.hpp>

#include "auth/secret_token.h"
#include "core/base64.h"

namespace berth::auth {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

constexpr auto kMetadataLifetime = 1h;

// RFC 3986 unreserved characters stay; everything else is %XX.
std::string urlEncode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

std::string form(const std::vector<std::pair<std::string, std::string>>& fields) {
  std::string out;
  for (const auto& [k, v] : fields)
    out += (out.empty() ? "" : "&") + urlEncode(k) + "=" + urlEncode(v);
  return out;
}

std::string s256(std::string_view verifier) {
  std::array<unsigned char, 32> digest{};
  EVP_Digest(verifier.data(), verifier.size(), digest.data(), nullptr, EVP_sha256(), nullptr);
  return base64UrlEncode(std::string_view(reinterpret_cast<char*>(digest.data()), digest.size()));
}

json parseBody(const net::HttpResponse& response, const char* what) {
  try {
    json body = json::parse(response.body);
    if (body.is_object()) return body;
  } catch (const json::exception&) {
  }
  throw OidcError(std::string(what) + " is not a JSON object");
}

std::string requiredString(const json& doc, const char* key, const char* what) {
  auto it = doc.find(key);
  if (it == doc.end() || !it->is_string() || it->get<std::string>().empty())
    throw OidcError(std::string(what) + " has no \"" + key + "\"");
  return it->get<std::string>();
}

bool audienceContains(const json& aud, const std::string& client_id) {
  if (aud.is_string()) return aud.get<std::string>() == client_id;
  if (!aud.is_array()) return false;
  return std::any_of(aud.begin(), aud.end(), [&](const json& a) {
    return a.is_string() && a.get<std::string>() == client_id;
  });
}

bool claimHas(const json& claims, const std::string& claim, const std::string& value) {
  auto it = claims.find(claim);
  if (it == claims.end()) return false;
  if (it->is_string()) return it->get<std::string>() == value;
  if (!it->is_array()) return false;
  return std::any_of(it->begin(), it->end(),
                     [&](const json& v) { return v.is_string() && v.get<std::string>() == value; });
}

std::int64_t numericClaim(const json& claims, const char* name, bool required) {
  auto it = claims.find(name);
  if (it == claims.end()) {
    if (required) throw OidcError(std::string("the ID token has no \"") + name + "\" claim");
    return 0;
  }
  if (!it->is_number())
    throw OidcError(std::string("the ID token's \"") + name + "\" is not a number");
  return it->get<std::int64_t>();
}

}  // namespace

OidcClient::OidcClient(net::HttpClient& http, Clock& clock, OidcClientSettings settings)
    : http_(http), clock_(clock), settings_(std::move(settings)) {}

net::HttpResponse OidcClient::get(const std::string& url, const char* what) {
  net::HttpRequest request;
  request.url = url;
  request.timeout = 10s;
  request.headers.add("Accept", "application/json");
  net::HttpResponse response;
  try {
    response = http_.send(request);
  } catch (const net::HttpError& e) {
    throw OidcError(std::string("cannot reach the OIDC provider for ") + what + ": " + e.what());
  }
  if (response.status != 200)
    throw OidcError(std::string("the OIDC provider answered ") + std::to_string(response.status) +
                    " for " + what + " (" + url + ")");
  return response;
}

OidcClient::Metadata OidcClient::metadata() {
  {
    std::lock_guard lock(mutex_);
    if (metadata_ && clock_.now() - metadata_->fetched < kMetadataLifetime) return *metadata_;
  }
  const json doc =
      parseBody(get(settings_.discovery_url, "its discovery document"), "the discovery document");
  Metadata m;
  m.issuer = requiredString(doc, "issuer", "the discovery document");
  m.authorization_endpoint =
      requiredString(doc, "authorization_endpoint", "the discovery document");
  m.token_endpoint = requiredString(doc, "token_endpoint", "the discovery document");
  m.jwks_uri = requiredString(doc, "jwks_uri", "the discovery document");
  // Absent means client_secret_basic (OpenID Connect Discovery 1.0, section 3).
  if (auto it = doc.find("token_endpoint_auth_methods_supported");
      it != doc.end() && it->is_array()) {
    const bool basic = std::find(it->begin(), it->end(), "client_secret_basic") != it->end();
    const bool post = std::find(it->begin(), it->end(), "client_secret_post") != it->end();
    m.basic_auth = basic || !post;
  }
  m.fetched = clock_.now();
  std::lock_guard lock(mutex_);
  metadata_ = m;
  return m;
}

std::vector<PublicKey> OidcClient::keys(bool refresh) {
  {
    std::lock_guard lock(mutex_);
    if (!refresh && keys_) return *keys_;
  }
  const auto m = metadata();
  std::vector<PublicKey> fresh;
  try {
    fresh = parseJwks(get(m.jwks_uri, "its signing keys (JWKS)").body);
  } catch (const JwtError& e) {
    throw OidcError(e.what());
  }
  std::lock_guard lock(mutex_);
  keys_ = fresh;
  return fresh;
}

std::string OidcClient::start(const std::string& return_to) {
  const auto m = metadata();
  Pending pending{.nonce = randomToken(),
                  .verifier = randomToken(),  // 64 characters: within PKCE's 43..128
                  .return_to = return_to,
                  .expires = clock_.now() + kPendingLifetime};
  const std::string state = randomToken();
  std::string scope;
  for (const auto& s : settings_.scopes)
    scope += (scope.empty() ? "" : " ") + s;
  const std::string query = form({{"response_type", "code"},
                                  {"client_id", settings_.client_id},
                                  {"redirect_uri", settings_.redirect_uri},
                                  {"scope", scope},
                                  {"state", state},
                                  {"nonce", pending.nonce},
                                  {"code_challenge", s256(pending.verifier)},
                                  {"code_challenge_method", "S256"}});
  {
    std::lock_guard lock(mutex_);
    const auto now = clock_.now();
    std::erase_if(pending_, [&](const auto& item) { return item.second.expires <= now; });
    if (pending_.size() >= kMaxPending)
      throw OidcError("too many logins in progress; try again in a few minutes");
    pending_[state] = pending;
  }
  const char joiner = m.authorization_endpoint.find('?') == std::string::npos ? '?' : '&';
  return m.authorization_endpoint + joiner + query;
}

OidcIdentity OidcClient::finish(const std::string& code, const std::string& state) {
  Pending pending;
  {
    std::lock_guard lock(mutex_);
    auto it = pending_.find(state);
    if (it == pending_.end() || it->second.expires <= clock_.now())
      throw OidcError("this login is unknown, was already used or expired (state); start again");
    pending = it->second;
    pending_.erase(it);  // one use only, whatever happens next
  }
  if (code.empty()) throw OidcError("the provider sent no authorization code");
  const auto m = metadata();
  return verify(m, exchange(m, code, pending.verifier), pending);
}

std::string OidcClient::exchange(const Metadata& m, const std::string& code,
                                 const std::string& verifier) {
  std::vector<std::pair<std::string, std::string>> fields{{"grant_type", "authorization_code"},
                                                          {"code", code},
                                                          {"redirect_uri", settings_.redirect_uri},
                                                          {"code_verifier", verifier}};
  net::HttpRequest request;
  request.method = "POST";
  request.url = m.token_endpoint;
  request.timeout = 10s;
  request.headers.add("Accept", "application/json");
  request.headers.add("Content-Type", "application/x-www-form-urlencoded");
  if (settings_.client_secret.empty()) {
    fields.emplace_back("client_id", settings_.client_id);  // a public client: PKCE alone
  } else if (m.basic_auth) {
    // RFC 6749 2.3.1: both parts form-encoded before base64.
    request.headers.add("Authorization",
                        "Basic " + base64Encode(urlEncode(settings_.client_id) + ":" +
                                                urlEncode(settings_.client_secret)));
  } else {
    fields.emplace_back("client_id", settings_.client_id);
    fields.emplace_back("client_secret", settings_.client_secret);
  }
  request.body = form(fields);
  net::HttpResponse response;
  try {
    response = http_.send(request);
  } catch (const net::HttpError& e) {
    throw OidcError(std::string("cannot reach the OIDC token endpoint: ") + e.what());
  }
  if (response.status != 200) {
    std::string reason;
    try {
      const json body = json::parse(response.body);
      reason =
          body.value("error", "") +
          (body.contains("error_description") ? ": " + body.value("error_description", "") : "");
    } catch (const json::exception&) {
    }
    throw OidcError("the provider refused the authorization code (" +
                    std::to_string(response.status) + (reason.empty() ? "" : ", " + reason) + ")");
  }
  const json body = parseBody(response, "the token response");
  return requiredString(body, "id_token", "the token response");
}

OidcIdentity OidcClient::verify(const Metadata& m, const std::string& id_token,
                                const Pending& pending) {
  DecodedJwt jwt;
  try {
    jwt = decodeJwt(id_token);
    if (jwt.header.value("alg", std::string()) == "HS256") {
      verifySignature(jwt, {}, settings_.client_secret);  // no JWKS needed (nor fetched)
    } else {
      try {
        verifySignature(jwt, keys(false), settings_.client_secret);
      } catch (const UnknownKeyId&) {
        verifySignature(jwt, keys(true), settings_.client_secret);  // the provider rotated keys
      }
    }
  } catch (const JwtError& e) {
    throw OidcError(std::string("the ID token is not valid: ") + e.what());
  }
  try {
    return checkClaims(m, jwt.claims, pending);
  } catch (const json::exception&) {
    throw OidcError("the ID token has a claim of the wrong type");
  }
}

OidcIdentity OidcClient::checkClaims(const Metadata& m, const nlohmann::json& claims,
                                     const Pending& pending) {
  if (claims.value("iss", "") != m.issuer)
    throw OidcError("the ID token is from issuer \"" + claims.value("iss", "") + "\", not \"" +
                    m.issuer + "\"");
  if (!audienceContains(claims.value("aud", json()), settings_.client_id))
    throw OidcError("the ID token is not meant for this client (aud)");
  const bool several =
      claims.contains("aud") && claims["aud"].is_array() && claims["aud"].size() > 1;
  if ((several || claims.contains("azp")) && claims.value("azp", "") != settings_.client_id)
    throw OidcError("the ID token was issued to another client (azp)");
  const auto now =
      std::chrono::duration_cast<std::chrono::seconds>(clock_.wallNow().time_since_epoch()).count();
  const auto skew = kClockSkew.count();
  if (numericClaim(claims, "exp", true) <= now - skew) throw OidcError("the ID token has expired");
  if (numericClaim(claims, "iat", true) > now + skew)
    throw OidcError("the ID token is issued in the future (check the clocks)");
  if (claims.contains("nbf") && numericClaim(claims, "nbf", false) > now + skew)
    throw OidcError("the ID token is not valid yet (nbf)");
  if (!constantTimeEquals(claims.value("nonce", ""), pending.nonce))
    throw OidcError("the ID token's nonce does not match this login");
  const std::string subject = claims.value("sub", "");
  if (subject.empty()) throw OidcError("the ID token has no subject (sub)");

  OidcIdentity who{.issuer = m.issuer,
                   .subject = subject,
                   .username = {},
                   .admin = {},
                   .return_to = pending.return_to};
  if (claims.contains("preferred_username") && claims["preferred_username"].is_string())
    who.username = claims["preferred_username"].get<std::string>();
  else if (claims.contains("email") && claims["email"].is_string())
    who.username =
        claims["email"].get<std::string>().substr(0, claims["email"].get<std::string>().find('@'));
  if (!settings_.admin_value.empty())
    who.admin = claimHas(claims, settings_.admin_claim, settings_.admin_value);
  return who;
}

}  // namespace berth::auth
