-- tiendo schema, version 1: one table per record kind of the exchange format
-- (docs/exchange-format.md), plus the append-only change journal.

CREATE TABLE agencies (
    "id" TEXT NOT NULL DEFAULT '',
    "code" TEXT,
    "name" TEXT,
    "short_name" TEXT,
    "kind" TEXT,
    "valid_from" TEXT,
    "valid_to" TEXT,
    "sort_order" INTEGER,
    "confidence" TEXT,
    "note" TEXT,
    "provenance" TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY ("id")
) STRICT;

CREATE TABLE agency_groups (
    "id" TEXT NOT NULL DEFAULT '',
    "name" TEXT,
    "counted_as" TEXT,
    "provenance" TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY ("id")
) STRICT;

CREATE TABLE group_memberships (
    "group_id" TEXT NOT NULL DEFAULT '',
    "agency_id" TEXT NOT NULL DEFAULT '',
    "valid_from" TEXT NOT NULL DEFAULT '',
    "valid_to" TEXT,
    "provenance" TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY ("group_id", "agency_id", "valid_from")
) STRICT;

CREATE TABLE lineage (
    "from_agency" TEXT NOT NULL DEFAULT '',
    "to_agency" TEXT NOT NULL DEFAULT '',
    "kind" TEXT NOT NULL DEFAULT '',
    "effective" TEXT,
    "functions" TEXT,
    "share" REAL,
    "confidence" TEXT,
    "provenance" TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY ("from_agency", "to_agency", "kind")
) STRICT;

CREATE TABLE legal_documents (
    "id" TEXT NOT NULL DEFAULT '',
    "kind" TEXT,
    "number" TEXT,
    "date" TEXT,
    "issuer" TEXT,
    "title" TEXT,
    "provenance" TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY ("id")
) STRICT;

CREATE TABLE programmes (
    "id" TEXT NOT NULL DEFAULT '',
    "parent_id" TEXT,
    "name" TEXT,
    "short_name" TEXT,
    "legal_basis" TEXT,
    "owner_agency" TEXT,
    "start" TEXT,
    "end" TEXT,
    "regime" TEXT,
    "provenance" TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY ("id")
) STRICT;

CREATE TABLE indicators (
    "id" TEXT NOT NULL DEFAULT '',
    "programme_id" TEXT,
    "code" TEXT,
    "heading" TEXT,
    "name" TEXT,
    "unit" TEXT,
    "direction" TEXT,
    "aggregation" TEXT,
    "provenance" TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY ("id")
) STRICT;

CREATE TABLE targets (
    "id" TEXT NOT NULL DEFAULT '',
    "indicator_id" TEXT,
    "agency_id" TEXT,
    "operator" TEXT,
    "value" REAL,
    "deadline" TEXT,
    "due_date" TEXT,
    "provenance" TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY ("id")
) STRICT;

CREATE TABLE observations (
    "indicator_id" TEXT NOT NULL DEFAULT '',
    "agency_id" TEXT NOT NULL DEFAULT '',
    "period" TEXT NOT NULL DEFAULT '',
    "source" TEXT NOT NULL DEFAULT '',
    "value" REAL,
    "numerator" REAL,
    "denominator" REAL,
    "note" TEXT,
    "provenance" TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY ("indicator_id", "agency_id", "period", "source")
) STRICT;

CREATE TABLE tasks (
    "id" TEXT NOT NULL DEFAULT '',
    "programme_id" TEXT,
    "number" TEXT,
    "title" TEXT,
    "lead_agency" TEXT,
    "lead_group" TEXT,
    "coordinating" TEXT,
    "deadline" TEXT,
    "due_date" TEXT,
    "legal_basis" TEXT,
    "provenance" TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY ("id")
) STRICT;

CREATE TABLE task_updates (
    "task_id" TEXT NOT NULL DEFAULT '',
    "period" TEXT NOT NULL DEFAULT '',
    "reported_on" TEXT,
    "status" TEXT,
    "completed_on" TEXT,
    "result" TEXT,
    "provenance" TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY ("task_id", "period")
) STRICT;

CREATE TABLE checklist_requirements (
    "id" TEXT NOT NULL DEFAULT '',
    "programme_id" TEXT,
    "title" TEXT,
    "group_ids" TEXT,
    "deadline" TEXT,
    "due_date" TEXT,
    "provenance" TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY ("id")
) STRICT;

CREATE TABLE checklist_items (
    "requirement_id" TEXT NOT NULL DEFAULT '',
    "agency_id" TEXT NOT NULL DEFAULT '',
    "reported_on" TEXT NOT NULL DEFAULT '',
    "done" INTEGER,
    "done_on" TEXT,
    "evidence" TEXT,
    "provenance" TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY ("requirement_id", "agency_id", "reported_on")
) STRICT;

CREATE TABLE target_assessments (
    "target_id" TEXT NOT NULL DEFAULT '',
    "period" TEXT NOT NULL DEFAULT '',
    "class" TEXT,
    "assessed_by" TEXT,
    "reason" TEXT,
    "provenance" TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY ("target_id", "period")
) STRICT;

CREATE TABLE journal (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL CHECK (action IN ('insert', 'update', 'delete')),
    entity TEXT NOT NULL,
    record_key TEXT NOT NULL,
    before TEXT,
    after TEXT,
    reason TEXT NOT NULL DEFAULT ''
) STRICT;

CREATE INDEX journal_record ON journal (entity, record_key);

CREATE TRIGGER journal_no_update BEFORE UPDATE ON journal
BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END;

CREATE TRIGGER journal_no_delete BEFORE DELETE ON journal
BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END;
