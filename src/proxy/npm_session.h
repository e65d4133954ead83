// A logged-in conversation with Nginx Proxy Manager: logs in with identity and secret on first
// use, renews the token (GET /api/tokens) before it expires, logs in again when NPM says the
// token is the problem, and sends each request with the current token. The secret is read
// from the environment at each login (so a rotated secret is picked up) and is never put in a
// message or a log line.
#pragma once

#include <chrono>
#include <functional>
#include <mutex>
#include <optional>
#include <string>

#include "core/clock.h"
#include "net/http.h"
#include "proxy/npm_api.h"

namespace berth::proxy {

// Reads an environment variable; nullopt when unset. std::getenv in production, a map in tests.
using EnvLookup = std::function<std::optional<std::string>(const std::string& name)>;

// The process environment.
EnvLookup processEnv();

struct NpmCredentials {
  std::string url{};         // "http://npm:81"
  std::string identity{};    // login e-mail
  std::string secret_env{};  // the variable holding the password
};

class NpmSession {
 public:
  NpmSession(NpmCredentials credentials, EnvLookup env, net::HttpClient& http, Clock& clock);

  // Sends build(token) with a valid token. When the answer may mean the token was refused
  // (npm::mayBeTokenProblem), logs in again and sends once more; `idempotent` says whether
  // that is safe after a 500. Returns the last answer, whatever its status. Throws
  // ProxyError(auth) when login fails, ProxyError(unreachable) when NPM does not answer.
  // `stage` names the stage in error messages. Thread-safe (one request at a time).
  net::HttpResponse send(const std::function<net::HttpRequest(const std::string& token)>& build,
                         bool idempotent, const std::string& stage);

  // Forgets the token, so the next send logs in (tests; an operator's password change).
  void forgetToken();

  const std::string& url() const { return credentials_.url; }
  int logins() const { return logins_; }
  int renewals() const { return renewals_; }

 private:
  void ensureToken(const std::string& stage);
  void login(const std::string& stage);
  bool renew();
  net::HttpResponse exchange(const net::HttpRequest& request, const std::string& stage);

  NpmCredentials credentials_;
  EnvLookup env_;
  net::HttpClient& http_;
  Clock& clock_;
  std::mutex mutex_;
  std::optional<npm::Token> token_;
  std::chrono::system_clock::time_point renew_at_{};
  int logins_ = 0;
  int renewals_ = 0;
};

}  // namespace berth::proxy
