-- tiendo schema, version 6: what the official documents of a programme say beyond its
-- data (see src/report_settings.rs): the issuing body, signer, recipients, "Kính gửi".
-- Empty columns keep the defaults derived from the programme's owner agency.

CREATE TABLE report_settings (
    "programme_id" TEXT NOT NULL DEFAULT '',
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
    version INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY ("programme_id")
) STRICT;
