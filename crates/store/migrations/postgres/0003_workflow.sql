-- tiendo schema, version 3, on PostgreSQL: the same tables, columns and keys as
-- migrations/sqlite/0003_workflow.sql (workflow records, evidence bytes, web sessions).

CREATE TABLE accounts (
    "id" TEXT COLLATE "C" NOT NULL DEFAULT '',
    "display_name" TEXT,
    "role" TEXT,
    "agency_id" TEXT,
    "programme_id" TEXT,
    "password_hash" TEXT,
    "active" BOOLEAN,
    "created_at" TEXT,
    version BIGINT NOT NULL DEFAULT 1,
    PRIMARY KEY ("id")
);

CREATE TABLE api_tokens (
    "id" TEXT COLLATE "C" NOT NULL DEFAULT '',
    "account_id" TEXT,
    "name" TEXT,
    "token_hash" TEXT,
    "scopes" TEXT,
    "created_at" TEXT,
    "revoked_at" TEXT,
    version BIGINT NOT NULL DEFAULT 1,
    PRIMARY KEY ("id")
);

CREATE UNIQUE INDEX api_tokens_hash ON api_tokens ("token_hash");

CREATE TABLE submissions (
    "agency_id" TEXT COLLATE "C" NOT NULL DEFAULT '',
    "programme_id" TEXT COLLATE "C" NOT NULL DEFAULT '',
    "period" TEXT COLLATE "C" NOT NULL DEFAULT '',
    "status" TEXT,
    "submitted_at" TEXT,
    "submitted_by" TEXT,
    "reviewed_at" TEXT,
    "reviewed_by" TEXT,
    "review_comment" TEXT,
    version BIGINT NOT NULL DEFAULT 1,
    PRIMARY KEY ("agency_id", "programme_id", "period")
);

CREATE TABLE submission_items (
    "agency_id" TEXT COLLATE "C" NOT NULL DEFAULT '',
    "programme_id" TEXT COLLATE "C" NOT NULL DEFAULT '',
    "period" TEXT COLLATE "C" NOT NULL DEFAULT '',
    "entity" TEXT COLLATE "C" NOT NULL DEFAULT '',
    "record_key" TEXT COLLATE "C" NOT NULL DEFAULT '',
    "after" TEXT,
    "base_version" BIGINT,
    "edited_by" TEXT,
    "edited_at" TEXT,
    version BIGINT NOT NULL DEFAULT 1,
    PRIMARY KEY ("agency_id", "programme_id", "period", "entity", "record_key")
);

CREATE TABLE period_locks (
    "programme_id" TEXT COLLATE "C" NOT NULL DEFAULT '',
    "period" TEXT COLLATE "C" NOT NULL DEFAULT '',
    "locked" BOOLEAN,
    "changed_at" TEXT,
    "changed_by" TEXT,
    version BIGINT NOT NULL DEFAULT 1,
    PRIMARY KEY ("programme_id", "period")
);

CREATE TABLE evidence (
    "sha256" TEXT NOT NULL DEFAULT '',
    "file_name" TEXT,
    "content_type" TEXT,
    "size" BIGINT,
    "uploaded_by" TEXT,
    "uploaded_at" TEXT,
    version BIGINT NOT NULL DEFAULT 1,
    PRIMARY KEY ("sha256")
);

CREATE TABLE blobs (
    sha256 TEXT PRIMARY KEY,
    bytes BYTEA NOT NULL
);

CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    data TEXT NOT NULL,
    expires_at BIGINT NOT NULL
);
