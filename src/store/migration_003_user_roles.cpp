// Schema version 3: user roles. Admins manage users, settings and everyone's API tokens; other
// users read and deploy. Accounts that exist before this migration were made when berth had no
// roles (and so no restrictions): they become admins, keeping what they could do.
// Never edit a released migration: add the next one (a database records which it has applied).
#include "store/migrations.h"

namespace berth::migrations {

extern const char* const kUserRoles = R"sql(
ALTER TABLE users ADD COLUMN is_admin INTEGER NOT NULL DEFAULT 0 CHECK (is_admin IN (0, 1));
UPDATE users SET is_admin = 1;
)sql";

}  // namespace berth::migrations
