// The OpenID Connect relying party: authorization code flow with PKCE (S256), `state` and
// `nonce`, against any provider with a discovery document (Authentik, Keycloak, Dex, ...).
//
//  start()  remembers a pending login (state -> nonce, PKCE verifier, where to return) for
//           10 minutes and returns the provider's authorization URL for the browser;
//  finish() takes the callback's code and state: the state must be pending (each is used
//           once), the code is exchanged at the token endpoint (client_secret_basic, or
//           client_secret_post when the provider supports only that), and the ID token is
//           verified completely: signature (RS256/ES256 by the JWKS, refreshed once when the
//           token names an unknown key; HS256 by the client secret), iss, aud, azp, exp, iat
//           and nbf with 60 s of clock skew, and the nonce.
// The discovery document is fetched on first use and kept for an hour. Thread-safe.
#pragma once

#include <chrono>
#include <cstddef>
#include <map>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "auth/jws.h"
#include "core/clock.h"
#include "net/http.h"

namespace berth::auth {

// The login failed; the message says why (for the operator's log and the user).
class OidcError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct OidcClientSettings {
  std::string discovery_url;
  std::string client_id;
  std::string client_secret;
  std::string redirect_uri;  // <public_url>/api/auth/oidc/callback
  std::vector<std::string> scopes{"openid", "profile", "email"};
  std::string admin_claim = "groups";
  std::string admin_value{};  // "": OIDC never makes anyone admin
};

// Who the provider says logged in.
struct OidcIdentity {
  std::string issuer;         // `iss`
  std::string subject;        // `sub`: with the issuer, the stable key berth links accounts by
  std::string username;       // preferred_username, else the email's local part, else ""
  std::optional<bool> admin;  // nullopt when no admin_value is configured
  std::string return_to;      // what start() was given
};

class OidcClient {
 public:
  static constexpr std::chrono::minutes kPendingLifetime{10};
  static constexpr std::size_t kMaxPending = 10'000;
  static constexpr std::chrono::seconds kClockSkew{60};

  OidcClient(net::HttpClient& http, Clock& clock, OidcClientSettings settings);

  // The URL to redirect the browser to. Throws OidcError if the provider cannot be reached.
  std::string start(const std::string& return_to);
  // Throws OidcError for a wrong or used state, a refused code and any ID token problem.
  OidcIdentity finish(const std::string& code, const std::string& state);

 private:
  struct Metadata {
    std::string issuer, authorization_endpoint, token_endpoint, jwks_uri;
    bool basic_auth = true;  // client_secret_basic (else _post)
    std::chrono::steady_clock::time_point fetched{};
  };
  struct Pending {
    std::string nonce, verifier, return_to;
    std::chrono::steady_clock::time_point expires;
  };
  Metadata metadata();
  std::vector<PublicKey> keys(bool refresh);
  std::string exchange(const Metadata& m, const std::string& code, const std::string& verifier);
  OidcIdentity verify(const Metadata& m, const std::string& id_token, const Pending& pending);
  OidcIdentity checkClaims(const Metadata& m, const nlohmann::json& claims, const Pending& pending);
  net::HttpResponse get(const std::string& url, const char* what);

  net::HttpClient& http_;
  Clock& clock_;
  OidcClientSettings settings_;
  std::mutex mutex_;
  std::optional<Metadata> metadata_;
  std::optional<std::vector<PublicKey>> keys_;  // fetched once (possibly empty), then on demand
  std::map<std::string, Pending> pending_;      // by state
};

}  // namespace berth::auth
