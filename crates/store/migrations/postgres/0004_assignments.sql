-- As in migrations/sqlite/0004_assignments.sql. Exchange format v1, additions for
-- assignments (issue 12): who may report an indicator, a task's done rule, the
-- figure an observation states, task assignments given as records of their own, each
-- assignee's own reports, and agencies excluded from a task's or requirement's groups.

ALTER TABLE tasks ADD COLUMN "done_rule" TEXT;
ALTER TABLE observations ADD COLUMN "states" TEXT;
ALTER TABLE indicators ADD COLUMN "scope" TEXT;
ALTER TABLE indicators ADD COLUMN "scope_groups" TEXT;

CREATE TABLE task_assignments (
    "task_id" TEXT COLLATE "C" NOT NULL DEFAULT '',
    "agency_id" TEXT COLLATE "C" NOT NULL DEFAULT '',
    "group_id" TEXT COLLATE "C" NOT NULL DEFAULT '',
    "role" TEXT,
    "required" BOOLEAN,
    "provenance" TEXT,
    version BIGINT NOT NULL DEFAULT 1,
    PRIMARY KEY ("task_id", "agency_id", "group_id")
);

CREATE TABLE assignment_updates (
    "task_id" TEXT COLLATE "C" NOT NULL DEFAULT '',
    "agency_id" TEXT COLLATE "C" NOT NULL DEFAULT '',
    "period" TEXT COLLATE "C" NOT NULL DEFAULT '',
    "reported_on" TEXT,
    "status" TEXT,
    "completed_on" TEXT,
    "result" TEXT,
    "provenance" TEXT,
    version BIGINT NOT NULL DEFAULT 1,
    PRIMARY KEY ("task_id", "agency_id", "period")
);

CREATE TABLE exclusions (
    "subject_id" TEXT COLLATE "C" NOT NULL DEFAULT '',
    "agency_id" TEXT COLLATE "C" NOT NULL DEFAULT '',
    "reason" TEXT,
    "provenance" TEXT,
    version BIGINT NOT NULL DEFAULT 1,
    PRIMARY KEY ("subject_id", "agency_id")
);
