// Schema version 1: configuration, deploy history, instances and accounts.
//
// Conventions: ids are INTEGER PRIMARY KEY; every timestamp column (*_at, ts) is INTEGER unix
// milliseconds UTC (see store/timestamp.h); durations are INTEGER milliseconds (*_ms); ordered
// lists carry a `position` so an import comes back exactly as written; enumerations are the text
// of the YAML/API spelling, guarded by CHECK so a bad value fails the write.
// Never edit a released migration: add the next one (a database records which it has applied).
#include "store/migrations.h"

namespace berth::migrations {

extern const char* const kInitialSchema = R"sql(
-- Projects and stages keep their ids across imports when their names stay, so deploy history
-- (which references the stage id) survives a re-import; removing one cascades to its history.
CREATE TABLE projects (
  id                 INTEGER PRIMARY KEY,
  name               TEXT    NOT NULL UNIQUE CHECK (name <> ''),
  position           INTEGER NOT NULL,
  image              TEXT    NOT NULL,
  port               INTEGER NOT NULL CHECK (port BETWEEN 1 AND 65535),
  health_path        TEXT    NOT NULL,
  health_interval_ms INTEGER NOT NULL CHECK (health_interval_ms >= 0),
  health_timeout_ms  INTEGER NOT NULL CHECK (health_timeout_ms >= 0),
  webhook_secret_env TEXT    NOT NULL,
  poll_interval_ms   INTEGER NOT NULL CHECK (poll_interval_ms >= 0)
);

-- std::map in the model: order is key order, so no position column.
CREATE TABLE project_env (
  project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  key        TEXT    NOT NULL CHECK (key <> ''),
  value      TEXT    NOT NULL,
  PRIMARY KEY (project_id, key)
) WITHOUT ROWID;

CREATE TABLE project_volumes (
  project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  position   INTEGER NOT NULL,
  spec       TEXT    NOT NULL CHECK (spec <> ''),
  PRIMARY KEY (project_id, position)
) WITHOUT ROWID;

-- tag_order NULL means the stage has no tag policy (deployed by hand or by promotion only);
-- the other tag_* columns are then unused.
CREATE TABLE stages (
  id             INTEGER PRIMARY KEY,
  project_id     INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  name           TEXT    NOT NULL CHECK (name <> ''),
  position       INTEGER NOT NULL,
  tag_order      TEXT    CHECK (tag_order IN ('semver', 'numeric', 'alphabetical', 'pushed')),
  tag_match      TEXT    NOT NULL DEFAULT '',
  tag_prerelease INTEGER NOT NULL DEFAULT 0 CHECK (tag_prerelease IN (0, 1)),
  tag_watch      TEXT    NOT NULL DEFAULT '',
  auto_deploy    INTEGER NOT NULL CHECK (auto_deploy IN (0, 1)),
  promote_from   TEXT    NOT NULL,
  strategy       TEXT    NOT NULL CHECK (strategy IN ('recreate', 'blue-green')),
  replicas       INTEGER NOT NULL CHECK (replicas >= 1),
  UNIQUE (project_id, name)
);

CREATE TABLE stage_env (
  stage_id INTEGER NOT NULL REFERENCES stages(id) ON DELETE CASCADE,
  key      TEXT    NOT NULL CHECK (key <> ''),
  value    TEXT    NOT NULL,
  PRIMARY KEY (stage_id, key)
) WITHOUT ROWID;

CREATE TABLE stage_volumes (
  stage_id INTEGER NOT NULL REFERENCES stages(id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  spec     TEXT    NOT NULL CHECK (spec <> ''),
  PRIMARY KEY (stage_id, position)
) WITHOUT ROWID;

-- A domain routes to one stage only: the proxy cannot send one host name to two places.
CREATE TABLE stage_domains (
  stage_id INTEGER NOT NULL REFERENCES stages(id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  domain   TEXT    NOT NULL UNIQUE COLLATE NOCASE CHECK (domain <> ''),
  PRIMARY KEY (stage_id, position)
);

CREATE TABLE registries (
  id           INTEGER PRIMARY KEY,
  position     INTEGER NOT NULL,
  host         TEXT    NOT NULL UNIQUE CHECK (host <> ''),
  username     TEXT    NOT NULL,
  password_env TEXT    NOT NULL,
  insecure     INTEGER NOT NULL CHECK (insecure IN (0, 1))
);

-- One row per section of the configuration ('server', 'docker', 'proxy', 'auth'), the value a
-- JSON object. Sections are small, read whole and never queried by field; JSON lets a later
-- berth add a field without a migration (a missing field reads as its default).
CREATE TABLE settings (
  key   TEXT PRIMARY KEY CHECK (key <> ''),
  value TEXT NOT NULL CHECK (json_valid(value))
) WITHOUT ROWID;

-- AUTOINCREMENT: a deploy id is never reused, even after its stage (and history) is deleted,
-- because ids live on outside the database (berth.deploy container labels, URLs, SSE clients).
CREATE TABLE deploys (
  id                 INTEGER PRIMARY KEY AUTOINCREMENT,
  stage_id           INTEGER NOT NULL REFERENCES stages(id) ON DELETE CASCADE,
  image_repository   TEXT    NOT NULL CHECK (image_repository <> ''),
  image_tag          TEXT    NOT NULL,
  image_digest       TEXT    NOT NULL,
  trigger            TEXT    NOT NULL
                     CHECK (trigger IN ('poller', 'webhook', 'manual', 'promote', 'rollback')),
  state              TEXT    NOT NULL
                     CHECK (state IN ('queued', 'pulling', 'starting', 'checking', 'switching',
                                      'draining', 'succeeded', 'failed', 'rolled_back',
                                      'interrupted', 'cancelled')),
  reason             TEXT    NOT NULL DEFAULT '',
  created_at         INTEGER NOT NULL,
  started_at         INTEGER,
  finished_at        INTEGER,
  previous_deploy_id INTEGER REFERENCES deploys(id) ON DELETE SET NULL
);
CREATE INDEX deploys_by_stage ON deploys (stage_id, id DESC);
CREATE INDEX deploys_by_previous ON deploys (previous_deploy_id);

-- Append-only: seq is 1, 2, 3, ... per deploy; the primary key is the (deploy, seq) index that
-- paging with after_seq reads.
CREATE TABLE deploy_logs (
  deploy_id INTEGER NOT NULL REFERENCES deploys(id) ON DELETE CASCADE,
  seq       INTEGER NOT NULL CHECK (seq >= 1),
  ts        INTEGER NOT NULL,
  level     TEXT    NOT NULL CHECK (level IN ('debug', 'info', 'warn', 'error')),
  message   TEXT    NOT NULL,
  PRIMARY KEY (deploy_id, seq)
) WITHOUT ROWID;
CREATE TRIGGER deploy_logs_append_only BEFORE UPDATE ON deploy_logs
BEGIN
  SELECT RAISE(ABORT, 'deploy_logs is append-only');
END;

-- deploy_id is NULL for a container found at start-up whose deploy is unknown.
CREATE TABLE instances (
  id           INTEGER PRIMARY KEY,
  stage_id     INTEGER NOT NULL REFERENCES stages(id) ON DELETE CASCADE,
  deploy_id    INTEGER REFERENCES deploys(id) ON DELETE SET NULL,
  container_id TEXT    NOT NULL UNIQUE CHECK (container_id <> ''),
  name         TEXT    NOT NULL,
  color        TEXT    NOT NULL DEFAULT '' CHECK (color IN ('', 'blue', 'green')),
  state        TEXT    NOT NULL,
  health       TEXT    NOT NULL DEFAULT '',
  updated_at   INTEGER NOT NULL
);
CREATE INDEX instances_by_stage ON instances (stage_id);
CREATE INDEX instances_by_deploy ON instances (deploy_id);

-- Usernames are unique regardless of case ("Admin" and "admin" are one account). An account has
-- a password hash, an OIDC subject, or both.
CREATE TABLE users (
  id            INTEGER PRIMARY KEY,
  username      TEXT    NOT NULL UNIQUE COLLATE NOCASE CHECK (username <> ''),
  password_hash TEXT,
  oidc_subject  TEXT    UNIQUE,
  created_at    INTEGER NOT NULL,
  CHECK (password_hash IS NOT NULL OR oidc_subject IS NOT NULL)
);

-- Only hashes of session and API tokens are stored: a copy of the database grants no access.
CREATE TABLE sessions (
  id           INTEGER PRIMARY KEY,
  token_hash   TEXT    NOT NULL UNIQUE,
  user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at   INTEGER NOT NULL,
  expires_at   INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL
);
CREATE INDEX sessions_by_user ON sessions (user_id);
CREATE INDEX sessions_by_expiry ON sessions (expires_at);

CREATE TABLE api_tokens (
  id           INTEGER PRIMARY KEY,
  user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  name         TEXT    NOT NULL CHECK (name <> ''),
  token_hash   TEXT    NOT NULL UNIQUE,
  created_at   INTEGER NOT NULL,
  last_used_at INTEGER,
  UNIQUE (user_id, name)
);
)sql";

}  // namespace berth::migrations
