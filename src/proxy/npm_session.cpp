#include "proxy/npm_session.h"

#include <cstdlib>

#include "proxy/proxy_error.h"

namespace berth::proxy {
namespace {

using Kind = ProxyError::Kind;

// Renew when a quarter of the token's life is left, at most an hour before it expires
// (NPM's tokens live a day), so a deploy never starts with a token about to lapse.
std::chrono::system_clock::time_point renewalTime(std::chrono::system_clock::time_point now,
                                                  std::chrono::system_clock::time_point expires) {
  const auto life = expires - now;
  const auto margin =
      std::min<std::chrono::system_clock::duration>(life / 4, std::chrono::hours(1));
  return expires - margin;
}

}  // namespace

EnvLookup processEnv() {
  return [](const std::string& name) -> std::optional<std::string> {
    const char* v = std::getenv(name.c_str());
    if (v == nullptr) return std::nullopt;
    return std::string(v);
  };
}

NpmSession::NpmSession(NpmCredentials credentials, EnvLookup env, net::HttpClient& http,
                       Clock& clock)
    : credentials_(std::move(credentials)), env_(std::move(env)), http_(http), clock_(clock) {}

net::HttpResponse NpmSession::exchange(const net::HttpRequest& request, const std::string& stage) {
  try {
    return http_.send(request);
  } catch (const net::HttpError& e) {
    // e.what() names method and URL, never a header or body, so no token or secret.
    throw ProxyError(Kind::unreachable, "npm", stage, e.what());
  }
}

void NpmSession::login(const std::string& stage) {
  token_.reset();
  const auto secret = env_(credentials_.secret_env);
  if (!secret || secret->empty())
    throw ProxyError(
        Kind::auth, "npm", stage,
        "environment variable " + credentials_.secret_env + " (proxy.secret_env) is not set");
  const auto response =
      exchange(npm::loginRequest(credentials_.url, credentials_.identity, *secret), stage);
  ++logins_;
  if (response.status != 200)
    throw ProxyError(Kind::auth, "npm", stage,
                     "login as " + credentials_.identity + " refused (HTTP " +
                         std::to_string(response.status) + "): " + npm::errorMessage(response));
  std::string why;
  auto token = npm::parseToken(response.body, &why);
  if (!token) throw ProxyError(Kind::api, "npm", stage, "login answer: " + why);
  renew_at_ = renewalTime(clock_.wallNow(), token->expires);
  token_ = std::move(token);
}

bool NpmSession::renew() {
  net::HttpResponse response;
  try {
    response = http_.send(npm::refreshRequest(credentials_.url, token_->token));
  } catch (const net::HttpError&) {
    return false;
  }
  if (response.status != 200) return false;
  auto token = npm::parseToken(response.body, nullptr);
  if (!token) return false;
  ++renewals_;
  renew_at_ = renewalTime(clock_.wallNow(), token->expires);
  token_ = std::move(token);
  return true;
}

void NpmSession::ensureToken(const std::string& stage) {
  const auto now = clock_.wallNow();
  if (token_ && now < renew_at_) return;
  // Still valid: ask for a fresh one; expired, or renewal refused: log in again.
  if (token_ && now < token_->expires && renew()) return;
  login(stage);
}

net::HttpResponse NpmSession::send(
    const std::function<net::HttpRequest(const std::string& token)>& build, bool idempotent,
    const std::string& stage) {
  std::lock_guard lock(mutex_);
  ensureToken(stage);
  auto response = exchange(build(token_->token), stage);
  if (response.status < 400 ||
      !npm::mayBeTokenProblem(response.status, npm::errorMessage(response), idempotent))
    return response;
  login(stage);
  return exchange(build(token_->token), stage);
}

void NpmSession::forgetToken() {
  std::lock_guard lock(mutex_);
  token_.reset();
}

}  // namespace berth::proxy
