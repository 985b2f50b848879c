-- Exchange format v1, columns added for the 2025 reorganisation (issue 6), as in
-- migrations/sqlite/0002_restatement.sql: restatement rules of indicators and
-- checklist requirements, and the principal successor of a split.

ALTER TABLE lineage ADD COLUMN "principal" BOOLEAN;
ALTER TABLE indicators ADD COLUMN "restatement" TEXT;
ALTER TABLE checklist_requirements ADD COLUMN "restatement" TEXT;
