-- tiendo schema, version 3: the application's workflow records (see src/workflow.rs),
-- the bytes of uploaded evidence and web sessions.

CREATE TABLE accounts (
    "id" TEXT NOT NULL DEFAULT '',
    "display_name" TEXT,
    "role" TEXT,
    "agency_id" TEXT,
    "programme_id" TEXT,
    "password_hash" TEXT,
    "active" INTEGER,
    "created_at" TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY ("id")
) STRICT;

CREATE TABLE api_tokens (
    "id" TEXT NOT NULL DEFAULT '',
    "account_id" TEXT,
    "name" TEXT,
    "token_hash" TEXT,
    "scopes" TEXT,
    "created_at" TEXT,
    "revoked_at" TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY ("id")
) STRICT;

CREATE UNIQUE INDEX api_tokens_hash ON api_tokens ("token_hash");

CREATE TABLE submissions (
    "agency_id" TEXT NOT NULL DEFAULT '',
    "programme_id" TEXT NOT NULL DEFAULT '',
    "period" TEXT NOT NULL DEFAULT '',
    "status" TEXT,
    "submitted_at" TEXT,
    "submitted_by" TEXT,
    "reviewed_at" TEXT,
    "reviewed_by" TEXT,
    "review_comment" TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY ("agency_id", "programme_id", "period")
) STRICT;

CREATE TABLE submission_items (
    "agency_id" TEXT NOT NULL DEFAULT '',
    "programme_id" TEXT NOT NULL DEFAULT '',
    "period" TEXT NOT NULL DEFAULT '',
    "entity" TEXT NOT NULL DEFAULT '',
    "record_key" TEXT NOT NULL DEFAULT '',
    "after" TEXT,
    "base_version" INTEGER,
    "edited_by" TEXT,
    "edited_at" TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY ("agency_id", "programme_id", "period", "entity", "record_key")
) STRICT;

CREATE TABLE period_locks (
    "programme_id" TEXT NOT NULL DEFAULT '',
    "period" TEXT NOT NULL DEFAULT '',
    "locked" INTEGER,
    "changed_at" TEXT,
    "changed_by" TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY ("programme_id", "period")
) STRICT;

CREATE TABLE evidence (
    "sha256" TEXT NOT NULL DEFAULT '',
    "file_name" TEXT,
    "content_type" TEXT,
    "size" INTEGER,
    "uploaded_by" TEXT,
    "uploaded_at" TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY ("sha256")
) STRICT;

CREATE TABLE blobs (
    sha256 TEXT PRIMARY KEY,
    bytes BLOB NOT NULL
) STRICT;

CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    data TEXT NOT NULL,
    expires_at INTEGER NOT NULL
) STRICT;
