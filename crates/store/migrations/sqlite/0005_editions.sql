-- tiendo schema, version 5: issued report editions (see src/edition.rs). A row is
-- written once; the store refuses to update it. The files are in `blobs` by SHA-256.

CREATE TABLE editions (
    "id" TEXT NOT NULL DEFAULT '',
    "programme_id" TEXT,
    "period" TEXT,
    "number" TEXT,
    "issued_on" TEXT,
    "as_of" TEXT,
    "known_seq" INTEGER,
    "known_at" TEXT,
    "signer" TEXT,
    "recipients" TEXT,
    "replaces" TEXT,
    "files" TEXT,
    "issued_by" TEXT,
    "issued_at" TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY ("id")
) STRICT;
