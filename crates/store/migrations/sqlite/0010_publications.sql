-- tiendo schema, version 10: which issued editions are on the public site, from which
-- day, and whether their publication was withdrawn (see src/publication.rs).

CREATE TABLE publications (
    "edition_id" TEXT NOT NULL DEFAULT '',
    "public_from" TEXT,
    "published_by" TEXT,
    "published_at" TEXT,
    "withdrawn_at" TEXT,
    "withdrawn_by" TEXT,
    "reason" TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY ("edition_id")
) STRICT;
