-- tiendo schema, version 9: which agencies uploaded each evidence file. A file belongs to
-- the agencies that uploaded it (the same bytes may come from several); citing its digest
-- in an entry grants nothing.

CREATE TABLE evidence_uploads (
    "sha256" TEXT NOT NULL DEFAULT '',
    "agency_id" TEXT NOT NULL DEFAULT '',
    "uploaded_by" TEXT,
    "uploaded_at" TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY ("sha256", "agency_id")
) STRICT;

INSERT INTO evidence_uploads ("sha256", "agency_id", "uploaded_by", "uploaded_at")
SELECT e."sha256", a."agency_id", e."uploaded_by", e."uploaded_at"
FROM evidence e JOIN accounts a ON a."id" = e."uploaded_by"
WHERE a."agency_id" IS NOT NULL AND a."agency_id" <> '';
