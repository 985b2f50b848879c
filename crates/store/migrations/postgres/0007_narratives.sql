-- tiendo schema, version 7, on PostgreSQL: the same table as
-- migrations/sqlite/0007_narratives.sql (the narratives of reports).

CREATE TABLE narratives (
    "programme_id" TEXT COLLATE "C" NOT NULL DEFAULT '',
    "period" TEXT COLLATE "C" NOT NULL DEFAULT '',
    "highlights" TEXT,
    "results" TEXT,
    "shortcomings" TEXT,
    "next_tasks" TEXT,
    "recommendations" TEXT,
    "updated_by" TEXT,
    "updated_at" TEXT,
    version BIGINT NOT NULL DEFAULT 1,
    PRIMARY KEY ("programme_id", "period")
);
