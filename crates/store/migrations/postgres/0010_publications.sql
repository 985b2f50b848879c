-- tiendo schema, version 10: which issued editions are on the public site; see
-- migrations/sqlite/0010_publications.sql.

CREATE TABLE publications (
    "edition_id" TEXT COLLATE "C" NOT NULL DEFAULT '',
    "public_from" TEXT,
    "published_by" TEXT,
    "published_at" TEXT,
    "withdrawn_at" TEXT,
    "withdrawn_by" TEXT,
    "reason" TEXT,
    version BIGINT NOT NULL DEFAULT 1,
    PRIMARY KEY ("edition_id")
);
