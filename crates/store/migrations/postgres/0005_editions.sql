-- tiendo schema, version 5, on PostgreSQL: the same table as
-- migrations/sqlite/0005_editions.sql (issued report editions).

CREATE TABLE editions (
    "id" TEXT COLLATE "C" NOT NULL DEFAULT '',
    "programme_id" TEXT,
    "period" TEXT,
    "number" TEXT,
    "issued_on" TEXT,
    "as_of" TEXT,
    "known_seq" BIGINT,
    "known_at" TEXT,
    "signer" TEXT,
    "recipients" TEXT,
    "replaces" TEXT,
    "files" TEXT,
    "issued_by" TEXT,
    "issued_at" TEXT,
    version BIGINT NOT NULL DEFAULT 1,
    PRIMARY KEY ("id")
);
