-- Exchange format v1, additions for assignments (issue 12): who may report an indicator, a task's done rule, the
-- figure an observation states, task assignments given as records of their own, each
-- assignee's own reports, and agencies excluded from a task's or requirement's groups.

ALTER TABLE tasks ADD COLUMN "done_rule" TEXT;
ALTER TABLE observations ADD COLUMN "states" TEXT;
ALTER TABLE indicators ADD COLUMN "scope" TEXT;
ALTER TABLE indicators ADD COLUMN "scope_groups" TEXT;

CREATE TABLE task_assignments (
    "task_id" TEXT NOT NULL DEFAULT '',
    "agency_id" TEXT NOT NULL DEFAULT '',
    "group_id" TEXT NOT NULL DEFAULT '',
    "role" TEXT,
    "required" INTEGER,
    "provenance" TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY ("task_id", "agency_id", "group_id")
) STRICT;

CREATE TABLE assignment_updates (
    "task_id" TEXT NOT NULL DEFAULT '',
    "agency_id" TEXT NOT NULL DEFAULT '',
    "period" TEXT NOT NULL DEFAULT '',
    "reported_on" TEXT,
    "status" TEXT,
    "completed_on" TEXT,
    "result" TEXT,
    "provenance" TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY ("task_id", "agency_id", "period")
) STRICT;

CREATE TABLE exclusions (
    "subject_id" TEXT NOT NULL DEFAULT '',
    "agency_id" TEXT NOT NULL DEFAULT '',
    "reason" TEXT,
    "provenance" TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY ("subject_id", "agency_id")
) STRICT;
