-- tiendo schema, version 1, on PostgreSQL: the same tables, columns and keys as
-- migrations/sqlite/0001_initial.sql. Key columns compare and sort byte by byte
-- (COLLATE "C"), as SQLite's do, whatever the database's collation.

CREATE TABLE agencies (
    "id" TEXT COLLATE "C" NOT NULL DEFAULT '',
    "code" TEXT,
    "name" TEXT,
    "short_name" TEXT,
    "kind" TEXT,
    "valid_from" TEXT,
    "valid_to" TEXT,
    "sort_order" BIGINT,
    "confidence" TEXT,
    "note" TEXT,
    "provenance" TEXT,
    version BIGINT NOT NULL DEFAULT 1,
    PRIMARY KEY ("id")
);

CREATE TABLE agency_groups (
    "id" TEXT COLLATE "C" NOT NULL DEFAULT '',
    "name" TEXT,
    "counted_as" TEXT,
    "provenance" TEXT,
    version BIGINT NOT NULL DEFAULT 1,
    PRIMARY KEY ("id")
);

CREATE TABLE group_memberships (
    "group_id" TEXT COLLATE "C" NOT NULL DEFAULT '',
    "agency_id" TEXT COLLATE "C" NOT NULL DEFAULT '',
    "valid_from" TEXT COLLATE "C" NOT NULL DEFAULT '',
    "valid_to" TEXT,
    "provenance" TEXT,
    version BIGINT NOT NULL DEFAULT 1,
    PRIMARY KEY ("group_id", "agency_id", "valid_from")
);

CREATE TABLE lineage (
    "from_agency" TEXT COLLATE "C" NOT NULL DEFAULT '',
    "to_agency" TEXT COLLATE "C" NOT NULL DEFAULT '',
    "kind" TEXT COLLATE "C" NOT NULL DEFAULT '',
    "effective" TEXT,
    "functions" TEXT,
    "share" DOUBLE PRECISION,
    "confidence" TEXT,
    "provenance" TEXT,
    version BIGINT NOT NULL DEFAULT 1,
    PRIMARY KEY ("from_agency", "to_agency", "kind")
);

CREATE TABLE legal_documents (
    "id" TEXT COLLATE "C" NOT NULL DEFAULT '',
    "kind" TEXT,
    "number" TEXT,
    "date" TEXT,
    "issuer" TEXT,
    "title" TEXT,
    "provenance" TEXT,
    version BIGINT NOT NULL DEFAULT 1,
    PRIMARY KEY ("id")
);

CREATE TABLE programmes (
    "id" TEXT COLLATE "C" NOT NULL DEFAULT '',
    "parent_id" TEXT,
    "name" TEXT,
    "short_name" TEXT,
    "legal_basis" TEXT,
    "owner_agency" TEXT,
    "start" TEXT,
    "end" TEXT,
    "regime" TEXT,
    "provenance" TEXT,
    version BIGINT NOT NULL DEFAULT 1,
    PRIMARY KEY ("id")
);

CREATE TABLE indicators (
    "id" TEXT COLLATE "C" NOT NULL DEFAULT '',
    "programme_id" TEXT,
    "code" TEXT,
    "heading" TEXT,
    "name" TEXT,
    "unit" TEXT,
    "direction" TEXT,
    "aggregation" TEXT,
    "provenance" TEXT,
    version BIGINT NOT NULL DEFAULT 1,
    PRIMARY KEY ("id")
);

CREATE TABLE targets (
    "id" TEXT COLLATE "C" NOT NULL DEFAULT '',
    "indicator_id" TEXT,
    "agency_id" TEXT,
    "operator" TEXT,
    "value" DOUBLE PRECISION,
    "deadline" TEXT,
    "due_date" TEXT,
    "provenance" TEXT,
    version BIGINT NOT NULL DEFAULT 1,
    PRIMARY KEY ("id")
);

CREATE TABLE observations (
    "indicator_id" TEXT COLLATE "C" NOT NULL DEFAULT '',
    "agency_id" TEXT COLLATE "C" NOT NULL DEFAULT '',
    "period" TEXT COLLATE "C" NOT NULL DEFAULT '',
    "source" TEXT COLLATE "C" NOT NULL DEFAULT '',
    "value" DOUBLE PRECISION,
    "numerator" DOUBLE PRECISION,
    "denominator" DOUBLE PRECISION,
    "note" TEXT,
    "provenance" TEXT,
    version BIGINT NOT NULL DEFAULT 1,
    PRIMARY KEY ("indicator_id", "agency_id", "period", "source")
);

CREATE TABLE tasks (
    "id" TEXT COLLATE "C" NOT NULL DEFAULT '',
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
    version BIGINT NOT NULL DEFAULT 1,
    PRIMARY KEY ("id")
);

CREATE TABLE task_updates (
    "task_id" TEXT COLLATE "C" NOT NULL DEFAULT '',
    "period" TEXT COLLATE "C" NOT NULL DEFAULT '',
    "reported_on" TEXT,
    "status" TEXT,
    "completed_on" TEXT,
    "result" TEXT,
    "provenance" TEXT,
    version BIGINT NOT NULL DEFAULT 1,
    PRIMARY KEY ("task_id", "period")
);

CREATE TABLE checklist_requirements (
    "id" TEXT COLLATE "C" NOT NULL DEFAULT '',
    "programme_id" TEXT,
    "title" TEXT,
    "group_ids" TEXT,
    "deadline" TEXT,
    "due_date" TEXT,
    "provenance" TEXT,
    version BIGINT NOT NULL DEFAULT 1,
    PRIMARY KEY ("id")
);

CREATE TABLE checklist_items (
    "requirement_id" TEXT COLLATE "C" NOT NULL DEFAULT '',
    "agency_id" TEXT COLLATE "C" NOT NULL DEFAULT '',
    "reported_on" TEXT COLLATE "C" NOT NULL DEFAULT '',
    "done" BOOLEAN,
    "done_on" TEXT,
    "evidence" TEXT,
    "provenance" TEXT,
    version BIGINT NOT NULL DEFAULT 1,
    PRIMARY KEY ("requirement_id", "agency_id", "reported_on")
);

CREATE TABLE target_assessments (
    "target_id" TEXT COLLATE "C" NOT NULL DEFAULT '',
    "period" TEXT COLLATE "C" NOT NULL DEFAULT '',
    "class" TEXT,
    "assessed_by" TEXT,
    "reason" TEXT,
    "provenance" TEXT,
    version BIGINT NOT NULL DEFAULT 1,
    PRIMARY KEY ("target_id", "period")
);

CREATE TABLE journal (
    seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL CHECK (action IN ('insert', 'update', 'delete')),
    entity TEXT NOT NULL,
    record_key TEXT NOT NULL,
    before TEXT,
    after TEXT,
    reason TEXT NOT NULL DEFAULT ''
);

CREATE INDEX journal_record ON journal (entity, record_key);

CREATE FUNCTION journal_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the journal is append-only';
END
$$;

CREATE TRIGGER journal_no_update BEFORE UPDATE ON journal
FOR EACH STATEMENT EXECUTE FUNCTION journal_append_only();

CREATE TRIGGER journal_no_delete BEFORE DELETE ON journal
FOR EACH STATEMENT EXECUTE FUNCTION journal_append_only();

CREATE TRIGGER journal_no_truncate BEFORE TRUNCATE ON journal
FOR EACH STATEMENT EXECUTE FUNCTION journal_append_only();
