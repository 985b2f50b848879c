-- tiendo schema, version 6, on PostgreSQL: the same table as
-- migrations/sqlite/0006_report_settings.sql (document settings per programme).

CREATE TABLE report_settings (
    "programme_id" TEXT COLLATE "C" NOT NULL DEFAULT '',
    "parent_body" TEXT,
    "issuing_body" TEXT,
    "symbol" TEXT,
    "place" TEXT,
    "addressees" TEXT,
    "signer_authority" TEXT,
    "signer_title" TEXT,
    "signer_name" TEXT,
    "recipients" TEXT,
    "archive_unit" TEXT,
    "updated_by" TEXT,
    "updated_at" TEXT,
    version BIGINT NOT NULL DEFAULT 1,
    PRIMARY KEY ("programme_id")
);
