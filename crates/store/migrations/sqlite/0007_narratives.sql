-- tiendo schema, version 7: the narrative of a programme's report for a period (see
-- src/narrative.rs), one Markdown text per section, written through the journal.

CREATE TABLE narratives (
    "programme_id" TEXT NOT NULL DEFAULT '',
    "period" TEXT NOT NULL DEFAULT '',
    "highlights" TEXT,
    "results" TEXT,
    "shortcomings" TEXT,
    "next_tasks" TEXT,
    "recommendations" TEXT,
    "updated_by" TEXT,
    "updated_at" TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY ("programme_id", "period")
) STRICT;
