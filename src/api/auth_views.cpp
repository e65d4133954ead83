#include "api/auth_views.h"

#include "events/log_line_json.h"

namespace berth::api {

using nlohmann::json;

json userJson(const UserRecord& user) {
  return json{{"id", user.id},
              {"username", user.username},
              {"admin", user.admin},
              {"created_at", events::isoUtc(user.created_at)},
              {"password", user.password_hash.has_value()},
              {"oidc", user.oidc_subject.has_value()}};
}

json identityJson(const http::Identity& who) {
  return json{{"id", who.user_id}, {"username", who.username}, {"admin", who.admin}};
}

json tokenJson(const ApiTokenRecord& token) {
  return json{
      {"id", token.id},
      {"name", token.name},
      {"owner", token.username},
      {"created_at", events::isoUtc(token.created_at)},
      {"last_used_at", token.last_used_at ? json(events::isoUtc(*token.last_used_at)) : json()}};
}

}  // namespace berth::api
